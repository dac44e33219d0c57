#include "array.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "allocator.h"
#include "backend/cpu/copy.h"
#include "primitive.h"

namespace mlx {

std::atomic<size_t> array::ArrayDesc::live{0};

Data::~Data() { allocator::free(ptr); }

std::string shape_string_of(const Shape& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + ")";
}

size_t shape_size(const Shape& shape) {
  size_t n = 1;
  for (auto d : shape) n *= static_cast<size_t>(d);
  return n;
}

Strides row_strides(const Shape& shape) {
  Strides s(shape.size(), 1);
  for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

Flags layout_flags(const Shape& shape, const Strides& strides, size_t data_size) {
  Flags f;
  size_t size = shape_size(shape);
  // Row and column order: every axis longer than 1 has the dense stride for its order.
  int64_t expect = 1;
  for (int i = static_cast<int>(shape.size()) - 1; i >= 0; --i) {
    if (shape[i] == 1) continue;
    if (strides[i] != expect) f.row_contiguous = false;
    expect *= shape[i];
  }
  expect = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 1) continue;
    if (strides[i] != expect) f.col_contiguous = false;
    expect *= shape[i];
  }
  // Any order: the axes sorted by stride tile the buffer densely.
  std::vector<int> order;
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] != 1) order.push_back(static_cast<int>(i));
  std::sort(order.begin(), order.end(), [&](int a, int b) { return strides[a] < strides[b]; });
  expect = 1;
  f.contiguous = data_size == size;
  for (int ax : order) {
    if (strides[ax] != expect) {
      f.contiguous = false;
      break;
    }
    expect *= shape[ax];
  }
  if (size == 0) f.contiguous = f.row_contiguous = f.col_contiguous = true;
  return f;
}

array::ArrayDesc::ArrayDesc(Shape s, Dtype t) : shape(std::move(s)), dtype(t) {
  // Sizes are counted in 64 bits: on wasm32 size_t is 32 bits, and a wrapped byte count
  // would allocate a buffer far too small for the array.
  uint64_t n = 1;
  bool overflow = false, empty = false;
  const uint64_t limit = uint64_t(std::numeric_limits<size_t>::max()) / 8;
  for (auto d : shape) {
    if (d < 0) throw std::invalid_argument("[array] Shape dimensions must be non-negative.");
    if (d == 0) empty = true;
    if (d != 0 && n > limit / uint64_t(d)) overflow = true;
    n *= uint64_t(d);
  }
  if (overflow && !empty) {
    throw std::invalid_argument("[array] An array of shape " + shape_string_of(shape) +
                                " has more elements than this platform can address.");
  }
  size = static_cast<size_t>(n);
  strides = row_strides(shape);
  live.fetch_add(1);
}

// A chain of 100,000 ops is a linked list of descriptors; destroying it recursively would
// overflow the stack, so inputs whose last owner is this descriptor are unlinked here and
// destroyed one by one.
array::ArrayDesc::~ArrayDesc() {
  live.fetch_sub(1);
  std::vector<std::shared_ptr<ArrayDesc>> pending;
  auto unlink = [&pending](std::vector<array>& ins) {
    // One at a time, so an input listed twice (add(x, x)) is unique at its last entry.
    for (auto& in : ins) {
      if (in.desc_ && in.desc_.use_count() == 1) {
        pending.push_back(std::move(in.desc_));
      } else {
        in.desc_.reset();
      }
    }
    ins.clear();
  };
  unlink(inputs);
  while (!pending.empty()) {
    std::shared_ptr<ArrayDesc> d = std::move(pending.back());
    pending.pop_back();
    unlink(d->inputs);
    // d is destroyed here with no inputs left, so its destructor does not recurse.
  }
}

array::array(Shape shape, Dtype dtype, std::shared_ptr<Primitive> primitive,
             std::vector<array> inputs)
    : desc_(std::make_shared<ArrayDesc>(std::move(shape), dtype)) {
  desc_->primitive = std::move(primitive);
  desc_->inputs = std::move(inputs);
  if (detail::in_tracing()) {
    for (auto& in : desc_->inputs) desc_->tracer = desc_->tracer || in.desc_->tracer;
  }
}

