// Binding of walls: a serving scenario (a model or a serving workload,
// hardware, batch, lengths, and optionally a rate, a region and objectives) against the 22 walls
// (stdlib/walls.hpp), one row each, measured by the builtins that own them:
// decode, serve, serving_fleet, reasoning, synthesize. A wall that needs
// inputs the scenario lacks, or has no solver, says so in its row.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "fleet_helpers.hpp"
#include "bindings.hpp"
#include "ironlaw/runtime/interp/evaluated.hpp"
#include "ironlaw/stdlib/walls.hpp"

namespace ironlaw::runtime::bindings {
namespace {

namespace u = stdlib::units;

struct walls_context {
  call_args& args;
  // A builtin called with named arguments; nullopt (and its first message in
  // `why`) when it refuses them. Its diagnostics stay out of the user's.
  std::optional<value> call(const std::string& name, const std::vector<std::pair<std::string, value>>& named,
                            std::string& why) {
    const builtin* fn = find_builtin(name);
    if (!fn) {
      why = name + " is not available";
      return std::nullopt;
    }
    lang::diagnostics quiet;
    call_args a(*fn, args.reg(), args.source(), args.call_span(), quiet);
    bool ok = true;
    for (const auto& [n, v] : named) ok = ok && a.bind_named(n, args.call_span(), v, args.call_span());
    std::optional<value> out;
    if (ok && a.finish()) out = fn->invoke(a);
    if (!out || quiet.has_errors()) {
      why = quiet.items().empty() ? name + " failed" : quiet.items().front().message;
      return std::nullopt;
    }
    return out;
  }
};

double si(const record& r, std::string_view name) {
  const auto* q = r.quantity_of(name);
  return q ? q->si : 0;
}
value number(double x) { return value{quantity{x, {}}}; }
value text(std::string s) { return value{std::move(s)}; }

struct row {
  std::string_view wall;
  std::string metric;
  value measured = text("-");
  value limit = text("-");
  value margin = text("-");
  bool binds = false;
  std::string note;
};

value make_row(const row& r, std::string_view solver) {
  auto out = std::make_shared<record>();
  out->kind = "walls";
  out->fields = {
      field{"wall", text(std::string(r.wall)), {}},
      field{"metric", text(r.metric), {}},
      field{"value", r.measured, {}},
      field{"limit", r.limit, {}},
      field{"margin", r.margin, "(limit - value) / limit: 0 at the wall, negative past it"},
      field{"binds", value{r.binds}, {}},
      field{"solver", text(std::string(solver)), {}},
      field{"note", text(r.note), {}},
  };
  return value{record_ptr(out)};
}

// A row measured against an upper limit.
row limited(std::string_view wall, std::string metric, const quantity& v, const quantity& limit, std::string note) {
  double m = stdlib::margin_under(v.si, limit.si);
  // A zero limit (no request fits) is past the wall by no finite margin: say so, never print -inf.
  value margin = std::isfinite(m) ? number(m) : text("past a zero limit");
  return {wall, std::move(metric), value{v}, value{limit}, margin, m < 0, std::move(note)};
}
row not_evaluated(std::string_view wall, std::string metric, std::string note) {
  row r{wall, std::move(metric)};
  r.note = "not evaluated: " + std::move(note);
  return r;
}

std::optional<value> walls_binding(call_args& args) {
  auto hw = args.entity("hardware");
  auto batch = args.count("batch", 1, true);
  auto tp = args.count("tp", 1, true);
  auto per_node = args.count("devices_per_node", 1, true);
  auto prompt = args.quantity_of("prompt");
  auto output = args.quantity_of("output");
  if (!hw || !batch || !tp || !per_node || !prompt || !output) return std::nullopt;
  // The scenario: a model, or a serving workload's model, lengths and rate
  // (arguments given explicitly win).
  record_ptr model;
  std::optional<quantity> rate;
  if (args.given("workload")) {
    auto w = args.entity("workload");
    if (!w) return std::nullopt;
    const auto* m = w->find("model");
    if (m && m->v.as_record()) model = std::get<record_ptr>(m->v.v);
    else if (const auto* name = m ? std::get_if<std::string>(&m->v.v) : nullptr) model = args.reg().find(*name);
    if (!args.given("prompt") && w->quantity_of("prompt")) prompt = *w->quantity_of("prompt");
    if (!args.given("output") && w->quantity_of("output")) output = *w->quantity_of("output");
    if (w->quantity_of("rate")) rate = *w->quantity_of("rate");
    if (!model && !args.given("model")) {
      args.error("workload", fmt::format("workload '{}' names no model", w->name));
      return std::nullopt;
    }
  }
  if (args.given("model")) {
    model = args.entity("model");
    if (!model) return std::nullopt;
  }
  if (!model) {
    args.error("", "needs a model or a workload: walls(Llama3_8B, H100_SXM) or walls(workload = chat, hardware = H100_SXM)");
    return std::nullopt;
  }
  if (args.given("rate")) {
    auto r = arrival_rates(args, "rate", false);
    if (!r) return std::nullopt;
    rate = quantity{r->front(), runtime_dim_of<u::request_rate>::value()};
  }
  walls_context ctx{args};
  const auto tokens = [](double n) { return value{quantity{n, runtime_dim_of<u::tokens>::value()}}; };
  const auto seconds = [](double s) { return quantity{s, runtime_dim_of<u::seconds>::value()}; };
  const auto& units = args.reg().units();
  auto show = [&](const quantity& q) { return units.format(q); };
  std::vector<std::pair<std::string, value>> common = {
      {"model", value{model}}, {"hardware", value{hw}}, {"precision", args.raw("precision")},
      {"tp", number(*tp)}, {"batch", number(*batch)}};

  // The replica (serve) and one decode step at its mean context (decode):
  // the scenario itself, so their refusals are the call's errors.
  std::string why;
  auto with = [&](std::vector<std::pair<std::string, value>> extra) {
    auto all = common;
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  auto serve = ctx.call("serve", with({{"prompt", value{*prompt}}, {"output", value{*output}}}), why);
  if (!serve) {
    args.error("", fmt::format("the scenario does not evaluate: {}", why));
    return std::nullopt;
  }
  const record& s = *serve->as_record();
  double mean_context = prompt->si + std::floor(output->si / 2);
  auto decode = ctx.call("decode", with({{"context", tokens(mean_context)}}), why);
  if (!decode) {
    args.error("", fmt::format("the scenario does not evaluate: {}", why));
    return std::nullopt;
  }
  const record& d = *decode->as_record();
  bool compute_bound = d.find("bottleneck")->v.as_symbol()->name == "compute";
  double ce = si(d, "compute_efficiency"), be = si(d, "bandwidth_efficiency");
  quantity itl = seconds(si(d, "itl"));
  std::optional<quantity> max_itl, max_ttft;
  for (auto name : {"itl", "ttft"}) {
    if (!args.given(name)) continue;
    auto q = positive(args, name);
    if (!q) return std::nullopt;
    (std::string_view(name) == "itl" ? max_itl : max_ttft) = seconds(*q);
  }

  // The fleet (serving_fleet), when a rate and a region are given.
  std::optional<value> fleet;
  std::string fleet_why = "give rate = ... req/s and region = ... to size a fleet";
  if (rate && args.given("region")) {
    auto region = args.entity("region");
    if (!region) return std::nullopt;
    auto workload = std::make_shared<record>();
    workload->kind = "workload";
    workload->fields = {field{"model", value{model}, {}},
                        field{"rate", value{*rate}, {}},
                        field{"prompt", value{*prompt}, {}},
                        field{"output", value{*output}, {}}};
    auto f = with({{"workload", value{record_ptr(workload)}}, {"region", value{region}},
                   {"devices_per_node", number(*per_node)}});
    f.erase(std::remove_if(f.begin(), f.end(), [](const auto& p) { return p.first == "model" || p.first == "hardware"; }),
            f.end());
    f.push_back({"accelerator", value{hw}});
    if (args.given("price_per_gpu")) f.push_back({"price_per_gpu", args.raw("price_per_gpu")});
    fleet = ctx.call("serving_fleet", f, fleet_why);
  }
  const record* fl = fleet ? fleet->as_record() : nullptr;

  std::vector<row> rows;
  for (const auto& w : stdlib::all_walls) {
    std::string_view n = w.name;
    row r;
    if (n == "compute") {
      r = limited(n, "decode step compute time", seconds(si(d, "compute_time") / ce), itl,
                  fmt::format("at compute efficiency {}; binds when the step is compute-bound", format_number(ce)));
      r.binds = compute_bound;
    } else if (n == "memory") {
      r = limited(n, "decode step memory time", seconds(si(d, "memory_time") / be), itl,
                  fmt::format("weights + KV read at bandwidth efficiency {}", format_number(be)));
      r.binds = !compute_bound;
    } else if (n == "software") {
      double e = compute_bound ? ce : be;
      r = {n, "achieved fraction of the binding peak", number(e), number(1), number(1 - e), false,
           fmt::format("ITL = bound / efficiency: {} -> {}; a multiplier on the binding resource, not a limit of its own",
                       show(seconds(si(d, "itl_bound"))), show(itl))};
    } else if (n == "serving") {
      quantity ttft = seconds(si(s, "ttft"));
      if (max_ttft || max_itl) {
        row a = max_ttft ? limited(n, "TTFT (prefill)", ttft, *max_ttft, "against the ttft objective") : row{};
        row b = max_itl ? limited(n, "ITL (decode)", seconds(si(s, "itl")), *max_itl, "against the itl objective") : row{};
        auto m = [](const row& x) { return x.margin.as_quantity() ? x.margin.as_quantity()->si : 1e300; };
        r = !max_itl || (max_ttft && m(a) <= m(b)) ? a : b;
      } else {
        r = {n, "TTFT (prefill)", value{ttft}, text("-"), text("-"), false,
             fmt::format("prefill is {:.0f}% of a request's {}; give ttft = or itl = to test an objective",
                         100 * ttft.si / si(s, "e2e"), show(seconds(si(s, "e2e"))))};
      }
    } else if (n == "batching") {
      double max_batch = si(s, "max_batch");
      r = limited(n, "concurrent requests", quantity{*batch, {}}, quantity{max_batch, {}},
                  max_batch > 0 ? "max batch whose weights + KV cache fit (serve)"
                                : fmt::format("the weights alone do not fit: {} per device, {} available (serve)",
                                              show(*s.quantity_of("weights")), show(*s.quantity_of("memory_available"))));
    } else if (n == "locality") {
      r = limited(n, "tensor-parallel group", quantity{*tp, {}}, quantity{*per_node, {}},
                  "a tp group inside one node's scale-up domain; topology(...) for the scale-out fabric");
    } else if (n == "communication") {
      quantity ar = seconds(si(d, "allreduce"));
      r = limited(n, "tensor-parallel all-reduces per decode step", ar, itl,
                  *tp > 1 ? "binds when it is the largest term of the step" : "tp 1: no collective");
      r.binds = ar.si > std::max(si(d, "compute_time") / ce, si(d, "memory_time") / be);
    } else if (n == "reasoning") {
      if (!args.given("thinking")) {
        r = not_evaluated(n, "thinking tokens per request", "give thinking = ... tokens");
      } else {
        auto rs = ctx.call("reasoning", with({{"thinking", args.raw("thinking")}, {"prompt", value{*prompt}},
                                              {"output", value{*output}}}), why);
        if (!rs) r = not_evaluated(n, "thinking tokens per request", why);
        else {
          const record& x = *rs->as_record();
          bool fits = std::get<bool>(x.find("feasible")->v.v);
          r = {n, "latency with thinking / without", number(si(x, "latency_ratio")), text("-"), text("-"), !fits,
               fmt::format("{} times fewer requests per replica; {}", format_number(si(x, "throughput_ratio")),
                           x.find("feasible")->note)};
        }
      }
    } else if (n == "synthesis") {
      if (!max_itl) r = not_evaluated(n, "least bandwidth for the ITL objective", "give itl = ...");
      else if (*tp > 1) r = not_evaluated(n, "least bandwidth for the ITL objective", "synthesize models one device (tp 1)");
      else {
        auto sy = ctx.call("synthesize", {{"model", value{model}}, {"itl", value{*max_itl}}, {"batch", number(*batch)},
                                          {"context", tokens(mean_context)}, {"precision", args.raw("precision")}},
                           why);
        if (!sy) r = not_evaluated(n, "least bandwidth for the ITL objective", why);
        else r = limited(n, "least bandwidth for the ITL objective", *sy->as_record()->quantity_of("bandwidth"),
                         *hw->quantity_of("bandwidth"), fmt::format("{}'s bandwidth as the limit", hw->name));
      }
    } else if (n == "tail_latency" || n == "fragility" || n == "capital" || n == "sustainability") {
      std::string metric = n == "tail_latency" ? "p99 TTFT with queueing" : n == "fragility" ? "demand vs capacity after losing a node"
                         : n == "capital" ? "cost per year" : "operational CO2e per year";
      if (!fl) {
        r = not_evaluated(n, metric, fleet_why);
      } else if (n == "tail_latency") {
        quantity p99 = *fl->quantity_of("ttft_p99");
        r = max_ttft ? limited(n, metric, p99, *max_ttft, "serving_fleet's M/M/c wait over request slots")
                     : row{n, metric, value{p99}, text("-"), text("-"), false, "give ttft = to test an objective"};
      } else if (n == "fragility") {
        r = limited(n, metric, *rate, *fl->quantity_of("rate_after_node_loss"),
                    fmt::format("{} GPUs; spare_nodes in serving_fleet adds headroom", format_number(si(*fl, "gpus"))));
      } else {
        std::string budget = n == "capital" ? "budget" : "carbon_budget";
        quantity v = *fl->quantity_of(n == "capital" ? "cost_per_year" : "carbon_per_year");
        auto limit = args.given(budget) ? args.quantity_of(budget) : std::nullopt;
        r = limit ? limited(n, metric, v, *limit, "serving_fleet")
                  : row{n, metric, value{v}, text("-"), text("-"), false, fmt::format("give {} = to test it", budget)};
      }
    } else if (n == "streaming") {
      r = not_evaluated(n, "weight injection vs compute per layer",
                        "wafer-scale only; needs the injection bandwidth: weight_streaming(model, hardware, tokens =, injection =)");
    } else if (n == "ingestion" || n == "transformation") {
      r = not_evaluated(n, n == "ingestion" ? "storage bandwidth" : "CPU preprocessing cores",
                        "needs the input pipeline: data_pipeline(rate =, sample_size =, per_core =, cores =, storage_bandwidth =)");
    } else if (n == "complexity") {
      r = not_evaluated(n, "compute-optimal tokens per parameter", "a training question: chinchilla(params = ...)");
    } else if (n == "fidelity") {
      r = not_evaluated(n, "accuracy after compression",
                        "no solver predicts accuracy; compress(...) gives size and speedup, not quality");
    } else if (n == "multi_tenant") {
      r = not_evaluated(n, "shared-cluster waits", "a shared cluster's jobs: cluster_queue(gpus =, job_rate =, job_duration =)");
    } else if (n == "checkpoint") {
      r = not_evaluated(n, "checkpoint interval and write time", "a training wall: checkpoint(...), training_fleet(...)");
    } else if (n == "safety") {
      r = not_evaluated(n, "privacy and fairness overhead", "a training wall: privacy(time =, implementation =)");
    } else {  // sensitivity
      r = not_evaluated(n, "which input matters", "an analysis, not a limit: sensitivity(EXPR, wrt = [...])");
    }
    r.wall = n;
    rows.push_back(std::move(r));
  }
  auto table = std::make_shared<list>();
  for (std::size_t i = 0; i < rows.size(); ++i) table->push_back(make_row(rows[i], stdlib::all_walls[i].solver));
  return value{list_ptr(table)};
}

}  // namespace

std::vector<builtin> walls() {
  auto tokens_param = [](std::string name, double fallback, std::string text_default, std::string doc) {
    return quantity_param<u::tokens>(std::move(name), fallback, std::move(text_default), std::move(doc));
  };
  return {builtin{
      .name = "walls",
      .summary = "A serving scenario against the 22 walls: each wall's metric, margin and whether it binds.",
      .params = {optional_entity("model", "model", "the model (a transformer), or give workload ="),
                 entity_param("hardware", "hardware", "the accelerator"),
                 precision_param("precision", "fp16", "the weights' numeric format"),
                 count_param("batch", 32, "concurrent requests per replica"),
                 tokens_param("prompt", 1024, "1024 tokens", "prompt tokens per request"),
                 tokens_param("output", 256, "256 tokens", "generated tokens per request"),
                 count_param("tp", 1, "tensor-parallel devices per replica"),
                 count_param("devices_per_node", 8, "accelerators per node"),
                 optional_quantity_param<u::request_rate>("rate", "none", "requests per second (sizes a fleet)"),
                 optional_entity("region", "region", "where the fleet runs (with rate)"),
                 optional_quantity_param<u::seconds>("ttft", "none", "TTFT objective"),
                 optional_quantity_param<u::seconds>("itl", "none", "mean ITL objective"),
                 optional_quantity_param<u::tokens>("thinking", "none", "thinking tokens per request"),
                 optional_quantity_param<u::usd>("price_per_gpu", "the registry's price", "purchase price per device (with rate)"),
                 optional_quantity_param<u::usd_per_second>("budget", "none", "cost per year allowed (USD/yr)"),
                 optional_quantity_param<u::kg_per_second>("carbon_budget", "none", "CO2e per year allowed (t/yr)"),
                 optional_entity("workload", "workload", "a serving workload: its model, prompt, output and rate")},
      .results = {{.name = "", .kind = result_kind::entities,
                   .doc = "one row per wall: wall, metric, value, limit, margin, binds, solver, note"}},
      .invoke = walls_binding,
  }};
}

}  // namespace ironlaw::runtime::bindings
