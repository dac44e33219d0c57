// vmap rules of the element-wise, compare and reduce families (issue #4): each batched op
// equals the op applied per batch element, and its output node is the op's own primitive
// (the rule ran, not the per-element fallback). Also: the float element-wise ops fuse
// under compile, and the maximum/minimum gradient masks.
#include <cmath>
#include <cstring>

#include "check.h"
#include "transforms/compile.h"
#include "ops.h"
#include "ops/compare.h"
#include "ops/elementwise.h"
#include "ops/reduce.h"
#include "ops/slice.h"
#include "primitive.h"
#include "transforms/vmap.h"

using namespace mlx;

namespace {

std::vector<double> vals(const array& a) {
  array f = astype(a, Dtype::float64);
  eval(f);
  array c = f.converted(Dtype::float64);
  return std::vector<double>(c.data<double>(), c.data<double>() + c.size());
}

void check_same(const array& got, const array& want, double tol) {
  CHECK(got.shape() == want.shape());
  CHECK(got.dtype() == want.dtype());
  auto g = vals(got), w = vals(want);
  CHECK_EQ(g.size(), w.size());
  for (size_t i = 0; i < g.size() && i < w.size(); ++i) {
    if (std::isnan(w[i])) {
      CHECK(std::isnan(g[i]));
    } else if (std::isinf(w[i])) {
      CHECK_EQ(g[i], w[i]);
    } else {
      CHECK_NEAR(g[i], w[i], tol);
    }
  }
}

// Element b of x along `axis`.
array at(const array& x, int axis, int b) {
  array f = vmap_util::move_axis(x, axis, 0);
  std::vector<int32_t> start(f.ndim(), 0), stop(f.shape().begin(), f.shape().end());
  start[0] = b;
  stop[0] = b + 1;
  Shape s(f.shape().begin() + 1, f.shape().end());
  return reshape(slice(f, start, stop), s);
}

// vmap_trace of f over `axes` against f per batch element; `prim` (when given) is the
// primitive every output must come from.
void check_rule(const Function& f, const std::vector<array>& ins, const std::vector<int>& axes, const char* prim,
                double tol = 1e-12) {
  auto [outs, out_axes] = vmap_trace(f, ins, axes);
  int n = -1;
  for (size_t i = 0; i < ins.size(); ++i)
    if (axes[i] >= 0) n = ins[i].shape(axes[i]);
  // Names first: evaluating one output detaches it and its siblings from their primitive.
  for (size_t k = 0; k < outs.size(); ++k) {
    CHECK(out_axes[k] >= 0);
    if (prim) {
      CHECK(outs[k].has_primitive());
      if (outs[k].has_primitive() && std::strcmp(outs[k].primitive().name(), prim) != 0) {
        check::fail(__FILE__, __LINE__, std::string("output of ") + outs[k].primitive().name() + ", expected " + prim);
      }
    }
  }
  for (size_t k = 0; k < outs.size(); ++k) {
    for (int b = 0; b < n; ++b) {
      std::vector<array> element;
      for (size_t i = 0; i < ins.size(); ++i) element.push_back(axes[i] < 0 ? ins[i] : at(ins[i], axes[i], b));
      check_same(at(outs[k], out_axes[k], b), f(element)[k], tol);
    }
  }
}

Function un(array (*op)(const array&)) {
  return [op](const std::vector<array>& x) { return std::vector<array>{op(x[0])}; };
}
Function bin(array (*op)(const array&, const array&)) {
  return [op](const std::vector<array>& x) { return std::vector<array>{op(x[0], x[1])}; };
}

array f64(std::vector<double> v, Shape s) { return array::from_vector<double>(v, s); }
// [3, 4] values in (-1, 1) with no ties, a NaN and an infinity.
array mixed() {
  return f64({0.25, -0.5, 0.75, NAN, -0.125, 0.5, -0.875, 0.0625, 0.375, INFINITY, -0.625, 0.9}, {3, 4});
}
array unit() { return f64({0.25, -0.5, 0.75, 0.1, -0.125, 0.5, -0.875, 0.0625, 0.375, 0.2, -0.625, 0.9}, {3, 4}); }

}  // namespace

