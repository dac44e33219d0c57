// Reading an array's elements back in tests: evaluated, in row order, as doubles.
#pragma once

#include <cstddef>
#include <vector>

#include "array.h"
#include "transforms/eval_grad.h"

template <typename T>
std::vector<double> values_of(const mlx::array& a) {
  mlx::eval(a);
  mlx::array c = a.converted(a.dtype());  // row order
  std::vector<double> v;
  for (size_t i = 0; i < c.size(); ++i) v.push_back(double(c.data<T>()[i]));
  return v;
}
