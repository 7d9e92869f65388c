// A property of every solver in the function table (issue 18): called with
// random valid arguments (seeded, so a failure reproduces), a result never
// holds a negative, NaN or infinite number, and a result whose configuration
// does not fit in memory never gives a time, rate or cost without E0221.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "ironlaw/runtime/interp/builtins.hpp"
#include "ironlaw/runtime/interp/evaluated.hpp"
#include "ironlaw/runtime/interp/registry.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

constexpr int calls_per_solver = 300;

// Signed by meaning, not by accident: a `walls` row's margin, (limit - value)
// / limit, is negative past the wall; `memory`'s headroom (device memory -
// total) is negative when it does not fit.
const std::set<std::string> signed_fields = {"margin", "headroom"};

struct generator {
  const registry& reg;
  std::mt19937_64 rng;

  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }
  bool coin() { return uniform(0, 1) < 0.5; }
  template <typename T>
  const T& pick(const std::vector<T>& v) { return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)]; }

  // A magnitude around a typical value of the dimension, in base units.
  double typical(const dim& d) {
    using b = base_dim;
    if (d == dim::of(b::token)) return 1024;
    if (d == dim::of(b::time)) return 3600;
    if (d == dim::of(b::data)) return 1e9;
    if (d == dim::of(b::compute)) return 1e18;
    if (d == dim::of(b::money)) return 1e4;
    if (d == dim::of(b::energy)) return 3.6e6;
    if (d[b::time] == -1) {
      if (d == dim::of(b::data) / dim::of(b::time)) return 1e11;
      if (d == dim::of(b::compute) / dim::of(b::time)) return 1e14;
      return 100;  // requests, tokens, samples per second; USD per second
    }
    return 1;
  }

  value quantity_near(const param_spec& p) {
    const auto* fallback = p.fallback ? p.fallback->as_quantity() : nullptr;
    double centre = fallback && fallback->si > 0 ? fallback->si : typical(p.d);
    double x = centre * std::pow(10.0, uniform(-1.5, 1.5));
    if (p.d == dim::of(base_dim::token)) x = std::max(1.0, std::round(x));
    return value{quantity{x, p.d}};
  }

  value count_near(const param_spec& p) {
    const auto* fallback = p.fallback ? p.fallback->as_quantity() : nullptr;
    if (fallback && fallback->si > 0 && fallback->si < 1) return value{quantity{fallback->si * uniform(0.5, 2), {}}};
    if (!fallback && coin()) return value{quantity{uniform(0, 0.9), {}}};  // a share (fragmentation, prefix_hit)
    static const std::vector<double> counts = {0, 1, 1, 2, 2, 4, 8, 8, 16, 32, 64, 128, 3, 1024};
    return value{quantity{pick(counts), {}}};
  }

  // A serving workload as a declaration makes one.
  value workload() {
    auto w = std::make_shared<record>();
    w->kind = "workload";
    w->name = "random_workload";
    w->fields.push_back(field{"kind", value{std::string("serving")}, {}});
    w->fields.push_back(field{"model", value{reg.find(pick(reg.names("model")))}, {}});
    w->fields.push_back(field{"rate", value{quantity{std::pow(10.0, uniform(-1, 4)), dim::of(base_dim::request) / dim::of(base_dim::time)}}, {}});
    w->fields.push_back(field{"prompt", value{quantity{std::round(std::pow(10.0, uniform(0, 3.6))), dim::of(base_dim::token)}}, {}});
    w->fields.push_back(field{"output", value{quantity{std::round(std::pow(10.0, uniform(0, 3))), dim::of(base_dim::token)}}, {}});
    return value{record_ptr(w)};
  }

  // One pool of a random accelerator in a random region, as `pool NAME { ... }` makes it.
  value pools() {
    auto pool = std::make_shared<record>();
    pool->kind = "pool";
    pool->name = "random_pool";
    pool->fields.push_back(field{"accelerator", value{reg.find(pick(reg.names("hardware")))}, {}});
    pool->fields.push_back(field{"region", value{reg.find(pick(reg.names("region")))}, {}});
    auto items = std::make_shared<list>();
    items->push_back(value{record_ptr(pool)});
    return value{list_ptr(items)};
  }

  std::optional<value> argument(const param_spec& p) {
    if (p.name == "allow_infeasible") return std::nullopt;  // the default: the refusal is under test
    if (!p.required && uniform(0, 1) < 0.75) return std::nullopt;  // defaults mostly, so many calls succeed
    switch (p.kind) {
      case param_kind::entity: {
        if (p.entity_kind == "workload") return workload();
        auto names = reg.names(p.entity_kind);
        if (names.empty()) return std::nullopt;
        return value{reg.find(pick(names))};
      }
      case param_kind::count: return count_near(p);
      case param_kind::fraction: return value{quantity{uniform(0.05, 1), {}}};
      case param_kind::quantity: return quantity_near(p);
      case param_kind::word:
        if (p.words.empty()) return std::nullopt;
        if (p.words == std::vector<std::string>{"false", "true"}) return value{coin()};
        return value{symbol{pick(p.words)}};
      case param_kind::value:
        if (p.name == "pools") return pools();
        return std::nullopt;  // the other record arguments (split, counts, ...) default
    }
    return std::nullopt;
  }
};

