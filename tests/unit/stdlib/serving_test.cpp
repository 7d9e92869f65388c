#include <catch2/catch.hpp>

#include <cmath>

#include "ironlaw/stdlib/serving.hpp"

using namespace ironlaw::stdlib;
namespace u = ironlaw::stdlib::units;

namespace {

transformer_shape llama3_8b() {
  transformer_shape s;
  s.layers = 32;
  s.d_model = 4096;
  s.heads = 32;
  s.kv_heads = 8;
  s.head_dim = 128;
  s.ffn = 14336;
  s.vocab = 128256;
  s.context = 8192;
  return s;
}

accelerator gpu(double fp16_tflops, double tb_per_s) {
  accelerator a;
  a.name = "test";
  a.peak[static_cast<std::size_t>(precision::fp16)] = fp16_tflops * 1e12 * u::flop / u::second;
  a.bandwidth = tb_per_s * 1e12 * u::byte / u::second;
  a.memory = 80.0 * (1ull << 30) * u::byte;
  return a;
}

}  // namespace

TEST_CASE("A1: the roofline of 16 GB and 32 GFLOP on an H100") {
  auto r = roofline(32e9 * u::flop, 16e9 * u::byte, 989e12 * u::flop / u::second, 3.35e12 * u::byte / u::second);
  CHECK(r.memory_time.value() == Approx(4.776e-3).epsilon(1e-3));
  CHECK(r.compute_time.value() == Approx(0.0324e-3).epsilon(1e-2));
  CHECK(r.bottleneck == bound::memory);
  CHECK(r.ridge.value() == Approx(295.2).epsilon(1e-3));
  CHECK(r.intensity.value() == Approx(2));
}

TEST_CASE("A3: batch-1 decode is the weights over the bandwidth, the input embedding gathered") {
  auto r = decode(llama3_8b(), gpu(989.4, 3.35), {});
  // By hand: 8,030,261,248 parameters less the 128,256 x 4,096 = 525,336,576
  // of the input table, plus the one 4,096-wide row the token gathers:
  // 7,504,928,768 x 2 B = 15.010 GB; / 3.35 TB/s = 4.4806 ms (was 16.06 GB, 4.79 ms).
  CHECK(r.weight_bytes.value() == Approx(7504928768.0 * 2));
  CHECK(r.itl_bound.value() == Approx(7504928768.0 * 2 / 3.35e12));
  CHECK(r.step.bottleneck == bound::memory);
  CHECK(r.itl == r.itl_bound);  // efficiency 1 by default
}

TEST_CASE("A2: A100 to H100 decode speedup is the bandwidth ratio") {
  auto a100 = decode(llama3_8b(), gpu(312, 2.039), {});
  auto h100 = decode(llama3_8b(), gpu(989.4, 3.35), {});
  CHECK((a100.itl_bound / h100.itl_bound).value() == Approx(1.643).epsilon(1e-3));
  auto a100_2tb = decode(llama3_8b(), gpu(312, 2.0), {});
  CHECK((a100_2tb.itl_bound / h100.itl_bound).value() == Approx(1.675).epsilon(1e-3));
}

TEST_CASE("decode ITL never decreases with batch") {
  for (double context : {0.0, 1024.0, 8192.0}) {
    double previous = 0;
    for (double batch : {1.0, 2.0, 8.0, 32.0, 128.0, 512.0, 2048.0}) {
      decode_request req;
      req.batch = batch;
      req.context = context;
      auto r = decode(llama3_8b(), gpu(989.4, 3.35), req);
      CHECK(r.itl.value() >= previous);
      previous = r.itl.value();
    }
  }
}