TEST(vmap_unary_rules_keep_the_batch_axis) {
  array x = mixed();
  for (int ax : {0, 1}) {
    check_rule(un(sin), {x}, {ax}, "Sin");
    check_rule(un(abs), {x}, {ax}, "Abs");
    check_rule(un(erfinv), {unit()}, {ax}, "ErfInv");
    check_rule(un(isnan), {x}, {ax}, "IsNan");
    check_rule(un(isposinf), {x}, {ax}, "IsPosInf");
    check_rule([](const std::vector<array>& v) { return std::vector<array>{round(v[0])}; }, {x}, {ax}, "Round");
    check_rule(un(logical_not), {greater(x, array::scalar(0, Dtype::float64))}, {ax}, "LogicalNot");
    check_rule(un(bitwise_invert), {astype(multiply(unit(), array::scalar(8, Dtype::float64)), Dtype::int32)}, {ax},
               "BitwiseInvert");
    check_rule([](const std::vector<array>& v) { return std::vector<array>{nan_to_num(v[0], 1.5, 9.0, -9.0)}; },
               {x}, {ax}, "NanToNum");
    // The batch axis stays in place for unary rules.
    CHECK_EQ(vmap_trace(un(sin), {x}, {ax}).second[0], ax);
  }
}

TEST(vmap_binary_rules_with_one_unbatched_operand) {
  array x = unit();
  array y = f64({0.5, -0.25, 2.0}, {3});
  array yb = f64({0.5, -0.25, 2.0, 1.0, 0.3, -0.7, 0.9, 0.1, -0.2, 0.4, 0.6, -0.8}, {4, 3});
  array abs_x = abs(x);
  check_rule(bin(power), {abs_x, y}, {1, -1}, "Power");
  check_rule(bin(power), {y, abs_x}, {-1, 1}, "Power");
  check_rule(bin(maximum), {x, yb}, {1, 0}, "Maximum");
  check_rule(bin(minimum), {x, y}, {1, -1}, "Minimum");
  check_rule(bin(logaddexp), {x, y}, {1, -1}, "LogAddExp");
  check_rule(bin(arctan2), {y, x}, {-1, 1}, "ArcTan2");
  check_rule(bin(floor_divide), {x, y}, {1, -1}, "FloorDivide");
  check_rule(bin(remainder), {x, y}, {1, -1}, "Remainder");
  array i = astype(multiply(x, array::scalar(16, Dtype::float64)), Dtype::int32);
  array s = array::from_vector<int32_t>({1, 2, 3}, {3});
  check_rule(bin(left_shift), {i, s}, {1, -1}, "LeftShift");
  check_rule(bin(bitwise_xor), {s, i}, {-1, 1}, "BitwiseXor");
  array p = greater(x, array::scalar(0, Dtype::float64));
  array q = array::from_vector<bool>({true, false, true}, {3});
  check_rule(bin(logical_or), {p, q}, {1, -1}, "LogicalOr");
  // Both results of divmod, with the divisor batched and the dividend not.
  check_rule([](const std::vector<array>& v) { return divmod(v[0], v[1]); }, {y, x}, {-1, 1}, "DivMod");
}

TEST(vmap_compare_rules) {
  array x = mixed();
  array y = f64({0.25, 0.0, NAN}, {3});
  check_rule(bin(greater), {x, y}, {1, -1}, "Greater");
  check_rule(bin(less_equal), {y, x}, {-1, 1}, "LessEqual");
  array xt = transpose(x, std::vector<int>{1, 0});
  check_rule(bin(not_equal), {x, xt}, {1, 0}, "NotEqual");
  check_rule([](const std::vector<array>& v) { return std::vector<array>{isclose(v[0], v[1], 0.1, 0.2, true)}; },
             {x, y}, {1, -1}, "IsClose");
  array c = array::from_vector<bool>({true, false, true}, {3});
  array cb = greater(x, array::scalar(0, Dtype::float64));
  auto sel = [](const std::vector<array>& v) { return std::vector<array>{where(v[0], v[1], v[2])}; };
  check_rule(sel, {c, x, y}, {-1, 1, -1}, "Select");
  check_rule(sel, {cb, y, xt}, {1, -1, 0}, "Select");
}

