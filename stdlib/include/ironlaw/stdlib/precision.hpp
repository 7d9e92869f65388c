#pragma once
// Numeric formats: storage size and which peak a computation in them runs at.
#include <array>
#include <optional>
#include <string_view>

namespace ironlaw::stdlib {

enum class precision { fp64, fp32, tf32, bf16, fp16, fp8, int8, fp6, fp4, int4 };
inline constexpr std::size_t precision_count = 10;

inline constexpr std::array<std::string_view, precision_count> precision_names = {
    "fp64", "fp32", "tf32", "bf16", "fp16", "fp8", "int8", "fp6", "fp4", "int4"};

// Bytes one element occupies in memory. tf32 is stored as fp32.
constexpr double bytes_per_element(precision p) {
  switch (p) {
    case precision::fp64: return 8;
    case precision::fp32:
    case precision::tf32: return 4;
    case precision::bf16:
    case precision::fp16: return 2;
    case precision::fp8:
    case precision::int8: return 1;
    case precision::fp6: return 0.75;
    case precision::fp4:
    case precision::int4: return 0.5;
  }
  return 2;
}

// The group of weights one quantization scale covers when none is given:
// int4 128 (the AWQ and GPTQ default), fp4 16 (NVFP4's block); 0 for formats
// stored without per-group metadata.
constexpr double default_group_size(precision p) {
  return p == precision::int4 ? 128 : p == precision::fp4 ? 16 : 0;
}

// Bytes one stored weight occupies with its quantization metadata, over a
// group of `group` weights (0: the format's default): weight-only int4 keeps an
// fp16 scale and an fp16 zero point per group (AWQ, GPTQ; gpt-fast's
// scales_and_zeros), so 0.5 + 4 / group (group 32: 0.625 B); fp4 one fp8 scale
// per block (NVFP4), 0.5 + 1 / group. int8's per-channel scales (one per
// output row of thousands of weights) and the other formats add nothing here.
constexpr double bytes_per_weight(precision p, double group = 0) {
  if (group <= 0) group = default_group_size(p);
  if (p == precision::int4 && group > 0) return 0.5 + 4 / group;
  if (p == precision::fp4 && group > 0) return 0.5 + 1 / group;
  return bytes_per_element(p);
}

constexpr std::string_view name_of(precision p) { return precision_names[static_cast<std::size_t>(p)]; }

constexpr std::optional<precision> precision_from_name(std::string_view name) {
  for (std::size_t i = 0; i < precision_count; ++i)
    if (precision_names[i] == name) return static_cast<precision>(i);
  return std::nullopt;
}

}  // namespace ironlaw::stdlib