namespace detail {
namespace {
thread_local int tracing_depth = 0;
}
bool in_tracing() { return tracing_depth > 0; }
TracingScope::TracingScope() { ++tracing_depth; }
TracingScope::~TracingScope() { --tracing_depth; }
}  // namespace detail

bool array::is_tracer() const { return desc_->tracer && detail::in_tracing(); }

std::vector<array> array::make_arrays(std::vector<Shape> shapes, const std::vector<Dtype>& dtypes,
                                      const std::shared_ptr<Primitive>& primitive,
                                      const std::vector<array>& inputs) {
  std::vector<array> outs;
  for (size_t i = 0; i < shapes.size(); ++i) {
    outs.push_back(array(std::move(shapes[i]), dtypes[i], primitive, inputs));
  }
  std::vector<std::weak_ptr<ArrayDesc>> sibs;
  auto specs = std::make_shared<std::vector<std::pair<Shape, Dtype>>>();
  for (auto& o : outs) {
    sibs.push_back(o.desc_);
    specs->emplace_back(o.shape(), o.dtype());
  }
  for (size_t i = 0; i < outs.size(); ++i) {
    outs[i].desc_->siblings = sibs;
    outs[i].desc_->sibling_specs = specs;
    outs[i].desc_->position = static_cast<int>(i);
  }
  return outs;
}

std::vector<array> array::outputs() const {
  if (desc_->siblings.empty()) return {*this};
  std::vector<array> outs;
  for (size_t i = 0; i < desc_->siblings.size(); ++i) {
    auto d = desc_->siblings[i].lock();
    if (d) {
      outs.push_back(array(std::move(d)));
    } else {
      auto& [shape, dtype] = (*desc_->sibling_specs)[i];
      outs.push_back(array(shape, dtype, nullptr, {}));
    }
  }
  return outs;
}

array array::empty(Shape shape, Dtype dtype) {
  array a(std::make_shared<ArrayDesc>(std::move(shape), dtype));
  a.set_data(allocator::malloc(a.nbytes()));
  a.desc_->evaluated = true;
  return a;
}

array array::scalar(double value, Dtype dtype) {
  array src = empty({}, Dtype::float64);
  *src.data<double>() = value;
  return dtype == Dtype::float64 ? src : src.converted(dtype);
}

array array::converted(Dtype dtype) const {
  array out = empty(shape(), dtype);
  copy_general(*this, out);
  return out;
}

void array::throw_size_mismatch(size_t got, size_t want) {
  throw std::invalid_argument("[array] Got " + std::to_string(got) +
                              " values for a shape of " + std::to_string(want) + " elements.");
}

void array::set_data(void* allocated) {
  desc_->data = std::make_shared<Data>(allocated);
  desc_->data_ptr = allocated;
  desc_->data_size = desc_->size;
  desc_->strides = row_strides(desc_->shape);
  desc_->flags = Flags{};
}

void array::set_data(void* allocated, size_t data_size, Strides strides, Flags flags) {
  desc_->data = std::make_shared<Data>(allocated);
  desc_->data_ptr = allocated;
  desc_->data_size = data_size;
  desc_->strides = std::move(strides);
  desc_->flags = flags;
}

void array::copy_shared_buffer(const array& other, Strides strides, Flags flags,
                               size_t data_size, int64_t offset) {
  desc_->data = other.desc_->data;
  desc_->data_ptr = static_cast<char*>(other.desc_->data_ptr) + offset * int64_t(other.itemsize());
  desc_->data_size = data_size;
  desc_->strides = std::move(strides);
  desc_->flags = flags;
}

void array::copy_shared_buffer(const array& other) {
  copy_shared_buffer(other, other.strides(), other.flags(), other.data_size());
}

void array::move_shared_buffer(array& other) {
  copy_shared_buffer(other);
  other.desc_->data.reset();
  other.desc_->data_ptr = nullptr;
}

void array::detach() {
  desc_->primitive.reset();
  desc_->inputs.clear();
  desc_->siblings.clear();
  desc_->sibling_specs.reset();
  desc_->position = 0;
}

}  // namespace mlx