TEST(vmap_reduce_rules_shift_their_axis) {
  array x = f64({0.25, -0.5, 0.75, 0.1, -0.125, 0.5, -0.875, 0.0625, 0.375, 0.2, -0.625, 0.9, 1.5, -2.0, 0.3, 0.7,
                 -0.1, 0.05, 2.5, -3.0, 0.15, 0.45, -0.35, 0.8},
                {2, 3, 4});
  for (int ax : {0, 1, 2}) {
    for (int r : {0, 1, -1}) {
      auto am = [r](const std::vector<array>& v) { return std::vector<array>{argmax(v[0], r, true)}; };
      check_rule(am, {x}, {ax}, "ArgMax");
      auto an = [r](const std::vector<array>& v) { return std::vector<array>{argmin(v[0], r, true)}; };
      check_rule(an, {x}, {ax}, "ArgMin");
      auto cs = [r](const std::vector<array>& v) { return std::vector<array>{cumsum(v[0], r, true, false)}; };
      check_rule(cs, {x}, {ax}, "CumSum");
      auto cm = [r](const std::vector<array>& v) { return std::vector<array>{cummax(v[0], r, false, true)}; };
      check_rule(cm, {x}, {ax}, "CumMax");
      auto lc = [r](const std::vector<array>& v) { return std::vector<array>{logcumsumexp(v[0], r)}; };
      check_rule(lc, {x}, {ax}, "CumLogSumExp");
      auto pr = [r](const std::vector<array>& v) {
        return std::vector<array>{prod(v[0], std::vector<int>{r}, true)};
      };
      check_rule(pr, {x}, {ax}, "Prod");
    }
    // Composites of the family: values only (their last node is whatever op they end with).
    auto composite = [](const std::vector<array>& v) {
      std::vector<int> last{-1};
      return std::vector<array>{var(v[0], last, false, 1), mlx::std(v[0], std::vector<int>{0}, true, 0),
                                logsumexp(v[0], last), softmax(v[0], last, false), all(v[0], last)};
    };
    check_rule(composite, {x}, {ax}, nullptr);
  }
  // Scans over a mapped axis given after the batch axis, and the flattened (axis-less) forms.
  auto flat = [](const std::vector<array>& v) {
    return std::vector<array>{cumprod(v[0]), argmin(v[0]), logsumexp(v[0]), max(v[0])};
  };
  check_rule(flat, {x}, {1}, nullptr);
}

TEST(vmap_composes_with_grad) {
  // Per-example gradients of ops with rules: vmap(grad(f)) equals grad(f) per element.
  array x = unit();
  array y = f64({0.5, -0.25, 2.0}, {3});
  auto loss = [](const std::vector<array>& v) {
    array a = v[0], b = v[1];
    array z = add(multiply(sin(a), maximum(a, b)), logaddexp(a, b));
    z = add(z, where(greater(a, b), sqrt(abs(a)), cumsum(b, 0)));
    return std::vector<array>{add(sum(z), logsumexp(z))};
  };
  auto g = [loss](const std::vector<array>& v) { return value_and_grad(loss, v).second; };
  check_rule(g, {x, y}, {1, -1}, nullptr, 1e-10);
}

