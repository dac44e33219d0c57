// The op registry behind mlxc_op: every op the C ABI offers is registered by name with a
// parameter schema and an adapter that calls the C++ op. Op families register their ops in
// their own c_api/ops_<family>.cpp, so adding ops never touches the ABI header or the
// TypeScript Backend interface.
//
// The schema is the ONE definition of an op's scalar parameters: hosts read it through
// mlxc_op_schema and encode named arguments from it; the adapter reads them back by name.
// Its text is a space-separated list of `name:kind`, a kind followed by `?` being optional:
//   int          one int32                      bool    one int32, 0 or 1
//   dtype        one int32 dtype code           real    one double
//   int[]        a count n, then n int32 values
//   enum(a|b|c)  one int32, the index of the name
//   kind?        an int32 0 (not given) or 1 followed by the value
// e.g. "axes:int[]? keepdims:bool" or "pad_width:int[] mode:enum(constant|edge)".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "../array.h"

namespace mlx::capi {

enum class ParamKind { Int, Bool, Dtype, Real, Ints, Enum };

struct ParamSpec {
  std::string name;
  ParamKind kind;
  bool optional = false;
  std::vector<std::string> choices;  // Enum only
};

// Parses a schema text (see above); throws std::invalid_argument("[op] ...") when malformed.
std::vector<ParamSpec> parse_schema(const std::string& op, const char* text);
// The canonical text of a parsed schema (what mlxc_op_schema returns).
std::string schema_text(const std::vector<ParamSpec>& specs);

// An op's parameters decoded from the mlxc_op int32/double buffers by its schema. The
// adapter reads each by name with the accessor of its kind; a name the schema lacks, a kind
// that differs, an optional parameter read as required while absent, or a parameter the
// adapter never reads is an "[op] ..." error (host/core disagreement never becomes garbage).
class Params {
 public:
  Params(const std::string& op, const std::vector<ParamSpec>& specs, const int32_t* ints, int n_ints,
         const double* reals, int n_reals);

  bool has(const char* name);  // whether an optional parameter was given (marks it read)
  int32_t int_(const char* name);
  bool flag(const char* name);
  Dtype dtype(const char* name);
  double real(const char* name);
  std::vector<int32_t> ints(const char* name);
  std::vector<int> axes(const char* name);  // ints() as int
  int choice(const char* name);              // an enum's index

  std::optional<int> opt_int(const char* name);
  std::optional<Dtype> opt_dtype(const char* name);
  std::optional<double> opt_real(const char* name);
  std::optional<std::vector<int>> opt_axes(const char* name);
  std::optional<Shape> opt_shape(const char* name);

  // Throws unless the adapter read every parameter of the schema.
  void done() const;

 private:
  struct Value {
    bool present = true;
    int32_t i = 0;
    double r = 0;
    std::vector<int32_t> list;
  };
  // The value of `name`, checking its kind; `required` throws if it was not given.
  const Value& get(const char* name, ParamKind kind, bool required);
  [[noreturn]] void fail(const std::string& message) const;

  const std::string& op_;
  const std::vector<ParamSpec>& specs_;
  std::vector<Value> values_;
  uint64_t read_ = 0;  // bit i: parameter i was read
};

using OpAdapter = std::vector<array> (*)(const std::vector<array>& inputs, Params& params);

struct OpEntry {
  std::string name;
  int arity;  // number of array inputs, or -1 for any number
  std::vector<ParamSpec> params;
  std::string schema;  // canonical text of params
  std::string schema_error;  // non-empty when the registration's schema text is malformed
  OpAdapter fn;
};

// Registers an op; returns its id. Called during static initialisation.
int register_op(const char* name, int arity, const char* schema, OpAdapter fn);
const std::vector<OpEntry>& op_table();

// Registers a list of ops at static-initialisation time:
//   static const OpList ops{{"sum", 1, "axes:int[]? keepdims:bool",
//                            [](auto& in, auto& p) -> Arrays { return {sum(in[0], ...)}; }}};
using Arrays = std::vector<array>;
struct OpList {
  struct Item {
    const char* name;
    int arity;
    const char* schema;
    OpAdapter fn;
  };
  OpList(std::initializer_list<Item> items) {
    for (auto& i : items) register_op(i.name, i.arity, i.schema, i.fn);
  }
};

}  // namespace mlx::capi
