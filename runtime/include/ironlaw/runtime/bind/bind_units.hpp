#pragma once
// The binding boundary: run-time quantities <-> the stdlib's Boost.Units
// types. Included only by the files that bind solvers (it pulls in Boost.Units).
#include <optional>

#include "ironlaw/runtime/interp/quantity.hpp"
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::runtime {

template <typename Q> struct runtime_dim_of;  // specialized for each typed quantity below

#define IRONLAW_BIND_DIM(TYPE, ...)                                         \
  template <> struct runtime_dim_of<stdlib::units::TYPE> {                  \
    static dim value() { using b = base_dim; return __VA_ARGS__; } \
    static constexpr double scale = 1;                                      \
  }

IRONLAW_BIND_DIM(seconds, dim::of(b::time));
IRONLAW_BIND_DIM(bytes, dim::of(b::data));
IRONLAW_BIND_DIM(flops, dim::of(b::compute));
IRONLAW_BIND_DIM(joules, dim::of(b::energy));
IRONLAW_BIND_DIM(watts, dim::of(b::energy) / dim::of(b::time));
IRONLAW_BIND_DIM(usd, dim::of(b::money));
IRONLAW_BIND_DIM(kilograms, dim::of(b::mass));
IRONLAW_BIND_DIM(tokens, dim::of(b::token));
IRONLAW_BIND_DIM(requests, dim::of(b::request));
IRONLAW_BIND_DIM(samples, dim::of(b::sample));
IRONLAW_BIND_DIM(flop_rate, dim::of(b::compute) / dim::of(b::time));
IRONLAW_BIND_DIM(byte_rate, dim::of(b::data) / dim::of(b::time));
IRONLAW_BIND_DIM(token_rate, dim::of(b::token) / dim::of(b::time));
IRONLAW_BIND_DIM(request_rate, dim::of(b::request) / dim::of(b::time));
IRONLAW_BIND_DIM(sample_rate, dim::of(b::sample) / dim::of(b::time));
IRONLAW_BIND_DIM(intensity, dim::of(b::compute) / dim::of(b::data));
IRONLAW_BIND_DIM(bytes_per_token, dim::of(b::data) / dim::of(b::token));
IRONLAW_BIND_DIM(usd_per_second, dim::of(b::money) / dim::of(b::time));
IRONLAW_BIND_DIM(usd_per_joule, dim::of(b::money) / dim::of(b::energy));
IRONLAW_BIND_DIM(usd_per_watt, dim::of(b::money) / (dim::of(b::energy) / dim::of(b::time)));
IRONLAW_BIND_DIM(kg_per_joule, dim::of(b::mass) / dim::of(b::energy));
IRONLAW_BIND_DIM(kg_per_second, dim::of(b::mass) / dim::of(b::time));
#undef IRONLAW_BIND_DIM

// Volume is litres in the language and cubic metres in the stdlib.
template <> struct runtime_dim_of<stdlib::units::cubic_meters> {
  static dim value() { return dim::of(base_dim::volume); }
  static constexpr double scale = 1000;  // litres per cubic metre
};
template <> struct runtime_dim_of<stdlib::units::m3_per_joule> {
  static dim value() { return dim::of(base_dim::volume) / dim::of(base_dim::energy); }
  static constexpr double scale = 1000;
};

template <typename Q>
quantity to_runtime(const Q& q) {
  return quantity{q.value() * runtime_dim_of<Q>::scale, runtime_dim_of<Q>::value()};
}

// The SI number alone (to_runtime(q).si without building the dimension): the typed search path.
template <typename Q>
double to_si(const Q& q) {
  return q.value() * runtime_dim_of<Q>::scale;
}

// nullopt when the dimension is not the one Q needs.
template <typename Q>
std::optional<Q> from_runtime(const quantity& q) {
  if (q.d != runtime_dim_of<Q>::value()) return std::nullopt;
  return Q::from_value(q.si / runtime_dim_of<Q>::scale);
}

}  // namespace ironlaw::runtime
