#include "op_registry.h"

#include <stdexcept>

namespace mlx::capi {

std::vector<OpEntry>& table() {
  static std::vector<OpEntry>* t = new std::vector<OpEntry>();
  return *t;
}

int register_op(const char* name, int arity, OpAdapter fn) {
  table().push_back({name, arity, fn});
  return static_cast<int>(table().size()) - 1;
}

const std::vector<OpEntry>& op_table() { return table(); }

void Params::missing(const char* what) const {
  throw std::invalid_argument(std::string("[") + op_ + "] Missing " + what + " parameter.");
}

int32_t Params::int_() {
  if (next_int_ >= n_ints_) missing("integer");
  return ints_[next_int_++];
}

Dtype Params::dtype() {
  int32_t code = int_();
  if (!is_valid_dtype(code)) {
    throw std::invalid_argument(std::string("[") + op_ + "] Unknown dtype code " + std::to_string(code) + ".");
  }
  return static_cast<Dtype>(code);
}

std::vector<int32_t> Params::ints() {
  int32_t n = int_();
  if (n < 0 || next_int_ + n > n_ints_) missing("list");
  std::vector<int32_t> v(ints_ + next_int_, ints_ + next_int_ + n);
  next_int_ += n;
  return v;
}

std::optional<std::vector<int>> Params::axes() {
  if (next_int_ < n_ints_ && ints_[next_int_] == -1) {
    ++next_int_;
    return std::nullopt;
  }
  auto v = ints();
  return std::vector<int>(v.begin(), v.end());
}

double Params::real() {
  if (next_real_ >= n_reals_) missing("real");
  return reals_[next_real_++];
}

void Params::done() const {
  if (next_int_ != n_ints_ || next_real_ != n_reals_) {
    throw std::invalid_argument(std::string("[") + op_ + "] Got " + std::to_string(n_ints_ - next_int_) +
                                " integer and " + std::to_string(n_reals_ - next_real_) +
                                " real parameters more than it takes.");
  }
}

}  // namespace mlx::capi
