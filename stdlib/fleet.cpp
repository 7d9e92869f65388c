#include "ironlaw/stdlib/fleet.hpp"

#include <cmath>

#include "ironlaw/stdlib/cost.hpp"
#include "ironlaw/stdlib/queueing.hpp"

namespace ironlaw::stdlib {

fleet_result size_serving_fleet(const fleet_request& req) {
  auto r = size_fleet_nodes(req);
  finish_fleet(req, mmc_waits(req.demand.value() / units::second, req.replica.e2e, fleet_slots(req, r)), r);
  return r;
}

double fleet_slots(const fleet_request& req, const fleet_result& r) { return r.replicas * req.batch; }

fleet_result size_fleet_nodes(const fleet_request& req) {
  fleet_result r;
  double per_replica = req.replica.requests.value();  // requests/s of one replica at its batch
  r.replicas_needed = std::ceil(req.demand.value() / (req.target_utilization * per_replica));
  // A replica of tp devices fits floor(devices_per_node / tp) times in a node;
  // a wider one spans ceil(tp / devices_per_node) whole nodes.
  double nodes_per_replica = req.tp > req.devices_per_node ? std::ceil(req.tp / req.devices_per_node) : 1;
  r.replicas_per_node = req.tp > req.devices_per_node ? 1 / nodes_per_replica : std::floor(req.devices_per_node / req.tp);
  double after_loss = 0;
  if (req.fixed_devices > 0) {
    // A declared pool: its devices fill nodes in order; a replica needs tp of them.
    r.devices = req.fixed_devices;
    r.nodes = std::ceil(r.devices / req.devices_per_node - 1e-9);
    r.replicas = std::floor(r.devices / req.tp + 1e-9);
    double lost = std::max(req.devices_per_node, nodes_per_replica * req.devices_per_node);
    after_loss = std::floor(std::max(0.0, r.devices - lost) / req.tp + 1e-9);
  } else {
    double serving_nodes = std::ceil(r.replicas_needed / r.replicas_per_node);
    if (nodes_per_replica > 1) serving_nodes = r.replicas_needed * nodes_per_replica;
    r.nodes = serving_nodes + req.spare_nodes * nodes_per_replica;
    r.replicas = std::floor(r.nodes * r.replicas_per_node + 1e-9);
    r.devices = r.nodes * req.devices_per_node;
    after_loss = std::floor((r.nodes - nodes_per_replica) * r.replicas_per_node + 1e-9);
  }
  r.capacity = r.replicas * per_replica * units::request / units::second;
  r.rate_after_node_loss = std::max(0.0, after_loss) * per_replica * units::request / units::second;
  r.utilization = req.demand.value() / r.capacity.value();
  return r;
}

void finish_fleet(const fleet_request& req, const mmc_result& q, fleet_result& r) {
  // Requests wait for one of replicas x batch slots; a slot is held for the
  // request's end-to-end latency (Little: slots / e2e = capacity).
  r.queue_wait = q.mean_wait;
  r.queue_wait_p99 = q.p99_wait;
  r.ttft = req.replica.ttft + q.mean_wait;
  r.ttft_p99 = req.replica.ttft + q.p99_wait;

  r.power = r.devices * req.power_per_device;
  tco_inputs cost;
  cost.devices = r.devices;
  cost.capex = r.devices * req.price_per_device;
  cost.lifetime = req.lifetime;
  cost.power = req.power_per_device;
  cost.pue = req.pue;
  cost.electricity_price = req.electricity_price;
  cost.maintenance = req.maintenance;
  cost.facility_capex = r.devices * req.facility_per_device;
  cost.facility_lifetime = req.facility_lifetime;
  auto t = tco(cost);
  r.capex = t.capex;
  r.energy_per_year = t.energy_per_year;
  const units::seconds year = seconds_per_year * units::second;
  r.capex_per_year = t.capex_per_year / year;
  r.energy_cost_per_year = t.energy_cost_per_year / year;
  r.opex_per_year = t.opex_per_year / year;
  r.cost_per_year = t.total_per_year / year;
  r.carbon_per_year = t.energy_per_year * req.carbon_intensity / year;
  // Output tokens served per year at the demanded rate.
  double tokens_per_year = req.demand.value() * (req.replica.throughput.value() / req.replica.requests.value()) * seconds_per_year;
  r.cost_per_million_tokens = tokens_per_year > 0 ? t.total_per_year * (1e6 / tokens_per_year) : units::usd{};
}

}  // namespace ironlaw::stdlib
