#include "check.h"

namespace check {

std::vector<Case>& cases() {
  static std::vector<Case> c;
  return c;
}

namespace {
int failures_in_case = 0;
}

void fail(const char* file, int line, const std::string& what) {
  ++failures_in_case;
  std::cerr << "  " << file << ":" << line << ": " << what << "\n";
}

}  // namespace check

int main() {
  int passed = 0, failed = 0;
  for (auto& c : check::cases()) {
    check::failures_in_case = 0;
    try {
      c.fn();
    } catch (const std::exception& e) {
      check::fail(__FILE__, __LINE__, std::string("uncaught: ") + e.what());
    }
    if (check::failures_in_case) {
      ++failed;
      std::cerr << "FAIL " << c.name << "\n";
    } else {
      ++passed;
    }
  }
  std::cout << "core-cpp: " << passed << " passed, " << failed << " failed\n";
  return failed ? 1 : 0;
}
