// Host closures: functions owned by the host (JavaScript) that the core can call with
// arrays. The host names each function with an id; the core tells the host when the last
// reference to it is gone.
#pragma once

#include <cstdint>
#include <vector>

#include "array.h"

namespace mlx {

class Closure {
 public:
  explicit Closure(uint32_t host_id) : id_(host_id) {}
  ~Closure();
  Closure(const Closure&) = delete;
  Closure& operator=(const Closure&) = delete;

  // Runs the host function. A failure in the host becomes a std::runtime_error
  // ("[closure] ..."); the host keeps its own error object to rethrow.
  std::vector<array> operator()(const std::vector<array>& inputs) const;
  uint32_t id() const { return id_; }

 private:
  uint32_t id_;
};

}  // namespace mlx
