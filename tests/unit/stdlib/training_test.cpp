#include <catch2/catch.hpp>

#include "ironlaw/stdlib/training.hpp"

using namespace ironlaw::stdlib;
namespace u = ironlaw::stdlib::units;

namespace {

// A GPT-style model: 8 layers, d 2048, 16 heads, GELU FFN 8192.
transformer_shape gpt() {
  transformer_shape s;
  s.layers = 8, s.d_model = 2048, s.heads = 16, s.kv_heads = 16, s.head_dim = 128, s.ffn = 8192;
  s.ffn_type = ffn_kind::plain, s.vocab = 32000, s.context = 2048;
  return s;
}

accelerator gpu() {
  accelerator a;
  a.name = "test";
  a.peak[static_cast<std::size_t>(precision::bf16)] = 100e12 * u::flop / u::second;
  a.memory = 80e9 * u::byte;
  a.bandwidth = 2e12 * u::byte / u::second;
  return a;
}

train_request base() {
  train_request r;
  r.scaleup = {200e9 * u::byte / u::second, {}};
  r.scaleout = {25e9 * u::byte / u::second, {}};
  r.global_batch = 64;
  r.seq = 2048;
  r.recompute = recompute_kind::none;
  return r;
}

}  // namespace

TEST_CASE("one GPU: compute is 3 x forward FLOPs over the peak") {
  auto req = base();
  req.global_batch = 4;
  auto r = train(gpt(), gpu(), req);
  double fwd = forward_flops_per_token(gpt(), 2048).value();
  // 4 sequences x 2048 tokens x 3 x forward / 100 TFLOP/s, nothing else
  CHECK(r.compute.value() == Approx(4 * 2048 * 3 * fwd / 100e12));
  CHECK(r.step.value() == Approx(r.compute.value()));
  CHECK(r.mfu == Approx(1));
  CHECK(r.scaling_efficiency == Approx(1));
  CHECK(r.binding == train_term::compute);
  CHECK(r.throughput.value() == Approx(4 * 2048 / r.step.value()));
  // full recomputation runs the forward again: 4/3 the compute, MFU 3/4, HFU 1
  req.recompute = recompute_kind::full;
  auto f = train(gpt(), gpu(), req);
  CHECK(f.compute.value() == Approx(4.0 / 3 * r.compute.value()));
  CHECK(f.mfu == Approx(0.75));
  CHECK(f.hfu == Approx(1));
}

TEST_CASE("per-GPU compute and memory are divided by TP and PP") {
  auto one = base();
  one.global_batch = 8;
  auto split = one;
  split.tp = 2;
  split.pp = 2;
  split.per_node = 8;
  auto a = train(gpt(), gpu(), one), b = train(gpt(), gpu(), split);
  CHECK(b.compute.value() == Approx(a.compute.value() / 4));
  CHECK(b.memory.weights.value() == Approx(a.memory.weights.value() / 4));
  CHECK(b.memory.optimizer_state.value() == Approx(a.memory.optimizer_state.value() / 4));
  // ZeRO-3 shards weights, gradients and optimizer state across dp
  auto z = one;
  z.dp = 4;
  z.global_batch = 32;
  z.zero = 3;
  auto c = train(gpt(), gpu(), z);
  CHECK(c.memory.weights.value() == Approx(a.memory.weights.value() / 4));
  CHECK(c.memory.gradients.value() == Approx(a.memory.gradients.value() / 4));
}

TEST_CASE("1F1B bubble is (p-1)/(m+p-1) of the step; interleaving by v divides it by v") {
  auto req = base();
  req.pp = 4;
  req.global_batch = 8;  // m = 8 micro-batches of 1
  req.scaleup = {1e18 * u::byte / u::second, {}};  // communication out of the way
  auto r = train(gpt(), gpu(), req);
  CHECK(r.microbatches == 8);
  CHECK(r.bubble_fraction == Approx(3.0 / 11));
  CHECK((r.bubble / (r.compute + r.tp_comm + r.ep_comm + r.bubble)).value() == Approx(3.0 / 11));
  CHECK((r.bubble / r.step).value() == Approx(3.0 / 11).epsilon(1e-3));
  auto inter = req;
  inter.schedule = pipeline_schedule::interleaved;
  inter.virtual_stages = 2;
  auto i = train(gpt(), gpu(), inter);
  CHECK(i.bubble.value() == Approx(r.bubble.value() / 2));
  CHECK(i.bubble_fraction == Approx(1.5 / 9.5));
  // GPipe has the same bubble but keeps all m micro-batches' activations
  auto gp = req;
  gp.schedule = pipeline_schedule::gpipe;
  auto g = train(gpt(), gpu(), gp);
  CHECK(g.bubble.value() == Approx(r.bubble.value()));
  CHECK(g.memory.activations.value() == Approx(r.memory.activations.value() * 2));  // m / p = 8 / 4
}

TEST_CASE("pure data parallel: scaling efficiency falls as N grows at a fixed global batch") {
  double last = 2;
  for (double n : {8.0, 64.0, 512.0}) {
    auto req = base();
    req.global_batch = 512;
    req.dp = n;
    req.overlap = 0.5;
    auto r = train(gpt(), gpu(), req);
    INFO(n);
    CHECK(r.scaling_efficiency < last);
    last = r.scaling_efficiency;
  }
  CHECK(last < 0.6);  // 512 GPUs, one sequence each: the all-reduce dominates ("adding GPUs made it slower")
}

TEST_CASE("TP beyond a node's scale-up fabric costs visibly more than within it") {
  auto within = base();
  within.tp = 8;
  within.global_batch = 8;
  auto beyond = within;
  beyond.per_node = 4;  // the same 8-way TP group now spans two nodes
  auto a = train(gpt(), gpu(), within), b = train(gpt(), gpu(), beyond);
  CHECK(a.tp_place == placement::scaleup);
  CHECK(b.tp_place == placement::scaleout);
  // 4 all-reduces of b s h per layer per micro-batch: time ratio = the bandwidth ratio 200 / 25
  CHECK(b.tp_comm.value() == Approx(8 * a.tp_comm.value()));
  CHECK(b.step > a.step);
  // hand check: 8 micro-batches x 8 layers x 4 x 2(7/8) x (2048 x 2048 x 2 B) / 200 GB/s
  CHECK(a.tp_comm.value() == Approx(8 * 8 * 4 * 1.75 * (2048.0 * 2048 * 2) / 200e9));
}

TEST_CASE("memory feasibility and the binding term") {
  auto req = base();
  req.global_batch = 1;
  auto r = train(gpt(), gpu(), req);
  CHECK(r.memory.fits);
  auto tiny = gpu();
  tiny.memory = 1e9 * u::byte;
  CHECK_FALSE(train(gpt(), tiny, req).memory.fits);
}
