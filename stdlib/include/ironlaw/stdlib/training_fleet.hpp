#pragma once
// A training job as a fleet decision: the failure-free time from `train`,
// stretched by failures and checkpoints (reliability), then its energy,
// carbon (carbon) and cost, owned (tco) or rented.
#include "ironlaw/stdlib/carbon.hpp"
#include "ironlaw/stdlib/cost.hpp"
#include "ironlaw/stdlib/reliability.hpp"
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

struct training_fleet_request {
  units::seconds work{};             // time to train with no failure (train's time_to_train), >= 0
  double gpus = 1;                   // >= 1
  double gpus_per_node = 8;          // >= 1
  units::seconds mtbf_per_gpu{};     // one GPU's share of job interruptions, > 0
  units::seconds checkpoint_write{}; // > 0
  units::seconds restart{};          // >= 0
  units::watts power_per_gpu{};      // IT power including the host's share, >= 0
  double pue = 1;                    // >= 1
  units::usd_per_joule electricity_price{};
  units::kg_per_joule carbon_intensity{};
  units::m3_per_joule wue{};
  units::kilograms embodied_per_gpu{};
  units::usd price_per_gpu{};        // IT purchase per GPU: itself + its share of host and network
  units::seconds lifetime{};         // amortization and embodied-carbon life, > 0
  units::usd facility_per_gpu{};     // the building's share per GPU (critical power x USD/W)
  units::seconds facility_lifetime{};  // its amortization period; > 0 when facility_per_gpu > 0
  double maintenance = 0;            // per year, as a fraction of capex
  units::usd_per_second cloud_price{};  // rent per GPU-second; 0: owned
};

struct training_fleet_result {
  double nodes = 0;                  // ceil(gpus / gpus_per_node)
  reliability_result failures;       // wall time, goodput, expected failures, checkpoint interval
  units::seconds gpu_time{};         // gpus x wall time
  units::joules energy{};            // IT energy over the wall time
  carbon_result carbon;              // facility energy, operational, embodied share, water
  units::usd capex{};                // purchase of the whole fleet: IT equipment + facility
  units::usd capex_share{};          // capex amortized over the wall time
  units::usd energy_cost{};          // facility energy over the wall time x price
  units::usd maintenance_cost{};     // maintenance over the wall time
  units::usd owned_cost{};           // capex_share + energy_cost + maintenance_cost
  units::usd cloud_cost{};           // rental: gpu_time x cloud price (0 without one)
};

// Preconditions: see the request's fields.
training_fleet_result training_fleet(const training_fleet_request& req);

// Sustained read bandwidth of Meta's Tectonic file system behind the Llama 3
// run, bytes/s: 2 TB/s (7 TB/s peak), Llama Team 2024, section 3.3.1. The
// default storage bandwidth of `training_fleet`.
inline constexpr double tectonic_bytes_per_second = 2e12;

}  // namespace ironlaw::stdlib
