// The op registry behind mlxc_op: every op the C ABI offers is registered by name with an
// adapter that reads its parameters and calls the C++ op. Op families register their ops
// in their own c_api/ops_<family>.cpp, so adding ops never touches the ABI header or the
// TypeScript Backend interface.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "../array.h"

namespace mlx::capi {

// Reads an op's scalar parameters in order. Conventions (mirrored by the TS ops):
//   int()       one int32
//   flag()      one int32, 0 or 1
//   dtype()     one int32 dtype code
//   ints()      a count n, then n int32 values (shapes, axes, indices)
//   axes()      like ints(), but a count of -1 means "not given" (all axes, or the default)
//   real()      one double
class Params {
 public:
  Params(const char* op, const int32_t* ints, int n_ints, const double* reals, int n_reals)
      : op_(op), ints_(ints), n_ints_(n_ints), reals_(reals), n_reals_(n_reals) {}
  int32_t int_();
  bool flag() { return int_() != 0; }
  Dtype dtype();
  std::vector<int32_t> ints();
  std::optional<std::vector<int>> axes();
  double real();
  // Throws unless every parameter was read (catches host/core disagreement early).
  void done() const;

 private:
  [[noreturn]] void missing(const char* what) const;
  const char* op_;
  const int32_t* ints_;
  int n_ints_;
  const double* reals_;
  int n_reals_;
  int next_int_ = 0, next_real_ = 0;
};

using OpAdapter = std::vector<array> (*)(const std::vector<array>& inputs, Params& params);

struct OpEntry {
  std::string name;
  int arity;  // number of array inputs, or -1 for any number
  OpAdapter fn;
};

// Registers an op; returns its id. Called during static initialisation.
int register_op(const char* name, int arity, OpAdapter fn);
const std::vector<OpEntry>& op_table();

// Registers a list of ops at static-initialisation time:
//   static const OpList ops{{"add", 2, [](auto& in, auto& p) -> Arrays { return {add(in[0], in[1])}; }}};
using Arrays = std::vector<array>;
struct OpList {
  struct Item {
    const char* name;
    int arity;
    OpAdapter fn;
  };
  OpList(std::initializer_list<Item> items) {
    for (auto& i : items) register_op(i.name, i.arity, i.fn);
  }
};

}  // namespace mlx::capi
