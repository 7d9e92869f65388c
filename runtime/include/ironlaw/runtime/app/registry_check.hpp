#pragma once
// The registry validator behind `ironlaw registry check`: every entry has its
// source and date, every field its unit and the dimension its kind expects,
// dense peaks sit below sparse ones, ridge points are plausible for the
// device class, transformer shapes reproduce the published parameter counts,
// and no name is defined twice. The rules are documented in docs/registry.md.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ironlaw/runtime/interp/registry.hpp"

namespace ironlaw::runtime {

struct registry_finding {
  std::string file;  // "hardware/nvidia.toml"; empty when unknown
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string message;  // starts with the entry ("H100_SXM.bandwidth: ...")
  bool error = true;    // false: a warning, which does not fail the check
};

// `hardware/nvidia.toml:23:1: error: H100_SXM.bandwidth: ...`
std::string to_string(const registry_finding& f);

// Every finding over the whole registry (its loading problems included),
// sorted by file and line.
std::vector<registry_finding> check_registry(const registry& reg);

// The plausible ridge point (dense 16-bit peak, else the highest dense peak,
// over memory bandwidth) of a hardware class, in FLOP per byte.
struct ridge_band {
  double low = 0;
  double high = 0;
};
std::optional<ridge_band> ridge_band_of(std::string_view hardware_class);

// Parameters derived from a transformer entry's shapes (stdlib's
// count_parameters). nullopt, with `why` set, when the entry is not a
// transformer or a shape field is missing or mistyped.
struct derived_parameters {
  double total = 0;
  double active = 0;  // per token (MoE: routed top-k plus shared experts)
};
std::optional<derived_parameters> derive_parameters(const record& model, const registry& reg, std::string& why);

// The largest relative gap allowed between derived and published counts.
inline constexpr double parameter_tolerance = 0.02;

}  // namespace ironlaw::runtime
