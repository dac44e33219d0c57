// C ABI registrations of the linalg family's matrix-level gathers and masks: gather_mm,
// segmented_mm, block_masked_mm (ops/gather_mm.h).
#include <optional>
#include <stdexcept>
#include <string>

#include "ops/gather_mm.h"
#include "op_registry.h"

namespace mlx::capi {
namespace {

// The optional arrays after the two operands: present, in order, when their flag is set.
std::optional<array> optional_input(const Arrays& in, size_t& next, bool present, const char* op) {
  if (!present) return std::nullopt;
  if (next >= in.size()) throw std::invalid_argument(std::string("[") + op + "] Missing an input array.");
  return in[next++];
}

void check_used(const Arrays& in, size_t next, const char* op) {
  if (next != in.size()) throw std::invalid_argument(std::string("[") + op + "] Too many input arrays.");
}

const OpList gather_mm_ops{
    // gather_mm: inputs a, b [, lhs_indices] [, rhs_indices]
    {"gather_mm", -1, "has_lhs_indices:bool has_rhs_indices:bool sorted_indices:bool",
     [](const Arrays& in, Params& p) -> Arrays {
       size_t next = 2;
       if (in.size() < 2) throw std::invalid_argument("[gather_mm] Expected the arrays a and b.");
       auto lhs = optional_input(in, next, p.flag("has_lhs_indices"), "gather_mm");
       auto rhs = optional_input(in, next, p.flag("has_rhs_indices"), "gather_mm");
       check_used(in, next, "gather_mm");
       return {gather_mm(in[0], in[1], lhs, rhs, p.flag("sorted_indices"))};
     }},
    // segmented_mm: inputs a, b, segments
    {"segmented_mm", 3, "", [](const Arrays& in, Params&) -> Arrays { return {segmented_mm(in[0], in[1], in[2])}; }},
    // block_masked_mm: inputs a, b [, mask_out] [, mask_lhs] [, mask_rhs]
    {"block_masked_mm", -1, "block_size:int has_mask_out:bool has_mask_lhs:bool has_mask_rhs:bool",
     [](const Arrays& in, Params& p) -> Arrays {
       size_t next = 2;
       if (in.size() < 2) throw std::invalid_argument("[block_masked_mm] Expected the arrays a and b.");
       int bs = p.int_("block_size");
       auto out = optional_input(in, next, p.flag("has_mask_out"), "block_masked_mm");
       auto lhs = optional_input(in, next, p.flag("has_mask_lhs"), "block_masked_mm");
       auto rhs = optional_input(in, next, p.flag("has_mask_rhs"), "block_masked_mm");
       check_used(in, next, "block_masked_mm");
       return {block_masked_mm(in[0], in[1], bs, out, lhs, rhs)};
     }},
};

}  // namespace
}  // namespace mlx::capi
