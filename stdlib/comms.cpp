#include "ironlaw/stdlib/comms.hpp"

#include <cmath>

namespace ironlaw::stdlib {
namespace {

// Bytes each rank sends (= receives) per unit of message, and the number of
// alpha steps, for one flat algorithm over n ranks.
struct cost {
  double volume = 0;  // multiples of the message over the link
  double steps = 0;   // alpha terms
};

cost flat_cost(collective_op op, collective_algorithm algorithm, double n) {
  if (n <= 1) return {};
  double depth = std::ceil(std::log2(n));
  if (algorithm == collective_algorithm::tree) {
    // Pipelined (double) binary trees: reduce up then broadcast down, the
    // message streamed in chunks, so each rank moves ~M each way per phase
    // (Sanders, Speck and Traeff 2009; NCCL 2.4's double binary trees).
    if (op == collective_op::allreduce) return {2, 2 * depth};
    return {1, depth};  // broadcast
  }
  switch (op) {
    case collective_op::allreduce: return {2 * (n - 1) / n, 2 * (n - 1)};  // reduce-scatter + all-gather
    case collective_op::allgather:
    case collective_op::reducescatter:
    case collective_op::alltoall: return {(n - 1) / n, n - 1};
    case collective_op::broadcast: return {1, n - 1};  // pipelined chain
  }
  return {};
}

}  // namespace

double bus_factor(collective_op op, double n) {
  if (n <= 1) return op == collective_op::broadcast ? 1 : 0;
  switch (op) {
    case collective_op::allreduce: return 2 * (n - 1) / n;
    case collective_op::allgather:
    case collective_op::reducescatter:
    case collective_op::alltoall: return (n - 1) / n;
    case collective_op::broadcast: return 1;
  }
  return 1;
}

collective_result collective(const collective_request& req) {
  collective_result r;
  units::seconds bw_term{}, lat_term{};
  if (req.algorithm == collective_algorithm::hierarchical) {
    // Reduce-scatter within the node, all-reduce of the 1/g shard between
    // nodes (every rank on its own NIC, in parallel), all-gather within the node.
    double g = req.per_node, k = req.n / req.per_node;
    auto inner = flat_cost(collective_op::reducescatter, collective_algorithm::ring, g);
    auto outer = flat_cost(collective_op::allreduce, collective_algorithm::ring, k);
    bw_term = 2 * inner.volume * req.message / req.intra.bandwidth + outer.volume * (req.message / g) / req.fabric.bandwidth;
    // One launch: NCCL charges a hierarchical call the base latency once.
    lat_term = req.fabric.base + 2 * inner.steps * req.intra.latency + outer.steps * req.fabric.latency;
    r.steps = 2 * inner.steps + outer.steps;
  } else {
    auto c = flat_cost(req.op, req.algorithm, req.n);
    bw_term = c.volume * req.message / req.fabric.bandwidth;
    lat_term = c.steps * req.fabric.latency + (req.n > 1 ? req.fabric.base : units::seconds{});
    r.steps = c.steps;
  }
  r.time_bound = bw_term + lat_term;
  r.bandwidth_term = bw_term / req.efficiency;
  r.latency_term = lat_term;
  r.time = r.bandwidth_term + r.latency_term;
  r.bus_factor = bus_factor(req.op, req.n);
  if (r.time.value() > 0) {
    r.algbw = req.message / r.time;
    r.busbw = r.bus_factor * r.algbw;
  }
  return r;
}

units::seconds collective_time(collective_op op, units::bytes message, double n, const link& l, double efficiency) {
  if (n <= 1) return {};
  return collective({.op = op, .message = message, .n = n, .fabric = l, .efficiency = efficiency}).time;
}

}  // namespace ironlaw::stdlib