// Every quantity in a result, with its path, for the numeric checks.
void each_quantity(const value& v, const std::string& path,
                   const std::function<void(const std::string&, const std::string&, const quantity&, const record*)>& f,
                   const record* owner = nullptr, const std::string& name = {}) {
  if (const auto* q = v.as_quantity()) f(path, name, *q, owner);
  if (const auto* l = std::get_if<list_ptr>(&v.v))
    for (std::size_t i = 0; i < (*l)->size(); ++i) each_quantity((**l)[i], path + "[" + std::to_string(i) + "]", f);
  if (const auto* r = v.as_record(); r && r->name.empty())
    for (const auto& fl : r->fields) each_quantity(fl.v, path + "." + fl.name, f, r, fl.name);
}

bool unstable(const record* r) {
  const auto* s = r ? r->find("stable") : nullptr;
  return s && std::get_if<bool>(&s->v.v) && !std::get<bool>(s->v.v);
}

struct tally {
  int results = 0, refused = 0, infeasible = 0;
  std::string first_refusal;  // why, when every call is refused
};

tally exercise(const builtin& fn, const registry& reg) {
  generator gen{reg, std::mt19937_64(std::hash<std::string>{}(fn.name) ^ 18)};
  tally t;
  for (int call = 0; call < calls_per_solver; ++call) {
    lang::diagnostics diags;
    call_args args(fn, reg, nullptr, {}, diags);
    std::string shown = fn.name + "(";
    for (const auto& p : fn.params)
      if (auto v = gen.argument(p)) {
        args.bind_named(p.name, {}, *v, {});
        shown += p.name + " = " + format_value(*v, reg.units()) + ", ";
      }
    INFO(shown + ")");
    std::optional<value> result;
    if (args.finish()) result = fn.invoke(args);
    if (!result) {
      ++t.refused;
      REQUIRE(diags.has_errors());  // a refusal always says why
      if (t.first_refusal.empty()) t.first_refusal = diags.items().front().message;
      continue;
    }
    ++t.results;
    REQUIRE(check_result(fn, *result).empty());
    const record* top = result->as_record();
    each_quantity(*result, fn.name, [&](const std::string& path, const std::string& name, const quantity& q,
                                        const record* owner) {
      INFO(path << " = " << q.si << " " << base_unit_text(q.d));
      // Honest infinities: an unstable queue's waits, a rate with no bound.
      bool infinite_ok = std::isinf(q.si) && q.si > 0 && (unstable(owner) || is_throughput(q.d));
      CHECK((std::isfinite(q.si) || infinite_ok));
      if (!signed_fields.count(name)) CHECK(q.si >= 0);
    });
    if (!top) continue;
    // A result that does not fit refuses every time, rate and cost, and shows
    // "n/a" for them; its bytes and counts it still gives.
    const auto* feasible = top->find("feasible");
    const auto* limit = top->find("limit");
    bool out_of_memory = feasible && std::get_if<bool>(&feasible->v.v) && !std::get<bool>(feasible->v.v) &&
                         (!limit || !limit->v.as_symbol() || limit->v.as_symbol()->name != "latency");
    if (out_of_memory && fn.name != "reasoning") CHECK_FALSE(top->infeasible.empty());
    if (top->infeasible.empty()) continue;
    ++t.infeasible;
    for (const auto& f : top->fields) {
      const auto* q = f.v.as_quantity();
      if (!q) continue;
      INFO(fn.name << "." << f.name);
      CHECK(refuses_read(*top, f, false) == only_if_it_fits(q->d));
      CHECK_FALSE(refuses_read(*top, f, true));  // `.<field>_if_it_fit`
      if (only_if_it_fits(q->d)) CHECK(format_field(*top, f, reg.units()) == "n/a (does not fit)");
    }
  }
  return t;
}

}  // namespace

