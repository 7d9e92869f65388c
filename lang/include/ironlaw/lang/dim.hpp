#pragma once
// A dimension: integer exponents over the language's base dimensions. The
// checker types expressions with it, the runtime tags every quantity with it.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ironlaw::lang {

enum class base_dim : std::uint8_t { time, data, compute, energy, money, mass, volume, token, request, sample };
inline constexpr std::size_t base_dim_count = 10;
inline constexpr std::array<std::string_view, base_dim_count> base_dim_names = {
    "time", "data", "compute", "energy", "money", "mass", "volume", "token", "request", "sample"};
// The coherent unit each base dimension is stored in.
inline constexpr std::array<std::string_view, base_dim_count> base_unit_symbols = {
    "s", "B", "FLOP", "J", "USD", "kg", "L", "token", "req", "sample"};

std::optional<base_dim> base_dim_from_name(std::string_view name);

// Each exponent lies in [-max_exponent, max_exponent]. An operation whose
// result would leave that range never wraps: it yields the out-of-range
// dimension (every exponent -128), which every later operation keeps and
// out_of_range() reports (the evaluator's E0218). See docs/units.md.
inline constexpr int max_exponent = 127;

struct dim {
  std::array<std::int8_t, base_dim_count> exponents{};

  static dim of(base_dim b, int exponent = 1) {
    dim d;
    d.set(static_cast<std::size_t>(b), exponent);
    return d;
  }
  static dim overflowed() {
    dim d;
    d.exponents.fill(static_cast<std::int8_t>(-max_exponent - 1));
    return d;
  }
  [[nodiscard]] bool out_of_range() const { return exponents[0] == -max_exponent - 1; }
  [[nodiscard]] bool dimensionless() const {
    for (auto e : exponents)
      if (e != 0) return false;
    return true;
  }
  [[nodiscard]] int operator[](base_dim b) const { return exponents[static_cast<std::size_t>(b)]; }
  friend bool operator==(const dim&, const dim&) = default;
  friend dim operator*(dim a, const dim& b) {
    if (a.out_of_range() || b.out_of_range()) return overflowed();
    for (std::size_t i = 0; i < base_dim_count; ++i)
      if (!a.set(i, a.exponents[i] + b.exponents[i])) return overflowed();
    return a;
  }
  friend dim operator/(dim a, const dim& b) {
    if (a.out_of_range() || b.out_of_range()) return overflowed();
    for (std::size_t i = 0; i < base_dim_count; ++i)
      if (!a.set(i, a.exponents[i] - b.exponents[i])) return overflowed();
    return a;
  }
  [[nodiscard]] dim pow(long long n) const {
    if (out_of_range()) return overflowed();
    dim d = *this;
    for (std::size_t i = 0; i < base_dim_count; ++i) {
      long long e = exponents[i];
      if (e != 0 && (n > max_exponent || n < -max_exponent)) return overflowed();
      if (!d.set(i, e * n)) return overflowed();
    }
    return d;
  }

 private:
  // False (and nothing stored) when `e` is out of range.
  bool set(std::size_t i, long long e) {
    if (e > max_exponent || e < -max_exponent) {
      *this = overflowed();
      return false;
    }
    exponents[i] = static_cast<std::int8_t>(e);
    return true;
  }
};

// A rate of work per unit of time: bandwidth (B/s), compute rate (FLOP/s) and
// token, request and sample rates. A solver divides by these, so 0 is never valid.
bool is_throughput(const dim& d);

// The dimension in base units: "B/s", "FLOP", "B/token", "" when dimensionless.
std::string base_unit_text(const dim& d);
// What a person calls it: "bandwidth", "compute rate", "data", "a plain number";
// falls back to the base-unit text.
std::string describe(const dim& d);

// The help for converting `from` to `to` when they differ only in counted
// things (tokens, requests, samples are units of their own, so
// `10 req/min in 1/s` is refused); empty otherwise.
std::string counted_conversion_help(const dim& from, const dim& to);

}  // namespace ironlaw::lang
