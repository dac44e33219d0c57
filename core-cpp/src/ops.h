// Every op: the graph-building API (validate arguments, promote dtypes, broadcast, then
// build primitives), one header per family under ops/. Errors are
// std::invalid_argument("[op] message"), as in MLX.
#pragma once

#include "ops/compare.h"
#include "ops/conv.h"
#include "ops/copy.h"
#include "ops/creation.h"
#include "ops/elementwise.h"
#include "ops/fft.h"
#include "ops/fast.h"
#include "ops/fp8.h"
#include "ops/gather_mm.h"
#include "ops/hadamard.h"
#include "ops/indexing.h"
#include "ops/linalg.h"
#include "ops/quantized.h"
#include "ops/random.h"
#include "ops/reduce.h"
#include "ops/shape.h"
#include "ops/slice.h"
#include "ops/sort.h"
#include "ops/strided.h"