TEST_CASE("decode turns compute-bound where the weights' intensity passes the ridge") {
  // With no KV cache, fp16 intensity = batch FLOP/B (2 FLOPs per weight read
  // over 2 bytes; the input table is gathered, so the FLOPs and the bytes
  // count the same weights): the ridge of 989.4 / 3.35 = 295 FLOP/B is
  // crossed at batch 295.
  decode_request small, large;
  small.batch = 290;
  large.batch = 300;
  CHECK(decode(llama3_8b(), gpu(989.4, 3.35), small).step.bottleneck == bound::memory);
  CHECK(decode(llama3_8b(), gpu(989.4, 3.35), large).step.bottleneck == bound::compute);
  // With a long context the KV cache dominates and GQA attention stays memory-bound.
  large.context = 4096;
  CHECK(decode(llama3_8b(), gpu(989.4, 3.35), large).step.bottleneck == bound::memory);
}

TEST_CASE("the achieved efficiencies scale the expected ITL, not the bound") {
  decode_request req;
  req.achieved = {0.6, 0.7};
  auto r = decode(llama3_8b(), gpu(989.4, 3.35), req);
  CHECK(r.itl.value() == Approx(r.itl_bound.value() / 0.7));
}

TEST_CASE("KV cache traffic grows linearly with context") {
  decode_request a, b;
  a.context = 2048;
  b.context = 4096;
  auto ra = decode(llama3_8b(), gpu(989.4, 3.35), a);
  auto rb = decode(llama3_8b(), gpu(989.4, 3.35), b);
  CHECK(rb.kv_bytes.value() == Approx(2 * ra.kv_bytes.value()));
  CHECK(ra.kv_bytes.value() == Approx(2048 * 131072.0));
}

TEST_CASE("int4 weights read half a byte plus their group's scale and zero, and run at the 16-bit peak") {
  decode_request req;
  req.weights = precision::int4;
  req.kv = precision::fp16;
  auto r = decode(llama3_8b(), gpu(989.4, 3.35), req);
  // default group 128: 0.5 B + (2 B scale + 2 B zero) / 128 = 0.53125 B per weight
  CHECK(r.weight_bytes.value() == Approx(7504928768.0 * 0.53125));
  CHECK(r.compute_precision == precision::fp16);
  // gpt-fast's G=32: 0.5 + 4 / 32 = 0.625 B, a quarter more than the bare nibbles
  req.group_size = 32;
  CHECK(decode(llama3_8b(), gpu(989.4, 3.35), req).weight_bytes.value() == Approx(7504928768.0 * 0.625));
  CHECK(bytes_per_weight(precision::fp4) == Approx(0.5 + 1.0 / 16));  // NVFP4: fp8 scale per 16
  CHECK(bytes_per_weight(precision::int8) == 1);
  CHECK(bytes_per_weight(precision::bf16, 32) == 2);  // no metadata for unquantized formats
}

TEST_CASE("MoE decode reads only the experts the batch routes to") {
  transformer_shape m = llama3_8b();
  m.experts = 8;
  m.experts_active = 2;
  m.expert_ffn = 14336;
  auto one = weight_bytes_per_step(m, 1, precision::fp16);
  auto many = weight_bytes_per_step(m, 64, precision::fp16);
  auto params = count_parameters(m);
  // batch 1: exactly the active weights, the input table gathered (one row)
  CHECK(one.value() == Approx(2 * (params.active - params.embedding + m.d_model)));
  // a large batch touches every expert (and 64 rows of the table)
  CHECK(many.value() == Approx(2 * (params.total - params.embedding + 64 * m.d_model)).epsilon(1e-3));
}

TEST_CASE("the input embedding is a gather; a tied table is read whole by the output projection") {
  auto untied = llama3_8b();
  auto tied = untied;
  tied.tied_embeddings = true;
  double table = untied.vocab * untied.d_model;
  // untied: batch B reads B rows of the input table
  CHECK((weight_bytes_per_step(untied, 16, precision::fp16) - weight_bytes_per_step(untied, 1, precision::fp16)).value() ==
        Approx(2 * 15 * untied.d_model));
  CHECK(weight_bytes_per_step(untied, 1, precision::fp16).value() ==
        Approx(2 * (count_parameters(untied).total - table + untied.d_model)));
  // tied: every weight, at any batch
  CHECK(weight_bytes_per_step(tied, 1, precision::fp16).value() == Approx(2 * count_parameters(tied).total));
  // a prefill of more tokens than the vocabulary reads at most the whole table
  CHECK(weight_bytes_per_step(untied, 1e6, precision::fp16).value() == Approx(2 * count_parameters(untied).total));
}

