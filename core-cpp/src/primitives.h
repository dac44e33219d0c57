// Every primitive (graph node: eval, vjp, jvp, vmap rules), one header per family under
// primitives/; the Primitive interface itself is primitive.h.
#pragma once

#include "primitives/compare.h"
#include "primitives/conv.h"
#include "primitives/copy.h"
#include "primitives/creation.h"
#include "primitives/elementwise.h"
#include "primitives/fft.h"
#include "primitives/fast.h"
#include "primitives/fp8.h"
#include "primitives/gather_mm.h"
#include "primitives/hadamard.h"
#include "primitives/indexing.h"
#include "primitives/linalg.h"
#include "primitives/qqmm.h"
#include "primitives/quantized.h"
#include "primitives/random.h"
#include "primitives/reduce.h"
#include "primitives/shape.h"
#include "primitives/slice.h"
#include "primitives/sort.h"
#include "primitives/strided.h"
