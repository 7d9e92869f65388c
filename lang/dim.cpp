#include "ironlaw/lang/dim.hpp"

#include <fmt/format.h>

#include <utility>
#include <vector>

namespace ironlaw::lang {

std::optional<base_dim> base_dim_from_name(std::string_view name) {
  for (std::size_t i = 0; i < base_dim_count; ++i)
    if (base_dim_names[i] == name) return static_cast<base_dim>(i);
  return std::nullopt;
}

bool is_throughput(const dim& d) {
  using b = base_dim;
  if (d.out_of_range() || d[b::time] != -1) return false;
  for (auto work : {b::data, b::compute, b::token, b::request, b::sample})
    if (d == dim::of(work) / dim::of(b::time)) return true;
  return false;
}

std::string base_unit_text(const dim& d) {
  if (d.out_of_range()) return "(a unit power beyond ^" + std::to_string(max_exponent) + ")";
  std::string num, den;
  auto append = [](std::string& s, std::string_view sym, int e) {
    if (!s.empty()) s += "*";
    s += sym;
    if (e > 1) s += "^" + std::to_string(e);
  };
  for (std::size_t i = 0; i < base_dim_count; ++i) {
    int e = d.exponents[i];
    if (e > 0) append(num, base_unit_symbols[i], e);
    if (e < 0) append(den, base_unit_symbols[i], -e);
  }
  if (num.empty() && den.empty()) return "";
  if (num.empty()) num = "1";
  return den.empty() ? num : num + "/" + den;
}

std::string describe(const dim& d) {
  if (d.out_of_range()) return "a unit with an exponent out of range";
  using b = base_dim;
  static const std::vector<std::pair<dim, std::string_view>> names = {
      {dim{}, "a plain number"},
      {dim::of(b::time), "time"},
      {dim::of(b::data), "data"},
      {dim::of(b::data) / dim::of(b::time), "bandwidth"},
      {dim::of(b::compute), "compute"},
      {dim::of(b::compute) / dim::of(b::time), "compute rate"},
      {dim::of(b::compute) / dim::of(b::data), "arithmetic intensity"},
      {dim::of(b::energy), "energy"},
      {dim::of(b::energy) / dim::of(b::time), "power"},
      {dim::of(b::money), "money"},
      {dim::of(b::money) / dim::of(b::time), "cost rate"},
      {dim::of(b::money) / dim::of(b::energy), "energy price"},
      {dim::of(b::mass), "mass"},
      {dim::of(b::mass) / dim::of(b::time), "emission rate"},
      {dim::of(b::mass) / dim::of(b::energy), "carbon intensity"},
      {dim::of(b::volume), "volume"},
      {dim::of(b::volume) / dim::of(b::energy), "water intensity"},
      {dim::of(b::token), "tokens"},
      {dim::of(b::token) / dim::of(b::time), "token rate"},
      {dim::of(b::request), "requests"},
      {dim::of(b::request) / dim::of(b::time), "request rate"},
      {dim::of(b::sample), "samples"},
      {dim::of(b::sample) / dim::of(b::time), "sample rate"},
  };
  for (const auto& [candidate, name] : names)
    if (candidate == d) return std::string(name);
  return base_unit_text(d);
}

std::string counted_conversion_help(const dim& from, const dim& to) {
  if (from.out_of_range() || to.out_of_range()) return {};
  dim rest = from / to;
  std::string_view unit;
  for (auto b : {base_dim::token, base_dim::request, base_dim::sample}) {
    if (rest[b] == 0) continue;
    unit = base_unit_symbols[static_cast<std::size_t>(b)];
    rest = rest / dim::of(b, rest[b]);
  }
  if (unit.empty() || !rest.dimensionless()) return {};
  return fmt::format("{} is a unit of its own: convert to `{}`, or divide by `1 {}` first", unit, base_unit_text(from),
                     unit);
}

}  // namespace ironlaw::lang