// ---- prefill and serve ------------------------------------------------------------------

namespace {

serve_request plain(double batch, double prompt, double output) {
  serve_request r;
  r.batch = batch;
  r.prompt = prompt;
  r.output = output;
  r.context = prompt + output;
  return r;
}

}  // namespace

TEST_CASE("prefill FLOPs: 2 N per token plus causal attention at the mean key count") {
  prefill_request req;
  req.prompt = 2048;
  auto r = prefill(llama3_8b(), gpu(989.4, 3.35), req);
  // matmul weights 8,030,261,248 - 525,336,576 (embedding) = 7,504,924,672;
  // attention 2 x 32 x 1023.5 x (4096 + 4096) per token at the mean of 0..2047 keys.
  double per_token = 2 * 7504924672.0 + 2 * 32 * 1023.5 * 8192;
  CHECK(r.flops.value() == Approx(2048 * per_token));
  CHECK(r.pass.roof.bottleneck == bound::compute);
  CHECK(r.ttft_bound.value() == Approx(2048 * per_token / 989.4e12));
  // 2048 tokens of KV written: 2048 x 128 KiB.
  CHECK(r.kv_bytes.value() == Approx(2048 * 131072.0));
}

TEST_CASE("a cached prefix removes its tokens from prefill compute") {
  prefill_request full, half;
  full.prompt = half.prompt = 4096;
  half.cached = 2048;
  auto a = prefill(llama3_8b(), gpu(989.4, 3.35), full);
  auto b = prefill(llama3_8b(), gpu(989.4, 3.35), half);
  CHECK(b.ttft < a.ttft);
  // The cached half still costs attention: later tokens see the whole prefix.
  CHECK(b.flops.value() > 0.5 * a.flops.value());
}

TEST_CASE("A4 and A5: KV per request and the batch that fits an H100") {
  auto req = plain(1, 3840, 256);
  auto r = serve(llama3_8b(), gpu(989.4, 3.35), req);  // 80 GiB, no reserve, no fragmentation
  CHECK(r.kv_cache_per_request.value() == Approx(512.0 * (1 << 20)));
  // (85.899e9 - 16.06e9) / 536.87e6 = 130.08 -> 130 with 80 GiB.
  CHECK(r.max_batch == 130);
  auto gb80 = gpu(989.4, 3.35);
  gb80.memory = 80e9 * u::byte;
  CHECK(serve(llama3_8b(), gb80, req).max_batch == 119);  // (80e9 - 16.06e9) / 536.87e6 = 119.1
  // With the runtime reserve (0.1) and paged fragmentation (0.04):
  // (77.31e9 - 16.06e9) x 0.96 / 536.87e6 = 109.5 -> 109.
  req.reserve_fraction = 0.1;
  req.fragmentation = 0.04;
  CHECK(serve(llama3_8b(), gpu(989.4, 3.35), req).max_batch == 109);
}

TEST_CASE("a contiguous allocator reserves the model's maximum context per request") {
  auto req = plain(1, 1000, 24);
  req.allocator = allocator_kind::contiguous;
  auto r = serve(llama3_8b(), gpu(989.4, 3.35), req);
  CHECK(r.kv_allocated_per_request.value() == Approx(8192 * 131072.0));
  req.allocator = allocator_kind::paged;  // 1024 tokens in 64 pages of 16
  CHECK(serve(llama3_8b(), gpu(989.4, 3.35), req).kv_allocated_per_request.value() == Approx(1024 * 131072.0));
  req.context = 1025;  // rounds up to 65 pages
  CHECK(serve(llama3_8b(), gpu(989.4, 3.35), req).kv_allocated_per_request.value() == Approx(1040 * 131072.0));
}