TEST(vmap_maximum_minimum_gradients_route_by_comparison) {
  // Equal infinities: inf - inf is NaN, the comparisons are not. Ties go to the second operand.
  array a = f64({INFINITY, 1.0, 2.0, NAN}, {4});
  array b = f64({INFINITY, 1.0, -3.0, 0.0}, {4});
  for (bool is_max : {true, false}) {
    auto f = [is_max](const std::vector<array>& v) {
      return std::vector<array>{sum(is_max ? maximum(v[0], v[1]) : minimum(v[0], v[1]))};
    };
    auto gr = value_and_grad(f, {a, b}).second;
    auto ga = vals(gr[0]), gb = vals(gr[1]);
    std::vector<double> wa = is_max ? std::vector<double>{0, 0, 1, 0} : std::vector<double>{0, 0, 0, 0};
    std::vector<double> wb = is_max ? std::vector<double>{1, 1, 0, 0} : std::vector<double>{1, 1, 1, 0};
    for (int i = 0; i < 4; ++i) {
      CHECK_EQ(ga[i], wa[i]);
      CHECK_EQ(gb[i], wb[i]);
    }
  }
}

TEST(vmap_std_uses_the_elementwise_sqrt) {
  array s = mlx::std(f64({1, 2, 3, 4}, {4}));
  CHECK(std::strcmp(s.primitive().name(), "Sqrt") == 0);
  CHECK_NEAR(vals(s)[0], std::sqrt(1.25), 1e-12);
}

namespace {
// Every new fusable op in one chain of arrays of one shape.
std::vector<array> float_chain(const std::vector<array>& v) {
  const array& x = v[0];
  const array& y = v[1];
  array z = sqrt(add(square(x), y));
  z = maximum(sin(z), cos(x));
  z = power(add(abs(z), y), sigmoid(x));
  z = logaddexp(z, minimum(erf(x), tanh(y)));
  z = arctan2(z, add(expm1(x), log1p(y)));
  z = add(z, remainder(floor_divide(exp(x), rsqrt(y)), sign(x)));
  z = add(z, multiply(floor(x), ceil(y)));
  z = add(z, multiply(round(x), log2(y)));
  z = add(z, multiply(arctan(x), arcsinh(log10(y))));
  z = add(z, multiply(arcsin(x), arccos(x)));
  z = add(z, multiply(sinh(x), cosh(arctanh(x))));
  z = add(z, multiply(tan(x), erfinv(x)));
  z = add(z, arccosh(add(y, y)));
  return {z};
}
}  // namespace

TEST(vmap_float_elementwise_ops_fuse_into_one_kernel) {
  for (Dtype t : {Dtype::float32, Dtype::float64}) {
    array x = astype(f64({0.1, -0.5, 0.7, 0.3, -0.9}, {5}), t);
    array y = astype(f64({1.0, 2.0, 0.5, 3.0, 1.5}, {5}), t);
    eval(std::vector<array>{x, y});
    array want = float_chain({x, y})[0];
    eval(want);
    Function cf = compile(float_chain);
    array got = cf({x, y})[0];
    size_t before = kernel_count();
    eval(got);
    CHECK_EQ(kernel_count() - before, size_t(1));
    check_same(got, want, t == Dtype::float32 ? 1e-5 : 1e-12);
    // Shapeless: a new length replays without tracing again (output_shapes).
    Function sf = compile(float_chain, true);
    sf({x, y});
    array x2 = astype(f64({0.2, -0.3}, {2}), t), y2 = astype(f64({0.9, 4.0}, {2}), t);
    check_same(sf({x2, y2})[0], float_chain({x2, y2})[0], t == Dtype::float32 ? 1e-5 : 1e-12);
  }
}

TEST(vmap_comparisons_and_integer_ops_do_not_fuse) {
  // A bool output or an integer dtype keeps a node out of the fused kernel (its one dtype
  // is floating); the float parts around it still fuse and the values match.
  auto f = [](const std::vector<array>& v) {
    array a = sin(v[0]);
    array m = greater(a, v[1]);
    array z = where(m, exp(a), sqrt(v[1]));
    array i = floor_divide(astype(v[0], Dtype::int32), array::scalar(2, Dtype::int32));
    return std::vector<array>{add(z, astype(i, Dtype::float32))};
  };
  array x = array::from_vector<float>({0.5f, 3.0f, -4.0f}, {3});
  array y = array::from_vector<float>({0.1f, 0.9f, 2.0f}, {3});
  check_same(compile(f)({x, y})[0], f({x, y})[0], 1e-6);
}