TEST_CASE("every solver, random valid arguments: no negative, NaN or infinite field and no time from a result that does not fit",
          "[property]") {
  const auto& reg = registry::embedded();
  int infeasible_seen = 0;
  for (const auto& fn : builtins()) {
    if (fn.name == "sensitivity") continue;  // a special form: its first argument is an expression
    auto t = exercise(fn, reg);
    INFO(fn.name << ": " << t.results << " results, " << t.refused << " refused, the first: " << t.first_refusal);
    // Random arguments that every call refuses would prove nothing.
    CHECK(t.results > 0);
    infeasible_seen += t.infeasible;
  }
  CHECK(infeasible_seen > 0);
}

TEST_CASE("decode and prefill do not fit exactly when the memory solver says they do not", "[property]") {
  const auto& reg = registry::embedded();
  const auto* memory = find_builtin("memory");
  REQUIRE(memory);
  std::mt19937_64 rng(18);
  generator gen{reg, rng};
  int checked = 0, infeasible = 0;
  for (std::string solver : {"decode", "prefill"}) {
    const auto* fn = find_builtin(solver);
    REQUIRE(fn);
    for (int call = 0; call < calls_per_solver; ++call) {
      auto model = reg.find(gen.pick(reg.names("model")));
      auto hw = reg.find(gen.pick(reg.names("hardware")));
      double batch = gen.pick(std::vector<double>{1, 8, 64, 512});
      double tokens = gen.pick(std::vector<double>{1, 512, 4096, 32768});
      value words[] = {value{symbol{gen.pick(std::vector<std::string>{"fp16", "fp8", "int4"})}}};
      auto bind = [&](call_args& a, bool as_memory) {
        a.bind_named("model", {}, value{model}, {});
        a.bind_named("hardware", {}, value{hw}, {});
        a.bind_named("batch", {}, value{quantity{batch, {}}}, {});
        a.bind_named("precision", {}, words[0], {});
        a.bind_named(as_memory || solver == "decode" ? "context" : "prompt", {},
                     value{quantity{tokens, dim::of(base_dim::token)}}, {});
        return a.finish();
      };
      lang::diagnostics d1, d2;
      call_args a(*fn, reg, nullptr, {}, d1), m(*memory, reg, nullptr, {}, d2);
      if (!bind(a, false) || !bind(m, true)) continue;
      auto r = fn->invoke(a);
      auto mr = memory->invoke(m);
      if (!r || !mr) continue;
      const auto* fits = mr->as_record()->find("fits");
      REQUIRE(fits);
      INFO(solver << "(" << model->name << ", " << hw->name << ", batch " << batch << ", " << tokens << " tokens)");
      CHECK(r->as_record()->infeasible.empty() == std::get<bool>(fits->v.v));
      ++checked;
      infeasible += r->as_record()->infeasible.empty() ? 0 : 1;
    }
  }
  CHECK(checked > 100);
  CHECK(infeasible > 0);
  CHECK(infeasible < checked);
}