TEST_CASE("feasibility names what fails: memory, latency or both") {
  auto req = plain(200, 3840, 256);  // 200 > 130
  auto r = serve(llama3_8b(), gpu(989.4, 3.35), req);
  CHECK_FALSE(r.feasible);
  CHECK(r.limit == serve_limit::memory);
  req.max_itl = 1e-3 * u::second;
  CHECK(serve(llama3_8b(), gpu(989.4, 3.35), req).limit == serve_limit::both);
  req.batch = 8;
  CHECK(serve(llama3_8b(), gpu(989.4, 3.35), req).limit == serve_limit::latency);
  req.max_itl = 1.0 * u::second;
  CHECK(serve(llama3_8b(), gpu(989.4, 3.35), req).feasible);
  CHECK(serve(llama3_8b(), gpu(989.4, 3.35), req).limit == serve_limit::none);
}

TEST_CASE("serve ITL never decreases with batch, under every scheduler") {
  for (auto s : {scheduler_kind::static_batching, scheduler_kind::continuous, scheduler_kind::chunked}) {
    double previous = 0;
    for (double batch : {1.0, 4.0, 16.0, 64.0, 128.0}) {
      auto req = plain(batch, 1024, 256);
      req.scheduler = s;
      auto r = serve(llama3_8b(), gpu(989.4, 3.35), req);
      CHECK(r.itl.value() >= previous);
      CHECK(r.itl_bound <= r.itl);
      previous = r.itl.value();
    }
  }
}

TEST_CASE("the scheduler moves TTFT by multiples") {
  auto req = plain(32, 2048, 256);
  req.scheduler = scheduler_kind::continuous;
  auto cont = serve(llama3_8b(), gpu(989.4, 3.35), req);
  req.scheduler = scheduler_kind::static_batching;
  auto stat = serve(llama3_8b(), gpu(989.4, 3.35), req);
  req.scheduler = scheduler_kind::chunked;
  req.chunk = 256;
  auto chunked = serve(llama3_8b(), gpu(989.4, 3.35), req);
  // Static prefills 32 prompts together, compute-bound: ~32x the single prompt.
  CHECK(stat.ttft.value() == Approx(32 * cont.ttft.value()).epsilon(0.05));
  // Chunked: 8 iterations of 256 prompt tokens beside 32 decodes.
  CHECK(chunked.ttft > cont.ttft);
  CHECK(chunked.ttft.value() < 3 * cont.ttft.value());
  // Continuous stalls decodes with whole prefills; chunked caps the gap.
  CHECK(chunked.itl_max < cont.itl_max);
}

TEST_CASE("speculative decoding: expected tokens per step from Leviathan et al.") {
  auto req = plain(1, 512, 256);
  transformer_shape draft = llama3_8b();
  draft.layers = 4;  // a small draft sharing the vocabulary
  req.speculative = speculation{draft, 4, 0.8};
  auto r = serve(llama3_8b(), gpu(989.4, 3.35), req);
  // (1 - 0.8^5) / (1 - 0.8) = 3.3616.
  CHECK(r.tokens_per_step == Approx(3.3616));
  auto base = serve(llama3_8b(), gpu(989.4, 3.35), plain(1, 512, 256));
  CHECK(r.itl < base.itl);  // memory-bound at batch 1: verifying 5 tokens costs about one step
  CHECK(r.weights > base.weights);  // the draft's weights share the device
}

