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
  auto device = gpu();
  device.bandwidth = {};  // no memory bandwidth given: no elementwise term
  auto r = train(gpt(), device, req);
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
  auto f = train(gpt(), device, req);
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
    req.scaleout = {3e9 * u::byte / u::second, {}};  // a slow network between nodes (~25 GbE per GPU)
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

namespace {
// Gradient bytes of gpt() in bf16 on one GPU: every parameter, 2 bytes.
double gradient_bytes() { return count_parameters(gpt()).total * 2; }
}  // namespace

TEST_CASE("ZeRO-0 data parallel: the all-reduce hides under the last micro-batch's backward, not its last bucket") {
  auto req = base();
  req.dp = 2;
  req.global_batch = 8;                             // m = 4 micro-batches of 1
  req.scaleup = {1e9 * u::byte / u::second, {}};    // slow, so the all-reduce outlasts a backward
  auto r = train(gpt(), gpu(), req);
  const double g = gradient_bytes();
  const double allreduce = 2 * 0.5 * g / 1e9;      // ring, n = 2: 2 (n-1)/n x bytes / bandwidth
  const double backward = r.compute.value() / 4 * 2.0 / 3;  // one micro-batch, no recomputation: 2 of its 3 forwards
  CHECK(r.dp_comm.value() == Approx(allreduce - backward));
  // a fast link: all of it hides except the last 25 MiB bucket
  req.scaleup = {1e15 * u::byte / u::second, {}};
  auto fast = train(gpt(), gpu(), req);
  CHECK(fast.dp_comm.value() == Approx(g / 1e15 * dp_bucket_bytes / g));
  // no overlap: the whole all-reduce is exposed
  req.overlap = 0;
  CHECK(train(gpt(), gpu(), req).dp_comm.value() == Approx(g / 1e15));
}

TEST_CASE("distributed optimizer: the reduce-scatter hides under the backward, the all-gather under the next forward") {
  auto req = base();
  req.dp = 2;
  req.zero = 1;
  req.global_batch = 8;
  req.scaleup = {1e9 * u::byte / u::second, {}};
  auto r = train(gpt(), gpu(), req);
  const double half = 0.5 * gradient_bytes() / 1e9;  // (n-1)/n x bytes / bandwidth each way
  const double forward = r.compute.value() / 4 / 3, backward = 2 * forward;
  CHECK(r.dp_comm.value() == Approx((half - backward) + (half - forward)));
  // FSDP (ZeRO-3): every micro-batch gathers in its forward, gathers and reduce-scatters in its backward
  req.zero = 3;
  auto f = train(gpt(), gpu(), req);
  CHECK(f.dp_comm.value() == Approx(4 * ((half - forward) + (2 * half - backward))));
}

TEST_CASE("a data-parallel group spanning nodes reduces hierarchically: in the node, then across on a 1/g shard") {
  auto req = base();
  req.dp = 16;
  req.per_node = 8;
  req.global_batch = 16;
  req.overlap = 0;  // the whole collective on the critical path
  auto r = train(gpt(), gpu(), req);
  CHECK(r.dp_place == placement::scaleout);
  const double g = gradient_bytes();
  // reduce-scatter and all-gather among 8 on 200 GB/s, then a ring all-reduce of g / 8 between 2 nodes on 25 GB/s
  const double hand = 2 * (7.0 / 8) * g / 200e9 + 2 * (1.0 / 2) * (g / 8) / 25e9;
  CHECK(r.dp_comm.value() == Approx(hand));
  // a flat ring over the scale-out link would take 2 (15/16) g / 25 GB/s: far longer
  CHECK(r.dp_comm.value() < 2 * (15.0 / 16) * g / 25e9 / 5);
  // tp = 8 fills the node: one DP rank per node, so the ring is flat across nodes
  auto wide = req;
  wide.tp = 8;
  wide.dp = 2;
  wide.global_batch = 2;
  auto w = train(gpt(), gpu(), wide);
  CHECK(w.dp_comm.value() == Approx(2 * 0.5 * (g / 8) / 25e9));
}

TEST_CASE("elementwise kernels: stored activations read and written forward and backward at the memory bandwidth") {
  auto req = base();
  req.global_batch = 2;
  auto r = train(gpt(), gpu(), req);
  // 4 h + 2 q + 2 h (K, V) + 2 x 4 h (GELU in and out) = 16 h elements per token per layer, 2 bytes each
  CHECK(activation_bytes_per_token(gpt(), 1, recompute_kind::selective) == Approx(32 * 2048));
  const double bytes = 32.0 * 2048 * 4 * 8 /* layers */ * 2048 /* tokens */;
  CHECK(r.elementwise.value() == Approx(2 * bytes / 2e12));
  // the matmuls at full efficiency: HFU is what the elementwise part leaves, not capped by an end-to-end efficiency
  CHECK(r.hfu == Approx((r.compute - r.elementwise).value() / r.step.value()));
  // full recomputation at 0.8 GEMM efficiency keeps MFU well above 0.41 (0.75 x 0.8 less the elementwise share)
  req.recompute = recompute_kind::full;
  req.compute_efficiency = 0.8;
  auto full = train(gpt(), gpu(), req);
  CHECK(full.mfu > 0.5);
  CHECK(full.hfu == Approx(full.mfu * 4 / 3));
}

