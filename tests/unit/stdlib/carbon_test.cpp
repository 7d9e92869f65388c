#include <catch2/catch.hpp>

#include "ironlaw/stdlib/carbon.hpp"
#include "ironlaw/stdlib/cost.hpp"

using namespace ironlaw::stdlib;
namespace u = ironlaw::stdlib::units;

namespace {
constexpr double kwh = 3.6e6;            // J
constexpr double g_per_kwh = 1e-3 / kwh;  // kg/J
constexpr double year = 365 * 86400.0;   // s
}  // namespace

TEST_CASE("carbon: 500 MWh on a 390 g/kWh grid at PUE 1 is 195 t (A9)") {
  carbon_inputs in;
  in.energy = 500e3 * kwh * u::joule;
  in.pue = 1;
  in.intensity = u::kg_per_joule::from_value(390 * g_per_kwh);
  in.lifetime = 5 * year * u::second;
  auto r = carbon(in);
  CHECK(r.operational.value() == Approx(195e3));  // 5e5 kWh x 390 g = 1.95e8 g
  CHECK(r.total.value() == Approx(195e3));
  in.intensity = u::kg_per_joule::from_value(1.2 * g_per_kwh);  // Quebec in A9
  CHECK(carbon(in).operational.value() == Approx(600));
}

TEST_CASE("carbon: PUE scales operational carbon, not site water") {
  carbon_inputs in;
  in.energy = 500e3 * kwh * u::joule;
  in.pue = 1.2;
  in.intensity = u::kg_per_joule::from_value(390 * g_per_kwh);
  in.wue = u::m3_per_joule::from_value(0.15e-3 / kwh);  // 0.15 L/kWh
  in.lifetime = 5 * year * u::second;
  auto r = carbon(in);
  CHECK(r.facility_energy.value() == Approx(600e3 * kwh));
  CHECK(r.operational.value() == Approx(234e3));  // 600 MWh x 390 g/kWh
  CHECK(r.water.value() == Approx(75));           // 5e5 kWh x 0.15 L = 75,000 L = 75 m^3
}

TEST_CASE("carbon: embodied carbon is charged by the run's share of the hardware's life") {
  carbon_inputs in;
  in.devices = 8;
  in.embodied_per_device = 318 * u::kilogram;
  in.duration = 1 * year * u::second;
  in.lifetime = 5 * year * u::second;
  auto r = carbon(in);
  CHECK(r.embodied.value() == Approx(2544));       // 8 x 318 kg
  CHECK(r.embodied_share.value() == Approx(508.8));  // 2544 / 5
  CHECK(r.embodied_fraction == Approx(1));         // no energy: all embodied
}

TEST_CASE("tco: amortized capex, energy at PUE and price, maintenance, per device-hour and per token") {
  tco_inputs in;
  in.devices = 8;
  in.capex = 240000 * u::dollar;  // 8 x 30,000 USD
  in.lifetime = 5 * year * u::second;
  in.power = 700 * u::watt;
  in.pue = 1.2;
  in.electricity_price = u::usd_per_joule::from_value(0.10 / kwh);
  in.maintenance = 0.05;
  in.utilization = 0.5;
  in.cloud_price = u::usd_per_second::from_value(2.0 / 3600);
  in.throughput = u::token_rate::from_value(1000);
  auto r = tco(in);
  CHECK(r.capex_per_year.value() == Approx(48000));
  // 8 x 0.7 kW x 1.2 x 8760 h = 58,867.2 kWh; at 0.10 USD/kWh = 5,886.72 USD
  CHECK(r.energy_per_year.value() == Approx(58867.2 * kwh));
  CHECK(r.energy_cost_per_year.value() == Approx(5886.72));
  CHECK(r.maintenance_per_year.value() == Approx(12000));
  CHECK(r.opex_per_year.value() == Approx(17886.72));
  CHECK(r.capex.value() == Approx(240000));
  CHECK(r.total_per_year.value() == Approx(65886.72));
  CHECK(r.total_lifetime.value() == Approx(329433.6));
  // 65,886.72 / (8 x 8760 h) = 0.940165 USD per device-hour; at 50 % busy, 1.88033
  CHECK(r.owned_per_device.value() * 3600 == Approx(0.940165).epsilon(1e-5));
  CHECK(r.owned_per_busy_device.value() * 3600 == Approx(1.88033).epsilon(1e-5));
  CHECK(r.breakeven_utilization == Approx(0.470082).epsilon(1e-5));
  CHECK(r.cloud_per_year.value() == Approx(2.0 * 8 * 8760 * 0.5));
  // 1.88033 USD per busy hour / 3.6e6 tokens per hour x 1e6 = 0.522314 USD
  CHECK(r.per_million_tokens.value() == Approx(0.522314).epsilon(1e-5));
  CHECK(r.cloud_per_million_tokens.value() == Approx(2.0 / 3.6).epsilon(1e-6));
}

TEST_CASE("tco: facility capex is bought with the IT equipment and amortized over its own lifetime") {
  tco_inputs in;
  in.devices = 8;
  in.capex = 240000 * u::dollar;
  in.lifetime = 5 * year * u::second;
  in.facility_capex = 150000 * u::dollar;
  in.facility_lifetime = 15 * year * u::second;
  auto r = tco(in);
  CHECK(r.capex.value() == Approx(390000));
  CHECK(r.capex_per_year.value() == Approx(48000 + 10000));
  CHECK(r.total_per_year.value() == Approx(58000));  // no energy price, no maintenance
  CHECK(r.maintenance_per_year.value() == 0);
}

TEST_CASE("tco: without a cloud price or throughput those fields are zero") {
  tco_inputs in;
  in.capex = 1000 * u::dollar;
  in.lifetime = 1 * year * u::second;
  auto r = tco(in);
  CHECK(r.total_per_year.value() == Approx(1000));
  CHECK(r.breakeven_utilization == 0);
  CHECK(r.per_million_tokens.value() == 0);
}