TEST_CASE("tensor parallel: ring all-reduces per layer, weights and KV split") {
  auto req = plain(8, 1024, 256);
  req.parallel = {2, 450e9 * u::byte / u::second, {}, 1};
  auto r = serve(llama3_8b(), gpu(989.4, 3.35), req);
  // Two all-reduces per layer of 8 tokens x 4096 x 2 B = 65,536 B each:
  // 2 x 32 x (2 x 1/2 x 65536 / 450e9) = 9.32 us.
  CHECK(r.allreduce.value() == Approx(64 * 65536 / 450e9));
  CHECK(r.weights.value() == Approx(16.06e9 / 2).epsilon(1e-3));
  CHECK(collective_time(collective_op::allreduce, 14e9 * u::byte, 64, {50e9 * u::byte / u::second}).value() ==
        Approx(0.55125));
}

TEST_CASE("tensor parallel: every all-reduce pays alpha_0 + 2(tp-1) alpha (NCCL's ring LL latencies)") {
  // Llama-2-70B decode at batch 1 on 8 A100s over NVLink3: 80 layers x 2
  // all-reduces of 8192 x 2 B. By hand, with NCCL's NVLink ring LL figures
  // (alpha_0 6.6 us, alpha 0.6 us): each costs 6.6 + 14 x 0.6 = 15.0 us of
  // latency plus 2 x 7/8 x 16384 B / 300 GB/s = 0.096 us: 160 x 15.096 us = 2.415 ms.
  auto req = plain(1, 5, 1);
  req.parallel = {8, 300e9 * u::byte / u::second, 0.6e-6 * u::second, 1, 6.6e-6 * u::second};
  transformer_shape llama2_70b = llama3_8b();
  llama2_70b.layers = 80;
  llama2_70b.d_model = 8192;
  auto d = decode(llama2_70b, gpu(312, 2.039), {1, 5, precision::bf16, precision::bf16, {}, req.parallel});
  CHECK(d.allreduce.value() == Approx(160 * (15.0e-6 + 2 * 7.0 / 8 * 16384 / 300e9)));
  // Without alpha_0 and alpha the same step charges only the bandwidth term, ~15 ns.
  req.parallel.latency = {};
  req.parallel.base = {};
  auto free = decode(llama2_70b, gpu(312, 2.039), {1, 5, precision::bf16, precision::bf16, {}, req.parallel});
  CHECK(free.allreduce.value() == Approx(160 * 2 * 7.0 / 8 * 16384 / 300e9));
}

TEST_CASE("chunked prefill packs several prompts into one iteration") {
  // 32 prompts of 100 tokens, chunk 512: 32 x 100 / 512 = 6.25 mixed
  // iterations per cycle (one prompt per iteration would be 32), so `chunk`
  // matters even though every prompt is shorter than it.
  auto req = plain(32, 100, 256);
  req.scheduler = scheduler_kind::chunked;
  req.chunk = 512;
  auto packed = serve(llama3_8b(), gpu(989.4, 3.35), req);
  CHECK(packed.prefills_per_gap == Approx(32 * 100.0 / 512 / 256));
  req.chunk = 2048;
  auto wider = serve(llama3_8b(), gpu(989.4, 3.35), req);
  CHECK(wider.prefills_per_gap == Approx(32 * 100.0 / 2048 / 256));
  CHECK(wider.itl.value() != Approx(packed.itl.value()));
  // TTFT: one iteration carries a whole 100-token prompt either way
  CHECK(packed.ttft < wider.ttft);  // a wider chunk makes that iteration longer
}

