// A minimal test harness: TEST(name) registers a case; CHECK* record failures with their
// location; main runs every case and prints "N passed, N failed".
#pragma once

#include <cmath>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace check {

struct Case {
  const char* name;
  std::function<void()> fn;
};
std::vector<Case>& cases();
void fail(const char* file, int line, const std::string& what);

struct Register {
  Register(const char* name, std::function<void()> fn) { cases().push_back({name, std::move(fn)}); }
};

}  // namespace check

#define CHECK_CAT2(a, b) a##b
#define CHECK_CAT(a, b) CHECK_CAT2(a, b)
#define TEST(name)                                                        \
  static void name();                                                     \
  static check::Register CHECK_CAT(reg_, name)(#name, name);              \
  static void name()

#define CHECK(cond)                                                       \
  do {                                                                    \
    if (!(cond)) check::fail(__FILE__, __LINE__, "CHECK(" #cond ")");     \
  } while (0)

#define CHECK_EQ(a, b)                                                    \
  do {                                                                    \
    auto va_ = (a);                                                       \
    auto vb_ = (b);                                                       \
    if (!(va_ == vb_)) {                                                  \
      std::ostringstream o_;                                              \
      o_ << #a " == " #b " (" << va_ << " vs " << vb_ << ")";             \
      check::fail(__FILE__, __LINE__, o_.str());                          \
    }                                                                     \
  } while (0)

#define CHECK_NEAR(a, b, tol)                                             \
  do {                                                                    \
    double va_ = (a), vb_ = (b);                                          \
    if (!(std::fabs(va_ - vb_) <= (tol))) {                               \
      std::ostringstream o_;                                              \
      o_ << #a " ~= " #b " (" << va_ << " vs " << vb_ << ")";             \
      check::fail(__FILE__, __LINE__, o_.str());                          \
    }                                                                     \
  } while (0)

// Checks that `expr` throws std::exception whose message starts with `prefix`.
#define CHECK_THROWS(expr, prefix)                                        \
  do {                                                                    \
    bool threw_ = false;                                                  \
    try {                                                                 \
      (void)(expr);                                                       \
    } catch (const std::exception& e_) {                                  \
      threw_ = true;                                                      \
      if (std::string(e_.what()).rfind(prefix, 0) != 0)                   \
        check::fail(__FILE__, __LINE__, std::string("message: ") + e_.what()); \
    }                                                                     \
    if (!threw_) check::fail(__FILE__, __LINE__, "no throw: " #expr);     \
  } while (0)
