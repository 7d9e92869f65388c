#pragma once
// Total cost of ownership of an accelerator fleet: capital amortized
// straight-line over a lifetime, facility energy, maintenance; owned versus
// rented per device-hour, and the cost of a million tokens.
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

struct tco_inputs {
  double devices = 1;                     // > 0
  units::usd capex{};                     // purchase cost of the whole fleet, >= 0
  units::seconds lifetime{};              // amortization period, > 0
  units::watts power{};                   // average draw per device, >= 0
  double pue = 1;                         // >= 1
  units::usd_per_joule electricity_price{};  // >= 0
  double maintenance = 0;                 // per year, as a fraction of capex, >= 0
  double utilization = 1;                 // share of hours doing useful work, in (0, 1]
  units::usd_per_second cloud_price{};    // rent per device-second; 0 when not compared
  units::token_rate throughput{};         // tokens/s per busy device; 0 when not given
};

struct tco_result {
  units::usd capex_per_year{};
  units::joules energy_per_year{};        // facility energy: devices x power x PUE x a year
  units::usd energy_cost_per_year{};
  units::usd maintenance_per_year{};
  units::usd total_per_year{};
  units::usd total_lifetime{};
  units::usd_per_second owned_per_device{};       // total / (devices x a year), per device-second
  units::usd_per_second owned_per_busy_device{};  // the same per useful device-second
  units::usd cloud_per_year{};            // renting the same useful hours
  double breakeven_utilization = 0;       // owning is cheaper above it (0 without a cloud price)
  units::usd per_million_tokens{};        // owned; 0 without a throughput
  units::usd cloud_per_million_tokens{};  // rented; 0 without both
};

// A year is 365 days (8,760 hours), the accounting convention.
inline constexpr double seconds_per_year = 365.0 * 86400.0;

tco_result tco(const tco_inputs& in);

}  // namespace ironlaw::stdlib
