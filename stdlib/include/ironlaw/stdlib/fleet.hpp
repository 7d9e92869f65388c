#pragma once
// Sizing a serving fleet: how many replicas of one serving configuration a
// request rate needs, packed into whole nodes, with queueing, power, cost and
// carbon per year, and the capacity left after losing a node.
#include "ironlaw/stdlib/queueing.hpp"
#include "ironlaw/stdlib/serving.hpp"
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

struct fleet_request {
  units::request_rate demand{};         // the workload's arrival rate, > 0
  serve_result replica;                 // one replica (tp devices) at its batch, from serve(); feasible
  double batch = 1;                     // concurrent requests per replica (the request slots)
  double tp = 1;                        // devices per replica, >= 1
  double devices_per_node = 8;          // >= 1
  double spare_nodes = 0;               // extra whole nodes for failures, >= 0
  double target_utilization = 0.8;      // planning headroom: demand / capacity at most this, in (0, 1]
  units::watts power_per_device{};      // IT power per device including its share of the host
  double pue = 1;                       // >= 1
  units::usd_per_joule electricity_price{};
  units::kg_per_joule carbon_intensity{};
  units::usd price_per_device{};        // IT purchase per device: itself + its share of host and network
  units::seconds lifetime{};            // their amortization period, > 0
  units::usd facility_per_device{};     // the building's share per device (critical power x USD/W)
  units::seconds facility_lifetime{};   // its amortization period; > 0 when facility_per_device > 0
  double maintenance = 0;               // per year, as a fraction of capex
  // A pool of a fixed size (issue 22): this many devices, spares included,
  // rather than the fewest whole nodes the demand needs. 0: sized to demand.
  double fixed_devices = 0;
};

struct fleet_result {
  double replicas = 0;                  // replicas in service (every node serves, spares too)
  double replicas_needed = 0;           // the least that meets demand at the target utilization
  double replicas_per_node = 0;
  double nodes = 0;
  double devices = 0;                   // whole nodes x devices per node
  units::request_rate capacity{};       // replicas x one replica's request rate
  units::request_rate rate_after_node_loss{};  // capacity with one node down
  double utilization = 0;               // demand / capacity
  units::seconds queue_wait{};          // mean wait for a request slot (M/M/c, c = replicas x batch)
  units::seconds queue_wait_p99{};
  units::seconds ttft{};                // the replica's TTFT + mean queue wait
  units::seconds ttft_p99{};            // the replica's TTFT + p99 queue wait
  units::watts power{};                 // IT power of every device
  units::joules energy_per_year{};      // facility energy (x PUE) in a year
  units::usd capex{};                        // purchase: IT equipment + facility
  units::usd_per_second capex_per_year{};    // a rate: capex amortized over its lifetimes
  units::usd_per_second energy_cost_per_year{};
  units::usd_per_second opex_per_year{};     // a rate: energy + maintenance
  units::usd_per_second cost_per_year{};     // a rate: capex_per_year + opex_per_year (owned)
  units::kg_per_second carbon_per_year{};    // a rate: operational CO2e, facility energy x grid intensity
  units::usd cost_per_million_tokens{}; // cost per year / output tokens served per year at `demand`
};

// Preconditions (the caller checks): the replica is feasible with a positive
// request rate; demand > 0; tp and devices per node >= 1.
fleet_result size_serving_fleet(const fleet_request& req);

// size_serving_fleet in its two steps, for a caller that reuses the queue
// (mmc_waits of demand, the replica's e2e and fleet_slots: its costly part)
// across requests that differ only in region or prices:
// replicas, nodes and capacity; then the queue's waits, power, cost and carbon.
fleet_result size_fleet_nodes(const fleet_request& req);
double fleet_slots(const fleet_request& req, const fleet_result& r);  // replicas x batch
void finish_fleet(const fleet_request& req, const mmc_result& q, fleet_result& r);

}  // namespace ironlaw::stdlib