TEST_CASE("uneven pipeline stages: 126 layers on 16 stages, the fullest stage holds 8") {
  auto model = gpt();
  model.layers = 126;
  auto req = base();
  req.pp = 16;
  req.global_batch = 32;
  auto r = train(model, gpu(), req);
  CHECK(r.stage_layers == 8);
  CHECK(r.in_flight == 16 * 8);  // 1F1B: p micro-batches of the stage's 8 layers
  // compute per micro-batch is 8 of 126 layers' share (not 126 / 16 = 7.875)
  auto even = model;
  even.layers = 128;
  auto e = train(even, gpu(), req);
  CHECK(e.stage_layers == 8);
}

TEST_CASE("interleaved schedule: activations of the warm-up's 2 (p - 1) + (v - 1) p + 1 chunk-micro-batches") {
  auto req = base();
  req.pp = 4;
  req.global_batch = 16;  // m = 16
  req.schedule = pipeline_schedule::interleaved;
  req.virtual_stages = 2;  // 8 layers: 1 layer per chunk
  auto r = train(gpt(), gpu(), req);
  CHECK(r.in_flight == 2 * 3 + 1 * 4 + 1);  // 11 chunks of 1 layer
  const double per_layer = activation_bytes_per_token(gpt(), 1, recompute_kind::none) * 2048;
  CHECK(r.memory.activations.value() == Approx(11 * per_layer));
  // 1F1B holds p = 4 micro-batches of 2 layers: 8 layers, fewer
  req.schedule = pipeline_schedule::one_f_one_b;
  CHECK(train(gpt(), gpu(), req).in_flight == 8);
}

TEST_CASE("context parallelism: tokens split across cp ranks, K and V gathered per layer") {
  auto req = base();
  req.cp = 2;
  req.global_batch = 1;
  req.scaleup = {100e9 * u::byte / u::second, {}};
  auto r = train(gpt(), gpu(), req);
  // per layer: an all-gather forward and a reduce-scatter backward of the sequence's K and V
  // (2048 tokens x 2 x 16 heads x 128 x 2 B), each (cp - 1) / cp of it over 100 GB/s
  const double kv = 2048.0 * 2 * 16 * 128 * 2;
  CHECK(r.cp_comm.value() == Approx(8 * 2 * 0.5 * kv / 100e9));
  auto one = base();
  one.global_batch = 1;
  auto o = train(gpt(), gpu(), one);
  CHECK(r.memory.activations.value() == Approx(o.memory.activations.value() / 2));
}

namespace {
// A small mixture of experts: 8 layers, 64 experts, 8 active, expert FFN 1024.
transformer_shape moe() {
  auto s = gpt();
  s.experts = 64, s.experts_active = 8, s.expert_ffn = 1024, s.ffn_type = ffn_kind::gated;
  return s;
}
}  // namespace

TEST_CASE("expert parallelism: node-limited routing, fp8 dispatch and overlap") {
  auto req = base();
  req.dp = 16;
  req.ep = 16;
  req.per_node = 8;  // EP spans two nodes: dispatch crosses the 25 GB/s scale-out fabric
  req.global_batch = 16;
  req.scaleup = {1e18 * u::byte / u::second, {}};  // forwarding inside the node is free here
  auto r = train(moe(), gpu(), req);
  CHECK(r.ep_place == placement::scaleout);
  // per MoE layer: forward dispatch + combine, backward 2: 4 all-to-alls of 2048 tokens x 8 copies x h x 2 B, (15/16) over 25 GB/s
  const double one = (15.0 / 16) * 2048 * 8 * 2048 * 2 / 25e9;
  CHECK(r.ep_comm.value() == Approx(8 * 4 * one));
  // tokens reach at most 2 nodes: 2 copies cross the fabric instead of 8
  req.node_limit = 2;
  auto limited = train(moe(), gpu(), req);
  CHECK(limited.ep_comm.value() == Approx(8 * 4 * one / 4).epsilon(1e-6));
  // fp8 dispatch: the forward dispatch moves 1 byte an element
  req.fp8_dispatch = true;
  auto fp8 = train(moe(), gpu(), req);
  CHECK(fp8.ep_comm.value() == Approx(8 * 3.5 * one / 4).epsilon(1e-6));
  // DualPipe-style overlap hides the rest
  req.ep_overlap = 1;
  CHECK(train(moe(), gpu(), req).ep_comm.value() == Approx(0).margin(1e-12));
}

TEST_CASE("fp8 training: GEMMs at the fp8 peak, the attention core at the 16-bit peak") {
  auto device = gpu();
  device.bandwidth = {};
  device.peak[static_cast<std::size_t>(precision::fp8)] = 200e12 * u::flop / u::second;
  auto req = base();
  req.global_batch = 1;
  auto bf16 = train(gpt(), device, req);
  req.format = precision::fp8;
  auto fp8 = train(gpt(), device, req);
  const double attention = 3 * 4.0 * 8 * 2048 * 16 * 128 * 2048 / 100e12;  // 3 x attention FLOPs of 2048 tokens
  CHECK(fp8.compute.value() == Approx((bf16.compute.value() - attention) / 2 + attention));
}

TEST_CASE("a straggler stretches every rank's compute by its factor; 1 changes nothing") {
  auto req = base();
  req.global_batch = 4;
  auto device = gpu();
  device.bandwidth = {};  // compute-bound, no communication: step = compute
  auto r = train(gpt(), device, req);
  req.straggler = 1.2;
  auto s = train(gpt(), device, req);
  CHECK(s.compute.value() == Approx(1.2 * r.compute.value()));
  CHECK(s.step.value() == Approx(1.2 * r.step.value()));
  CHECK(s.mfu == Approx(r.mfu / 1.2));
  CHECK(s.step_bound.value() == Approx(r.step_bound.value()));  // the bound has no straggler
  req.straggler = 1;
  CHECK(train(gpt(), device, req).step.value() == r.step.value());
}
