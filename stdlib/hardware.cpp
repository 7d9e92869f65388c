#include "ironlaw/stdlib/hardware.hpp"

namespace ironlaw::stdlib {

std::optional<compute_peak> effective_peak(const accelerator& hw, precision p) {
  auto has = [&](precision q) { return hw.peak_at(q).value() > 0; };
  // int4 serving is weight-only quantization (W4A16, as AWQ and GPTQ kernels
  // run it): weights are dequantized and multiplied in 16-bit.
  precision wanted = p == precision::int4 ? precision::fp16 : p;
  if (has(wanted)) return compute_peak{hw.peak_at(wanted), wanted};
  for (precision q : {precision::fp16, precision::bf16, precision::fp32})
    if (has(q)) return compute_peak{hw.peak_at(q), q};
  return std::nullopt;
}

}  // namespace ironlaw::stdlib
