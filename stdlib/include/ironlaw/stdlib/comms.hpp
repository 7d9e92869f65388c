#pragma once
// Collective communication under the alpha-beta model: a collective costs a
// fixed alpha_0 (launch, synchronisation), each step of its algorithm a
// latency alpha, plus its bytes over the per-direction link bandwidth beta:
// t = alpha_0 + steps x alpha + bytes / (eta x B), NCCL's own tuning model
// (src/graph/tuning.cc). Time, algorithm bandwidth and bus bandwidth as
// nccl-tests reports them (NVIDIA/nccl-tests, doc/PERFORMANCE.md).
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

enum class collective_op { allreduce, allgather, reducescatter, alltoall, broadcast };
enum class collective_algorithm { ring, tree, hierarchical };

constexpr const char* name_of(collective_op op) {
  switch (op) {
    case collective_op::allreduce: return "allreduce";
    case collective_op::allgather: return "allgather";
    case collective_op::reducescatter: return "reducescatter";
    case collective_op::alltoall: return "alltoall";
    case collective_op::broadcast: return "broadcast";
  }
  return "allreduce";
}

// One level of the network as a rank sees it: per-direction bandwidth, the
// latency of one algorithm step (alpha) and the fixed cost of one collective
// (alpha_0).
struct link {
  units::byte_rate bandwidth{};
  units::seconds latency{};  // alpha, per step
  units::seconds base{};     // alpha_0, once per collective
};

struct collective_request {
  collective_op op = collective_op::allreduce;
  collective_algorithm algorithm = collective_algorithm::ring;
  units::bytes message{};  // nccl-tests "size": the buffer each rank reduces, or the gathered total
  double n = 1;            // ranks, >= 1
  link fabric{};           // ring and tree: the link every rank uses; hierarchical: between nodes
  link intra{};            // hierarchical only: the scale-up link within a node
  double per_node = 1;     // hierarchical only: ranks per node, dividing n
  double efficiency = 1;   // achieved fraction of the link bandwidth for `time`
};

struct collective_result {
  units::seconds time_bound{};      // efficiency 1
  units::seconds time{};            // bandwidth terms at `efficiency`
  units::seconds bandwidth_term{};  // bytes / bandwidth part of `time`
  units::seconds latency_term{};    // alpha_0 + steps x alpha
  units::byte_rate algbw{};         // message / time
  units::byte_rate busbw{};         // algbw x bus_factor
  double bus_factor = 1;            // nccl-tests' correction to the hardware's bandwidth
  double steps = 0;                 // latency-bound steps on the critical path
};

// nccl-tests' bus-bandwidth factor: allreduce 2(n-1)/n; allgather,
// reducescatter, alltoall (n-1)/n; broadcast 1.
double bus_factor(collective_op op, double n);

// Preconditions (checked by the caller): n >= 1; bandwidths > 0; tree only for
// allreduce and broadcast; hierarchical only for allreduce, with per_node
// dividing n; efficiency in (0, 1].
collective_result collective(const collective_request& req);

// The time of one flat ring collective at `efficiency`: the one cost every
// solver charges for a collective (tensor-parallel all-reduces, expert
// all-to-alls, data-parallel gradients). Zero for n <= 1.
units::seconds collective_time(collective_op op, units::bytes message, double n, const link& l, double efficiency = 1);

}  // namespace ironlaw::stdlib
