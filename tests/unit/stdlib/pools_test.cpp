// Fleets of pools (stdlib/pools.cpp): the KV transfer, one request's path
// through a co-located or disaggregated fleet, and the optimal split's grid.
#include <catch2/catch.hpp>

#include "ironlaw/stdlib/pools.hpp"

using namespace ironlaw::stdlib;
namespace u = ironlaw::stdlib::units;

TEST_CASE("pools: the KV transfer is latency + bytes / bandwidth, and zero within one pool") {
  kv_transfer_request kv;
  kv.kv_per_request = 32.0 * 8 * 128 * 2 * 1024 * 2 * u::byte;  // Llama-3-8B, 1,024 prompt tokens, fp16
  kv.bandwidth = 50e9 * u::byte / u::second;
  kv.latency = 2.7e-6 * u::second;
  CHECK(kv_transfer_time(kv).value() == Approx(2.7e-6 + 134217728.0 / 50e9));
  kv.cross_region = 0.035 * u::second;
  CHECK(kv_transfer_time(kv).value() == Approx(0.035 + 2.7e-6 + 134217728.0 / 50e9));
  kv.same_pool = true;
  CHECK(kv_transfer_time(kv).value() == 0);
}

TEST_CASE("pools: a disaggregated path spreads the KV transfer and decode wait over output - 1 gaps") {
  path_request p;
  p.share = 1;
  p.ttft = 0.030 * u::second;
  p.ttft_p99 = 0.050 * u::second;
  p.itl = 0.010 * u::second;
  p.disaggregated = true;
  p.kv_transfer = 0.003 * u::second;
  p.decode_wait = 0.002 * u::second;
  p.output_tokens = 256;
  auto l = path_of(p);
  CHECK(l.ttft.value() == Approx(0.030));
  CHECK(l.itl.value() == Approx(0.010 + 0.005 / 255));
  CHECK(l.e2e.value() == Approx(0.030 + 0.005 + 255 * 0.010));
}

TEST_CASE("pools: the fleet's TTFT is the share-weighted mean with round trips; its ITL the worst path's") {
  path_request a{.share = 0.6, .ttft = 0.02 * u::second, .ttft_p99 = 0.03 * u::second, .itl = 0.01 * u::second,
                 .e2e = 1.0 * u::second};
  path_request b{.share = 0.4, .rtt = 0.07 * u::second, .ttft = 0.04 * u::second, .ttft_p99 = 0.05 * u::second,
                 .itl = 0.02 * u::second, .e2e = 2.0 * u::second};
  path_request idle{.share = 0, .ttft = 9 * u::second, .ttft_p99 = 9 * u::second, .itl = 9 * u::second};
  auto l = fleet_latency({a, b, idle});
  CHECK(l.ttft.value() == Approx(0.6 * 0.02 + 0.4 * 0.11));
  CHECK(l.ttft_p99.value() == Approx(0.12));
  CHECK(l.itl.value() == Approx(0.02));  // the idle path carries nothing
  CHECK(l.e2e.value() == Approx(0.6 * 1.0 + 0.4 * 2.07));
  // A split of 1:0 is the one path, exactly.
  auto one = fleet_latency({path_request{.share = 1, .ttft = 0.0123 * u::second, .itl = 0.004 * u::second}, idle});
  CHECK(one.ttft.value() == 0.0123);
  CHECK(one.itl.value() == 0.004);
}

TEST_CASE("pools: the split grid holds every split of 1 in steps of 1/steps") {
  auto g = split_grid(3, 20);
  CHECK(g.size() == 231);  // C(22, 2)
  for (const auto& s : g) CHECK(s[0] + s[1] + s[2] == Approx(1));
  CHECK(split_grid(1, 20).size() == 1);
  CHECK(split_grid(4, 20).size() == 1771);
}
