// Tests of the C ABI as a native host sees it: statuses, last error, closures.
#include <cstring>
#include <vector>

#include "check.h"
#include "mlxc.h"

namespace {

std::vector<uint32_t> released;
int calls = 0;

// Host function 1 doubles its input; host function 2 fails.
int host_call(uint32_t id, mlxc_vector inputs, mlxc_vector outputs) {
  ++calls;
  if (id == 2) return 1;
  mlxc_array x, y;
  mlxc_vector_get(&x, inputs, 0);
  mlxc_binary(&y, MLXC_BINARY_ADD, x, x);
  mlxc_vector_append(outputs, y);
  mlxc_array_free(x);
  mlxc_array_free(y);
  return 0;
}
void host_release(uint32_t id) { released.push_back(id); }

float read_scalar(mlxc_array a) {
  mlxc_array c;
  if (mlxc_array_contiguous(&c, a)) return -1;
  float v;
  std::memcpy(&v, mlxc_array_data(c), 4);
  mlxc_array_free(c);
  return v;
}

}  // namespace

TEST(c_api_errors_are_statuses) {
  mlxc_array a, b, out = nullptr;
  int32_t s3[] = {3}, s2[] = {2};
  CHECK_EQ(mlxc_array_new_empty(&a, s3, 1, MLXC_FLOAT32), 0);
  CHECK_EQ(mlxc_array_new_empty(&b, s2, 1, MLXC_FLOAT32), 0);
  CHECK_EQ(mlxc_binary(&out, MLXC_BINARY_ADD, a, b), 1);
  CHECK_EQ(std::string(mlxc_last_error()), "[add] Shapes (3) and (2) cannot be broadcast.");
  CHECK_EQ(mlxc_binary(&out, 99, a, a), 1);
  CHECK_EQ(mlxc_array_new_empty(&out, s3, 1, 77), 1);
  CHECK(std::string(mlxc_last_error()).find("dtype") != std::string::npos);
  CHECK_EQ(mlxc_binary(&out, MLXC_BINARY_ADD, nullptr, a), 1);
  CHECK_EQ(std::string(mlxc_binary_op_name(MLXC_BINARY_DIVIDE)), "divide");
  CHECK(mlxc_binary_op_name(MLXC_BINARY_COUNT) == nullptr);
  mlxc_array_free(a);
  mlxc_array_free(b);
}

TEST(c_api_closures_call_the_host) {
  mlxc_set_host_callbacks(host_call, host_release);
  released.clear();
  mlxc_closure c1, c2;
  CHECK_EQ(mlxc_closure_new(&c1, 1), 0);
  CHECK_EQ(mlxc_closure_new(&c2, 2), 0);
  mlxc_array x;
  CHECK_EQ(mlxc_array_new_scalar(&x, 21, MLXC_FLOAT32), 0);
  mlxc_vector in, out;
  mlxc_vector_new(&in);
  mlxc_vector_append(in, x);
  CHECK_EQ(mlxc_closure_apply(&out, c1, in), 0);
  CHECK_EQ(mlxc_vector_size(out), size_t(1));
  mlxc_array y;
  mlxc_vector_get(&y, out, 0);
  CHECK_EQ(read_scalar(y), 42.0f);
  CHECK_EQ(mlxc_closure_apply(&out, c2, in), 1);
  CHECK(std::string(mlxc_last_error()).rfind("[closure]", 0) == 0);
  CHECK(released.empty());
  mlxc_closure_free(c1);
  mlxc_closure_free(c2);
  CHECK(released == std::vector<uint32_t>({1, 2}));
  mlxc_array_free(x);
  mlxc_array_free(y);
  mlxc_vector_free(in);
  mlxc_vector_free(out);
}

TEST(c_api_memory_stats) {
  double s[5];
  CHECK_EQ(mlxc_memory_stats(s), 0);
  CHECK(s[1] >= s[0]);
  CHECK(s[4] > 0);
}
