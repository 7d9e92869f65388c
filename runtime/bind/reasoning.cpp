// Binding of reasoning: one serving replica evaluated by the `serve` builtin
// twice, answer only and thinking + answer, compared (stdlib/reasoning.cpp):
// latency, requests per replica, KV per request and fleet size at a rate.
#include <fmt/format.h>

#include "fleet_helpers.hpp"
#include "bindings.hpp"
#include "ironlaw/runtime/interp/evaluated.hpp"
#include "ironlaw/stdlib/reasoning.hpp"

namespace ironlaw::runtime::bindings {
namespace {

namespace u = stdlib::units;

// One replica through serve, producing `output` tokens per request.
std::optional<value> run_serve(call_args& args, double output, double bandwidth_eff, double compute_eff) {
  const builtin* serve = find_builtin("serve");
  if (!serve) {
    args.error("", "needs the serve solver, which is not available");
    return std::nullopt;
  }
  call_args s(*serve, args.reg(), args.source(), args.call_span(), args.diags());
  auto pass = [&](std::string_view to, std::string_view from, value v) {
    return s.bind_named(std::string(to), args.where(from), std::move(v), args.where(from));
  };
  auto tokens = [](double n) { return value{quantity{n, runtime_dim_of<u::tokens>::value()}}; };
  auto prompt = args.quantity_of("prompt");
  if (!prompt) return std::nullopt;
  bool ok = pass("model", "model", args.raw("model")) && pass("hardware", "hardware", args.raw("hardware")) &&
            pass("precision", "precision", args.raw("precision")) && pass("tp", "tp", args.raw("tp")) &&
            pass("batch", "batch", args.raw("batch")) && pass("prompt", "prompt", value{*prompt}) &&
            pass("output", "thinking", tokens(output)) &&
            pass("bandwidth_efficiency", "bandwidth_efficiency", value{quantity{bandwidth_eff, {}}}) &&
            pass("compute_efficiency", "compute_efficiency", value{quantity{compute_eff, {}}});
  if (!ok || !s.finish()) return std::nullopt;
  return serve->invoke(s);
}

stdlib::replica_point point_of(const record& r) {
  auto si = [&](std::string_view name) {
    const auto* q = r.quantity_of(name);
    return q ? q->si : 0.0;
  };
  stdlib::replica_point p;
  p.ttft = si("ttft") * u::second;
  p.itl = si("itl") * u::second;
  p.e2e = si("e2e") * u::second;
  p.requests = si("requests") * u::request / u::second;
  p.throughput = si("throughput") * u::token / u::second;
  p.kv_per_request = si("kv_cache_per_request") * u::byte;
  p.max_batch = si("max_batch");
  return p;
}

bool feasible_of(const record& r) {
  const auto* f = r.find("feasible");
  return !f || !std::holds_alternative<bool>(f->v.v) || std::get<bool>(f->v.v);
}

std::optional<value> reasoning_binding(call_args& args) {
  auto thinking = args.quantity_of("thinking");
  auto output = args.quantity_of("output");
  auto tp = args.count("tp", 1, true);
  auto target = args.fraction("utilization", 0.8);
  auto be = args.fraction("bandwidth_efficiency", efficiency_from(args.reg(), "decode", "bandwidth").value);
  auto ce = args.fraction("compute_efficiency", efficiency_from(args.reg(), "decode", "compute").value);
  if (!thinking || !output || !tp || !target || !be || !ce) return std::nullopt;
  if (thinking->si < 0 || thinking->si != std::round(thinking->si)) {
    args.error("thinking", fmt::format("thinking must be a whole number of tokens >= 0, got {}", format_number(thinking->si)));
    return std::nullopt;
  }
  std::vector<double> rate;
  if (args.given("rate")) {
    auto r = arrival_rates(args, "rate", false);
    if (!r) return std::nullopt;
    rate = *r;
  }
  auto base = run_serve(args, output->si, *be, *ce);
  if (!base) return std::nullopt;
  auto with = run_serve(args, output->si + thinking->si, *be, *ce);
  if (!with) return std::nullopt;
  const record& a = *base->as_record();
  const record& b = *with->as_record();

  stdlib::reasoning_request req;
  req.base = point_of(a);
  req.thinking = point_of(b);
  req.thinking_tokens = thinking->si;
  req.answer_tokens = output->si;
  req.devices_per_replica = *tp;
  req.demand = (rate.empty() ? 0.0 : rate.front()) * u::request / u::second;
  req.target_utilization = *target;
  if (req.base.requests.value() <= 0 || req.thinking.requests.value() <= 0) {
    args.error("", "the replica serves no requests (serve returned a zero rate)");
    return std::nullopt;
  }
  auto r = stdlib::reasoning(req);
  bool fits = feasible_of(b);
  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  std::string fleet_note = rate.empty() ? "no rate given" :
      fmt::format("ceil({} / ({} x requests per replica)) x tp {}", units.format(quantity{rate.front(), runtime_dim_of<u::request_rate>::value()}),
                  format_number(*target), format_number(*tp));
  std::string fit_note = fits ? fmt::format("batch {} fits with the thinking tokens' KV cache (max batch {})",
                                            format_number(args.count("batch", 1, true).value_or(0)), format_number(req.thinking.max_batch))
                              : fmt::format("batch {} no longer fits: at most {} requests hold {} tokens of KV each",
                                            format_number(args.count("batch", 1, true).value_or(0)),
                                            format_number(req.thinking.max_batch),
                                            format_number(args.quantity_of("prompt")->si + output->si + thinking->si));
  std::string shortfall = !b.infeasible.empty() ? "with thinking, " + b.infeasible
                          : !a.infeasible.empty() ? "without thinking, " + a.infeasible
                                                  : "";
  return with_fit(args, make_result("reasoning", {
      typed_field("e2e", req.thinking.e2e, "TTFT + (thinking + answer) tokens x ITL (serve)"),
      typed_field("e2e_base", req.base.e2e, "the same request answering without thinking"),
      number_field("latency_ratio", r.latency_ratio, "e2e / e2e_base"),
      typed_field("thinking_time", r.thinking_time, "the extra wait before the answer ends"),
      typed_field("itl", req.thinking.itl, "a longer context: more KV read per step"),
      typed_field("itl_base", req.base.itl),
      typed_field("requests", req.thinking.requests, "completed requests per second per replica"),
      typed_field("requests_base", req.base.requests),
      number_field("throughput_ratio", r.throughput_ratio, "requests_base / requests: times fewer requests per replica"),
      typed_field("throughput", req.thinking.throughput, "generated tokens per second, thinking included"),
      typed_field("answer_rate", r.answer_rate, "answer tokens per second per replica"),
      typed_field("kv_per_request", req.thinking.kv_per_request, show(req.base.kv_per_request) + " without thinking"),
      number_field("kv_ratio", r.kv_ratio, "KV per request with / without thinking"),
      number_field("max_batch", req.thinking.max_batch, "requests whose KV fits, with thinking"),
      number_field("max_batch_base", req.base.max_batch),
      field{"feasible", value{fits}, fit_note},
      number_field("replicas", r.replicas, fleet_note),
      number_field("replicas_base", r.replicas_base, fleet_note),
      number_field("gpus", r.gpus, "replicas x tp"),
      number_field("gpus_base", r.gpus_base, "replicas_base x tp"),
      number_field("fleet_ratio", r.fleet_ratio, "replicas / replicas_base"),
  }), shortfall);
}

}  // namespace

std::vector<builtin> reasoning() {
  auto tokens_param = [](std::string name, double fallback, std::string text, std::string doc) {
    return quantity_param<u::tokens>(std::move(name), fallback, std::move(text), std::move(doc));
  };
  return {builtin{
      .name = "reasoning",
      .summary = "Inference-time compute: thinking tokens per request against the no-thinking baseline "
                 "(latency, requests per replica, KV, fleet size).",
      .params = {entity_param("model", "model", "the model (a transformer)"),
                 entity_param("hardware", "hardware", "the accelerator"),
                 quantity_param<u::tokens>("thinking", "thinking tokens per request"),
                 tokens_param("prompt", 1024, "1024 tokens", "prompt tokens per request"),
                 tokens_param("output", 256, "256 tokens", "answer tokens per request"),
                 count_param("batch", 32, "concurrent requests per replica (as serving_fleet)"),
                 precision_param("precision", "fp16", "the weights' numeric format"),
                 count_param("tp", 1, "tensor-parallel devices per replica"),
                 optional_quantity_param<u::request_rate>("rate", "none: no fleet sizing", "requests per second to serve"),
                 fraction_param("utilization", "0.8 (as serving_fleet)", "the highest demand / capacity allowed"),
                 fraction_param("bandwidth_efficiency", "registry efficiency.decode.bandwidth",
                                "achieved fraction of peak bandwidth in decode"),
                 fraction_param("compute_efficiency", "registry efficiency.decode.compute",
                                "achieved fraction of peak FLOP/s in decode"),
                 allow_infeasible_param()},
      .results = {quantity_result<u::seconds>("e2e", "request latency with thinking"),
                  quantity_result<u::seconds>("e2e_base", "without thinking"),
                  number_result("latency_ratio", "e2e / e2e_base"),
                  quantity_result<u::seconds>("thinking_time", "e2e - e2e_base"),
                  quantity_result<u::seconds>("itl", "inter-token latency with thinking"),
                  quantity_result<u::seconds>("itl_base", "without thinking"),
                  quantity_result<u::request_rate>("requests", "requests per second per replica with thinking"),
                  quantity_result<u::request_rate>("requests_base", "without thinking"),
                  number_result("throughput_ratio", "requests_base / requests"),
                  quantity_result<u::token_rate>("throughput", "generated tokens per second per replica"),
                  quantity_result<u::token_rate>("answer_rate", "answer tokens per second per replica"),
                  quantity_result<u::bytes>("kv_per_request", "KV cache per request with thinking"),
                  number_result("kv_ratio", "with / without thinking"),
                  number_result("max_batch", "requests whose KV fits with thinking"),
                  number_result("max_batch_base", "without thinking"),
                  bool_result("feasible", "the batch still fits with thinking"),
                  number_result("replicas", "replicas for the rate with thinking"),
                  number_result("replicas_base", "without thinking"),
                  number_result("gpus", "replicas x tp"),
                  number_result("gpus_base", "replicas_base x tp"),
                  number_result("fleet_ratio", "replicas / replicas_base")},
      .invoke = reasoning_binding,
  }};
}

}  // namespace ironlaw::runtime::bindings
