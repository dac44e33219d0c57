// array: a lazily computed n-d array. It shares a descriptor (shape, strides, dtype, data
// buffer and, until evaluated, the primitive and inputs that compute it) among copies.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dtype.h"

namespace mlx {

using Shape = std::vector<int32_t>;
using Strides = std::vector<int64_t>;  // in elements

class Primitive;

// A buffer from the allocator, freed when the last array using it goes away.
struct Data {
  void* ptr;
  explicit Data(void* p) : ptr(p) {}
  ~Data();
  Data(const Data&) = delete;
  Data& operator=(const Data&) = delete;
};

struct Flags {
  bool contiguous = true;      // the elements fill data_size slots with no gaps (any order)
  bool row_contiguous = true;  // C order, no broadcasting
  bool col_contiguous = true;  // Fortran order, no broadcasting
};

class array {
 public:
  array() = default;

  // An unevaluated array computed by `primitive` from `inputs`.
  array(Shape shape, Dtype dtype, std::shared_ptr<Primitive> primitive, std::vector<array> inputs);

  // Several outputs of one primitive (siblings of each other).
  static std::vector<array> make_arrays(std::vector<Shape> shapes, const std::vector<Dtype>& dtypes,
                                        const std::shared_ptr<Primitive>& primitive,
                                        const std::vector<array>& inputs);

  // An evaluated, row-contiguous array with a fresh (uninitialised) buffer.
  static array empty(Shape shape, Dtype dtype);
  // An evaluated 0-d array holding `value` converted to `dtype`.
  static array scalar(double value, Dtype dtype);
  // An evaluated array from host data of type T (converted to `dtype`).
  template <typename T>
  static array from_vector(const std::vector<T>& values, Shape shape, Dtype dtype) {
    array src = empty(std::move(shape), dtype_of<T>::value);
    if (values.size() != src.size()) throw_size_mismatch(values.size(), src.size());
    T* p = src.data<T>();
    for (size_t i = 0; i < values.size(); ++i) p[i] = values[i];
    return dtype == src.dtype() ? src : src.converted(dtype);
  }
  template <typename T>
  static array from_vector(const std::vector<T>& values, Shape shape) {
    return from_vector(values, std::move(shape), dtype_of<T>::value);
  }

  // An evaluated row-contiguous copy of this evaluated array converted to `dtype`.
  array converted(Dtype dtype) const;

  bool valid() const { return desc_ != nullptr; }
  const Shape& shape() const { return desc_->shape; }
  int32_t shape(int axis) const { return desc_->shape.at(axis < 0 ? axis + ndim() : axis); }
  int ndim() const { return static_cast<int>(desc_->shape.size()); }
  size_t size() const { return desc_->size; }
  Dtype dtype() const { return desc_->dtype; }
  size_t itemsize() const { return size_of(desc_->dtype); }
  size_t nbytes() const { return size() * itemsize(); }
  const Strides& strides() const { return desc_->strides; }
  int64_t strides(int axis) const { return desc_->strides.at(axis); }
  const Flags& flags() const { return desc_->flags; }
  // Elements reachable in the buffer from data(): equals size() unless broadcast.
  size_t data_size() const { return desc_->data_size; }

  bool is_evaluated() const { return desc_->evaluated; }
  bool has_primitive() const { return desc_->primitive != nullptr; }
  Primitive& primitive() const { return *desc_->primitive; }
  const std::shared_ptr<Primitive>& primitive_ptr() const { return desc_->primitive; }
  const std::vector<array>& inputs() const { return desc_->inputs; }
  std::vector<array>& inputs() { return desc_->inputs; }
  // All outputs of this array's primitive, in order (this array included). An output no
  // one holds any more comes back as a fresh placeholder of its shape and dtype.
  std::vector<array> outputs() const;
  int output_index() const { return desc_->position; }
  bool has_siblings() const { return desc_->siblings.size() > 1; }

  // A tracer is an array that a transform (vjp, jvp, vmap...) is following. While tracing,
  // eval computes tracers but keeps their graph, so item() inside grad works.
  bool is_tracer() const;
  void set_tracer(bool t) { desc_->tracer = t; }

  uintptr_t id() const { return reinterpret_cast<uintptr_t>(desc_.get()); }
  long use_count() const { return desc_.use_count(); }

  template <typename T>
  T* data() {
    return static_cast<T*>(desc_->data_ptr);
  }
  template <typename T>
  const T* data() const {
    return static_cast<const T*>(desc_->data_ptr);
  }
  void* raw_data() const { return desc_->data_ptr; }
  const std::shared_ptr<Data>& buffer() const { return desc_->data; }

  // ---- used by kernels while evaluating ----
  // Gives the array a fresh row-contiguous buffer.
  void set_data(void* allocated);
  // Gives the array a buffer with an explicit layout.
  void set_data(void* allocated, size_t data_size, Strides strides, Flags flags);
  // Makes the array a view of `other`'s buffer with its own layout (offset in elements).
  void copy_shared_buffer(const array& other, Strides strides, Flags flags, size_t data_size,
                          int64_t offset = 0);
  void copy_shared_buffer(const array& other);
  // Takes over `other`'s buffer (donation); `other` keeps a reference until released.
  void move_shared_buffer(array& other);
  // True when this array's buffer may be donated to the output of the op consuming it:
  // nothing but that op refers to the array or its buffer.
  bool is_donatable() const {
    return desc_.use_count() == 1 && desc_->data && desc_->data.use_count() == 1;
  }

  void set_evaluated() { desc_->evaluated = true; }
  // Drops the primitive, the inputs and the siblings: the graph behind this array is
  // released once it holds its value.
  void detach();

  static size_t live_count() { return ArrayDesc::live.load(); }

 private:
  struct ArrayDesc {
    Shape shape;
    Strides strides;
    size_t size = 1;
    Dtype dtype = Dtype::float32;
    std::shared_ptr<Primitive> primitive;
    std::vector<array> inputs;
    // Every output of the primitive, this one included, at its position.
    std::vector<std::weak_ptr<ArrayDesc>> siblings;
    std::shared_ptr<const std::vector<std::pair<Shape, Dtype>>> sibling_specs;
    int position = 0;

    std::shared_ptr<Data> data;
    void* data_ptr = nullptr;
    size_t data_size = 0;
    Flags flags;
    bool evaluated = false;
    bool tracer = false;

    static std::atomic<size_t> live;
    ArrayDesc(Shape shape, Dtype dtype);
    ~ArrayDesc();
  };

  [[noreturn]] static void throw_size_mismatch(size_t got, size_t want);
  explicit array(std::shared_ptr<ArrayDesc> desc) : desc_(std::move(desc)) {}
  std::shared_ptr<ArrayDesc> desc_;
};

namespace detail {
// Transforms in progress on this thread; arrays built from tracers are tracers meanwhile.
bool in_tracing();
struct TracingScope {
  TracingScope();
  ~TracingScope();
};
}  // namespace detail

// Row-major strides for a shape.
Strides row_strides(const Shape& shape);
// The layout facts of a (shape, strides) view: flags and the span of elements it covers.
Flags layout_flags(const Shape& shape, const Strides& strides, size_t data_size);
size_t shape_size(const Shape& shape);
std::string shape_string_of(const Shape& shape);

}  // namespace mlx
