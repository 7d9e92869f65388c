#include <catch2/catch.hpp>

#include "ironlaw/stdlib/data_pipeline.hpp"
#include "ironlaw/stdlib/topology.hpp"

using namespace ironlaw::stdlib;
namespace u = ironlaw::stdlib::units;

namespace {
topology_inputs net(topology_kind kind, double nodes) {
  topology_inputs in;
  in.kind = kind;
  in.nodes = nodes;
  in.link = 50e9 * u::byte / u::second;  // NDR 400 Gb/s per direction
  return in;
}
double gbs(u::byte_rate r) { return r.value() / 1e9; }
}  // namespace

TEST_CASE("fat tree: 1024 nodes of radix-64 switches, full bisection") {
  // Two tiers hold 2 x 32^2 = 2048 >= 1024; one tier only 64.
  // Bisection: 512 x 50 GB/s = 25.6 TB/s. Hops: 31 of 1023 peers share the leaf
  // (2 links), the rest cross the spine (4): (31 x 2 + 992 x 4) / 1023 = 3.9394.
  auto r = topology(net(topology_kind::fat_tree, 1024));
  CHECK(r.tiers == 2);
  CHECK(gbs(r.bisection) == Approx(25600));
  CHECK(r.average_hops == Approx(3.93939).epsilon(1e-5));
  CHECK(r.worst_hops == 4);
  CHECK(gbs(r.all_to_all) == Approx(50));  // non-blocking: injection-bound
  CHECK(r.bound == topology_bound::injection);
}

TEST_CASE("fat tree: 2:1 oversubscription halves what leaves the leaf") {
  // 992 / 1023 of the traffic leaves the leaf over half the bandwidth:
  // 50 / (2 x 0.969697) = 25.78 GB/s per node.
  auto in = net(topology_kind::fat_tree, 1024);
  in.oversubscription = 2;
  auto r = topology(in);
  CHECK(gbs(r.bisection) == Approx(12800));
  CHECK(gbs(r.all_to_all) == Approx(25.7813).epsilon(1e-4));
  CHECK(r.bound == topology_bound::uplinks);
}

TEST_CASE("fat tree: three tiers past 2 (k/2)^2 endpoints") {
  auto r = topology(net(topology_kind::fat_tree, 4096));  // 2048 < 4096 <= 65536
  CHECK(r.tiers == 3);
  CHECK(r.worst_hops == 6);
  CHECK(r.average_hops > 5);
  CHECK(r.average_hops < 6);
}

TEST_CASE("torus: a 16-ary 3-cube of 4096 nodes") {
  // Bisection: 2 k^(n-1) = 2 x 256 = 512 links each way = 25.6 TB/s.
  // Hops: n k / 4 = 12 over all destinations, 12 x 4096 / 4095 = 12.0029 over the others; worst 3 x 8 = 24.
  // All-to-all: 4 x 25.6 TB/s x 4095 / 4096^2 = 24.99 GB/s, below the 6 x 50 GB/s injection.
  auto in = net(topology_kind::torus, 4096);
  auto r = topology(in);
  CHECK(r.groups == 16);
  CHECK(gbs(r.bisection) == Approx(25600));
  CHECK(r.average_hops == Approx(12.0029).epsilon(1e-5));
  CHECK(r.worst_hops == 24);
  CHECK(gbs(r.injection) == Approx(300));
  CHECK(gbs(r.all_to_all) == Approx(24.9939).epsilon(1e-4));
  CHECK(r.bound == topology_bound::bisection);
}

TEST_CASE("ring: two links cross any halving cut") {
  // 8 nodes: distances 1,1,2,2,3,3,4 to the others, mean 16 / 7 = 2.2857; worst 4.
  auto r = topology(net(topology_kind::ring, 8));
  CHECK(gbs(r.bisection) == Approx(100));
  CHECK(r.average_hops == Approx(16.0 / 7));
  CHECK(r.worst_hops == 4);
  // 4 x 100 GB/s x 7 / 64 = 43.75 GB/s per node, under the 2 x 50 GB/s injection.
  CHECK(gbs(r.all_to_all) == Approx(43.75));
  // Odd ring of 7: distances 1,1,2,2,3,3: mean 2 = (7/4 - 1/28) x 7/6.
  CHECK(topology(net(topology_kind::ring, 7)).average_hops == Approx(2));
}

TEST_CASE("dragonfly: balanced radix-64 routers, 8 groups of 512") {
  // h = p = 16, a = 32: groups of 32 x 16 = 512 endpoints, 4096 / 512 = 8 groups.
  // Hops: (15 x 2 + 496 x 3 + 3584 x (3 + 2 x 31/32)) / 4095 = 19214 / 4095 = 4.6921.
  auto r = topology(net(topology_kind::dragonfly, 4096));
  CHECK(r.groups == 8);
  CHECK(r.average_hops == Approx(4.69206).epsilon(1e-5));
  CHECK(r.worst_hops == 5);
  // 4 x 4 group pairs x 512/7 global links x 50 GB/s = 58.5 TB/s
  CHECK(gbs(r.bisection) == Approx(16 * 512.0 / 7 * 50));
  CHECK(r.bound == topology_bound::injection);
}

TEST_CASE("rail-optimized: same-rail pairs stay on one rail switch") {
  // 1024 GPUs in 128 servers of 8: each rail holds 128 endpoints (2 tiers of radix 64).
  auto rail = topology(net(topology_kind::rail, 1024));
  auto tree = topology(net(topology_kind::fat_tree, 1024));
  CHECK(gbs(rail.bisection) == Approx(gbs(tree.bisection)));
  CHECK(rail.worst_hops == 5);  // the scale-up hop, then up and down a rail
}

TEST_CASE("data pipeline: whichever of storage, CPU and accelerator is slowest binds") {
  pipeline_inputs in;
  in.demand = sample_rate::from_value(10000);                // 10k images/s
  in.sample_size = bytes_per_sample::from_value(110e3);      // 110 kB JPEG
  in.per_core = sample_rate::from_value(250);                // decode + augment per core
  auto free_run = data_pipeline(in);
  CHECK(free_run.storage_needed.value() == Approx(1.1e9));  // 10k x 110 kB = 1.1 GB/s
  CHECK(free_run.cores_needed == Approx(40));
  CHECK(free_run.bound == pipeline_stage::accelerator);
  CHECK(free_run.accelerator_utilization == 1);
  in.cores = 32;  // 32 x 250 = 8000 samples/s
  in.storage = 2e9 * u::byte / u::second;
  auto cpu = data_pipeline(in);
  CHECK(cpu.bound == pipeline_stage::cpu);
  CHECK(cpu.achieved.value() == Approx(8000));
  CHECK(cpu.accelerator_utilization == Approx(0.8));
  in.storage = 0.55e9 * u::byte / u::second;  // 5000 samples/s
  auto storage = data_pipeline(in);
  CHECK(storage.bound == pipeline_stage::storage);
  CHECK(storage.accelerator_utilization == Approx(0.5));
}
