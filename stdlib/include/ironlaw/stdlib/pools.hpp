#pragma once
// Fleets of pools (issue 22): one workload's requests routed over pools of
// different accelerators and regions, and prefill/decode disaggregation with
// the KV cache moved between pools. The pools themselves are sized by
// size_serving_fleet (fleet.hpp); this file holds what crosses pools: the KV
// transfer, the latency a request sees end to end, and the fleet's totals.
#include <vector>

#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

// The KV cache one request carries from a prefill pool to a decode pool:
// bytes = kv bytes per token x prompt tokens (layers x kv_heads x head_dim x 2
// x bytes per element for standard attention), time = link latency + bytes /
// link bandwidth (DistServe, Zhong et al. OSDI 2024; Splitwise, Patel et al.
// ISCA 2024). Zero when prefill and decode share a pool (role both).
struct kv_transfer_request {
  units::bytes kv_per_request{};   // the prompt's KV cache, whole model
  units::byte_rate bandwidth{};    // the link's, per direction; > 0 unless same_pool
  units::seconds latency{};        // the link's per-transfer latency
  units::seconds cross_region{};   // one-way network delay when the pools are in different regions
  bool same_pool = false;
};
units::seconds kv_transfer_time(const kv_transfer_request& req);

// What one request sees on one path through the fleet. Co-located (role
// both): the pool's TTFT, ITL and e2e. Disaggregated: the prefill pool's TTFT;
// the KV transfer and the wait for a decode slot delay the second token, so
// they spread over the request's output - 1 gaps; decode steps run without
// prefills stalling them. `rtt` is the round trip from the users' home region.
struct path_request {
  double share = 0;               // of all requests, in [0, 1]
  units::seconds rtt{};           // users <-> the pool that answers them
  units::seconds ttft{}, ttft_p99{};  // the entry pool's, queueing included
  units::seconds itl{};           // co-located: the pool's ITL; disaggregated: the decode step
  units::seconds e2e{};           // co-located only: the pool's end-to-end
  bool disaggregated = false;
  units::seconds kv_transfer{};   // disaggregated
  units::seconds decode_wait{};   // disaggregated: mean wait for a decode slot
  double output_tokens = 1;       // > 0
};
struct path_latency {
  units::seconds ttft{}, ttft_p99{}, itl{}, e2e{};
};
path_latency path_of(const path_request& p);

// The whole fleet's latency over its paths: TTFT and e2e are share-weighted
// means; ttft_p99 and itl are the worst over the paths that carry traffic (a
// bound: a mixture's p99 is at most its worst component's, and every request
// must meet an ITL objective).
path_latency fleet_latency(const std::vector<path_request>& paths);

// Every split of one unit over `n` shares in steps of 1 / steps (a bounded
// grid: C(steps + n - 1, n - 1) points; 231 for n = 3, steps = 20).
std::vector<std::vector<double>> split_grid(std::size_t n, int steps);

}  // namespace ironlaw::stdlib
