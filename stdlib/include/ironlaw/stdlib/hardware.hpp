#pragma once
// An accelerator as the solvers see it: typed datasheet figures.
#include <array>
#include <optional>
#include <string>

#include "ironlaw/stdlib/precision.hpp"
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

struct accelerator {
  std::string name;
  std::array<units::flop_rate, precision_count> peak{};  // dense; zero where the format is absent
  units::bytes memory{};                                 // what the device holds
  units::byte_rate bandwidth{};                          // peak memory bandwidth
  units::watts tdp{};
  units::byte_rate scaleup_bandwidth{};  // per direction

  [[nodiscard]] units::flop_rate peak_at(precision p) const { return peak[static_cast<std::size_t>(p)]; }
};

// The peak a computation in `p` runs at. Formats without native math run at
// the nearest wider format the device has: int4 weights on a GPU without int4
// tensor cores are dequantized and multiplied at fp16/bf16 (weight-only
// quantization), so their compute peak is the 16-bit one, not an int4 one.
struct compute_peak {
  units::flop_rate rate{};
  precision used = precision::fp16;
};
std::optional<compute_peak> effective_peak(const accelerator& hw, precision p);

}  // namespace ironlaw::stdlib
