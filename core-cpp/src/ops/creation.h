// Creation extras: linspace, eye, identity, tri, tril, triu, meshgrid (MLX semantics).
#pragma once

#include <string>
#include <vector>

#include "array.h"

namespace mlx {

// num values from start to stop, both included (the last is exactly stop).
array linspace(double start, double stop, int num = 50, Dtype dtype = Dtype::float32);
// n x m with ones on diagonal k (above the main one for k > 0).
array eye(int n, int m, int k = 0, Dtype dtype = Dtype::float32);
array identity(int n, Dtype dtype = Dtype::float32);
// n x m with ones on and below diagonal k.
array tri(int n, int m, int k = 0, Dtype dtype = Dtype::float32);
array tril(const array& x, int k = 0);
array triu(const array& x, int k = 0);
// Coordinate grids from 1-D arrays (inputs are flattened); indexing "xy" or "ij".
std::vector<array> meshgrid(const std::vector<array>& arrays, bool sparse = false,
                            const std::string& indexing = "xy");

// ---- ranges and filled arrays -------------------------------------------------------
array arange(double start, double stop, double step, Dtype dtype);
array full(Shape shape, const array& value, Dtype dtype);
array full(Shape shape, const array& value);
array zeros(Shape shape, Dtype dtype = Dtype::float32);
array ones(Shape shape, Dtype dtype = Dtype::float32);

array zeros_like(const array& a);
array ones_like(const array& a);

}  // namespace mlx
