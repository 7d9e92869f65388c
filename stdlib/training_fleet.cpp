#include "ironlaw/stdlib/training_fleet.hpp"

#include <cmath>

namespace ironlaw::stdlib {

training_fleet_result training_fleet(const training_fleet_request& req) {
  training_fleet_result r;
  r.nodes = std::ceil(req.gpus / req.gpus_per_node);

  // Any GPU's interruption stops the synchronous job: n = gpus components.
  reliability_request rel{req.gpus, req.mtbf_per_gpu, req.work, req.checkpoint_write, req.restart, {}};
  r.failures = reliability(rel);
  const units::seconds wall = r.failures.wall_time;
  r.gpu_time = req.gpus * wall;
  r.energy = req.gpus * req.power_per_gpu * wall;

  carbon_inputs c;
  c.energy = r.energy;
  c.pue = req.pue;
  c.intensity = req.carbon_intensity;
  c.wue = req.wue;
  c.devices = req.gpus;
  c.embodied_per_device = req.embodied_per_gpu;
  c.duration = wall;
  c.lifetime = req.lifetime;
  r.carbon = carbon(c);

  // Owning: the fleet's yearly total cost of ownership for the share of a
  // year the job holds it (it draws power only while the job runs).
  tco_inputs t;
  t.devices = req.gpus;
  t.capex = req.gpus * req.price_per_gpu;
  t.lifetime = req.lifetime;
  t.power = req.power_per_gpu;
  t.pue = req.pue;
  t.electricity_price = req.electricity_price;
  t.maintenance = req.maintenance;
  t.facility_capex = req.gpus * req.facility_per_gpu;
  t.facility_lifetime = req.facility_lifetime;
  auto owned = tco(t);
  const double share = wall.value() / seconds_per_year;
  r.capex = owned.capex;
  r.capex_share = owned.capex_per_year * share;
  r.energy_cost = owned.energy_cost_per_year * share;
  r.maintenance_cost = owned.maintenance_per_year * share;
  r.owned_cost = owned.total_per_year * share;
  r.cloud_cost = r.gpu_time * req.cloud_price;
  return r;
}

}  // namespace ironlaw::stdlib
