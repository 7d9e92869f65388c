#pragma once
// Collective communication under the alpha-beta model: each step of an
// algorithm costs a latency alpha plus its bytes over the per-direction link
// bandwidth beta. Time, algorithm bandwidth and bus bandwidth as nccl-tests
// reports them (NVIDIA/nccl-tests, doc/PERFORMANCE.md).
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

// One level of the network as a rank sees it: per-direction bandwidth and the
// latency of one algorithm step.
struct link {
  units::byte_rate bandwidth{};
  units::seconds latency{};
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
  units::seconds latency_term{};    // alpha part
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

}  // namespace ironlaw::stdlib
