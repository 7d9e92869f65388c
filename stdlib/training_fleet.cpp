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
  auto owned = tco(t);
  r.owned_cost = owned.total_per_year * (wall.value() / seconds_per_year);
  r.cloud_cost = r.gpu_time * req.cloud_price;
  r.cost = req.cloud_price.value() > 0 ? r.cloud_cost : r.owned_cost;
  return r;
}

}  // namespace ironlaw::stdlib
