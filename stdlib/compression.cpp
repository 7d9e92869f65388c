#include "ironlaw/stdlib/compression.hpp"

namespace ironlaw::stdlib {

compress_result compress(const compress_request& req) {
  compress_result r;
  const double base_bytes = bytes_per_element(precision::fp16);
  r.baseline = req.params * base_bytes * units::byte;
  switch (req.method) {
    case compress_method::quantize: {
      // Stored with the format's group scales, as decode reads it (int4: 0.531 B).
      r.size = req.params * bytes_per_weight(req.bits) * units::byte;
      r.memory_bound_speedup = base_bytes / bytes_per_weight(req.bits);
      // Compute-bound steps gain only when the device multiplies in the narrower
      // format; weight-only formats (int4) run at the 16-bit peak.
      if (req.hw) {
        auto target = effective_peak(*req.hw, req.bits);
        auto base = effective_peak(*req.hw, precision::fp16);
        if (target && base) r.compute_bound_speedup = (target->rate / base->rate).value();
      }
      break;
    }
    case compress_method::prune:
      if (req.structured) {
        // Smaller dense matrices: fewer bytes and fewer FLOPs alike.
        r.size = (1 - req.sparsity) * r.baseline;
        r.memory_bound_speedup = r.compute_bound_speedup = 1 / (1 - req.sparsity);
      } else {
        // Stored compressed (values plus a 1-bit mask per weight), but dense GPU
        // kernels run the zeros: no speedup in either regime.
        r.size = req.params * ((1 - req.sparsity) * base_bytes + 1.0 / 8) * units::byte;
      }
      break;
    case compress_method::distill:
      r.size = req.student_params * base_bytes * units::byte;
      r.memory_bound_speedup = r.compute_bound_speedup = req.params / req.student_params;
      break;
  }
  r.ratio = (r.baseline / r.size).value();
  return r;
}

}  // namespace ironlaw::stdlib
