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

constexpr std::string_view name_of(precision p) { return precision_names[static_cast<std::size_t>(p)]; }

constexpr std::optional<precision> precision_from_name(std::string_view name) {
  for (std::size_t i = 0; i < precision_count; ++i)
    if (precision_names[i] == name) return static_cast<precision>(i);
  return std::nullopt;
}

}  // namespace ironlaw::stdlib
