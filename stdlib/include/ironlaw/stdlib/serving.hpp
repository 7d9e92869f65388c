#pragma once
// LLM serving: one decode step, one prefill pass, and a serving replica in
// steady state (TTFT, ITL, throughput, KV capacity, feasibility).
#include <optional>

#include "ironlaw/stdlib/comms.hpp"
#include "ironlaw/stdlib/hardware.hpp"
#include "ironlaw/stdlib/model.hpp"
#include "ironlaw/stdlib/precision.hpp"
#include "ironlaw/stdlib/roofline.hpp"

namespace ironlaw::stdlib {

// Tensor parallelism across `tp` devices joined by a scale-up link: two ring
// all-reduces of the activations per layer (Shoeybi et al., Megatron-LM, 2019,
// section 3), on the critical path (not overlapped), each costing
// alpha_0 + 2(tp-1) alpha + 2(tp-1)/tp M / B (collective_time).
struct tensor_parallel {
  double tp = 1;
  units::byte_rate link{};   // per direction; unused when tp == 1
  units::seconds latency{};  // alpha per all-reduce step
  double efficiency = 1;     // achieved fraction of the link for `time`; the bound uses 1
  units::seconds base{};     // alpha_0 per all-reduce (launch, synchronisation)
};

// The KV format that goes with a weight format: 16- and 8-bit floating formats
// keep their own; weight-only quantization (int8, int4, fp6, fp4) keeps a 16-bit cache.
precision default_kv_precision(precision weights);

// One forward pass on one device of a tp group: its roofline, the all-reduces,
// and the totals (bound at efficiency 1, time at the achieved efficiencies).
struct pass_time {
  roofline_point roof;
  units::seconds comm_bound{};
  units::seconds comm{};
  units::seconds overhead{};  // the runtime's fixed cost per pass (in `time`, not in the bound)
  units::seconds time_bound{};
  units::seconds time{};
};

struct decode_request {
  double batch = 1;      // sequences decoded together, > 0
  double context = 0;    // tokens already in each sequence's KV cache, >= 0
  precision weights = precision::fp16;
  precision kv = precision::fp16;
  efficiency achieved{};  // the efficiencies `itl` uses; itl_bound always uses 1
  tensor_parallel parallel{};
  double group_size = 0;  // weights per quantization scale; 0: the format's default
  units::seconds overhead{};  // fixed cost per pass: launches, framework, scheduling (in itl/ttft, not the bound)
};

struct decode_result {
  roofline_point step;           // the roofline of one decode step, per device
  units::seconds itl_bound{};    // inter-token latency at the peaks
  units::seconds itl{};          // inter-token latency at the achieved efficiencies
  units::seconds allreduce{};    // tensor-parallel communication per step (in itl)
  units::seconds overhead{};     // the runtime's fixed cost per step (in itl)
  units::flops flops{};          // per step, whole batch, per device
  units::bytes bytes{};          // per step, per device: weights read + KV cache read
  units::bytes weight_bytes{};   // weights read per step, per device
  units::bytes kv_bytes{};       // KV cache read per step, per device
  units::token_rate throughput{};  // batch / itl
  precision compute_precision = precision::fp16;  // the peak the matmuls run at
};

// Preconditions (checked by the caller): batch > 0, context >= 0, tp >= 1, and
// the hardware has a compute peak for the weights' precision or a wider one.
decode_result decode(const transformer_shape& model, const accelerator& hw, const decode_request& req);

// Weight bytes one step over `batch` tokens reads. Dense models read every
// weight, except an untied input embedding, of which each token gathers its
// own row; MoE layers read only the experts the batch routes to: with B tokens
// choosing k of E experts uniformly, E (1 - (1 - k/E)^B) distinct experts per layer.
// Quantized formats pay their group metadata (bytes_per_weight, `group` 0: the format's default).
units::bytes weight_bytes_per_step(const transformer_shape& model, double batch, precision weights, double group = 0);

struct prefill_request {
  double batch = 1;    // prompts prefilled together, > 0
  double prompt = 0;   // tokens per prompt, > 0
  double cached = 0;   // leading tokens of each prompt already in the KV cache (prefix cache), < prompt
  precision weights = precision::fp16;
  precision kv = precision::fp16;
  efficiency achieved{};
  tensor_parallel parallel{};
  double group_size = 0;  // weights per quantization scale; 0: the format's default
  units::seconds overhead{};  // fixed cost per pass: launches, framework, scheduling (in itl/ttft, not the bound)
};

struct prefill_result {
  pass_time pass;
  units::seconds ttft_bound{};
  units::seconds ttft{};
  units::flops flops{};         // per device
  units::bytes bytes{};         // per device: weights + KV written + cached prefix read
  units::bytes weight_bytes{};
  units::bytes kv_bytes{};
  units::token_rate throughput{};  // prompt tokens computed per second
  precision compute_precision = precision::fp16;
};

// Preconditions as for decode; prompt > cached >= 0.
prefill_result prefill(const transformer_shape& model, const accelerator& hw, const prefill_request& req);

enum class scheduler_kind { static_batching, continuous, chunked };
enum class allocator_kind { paged, contiguous };
enum class serve_limit { none, memory, latency, both };
constexpr const char* name_of(serve_limit l) {
  switch (l) {
    case serve_limit::none: return "none";
    case serve_limit::memory: return "memory";
    case serve_limit::latency: return "latency";
    case serve_limit::both: return "both";
  }
  return "none";
}

// A draft model proposing `tokens` tokens per step, each accepted with
// probability `acceptance`, verified by the target in one pass (Leviathan,
// Kalman and Matias, "Fast Inference from Transformers via Speculative
// Decoding", ICML 2023).
struct speculation {
  transformer_shape draft;
  double tokens = 4;       // gamma, >= 1
  double acceptance = 0;   // alpha, in (0, 1)
};

struct serve_request {
  double batch = 1;     // concurrent requests, > 0
  double prompt = 0;    // prompt tokens, > 0
  double output = 1;    // generated tokens, >= 1
  double context = 0;   // KV tokens reserved per request, >= prompt + output
  precision weights = precision::fp16;
  precision kv = precision::fp16;
  efficiency decode_eff{};
  efficiency prefill_eff{};
  tensor_parallel parallel{};
  scheduler_kind scheduler = scheduler_kind::continuous;
  double chunk = 512;          // prefill tokens per iteration (chunked), > 0
  allocator_kind allocator = allocator_kind::paged;
  double page = 16;            // tokens per KV block (paged), > 0
  double fragmentation = 0;    // share of the KV pool lost to fragmentation, in [0, 1)
  double reserve_fraction = 0;  // share of device memory the runtime keeps, in [0, 1)
  double prefix_hit = 0;       // share of prompt tokens served from the prefix cache, in [0, 1)
  std::optional<speculation> speculative;
  units::seconds max_ttft{};   // zero: no latency objective
  units::seconds max_itl{};
  double group_size = 0;       // weights per quantization scale; 0: the format's default
  units::seconds decode_overhead{};   // fixed cost per decode (or mixed) iteration
  units::seconds prefill_overhead{};  // fixed cost per prefill pass
  double rate = 0;             // request arrivals per second, for queueing; 0: none
};

struct serve_result {
  units::seconds ttft_bound{}, ttft{};
  units::seconds itl_bound{}, itl{};  // mean gap between tokens of a request (= TPOT)
  units::seconds itl_max{};           // the longest gap (a decode step stalled by a prefill)
  units::seconds e2e{};
  units::token_rate throughput{};        // output tokens per second, the whole replica
  units::token_rate throughput_per_gpu{};
  units::token_rate throughput_per_user{};
  units::request_rate requests{};
  units::bytes kv_cache_per_request{};   // at `context`, exact, whole model
  units::bytes kv_allocated_per_request{};  // per device, with pages, over-reservation and fragmentation
  units::bytes weights{};                // per device (with the draft's)
  units::bytes kv_cache{};               // per device at `batch`
  units::bytes memory_used{};            // weights + KV at `batch`, per device
  units::bytes memory_available{};       // device memory less the runtime reserve
  double max_batch = 0;                  // requests whose weights + KV fit at `context`
  bool feasible = false;
  serve_limit limit = serve_limit::none;
  bound bottleneck = bound::memory;       // of a decode step
  double tokens_per_step = 1;            // expected tokens per decode step (speculation)
  units::seconds allreduce{};            // per decode step
  double prefills_per_gap = 0;           // prefill iterations that land between two tokens of a request, on average
  // With `rate`: the replica as an M/D/1 queue of prefill work and its percentiles.
  double utilization = 0;                // arrival rate x time per request / batch
  units::seconds queue_wait{};           // mean wait before a request's prefill starts
  units::seconds ttft_p50{}, ttft_p90{}, ttft_p99{};
  units::seconds tpot_p50{}, tpot_p90{}, tpot_p99{};
  decode_result step;                    // the decode step at the mean context
  prefill_result first;                  // the prefill that gives TTFT
};

// Preconditions (checked by the caller): as for decode and prefill; output >= 1;
// context >= prompt + output and <= the model's maximum.
serve_result serve(const transformer_shape& model, const accelerator& hw, const serve_request& req);

}  // namespace ironlaw::stdlib
