#include "ironlaw/stdlib/serving.hpp"

#include <algorithm>
#include <boost/math/special_functions/erf.hpp>
#include <cmath>
#include <limits>

#include "ironlaw/stdlib/memory.hpp"
#include "ironlaw/stdlib/queueing.hpp"

namespace ironlaw::stdlib {
namespace {

units::flop_rate compute_rate(const accelerator& hw, precision weights, precision& used) {
  auto peak = effective_peak(hw, weights);
  used = peak ? peak->used : weights;
  return peak ? peak->rate : units::flop_rate{};
}

units::bytes kv_bytes_per_token(const transformer_shape& model, precision kv) {
  return kv_elements_per_token(model) * bytes_per_element(kv) * units::byte;
}

// One pass over `tokens` tokens on one device of the tp group: the roofline of
// its share, plus two all-reduces of the 16-bit activations per layer.
pass_time run_pass(const transformer_shape& model, units::flops work, units::bytes traffic, double tokens,
                   units::flop_rate peak, units::byte_rate bandwidth, const tensor_parallel& par, efficiency eff) {
  pass_time p;
  p.roof = roofline(work, traffic, peak, bandwidth, eff);
  if (par.tp > 1) {
    auto message = tokens * model.d_model * 2 * units::byte;
    link l{par.link, par.latency, par.base};
    auto one = collective_time(collective_op::allreduce, message, par.tp, l);
    auto one_achieved = collective_time(collective_op::allreduce, message, par.tp, l, par.efficiency);
    p.comm_bound = 2 * model.layers * one;
    p.comm = 2 * model.layers * one_achieved;
  }
  p.time_bound = p.roof.time_bound + p.comm_bound;
  p.time = p.roof.time + p.comm;
  return p;
}

// A verification or decode pass: `per_seq` new tokens for each of `batch`
// sequences that hold `context` tokens of cache.
pass_time decode_like_pass(const transformer_shape& model, const accelerator& hw, double batch, double per_seq,
                           double context, precision weights, double group, precision kv, const tensor_parallel& par,
                           efficiency eff, precision& used, units::bytes& weight_bytes, units::bytes& kv_read,
                           units::flops& work) {
  auto peak = compute_rate(hw, weights, used);
  work = batch * per_seq * forward_flops_per_token(model, context) / par.tp;
  weight_bytes = weight_bytes_per_step(model, batch * per_seq, weights, group) / par.tp;
  kv_read = batch * context * kv_bytes_per_token(model, kv) / kv_shards(model, par.tp);
  return run_pass(model, work, weight_bytes + kv_read, batch * per_seq, peak, hw.bandwidth, par, eff);
}

}  // namespace

precision default_kv_precision(precision weights) {
  bool weight_only = weights == precision::int8 || bytes_per_element(weights) < 1;
  return weight_only ? precision::fp16 : weights;
}

units::bytes weight_bytes_per_step(const transformer_shape& model, double batch, precision weights, double group) {
  auto params = count_parameters(model);
  double read = params.total;
  if (model.experts > 0) {
    double touched = model.experts * (1 - std::pow(1 - model.experts_active / model.experts, batch));
    read = params.total - params.moe_layers * (model.experts - touched) * params.per_expert;
  }
  // The input embedding is a gather: each token reads its own row of the
  // table (and of the learned positions), not the table. A tied table is read
  // whole anyway, by the output projection.
  read += (std::min(batch, model.positions) - model.positions) * model.d_model;
  if (!model.tied_embeddings) read += (std::min(batch, model.vocab) - model.vocab) * model.d_model;
  return read * bytes_per_weight(weights, group) * units::byte;
}

decode_result decode(const transformer_shape& model, const accelerator& hw, const decode_request& req) {
  decode_result r;
  auto pass = decode_like_pass(model, hw, req.batch, 1, req.context, req.weights, req.group_size, req.kv, req.parallel,
                               req.achieved, r.compute_precision, r.weight_bytes, r.kv_bytes, r.flops);
  r.bytes = r.weight_bytes + r.kv_bytes;
  r.step = pass.roof;
  r.allreduce = pass.comm;
  r.overhead = req.overhead;
  r.itl_bound = pass.time_bound;
  r.itl = pass.time + req.overhead;
  r.throughput = req.batch * units::token / r.itl;
  return r;
}

prefill_result prefill(const transformer_shape& model, const accelerator& hw, const prefill_request& req) {
  prefill_result r;
  auto peak = compute_rate(hw, req.weights, r.compute_precision);
  double computed = req.prompt - req.cached;
  // FLOPs per token are linear in the keys attended to, so the sum over a
  // causal prompt is the count times the FLOPs at the mean key count.
  double mean_keys = (req.cached + req.prompt - 1) / 2;
  double tokens = req.batch * computed;
  r.flops = tokens * forward_flops_per_token(model, mean_keys) / req.parallel.tp;
  r.weight_bytes = weight_bytes_per_step(model, tokens, req.weights, req.group_size) / req.parallel.tp;
  // The pass writes the new tokens' keys and values and reads the cached prefix's.
  r.kv_bytes = req.batch * req.prompt * kv_bytes_per_token(model, req.kv) / kv_shards(model, req.parallel.tp);
  r.bytes = r.weight_bytes + r.kv_bytes;
  r.pass = run_pass(model, r.flops, r.bytes, tokens, peak, hw.bandwidth, req.parallel, req.achieved);
  r.pass.overhead = req.overhead;
  r.pass.time += req.overhead;
  r.ttft_bound = r.pass.time_bound;
  r.ttft = r.pass.time;
  r.throughput = tokens * units::token / r.ttft;
  return r;
}

namespace {

struct step_cost {
  units::seconds bound{}, time{};
};

// One chunked-prefill iteration: the decode batch plus `chunk` prompt tokens
// (Agrawal et al., Sarathi-Serve, OSDI 2024).
step_cost hybrid_step(const transformer_shape& model, const accelerator& hw, const serve_request& req, double context,
                      double chunk) {
  precision used;
  auto peak = compute_rate(hw, req.weights, used);
  double cached = req.prompt * req.prefix_hit;
  double mean_keys = (cached + req.prompt - 1) / 2;
  double tp = req.parallel.tp;
  auto work = (req.batch * forward_flops_per_token(model, context) + chunk * forward_flops_per_token(model, mean_keys)) / tp;
  auto kv_tok = kv_bytes_per_token(model, req.kv) / kv_shards(model, tp);
  auto traffic = weight_bytes_per_step(model, req.batch + chunk, req.weights, req.group_size) / tp +
                 (req.batch * context + chunk + (cached + req.prompt) / 2) * kv_tok;
  // Prefill's compute efficiency governs the mixed pass: its FLOPs dominate.
  efficiency eff{req.prefill_eff.compute, req.decode_eff.bandwidth};
  auto p = run_pass(model, work, traffic, req.batch + chunk, peak, hw.bandwidth, req.parallel, eff);
  return {p.time_bound, p.time + req.decode_overhead};
}

// The q-quantile of a Poisson count of mean m: the least k with P(N <= k) >= q
// (summed term by term; past a mean of 10^4, its normal approximation).
double poisson_quantile(double m, double q) {
  if (m <= 0) return 0;
  if (m > 1e4) return std::ceil(m + std::sqrt(2.0) * boost::math::erf_inv(2 * q - 1) * std::sqrt(m));
  double log_pmf = -m, cdf = 0;
  for (double k = 0;; ++k) {
    cdf += std::exp(log_pmf);
    if (cdf >= q || k > m + 50 * std::sqrt(m) + 50) return k;
    log_pmf += std::log(m) - std::log(k + 1);
  }
}

// Latency under load. Requests arrive as a Poisson stream at `rate` (without
// one, at the replica's own capacity: saturated, every slot refilled at once,
// no queue). TTFT: a request waits for one of `batch` slots, each turned over
// every batch / capacity seconds, an M/M/c queue (Erlang C, `mmc`), then
// prefills. TPOT: the prefills of the requests that arrive while a request
// decodes (a Poisson count of mean rate x its decode time) stall its steps,
// so its gap is the plain step plus that count's prefill work per token; a
// static batch admits nobody mid-batch, so its TPOT is fixed.
void under_load(const serve_request& req, units::seconds prefill_work, units::seconds step, double per_step,
                serve_result& r) {
  const double capacity = r.requests.value();
  const double lambda = req.rate > 0 ? req.rate : capacity;
  const double out = req.output;
  r.utilization = lambda / capacity;
  r.ttft_p50 = r.ttft_p90 = r.ttft_p99 = r.ttft;
  if (req.rate > 0) {
    auto slot = req.batch / capacity * units::second;
    auto q = mmc(lambda / units::second, slot, req.batch);
    r.queue_wait = q.mean_wait;
    r.ttft_p50 = r.ttft + wait_quantile(q, slot, 0.50);
    r.ttft_p90 = r.ttft + wait_quantile(q, slot, 0.90);
    r.ttft_p99 = r.ttft + wait_quantile(q, slot, 0.99);
  }
  auto tpot = [&](double quantile) -> units::seconds {
    if (req.scheduler == scheduler_kind::static_batching) return r.itl;
    if (!(r.utilization < 1.0 + 1e-9)) return r.itl * std::numeric_limits<double>::infinity();
    double arrivals = poisson_quantile(lambda * (out * r.itl).value(), quantile);
    return step / per_step + arrivals * prefill_work / out;
  };
  r.tpot_p50 = tpot(0.50);
  r.tpot_p90 = tpot(0.90);
  r.tpot_p99 = tpot(0.99);
}

}  // namespace

serve_result serve(const transformer_shape& model, const accelerator& hw, const serve_request& req) {
  serve_result r;
  const double tp = req.parallel.tp;
  auto kv_tok = kv_bytes_per_token(model, req.kv);

  // ---- memory: weights + KV cache per device -----------------------------------------
  r.kv_cache_per_request = req.context * kv_tok;
  double reserved_tokens =
      req.allocator == allocator_kind::contiguous ? model.context : std::ceil(req.context / req.page) * req.page;
  r.kv_allocated_per_request = reserved_tokens * kv_tok / kv_shards(model, tp) / (1 - req.fragmentation);
  r.weights = count_parameters(model).total * bytes_per_weight(req.weights, req.group_size) * units::byte / tp;
  if (req.speculative) {
    // The draft runs unsharded beside each rank's shard of the target.
    const auto& d = req.speculative->draft;
    r.weights += count_parameters(d).total * bytes_per_weight(req.weights, req.group_size) * units::byte;
    r.kv_allocated_per_request += reserved_tokens * kv_bytes_per_token(d, req.kv) / (1 - req.fragmentation);
  }
  r.memory_available = (1 - req.reserve_fraction) * hw.memory;
  r.kv_cache = req.batch * r.kv_allocated_per_request;
  r.memory_used = r.weights + r.kv_cache;
  r.max_batch = std::max(0.0, std::floor(((r.memory_available - r.weights) / r.kv_allocated_per_request).value()));
  bool fits = r.memory_used <= r.memory_available;

  // ---- decode: one step at the mean context of a request's life ------------------------
  double context = req.prompt + req.output / 2;
  decode_request dr{req.batch, context, req.weights, req.kv, req.decode_eff, req.parallel, req.group_size,
                    req.decode_overhead};
  r.step = decode(model, hw, dr);
  step_cost step{r.step.itl_bound, r.step.itl};
  r.bottleneck = r.step.step.bottleneck;
  r.allreduce = r.step.allreduce;
  if (req.speculative) {
    const auto& s = *req.speculative;
    decode_request draft_req{req.batch, context, req.weights, req.kv, req.decode_eff, {}, req.group_size,
                             req.decode_overhead};
    auto draft = decode(s.draft, hw, draft_req);
    precision used;
    units::bytes wb, kb;
    units::flops work;
    auto verify = decode_like_pass(model, hw, req.batch, s.tokens + 1, context, req.weights, req.group_size, req.kv,
                                   req.parallel, req.decode_eff, used, wb, kb, work);
    step.bound = s.tokens * draft.itl_bound + verify.time_bound;
    step.time = s.tokens * draft.itl + verify.time + req.decode_overhead;
    r.bottleneck = verify.roof.bottleneck;
    r.allreduce = verify.comm;
    // Expected tokens per step with i.i.d. acceptance (Leviathan et al. 2023, eq. 1).
    r.tokens_per_step = (1 - std::pow(s.acceptance, s.tokens + 1)) / (1 - s.acceptance);
  }
  const double per_step = r.tokens_per_step;
  const double out = req.output;

  // ---- prefill and the scheduler ------------------------------------------------------
  double cached = req.prompt * req.prefix_hit;
  prefill_request pr{req.scheduler == scheduler_kind::static_batching ? req.batch : 1,
                     req.prompt,
                     cached,
                     req.weights,
                     req.kv,
                     req.prefill_eff,
                     req.parallel,
                     req.group_size,
                     req.prefill_overhead};
  r.first = prefill(model, hw, pr);
  step_cost first{r.first.ttft_bound, r.first.ttft};
  step_cost cycle;  // the time in which each running request emits `output` tokens
  units::seconds work_per_arrival{};  // what one arriving request's prefill adds to the running batch's iterations
  switch (req.scheduler) {
    case scheduler_kind::static_batching:
      r.ttft_bound = first.bound;
      r.ttft = first.time;
      cycle = {first.bound + out / per_step * step.bound, first.time + out / per_step * step.time};
      r.itl_bound = step.bound / per_step;
      r.itl = step.time / per_step;
      r.itl_max = step.time;
      break;
    case scheduler_kind::continuous:
      // Every request's prefill is an iteration of its own that stalls the
      // batch: `batch` of them per `output` tokens, so batch / output land
      // between two tokens on average and the longest gap holds the next
      // whole number of them.
      r.ttft_bound = first.bound;
      r.ttft = first.time;
      cycle = {out / per_step * step.bound + req.batch * first.bound, out / per_step * step.time + req.batch * first.time};
      r.itl_bound = cycle.bound / out;
      r.itl = cycle.time / out;
      r.prefills_per_gap = req.batch / out;
      work_per_arrival = first.time;
      r.itl_max = step.time + std::ceil(r.prefills_per_gap) * first.time;
      break;
    case scheduler_kind::chunked: {
      // Sarathi-Serve packs prompts: each iteration carries the running
      // batch's decodes and up to `chunk` prompt tokens, from as many waiting
      // requests as fill it, so a cycle needs batch x (prompt - cached) / chunk
      // mixed iterations, not batch x ceil(prompt / chunk).
      double computed = req.prompt - cached;
      double per_iteration = std::min(req.chunk, req.batch * computed);
      auto hybrid = hybrid_step(model, hw, req, context, per_iteration);
      double hybrid_steps = req.batch * computed / per_iteration;
      double plain_steps = std::max(0.0, out - hybrid_steps) / per_step;
      r.ttft_bound = std::ceil(computed / per_iteration) * hybrid.bound;
      r.ttft = std::ceil(computed / per_iteration) * hybrid.time;
      cycle = {hybrid_steps * hybrid.bound + plain_steps * step.bound, hybrid_steps * hybrid.time + plain_steps * step.time};
      r.itl_bound = cycle.bound / out;
      r.itl = cycle.time / out;
      // Every iteration emits a token for each running request; when the
      // prompts need more iterations than a request has tokens, the gap
      // between two tokens spans several mixed iterations.
      r.prefills_per_gap = hybrid_steps / out;
      work_per_arrival = computed / per_iteration * (hybrid.time - step.time);
      r.itl_max = std::max(step.time, std::ceil(std::max(1.0, r.prefills_per_gap)) * hybrid.time);
      break;
    }
  }
  r.e2e = r.ttft + (out - 1) * r.itl;
  r.throughput = req.batch * out * units::token / cycle.time;
  r.throughput_per_gpu = r.throughput / tp;
  r.throughput_per_user = units::token / r.itl;
  r.requests = r.throughput.value() / out * units::request / units::second;
  under_load(req, work_per_arrival, step.time, per_step, r);

  // ---- feasibility ----------------------------------------------------------------------
  bool fast = (req.max_ttft.value() <= 0 || r.ttft <= req.max_ttft) && (req.max_itl.value() <= 0 || r.itl <= req.max_itl);
  r.feasible = fits && fast;
  r.limit = r.feasible ? serve_limit::none : !fits && !fast ? serve_limit::both : !fits ? serve_limit::memory
                                                                                         : serve_limit::latency;
  return r;
}

}  // namespace ironlaw::stdlib
