#pragma once
// A run-time dimension: integer exponents over the language's base dimensions.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ironlaw::runtime {

enum class base_dim : std::uint8_t { time, data, compute, energy, money, mass, volume, token, request, sample };
inline constexpr std::size_t base_dim_count = 10;
inline constexpr std::array<std::string_view, base_dim_count> base_dim_names = {
    "time", "data", "compute", "energy", "money", "mass", "volume", "token", "request", "sample"};
// The coherent unit each base dimension is stored in.
inline constexpr std::array<std::string_view, base_dim_count> base_unit_symbols = {
    "s", "B", "FLOP", "J", "USD", "kg", "L", "token", "req", "sample"};

std::optional<base_dim> base_dim_from_name(std::string_view name);

struct dim {
  std::array<std::int8_t, base_dim_count> exponents{};

  static dim of(base_dim b, int exponent = 1) {
    dim d;
    d.exponents[static_cast<std::size_t>(b)] = static_cast<std::int8_t>(exponent);
    return d;
  }
  [[nodiscard]] bool dimensionless() const {
    for (auto e : exponents)
      if (e != 0) return false;
    return true;
  }
  [[nodiscard]] int operator[](base_dim b) const { return exponents[static_cast<std::size_t>(b)]; }
  friend bool operator==(const dim&, const dim&) = default;
  friend dim operator*(dim a, const dim& b) {
    for (std::size_t i = 0; i < base_dim_count; ++i) a.exponents[i] = static_cast<std::int8_t>(a.exponents[i] + b.exponents[i]);
    return a;
  }
  friend dim operator/(dim a, const dim& b) {
    for (std::size_t i = 0; i < base_dim_count; ++i) a.exponents[i] = static_cast<std::int8_t>(a.exponents[i] - b.exponents[i]);
    return a;
  }
  [[nodiscard]] dim pow(int n) const {
    dim d = *this;
    for (auto& e : d.exponents) e = static_cast<std::int8_t>(e * n);
    return d;
  }
};

// The dimension in base units: "B/s", "FLOP", "B/token", "" when dimensionless.
std::string base_unit_text(const dim& d);
// What a person calls it: "bandwidth", "compute rate", "data", "a plain number";
// falls back to the base-unit text.
std::string describe(const dim& d);

}  // namespace ironlaw::runtime
