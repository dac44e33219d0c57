// Tests of the C ABI as a native host sees it: statuses, last error, closures.
#include <cmath>
#include <cstring>
#include <vector>

#include "check.h"
#include "mlxc.h"

namespace {

std::vector<uint32_t> released;

// Runs a one-output op by name.
int op1(mlxc_array* out, const char* name, std::vector<mlxc_array> ins, std::vector<int32_t> ints = {}) {
  int n = 0;
  return mlxc_op(out, 1, &n, nullptr, mlxc_op_id(name), ins.data(), static_cast<int>(ins.size()), ints.data(),
                 static_cast<int>(ints.size()), nullptr, 0);
}
int calls = 0;

// Host function 1 doubles its input; host function 2 fails.
int host_call(uint32_t id, mlxc_vector inputs, mlxc_vector outputs) {
  ++calls;
  if (id == 2) return 1;
  mlxc_array x, y;
  mlxc_vector_get(&x, inputs, 0);
  op1(&y, "add", {x, x});
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
  CHECK_EQ(op1(&out, "add", {a, b}), 1);
  CHECK_EQ(std::string(mlxc_last_error()), "[add] Shapes (3) and (2) cannot be broadcast.");
  CHECK_EQ(op1(&out, "no_such_op", {a, a}), 1);
  CHECK_EQ(std::string(mlxc_last_error()), "[mlxc_op] Unknown op id -1.");
  CHECK_EQ(op1(&out, "add", {a}), 1);
  CHECK_EQ(std::string(mlxc_last_error()), "[add] Expected 2 array inputs, got 1.");
  CHECK_EQ(op1(&out, "sum", {a}, {1, 1, 5}), 1);  // axes [5] but no keepdims flag
  CHECK_EQ(std::string(mlxc_last_error()), "[sum] Missing the integer value of parameter 'keepdims'.");
  CHECK_EQ(op1(&out, "negative", {a}, {7}), 1);
  CHECK(std::string(mlxc_last_error()).rfind("[negative] Takes no parameters", 0) == 0);
  CHECK_EQ(op1(&out, "sum", {a}, {0, 0, 0}), 1);  // one value too many
  CHECK(std::string(mlxc_last_error()).rfind("[sum] Got 1 integer", 0) == 0);
  CHECK_EQ(op1(&out, "sum", {a}, {2, 0}), 1);  // presence flag neither 0 nor 1
  CHECK(std::string(mlxc_last_error()).rfind("[sum] Parameter 'axes' has presence flag 2", 0) == 0);
  CHECK_EQ(op1(&out, "sum", {a}, {0, 0}), 0);
  mlxc_array_free(out);
  CHECK_EQ(mlxc_array_new_empty(&out, s3, 1, 77), 1);
  CHECK(std::string(mlxc_last_error()).find("dtype") != std::string::npos);
  CHECK_EQ(op1(&out, "add", {nullptr, a}), 1);
  CHECK_EQ(std::string(mlxc_op_name(mlxc_op_id("divide"))), "divide");
  CHECK_EQ(std::string(mlxc_op_schema(mlxc_op_id("sum"))), "axes:int[]? keepdims:bool");
  CHECK_EQ(std::string(mlxc_op_schema(mlxc_op_id("pad"))), "pad_width:int[] mode:enum(constant|edge)");
  CHECK_EQ(std::string(mlxc_op_schema(mlxc_op_id("add"))), "");
  CHECK(mlxc_op_schema(-1) == nullptr);
  CHECK(mlxc_op_name(mlxc_op_count()) == nullptr);
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

TEST(c_api_memory_limits_reject_nan_negative_and_fractions) {
  double before[5];
  mlxc_memory_stats(before);
  for (double bad : {std::nan(""), -1.0, 1.5, 1e300}) {
    CHECK_EQ(mlxc_set_memory_limit(bad), 1);
    CHECK(std::strstr(mlxc_last_error(), "[set_memory_limit] The limit must be a whole number") != nullptr);
    CHECK_EQ(mlxc_set_cache_limit(bad), 1);
    CHECK(std::strstr(mlxc_last_error(), "[set_cache_limit]") != nullptr);
  }
  double after[5];
  mlxc_memory_stats(after);
  CHECK_EQ(after[4], before[4]);  // the limit is unchanged by a refused call
}

TEST(c_api_value_and_grad_through_a_closure) {
  // Host function 1 computes x + x; summing is done here: d/dx sum(2x) needs a scalar,
  // so use a scalar input.
  mlxc_set_host_callbacks(host_call, host_release);
  mlxc_closure c;
  mlxc_closure_new(&c, 1);
  mlxc_array x;
  mlxc_array_new_scalar(&x, 3, MLXC_FLOAT32);
  mlxc_vector primals, values, grads;
  mlxc_vector_new(&primals);
  mlxc_vector_append(primals, x);
  CHECK_EQ(mlxc_value_and_grad(&values, &grads, c, primals), 0);
  mlxc_array v, g;
  mlxc_vector_get(&v, values, 0);
  mlxc_vector_get(&g, grads, 0);
  CHECK_EQ(read_scalar(v), 6.0f);
  CHECK_EQ(read_scalar(g), 2.0f);
  for (auto a : {x, v, g}) mlxc_array_free(a);
  for (auto vec : {primals, values, grads}) mlxc_vector_free(vec);
  mlxc_closure_free(c);
}

TEST(c_api_op_outputs_beyond_the_room_given_spill_into_a_vector) {
  mlxc_array a, outs[2];
  int32_t s6[] = {6};
  CHECK_EQ(mlxc_array_new_empty(&a, s6, 1, MLXC_FLOAT32), 0);
  int32_t ints[] = {0, 1, 3, 0};  // split: no indices, 3 sections, along axis 0 (schema order)
  int n = 0;
  mlxc_vector spill = nullptr;
  CHECK_EQ(mlxc_op(outs, 2, &n, &spill, mlxc_op_id("split"), &a, 1, ints, 4, nullptr, 0), 0);
  CHECK_EQ(n, 3);
  CHECK(spill != nullptr);
  CHECK_EQ(int(mlxc_vector_size(spill)), 3);
  int32_t shape[4];
  mlxc_array part;
  CHECK_EQ(mlxc_vector_get(&part, spill, 2), 0);
  CHECK_EQ(mlxc_array_shape(shape, 4, part), 1);
  CHECK_EQ(shape[0], 2);
  CHECK_EQ(mlxc_array_shape(shape, 0, part), -1);  // no room
  mlxc_array_free(part);
  // The same op through vectors.
  mlxc_vector in, vout = nullptr;
  mlxc_vector_new(&in);
  mlxc_vector_append(in, a);
  CHECK_EQ(mlxc_op_vector(&vout, mlxc_op_id("split"), in, ints, 4, nullptr, 0), 0);
  CHECK_EQ(int(mlxc_vector_size(vout)), 3);
  mlxc_vector_free(vout);
  mlxc_vector_free(in);
  mlxc_vector_free(spill);
  mlxc_array_free(a);
}
