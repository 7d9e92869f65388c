#pragma once
// Total cost of ownership of an accelerator fleet: capital (IT equipment and
// the facility that houses it) amortized straight-line over their lifetimes,
// facility energy, maintenance; owned versus rented per device-hour, and the
// cost of a million tokens. Every figure is one kind of money: a purchase
// (USD), a yearly rate (USD per second here, printed per year) or a price per
// unit of work.
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

struct tco_inputs {
  double devices = 1;                     // > 0
  units::usd capex{};                     // IT equipment bought: accelerators, hosts, network, >= 0
  units::seconds lifetime{};              // its amortization period, > 0
  units::usd facility_capex{};            // the building's share: critical IT power x cost per watt, >= 0
  units::seconds facility_lifetime{};     // its amortization period; > 0 when facility_capex > 0
  units::watts power{};                   // average draw per device, >= 0
  double pue = 1;                         // >= 1
  units::usd_per_joule electricity_price{};  // >= 0
  double maintenance = 0;                 // per year, as a fraction of capex, >= 0
  double utilization = 1;                 // share of hours doing useful work, in (0, 1]
  units::usd_per_second cloud_price{};    // rent per device-second; 0 when not compared
  units::token_rate throughput{};         // tokens/s per busy device; 0 when not given
};

struct tco_result {
  units::usd capex{};                     // purchase: IT equipment + facility
  units::usd capex_per_year{};            // amortized: each part over its own lifetime
  units::joules energy_per_year{};        // facility energy: devices x power x PUE x a year
  units::usd energy_cost_per_year{};
  units::usd maintenance_per_year{};
  units::usd opex_per_year{};             // energy + maintenance
  units::usd total_per_year{};            // amortized capex + opex
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

// Cost to build a data center per watt of critical IT load, USD/W: the
// average over 19 US markets, 11.7 M USD/MW (range 9.3 San Antonio to 15.0
// Reno), Cushman & Wakefield, Data Center Development Cost Guide 2025 (data
// through 2024-10). Construction only: excludes land, design and the
// owner-furnished equipment. The default of `tco` and the fleet solvers.
inline constexpr double facility_usd_per_watt = 11.7;

// Amortization period of that facility, years: an ESTIMATE. Shells and
// mechanical/electrical plant outlive servers several times over; 15 years is
// the low end of the 15-20+ years data center owners depreciate them over.
inline constexpr double facility_lifetime_years = 15;

tco_result tco(const tco_inputs& in);

}  // namespace ironlaw::stdlib
