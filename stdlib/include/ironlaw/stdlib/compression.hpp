#pragma once
// Model compression: quantization, pruning and distillation. Size against the
// 16-bit baseline the weights are served in (never fp32), and the speedup in
// each roofline regime: memory-bound steps gain the byte ratio, compute-bound
// steps only what the hardware's faster math or fewer dense FLOPs give.
#include "ironlaw/stdlib/hardware.hpp"
#include "ironlaw/stdlib/precision.hpp"
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

enum class compress_method { quantize, prune, distill };

struct compress_request {
  compress_method method = compress_method::quantize;
  double params = 0;                   // the model's parameters, > 0
  precision bits = precision::int4;    // quantize: the target format
  double sparsity = 0;                 // prune: share of weights removed, in [0, 1)
  bool structured = false;             // prune: whole rows, heads or channels (dense kernels shrink)
  double student_params = 0;           // distill: the student's parameters, > 0
  const accelerator* hw = nullptr;     // for the compute-bound speedup; null: not known
};

struct compress_result {
  units::bytes baseline{};  // params x 2 B (fp16)
  units::bytes size{};
  double ratio = 1;                   // baseline / size
  double memory_bound_speedup = 1;    // bytes ratio a memory-bound step gains
  double compute_bound_speedup = 1;   // FLOP/s or FLOP ratio a compute-bound step gains
};

// Preconditions: as documented per field.
compress_result compress(const compress_request& req);

}  // namespace ironlaw::stdlib
