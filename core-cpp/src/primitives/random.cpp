#include "primitives/random.h"

#include <stdexcept>

#include "ops.h"
#include "transforms/vmap.h"

namespace mlx {

void RandomBits::eval(const std::vector<array>& in, array& out) { random_bits_eval(in[0], out); }
bool RandomBits::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const RandomBits*>(&other);
  return o && o->shape_ == shape_ && o->width_ == width_;
}

void RandomTransform::eval(const std::vector<array>& in, array& out) { random_transform_eval(kind_, in, out); }
bool RandomTransform::is_equivalent(const Primitive& other) const {
  auto* o = dynamic_cast<const RandomTransform*>(&other);
  return o && o->kind_ == kind_ && o->dtype_ == dtype_;
}

namespace {

// d z / d bound for the truncated normal z = sqrt2 erfinv(a + (b - a) u), a = erf(l/sqrt2),
// b = erf(h/sqrt2): dz/dl = (1 - u) exp((z^2 - l^2) / 2), dz/dh = u exp((z^2 - h^2) / 2).
// An infinite bound gets exp(-inf) = 0.
array truncnorm_partial(const std::vector<array>& primals, const array& z, int which) {
  Dtype t = z.dtype();
  array u(z.shape(), t, std::make_shared<RandomTransform>(RandomKind::UnitOpen, t), {primals[0]});
  array bound = primals[which];
  array weight = which == 1 ? subtract(array::scalar(1, t), u) : u;
  array half = array::scalar(0.5, t);
  array expo = multiply(half, subtract(multiply(z, z), multiply(bound, bound)));
  return multiply(weight, exp(expo));
}

void require_truncnorm(RandomKind kind, const char* what) {
  if (kind != RandomKind::TruncatedNormal) {
    throw std::invalid_argument(std::string("[RandomTransform] Random bits have no ") + what + ".");
  }
}

}  // namespace

std::vector<array> RandomTransform::vjp(const std::vector<array>& primals, const std::vector<array>& cot,
                                        const std::vector<int>& argnums, const std::vector<array>& outputs) {
  require_truncnorm(kind_, "gradient");
  std::vector<array> out;
  for (int i : argnums) {
    if (i == 0) {
      out.push_back(zeros_like(primals[0]));
    } else {
      out.push_back(multiply(cot[0], truncnorm_partial(primals, outputs[0], i)));
    }
  }
  return out;
}

std::vector<array> RandomTransform::jvp(const std::vector<array>& primals, const std::vector<array>& tan,
                                        const std::vector<int>& argnums) {
  require_truncnorm(kind_, "gradient");
  array z(primals[1].shape(), primals[1].dtype(), std::make_shared<RandomTransform>(kind_, dtype_), primals);
  array acc;
  for (size_t k = 0; k < argnums.size(); ++k) {
    if (argnums[k] == 0) continue;
    array term = multiply(tan[k], truncnorm_partial(primals, z, argnums[k]));
    acc = acc.valid() ? add(acc, term) : term;
  }
  return {acc.valid() ? acc : zeros_like(z)};
}

// ---- vmap rules ----------------------------------------------------------------------

// A batch of keys (batch axis to the front): one stream per key, the batch axis first.
std::pair<std::vector<array>, std::vector<int>> RandomBits::vmap(const std::vector<array>& in,
                                                                 const std::vector<int>& axes) {
  array keys = vmap_util::move_axis(in[0], axes[0], 0);
  Shape s = shape_;
  s.insert(s.begin(), keys.shape(0));
  return {{array(s, bits_dtype(width_), std::make_shared<RandomBits>(s, width_), {keys})}, {0}};
}

// Element-wise: batch axes to the front, unbatched inputs broadcast along it.
std::pair<std::vector<array>, std::vector<int>> RandomTransform::vmap(const std::vector<array>& in_,
                                                                      const std::vector<int>& axes) {
  std::vector<array> in = in_;
  vmap_util::to_front_all(in, axes);
  Shape s = in[0].shape();
  return {{array(s, dtype_, std::make_shared<RandomTransform>(kind_, dtype_), std::move(in))}, {0}};
}

}  // namespace mlx
