#include <catch2/catch.hpp>

#include "ironlaw/stdlib/comms.hpp"

using namespace ironlaw::stdlib;
namespace u = ironlaw::stdlib::units;

namespace {
collective_request flat(collective_op op, double gb, double n, double gbps, double alpha_us = 0) {
  collective_request r;
  r.op = op;
  r.message = gb * 1e9 * u::byte;
  r.n = n;
  r.fabric = {gbps * 1e9 * u::byte / u::second, alpha_us * 1e-6 * u::second};
  return r;
}
}  // namespace

TEST_CASE("A6: ring all-reduce of 14 GB over 64 ranks at 50 GB/s") {
  // 2 (64 - 1) / 64 x 14 GB / 50 GB/s = 1.96875 x 0.28 s = 0.55125 s
  auto r = collective(flat(collective_op::allreduce, 14, 64, 50));
  CHECK(r.time.value() == Approx(0.55125));
  CHECK(r.time_bound.value() == Approx(0.55125));
  // nccl-tests: algbw = 14 GB / 0.55125 s = 25.4 GB/s; busbw = algbw x 2(n-1)/n = the link, 50 GB/s
  CHECK(r.algbw.value() == Approx(14e9 / 0.55125));
  CHECK(r.busbw.value() == Approx(50e9));
  CHECK(r.bus_factor == Approx(126.0 / 64));
}

TEST_CASE("ring collectives: latency steps and bandwidth terms") {
  // all-gather, 4 ranks, 1 GB at 10 GB/s, alpha 1 us: 3/4 x 0.1 s + 3 x 1 us
  auto ag = collective(flat(collective_op::allgather, 1, 4, 10, 1));
  CHECK(ag.time.value() == Approx(0.075 + 3e-6));
  CHECK(ag.latency_term.value() == Approx(3e-6));
  CHECK(ag.busbw.value() == Approx(ag.algbw.value() * 0.75));
  // all-reduce with alpha: 2(n-1) steps
  auto ar = collective(flat(collective_op::allreduce, 1, 4, 10, 1));
  CHECK(ar.time.value() == Approx(1.5 * 0.1 + 6e-6));
  // broadcast: pipelined chain, M / B + (n-1) alpha; bus factor 1
  auto bc = collective(flat(collective_op::broadcast, 1, 4, 10, 1));
  CHECK(bc.time.value() == Approx(0.1 + 3e-6));
  CHECK(bc.busbw.value() == Approx(bc.algbw.value()));
  // one rank: nothing to do
  CHECK(collective(flat(collective_op::allreduce, 1, 1, 10)).time.value() == 0);
}

TEST_CASE("tree all-reduce trades bandwidth for log-depth latency") {
  auto ring = flat(collective_op::allreduce, 0.001, 1024, 50, 5);
  auto tree = ring;
  tree.algorithm = collective_algorithm::tree;
  // tree: 2 M / B + 2 ceil(log2 1024) alpha = 40 us + 100 us; ring: 2046 x 5 us dominates
  CHECK(collective(tree).time.value() == Approx(2 * 1e6 / 50e9 + 20 * 5e-6));
  CHECK(collective(tree).time < collective(ring).time);
  // large messages: ring wins on bandwidth (2(n-1)/n < 2)
  auto big_ring = flat(collective_op::allreduce, 10, 8, 50);
  auto big_tree = big_ring;
  big_tree.algorithm = collective_algorithm::tree;
  CHECK(collective(big_ring).time < collective(big_tree).time);
}

TEST_CASE("hierarchical all-reduce: within nodes, then between") {
  // 16 ranks, 8 per node, 1.6 GB; 100 GB/s within, 10 GB/s between:
  // 2 x 7/8 x 1.6 GB / 100 GB/s + 2 (2-1)/2 x 0.2 GB / 10 GB/s = 0.028 + 0.02 s
  auto r = flat(collective_op::allreduce, 1.6, 16, 10);
  r.algorithm = collective_algorithm::hierarchical;
  r.per_node = 8;
  r.intra = {100e9 * u::byte / u::second, {}};
  auto h = collective(r);
  CHECK(h.time.value() == Approx(0.048));
  // beats a flat ring at the slower link
  CHECK(h.time < collective(flat(collective_op::allreduce, 1.6, 16, 10)).time);
}

TEST_CASE("the efficiency derates only the bandwidth term") {
  auto r = flat(collective_op::allreduce, 14, 64, 50, 10);
  r.efficiency = 0.8;
  auto c = collective(r);
  CHECK(c.time.value() == Approx(0.55125 / 0.8 + 126 * 10e-6));
  CHECK(c.time_bound.value() == Approx(0.55125 + 126 * 10e-6));
}

TEST_CASE("alpha_0: every collective pays its base latency once, whatever the algorithm") {
  // NCCL's NVLink ring LL figures: alpha_0 6.6 us, alpha 0.6 us. 8 ranks,
  // 16 KiB, 300 GB/s: all-reduce 6.6 + 14 x 0.6 = 15.0 us of latency plus
  // 2 x 7/8 x 16384 / 300e9 = 0.0956 us; all-gather 6.6 + 7 x 0.6 = 10.8 us.
  ironlaw::stdlib::link nvlink{300e9 * u::byte / u::second, 0.6e-6 * u::second, 6.6e-6 * u::second};
  auto ar = collective_time(collective_op::allreduce, 16384 * u::byte, 8, nvlink);
  CHECK(ar.value() == Approx(15.0e-6 + 2 * 7.0 / 8 * 16384 / 300e9));
  auto ag = collective_time(collective_op::allgather, 16384 * u::byte, 8, nvlink);
  CHECK(ag.value() == Approx(10.8e-6 + 7.0 / 8 * 16384 / 300e9));
  auto a2a = collective_time(collective_op::alltoall, 16384 * u::byte, 8, nvlink);
  CHECK(a2a.value() == Approx(ag.value()));
  // the efficiency divides only the bandwidth term
  auto slow = collective_time(collective_op::allreduce, 16384 * u::byte, 8, nvlink, 0.5);
  CHECK(slow.value() == Approx(15.0e-6 + 2 * 2 * 7.0 / 8 * 16384 / 300e9));
  // one rank: nothing to communicate, no launch either
  CHECK(collective_time(collective_op::allreduce, 16384 * u::byte, 1, nvlink).value() == 0);
  // the full result splits the latency term out
  collective_request req{.op = collective_op::allreduce, .message = 16384 * u::byte, .n = 8, .fabric = nvlink};
  CHECK(collective(req).latency_term.value() == Approx(15.0e-6));
}
