// training_fleet, reasoning and the walls' margin arithmetic.
#include <catch2/catch.hpp>

#include <cmath>

#include "ironlaw/stdlib/reasoning.hpp"
#include "ironlaw/stdlib/training_fleet.hpp"
#include "ironlaw/stdlib/walls.hpp"

using namespace ironlaw::stdlib;
namespace u = ironlaw::stdlib::units;

namespace {

training_fleet_request job() {
  training_fleet_request r;
  r.work = 30 * 86400 * u::second;
  r.gpus = 1024;
  r.gpus_per_node = 8;
  r.mtbf_per_gpu = 50000 * 3600 * u::second;
  r.checkpoint_write = 60 * u::second;
  r.power_per_gpu = 1000 * u::watt;
  r.pue = 1.2;
  r.electricity_price = (0.1 / 3.6e6) * u::dollar / u::joule;     // 0.1 USD/kWh
  r.carbon_intensity = (0.4 / 3.6e6) * u::kilogram / u::joule;    // 400 g/kWh
  r.embodied_per_gpu = 318 * u::kilogram;
  r.price_per_gpu = 30000 * u::dollar;
  r.lifetime = 5 * seconds_per_year * u::second;
  return r;
}

}  // namespace

TEST_CASE("training_fleet: reliability stretches the work; energy, carbon and cost follow the wall time") {
  auto req = job();
  auto r = training_fleet(req);
  reliability_request rel{1024, req.mtbf_per_gpu, req.work, req.checkpoint_write, {}, {}};
  auto expected = reliability(rel);
  CHECK(r.failures.wall_time.value() == Approx(expected.wall_time.value()));
  CHECK(r.failures.wall_time > req.work);
  CHECK(r.nodes == 128);
  double wall = r.failures.wall_time.value();
  CHECK(r.gpu_time.value() == Approx(1024 * wall));
  CHECK(r.energy.value() == Approx(1024 * 1000 * wall));
  // operational: energy x PUE x intensity
  CHECK(r.carbon.operational.value() == Approx(1024 * 1000 * wall * 1.2 * 0.4 / 3.6e6));
  // embodied: the wall time's share of a 5-year life
  CHECK(r.carbon.embodied_share.value() == Approx(1024 * 318 * wall / (5 * seconds_per_year)));
  // owned: capex share + energy, no maintenance
  double capex_share = 1024 * 30000 * wall / (5 * seconds_per_year);
  double energy_cost = 1024 * 1000 * 1.2 * wall * 0.1 / 3.6e6;
  CHECK(r.owned_cost.value() == Approx(capex_share + energy_cost).epsilon(1e-9));
  // Each kind of money apart: the purchase is the whole fleet, not the job's share.
  CHECK(r.capex.value() == Approx(1024 * 30000));
  CHECK(r.capex_share.value() == Approx(capex_share));
  CHECK(r.energy_cost.value() == Approx(energy_cost));
  CHECK(r.maintenance_cost.value() == 0);
  CHECK(r.cloud_cost.value() == 0);
}

TEST_CASE("training_fleet: the facility is bought with the fleet and amortized over its own lifetime") {
  auto req = job();
  req.facility_per_gpu = 11.7 * 1000 * u::dollar;  // 1 kW at 11.7 USD/W
  req.facility_lifetime = 15 * seconds_per_year * u::second;
  auto r = training_fleet(req);
  double wall = r.failures.wall_time.value();
  CHECK(r.capex.value() == Approx(1024 * (30000 + 11700)));
  CHECK(r.capex_share.value() ==
        Approx(1024 * (30000 / (5 * seconds_per_year) + 11700 / (15 * seconds_per_year)) * wall).epsilon(1e-9));
  CHECK(r.capex_share.value() < r.capex.value());
}

TEST_CASE("training_fleet: renting charges GPU-hours; a cleaner grid emits less for the same job") {
  auto req = job();
  req.cloud_price = (2.0 / 3600) * u::dollar / u::second;
  auto r = training_fleet(req);
  CHECK(r.cloud_cost.value() == Approx(2.0 * r.gpu_time.value() / 3600));
  auto clean = job();
  clean.carbon_intensity = (0.0015 / 3.6e6) * u::kilogram / u::joule;
  CHECK(training_fleet(clean).carbon.operational.value() ==
        Approx(training_fleet(job()).carbon.operational.value() * 0.0015 / 0.4));
  // More GPUs for the same work: more failures, lower goodput.
  auto bigger = job();
  bigger.gpus = 4096;
  CHECK(training_fleet(bigger).failures.goodput < training_fleet(job()).failures.goodput);
}

TEST_CASE("reasoning: ratios against the baseline and fleet sizes") {
  reasoning_request req;
  req.base = {0.1 * u::second, 0.01 * u::second, 2.65 * u::second, 10 * u::request / u::second,
              2560 * u::token / u::second, 1e8 * u::byte, 300};
  req.thinking = {0.1 * u::second, 0.012 * u::second, 50 * u::second, 0.5 * u::request / u::second,
                  2100 * u::token / u::second, 5e8 * u::byte, 60};
  req.thinking_tokens = 4000;
  req.answer_tokens = 256;
  req.devices_per_replica = 2;
  req.demand = 100 * u::request / u::second;
  req.target_utilization = 0.8;
  auto r = reasoning(req);
  CHECK(r.latency_ratio == Approx(50 / 2.65));
  CHECK(r.throughput_ratio == Approx(20));
  CHECK(r.kv_ratio == Approx(5));
  CHECK(r.thinking_time.value() == Approx(50 - 2.65));
  CHECK(r.replicas_base == 13);   // ceil(100 / 8)
  CHECK(r.replicas == 250);       // ceil(100 / 0.4)
  CHECK(r.gpus == 500);
  CHECK(r.answer_rate.value() == Approx(128));
  CHECK(replicas_for(0 * u::request / u::second, 1 * u::request / u::second, 0.8) == 0);
  CHECK(replicas_for(8 * u::request / u::second, 1 * u::request / u::second, 0.8) == 10);  // exact: no extra replica
}

TEST_CASE("walls: 22 distinct walls and the margin arithmetic") {
  CHECK(all_walls.size() == 22);
  for (std::size_t i = 0; i < all_walls.size(); ++i)
    for (std::size_t j = i + 1; j < all_walls.size(); ++j) CHECK(all_walls[i].name != all_walls[j].name);
  CHECK(margin_under(5, 10) == Approx(0.5));
  CHECK(margin_under(10, 10) == 0);
  CHECK(margin_under(15, 10) == Approx(-0.5));
  CHECK(std::isinf(margin_under(1, 0)));
}
