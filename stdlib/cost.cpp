#include "ironlaw/stdlib/cost.hpp"

namespace ironlaw::stdlib {

tco_result tco(const tco_inputs& in) {
  namespace u = units;
  const u::seconds year = seconds_per_year * u::second;
  tco_result r;
  r.capex = in.capex + in.facility_capex;
  r.capex_per_year = in.capex * (year / in.lifetime).value();
  if (in.facility_capex.value() > 0) r.capex_per_year += in.facility_capex * (year / in.facility_lifetime).value();
  r.energy_per_year = in.devices * in.power * in.pue * year;
  r.energy_cost_per_year = r.energy_per_year * in.electricity_price;
  r.maintenance_per_year = in.capex * in.maintenance;
  r.opex_per_year = r.energy_cost_per_year + r.maintenance_per_year;
  r.total_per_year = r.capex_per_year + r.opex_per_year;
  r.total_lifetime = r.total_per_year * (in.lifetime / year).value();
  r.owned_per_device = r.total_per_year / (in.devices * year);
  r.owned_per_busy_device = r.owned_per_device / in.utilization;
  r.cloud_per_year = in.cloud_price * in.devices * year * in.utilization;
  if (in.cloud_price.value() > 0) r.breakeven_utilization = (r.owned_per_device / in.cloud_price).value();
  if (in.throughput.value() > 0) {
    const u::tokens million = 1e6 * u::token;
    r.per_million_tokens = r.owned_per_busy_device * (million / in.throughput);
    r.cloud_per_million_tokens = in.cloud_price * (million / in.throughput);
  }
  return r;
}

}  // namespace ironlaw::stdlib