TEST_CASE("itl_max holds the prefills that land between two tokens, never less than the mean") {
  // continuous, batch 64, output 16: 64 / 16 = 4 prefills per gap on average;
  // the longest gap is a step and 4 prefills, which here is also the mean.
  auto req = plain(64, 512, 16);
  req.scheduler = scheduler_kind::continuous;
  auto r = serve(llama3_8b(), gpu(989.4, 3.35), req);
  CHECK(r.prefills_per_gap == Approx(4));
  CHECK(r.itl_max.value() == Approx(r.step.itl.value() + 4 * r.first.ttft.value()));
  CHECK(r.itl_max.value() >= r.itl.value() * (1 - 1e-12));
  // 6 per gap on average over 16 tokens (batch 96): the longest holds 6
  req.batch = 96;
  auto more = serve(llama3_8b(), gpu(989.4, 3.35), req);
  CHECK(more.itl_max.value() == Approx(more.step.itl.value() + 6 * more.first.ttft.value()));
  for (auto s : {scheduler_kind::static_batching, scheduler_kind::continuous, scheduler_kind::chunked})
    for (double batch : {1.0, 8.0, 64.0, 256.0}) {
      auto q = plain(batch, 2048, 32);
      q.scheduler = s;
      q.chunk = 256;
      auto x = serve(llama3_8b(), gpu(989.4, 3.35), q);
      CHECK(x.itl_max.value() >= x.itl.value() * (1 - 1e-9));
    }
}

TEST_CASE("TTFT and TPOT percentiles: queueing for a slot, prefills arriving during a decode") {
  auto req = plain(8, 512, 8);
  req.scheduler = scheduler_kind::continuous;
  auto sat = serve(llama3_8b(), gpu(989.4, 3.35), req);
  // No rate: saturated, no queue; TPOT's Poisson mean is the batch (8), so its
  // median (8) gives the mean ITL and its 99th percentile (15) 15/8 prefills per token.
  CHECK(sat.ttft_p99 == sat.ttft);
  CHECK(sat.tpot_p50.value() == Approx(sat.step.itl.value() + 8 * sat.first.ttft.value() / 8));
  CHECK(sat.tpot_p50.value() == Approx(sat.itl.value()));
  CHECK(sat.tpot_p99.value() == Approx(sat.step.itl.value() + 15 * sat.first.ttft.value() / 8));
  // At 80 % of capacity a request may wait for a slot: the tail grows, the median less so.
  req.rate = 0.8 * sat.requests.value();
  auto loaded = serve(llama3_8b(), gpu(989.4, 3.35), req);
  CHECK(loaded.utilization == Approx(0.8));
  CHECK(loaded.queue_wait.value() > 0);
  CHECK(loaded.ttft_p50 <= loaded.ttft_p90);
  CHECK(loaded.ttft_p90 <= loaded.ttft_p99);
  CHECK(loaded.ttft_p99 > loaded.ttft);
  CHECK(loaded.tpot_p99 < sat.tpot_p99);  // fewer arrivals while decoding than at saturation
  // Past capacity the queue never drains.
  req.rate = 1.2 * sat.requests.value();
  auto over = serve(llama3_8b(), gpu(989.4, 3.35), req);
  CHECK(std::isinf(over.ttft_p99.value()));
  // Static batches admit nobody mid-batch: every TPOT is the mean.
  req.rate = 0;
  req.scheduler = scheduler_kind::static_batching;
  auto stat = serve(llama3_8b(), gpu(989.4, 3.35), req);
  CHECK(stat.tpot_p99 == stat.itl);
}

TEST_CASE("a runtime's fixed cost per pass is in the time, not in the bound") {
  decode_request req;
  req.overhead = 0.5e-3 * u::second;
  auto r = decode(llama3_8b(), gpu(989.4, 3.35), req);
  CHECK(r.itl.value() == Approx(7504928768.0 * 2 / 3.35e12 + 0.5e-3));
  CHECK(r.itl_bound.value() == Approx(7504928768.0 * 2 / 3.35e12));
  prefill_request p;
  p.prompt = 128;
  p.overhead = 2e-3 * u::second;
  auto with = prefill(llama3_8b(), gpu(989.4, 3.35), p);
  p.overhead = {};
  auto without = prefill(llama3_8b(), gpu(989.4, 3.35), p);
  CHECK((with.ttft - without.ttft).value() == Approx(2e-3));
  CHECK(with.ttft_bound == without.ttft_bound);
}
