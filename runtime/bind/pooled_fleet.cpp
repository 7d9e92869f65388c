// Binding of pooled_fleet (issue 22): one serving workload routed over a set
// of declared pools (`pool NAME { accelerator = ..., region = ..., role = ... }`),
// each sized by serving_fleet's own code (fleet_sizing.hpp), with a declared
// or optimal split, the network round trip of requests that leave the users'
// home region, and prefill/decode disaggregation with the KV cache moved over
// a declared link (stdlib/pools.cpp; docs/solvers.md, "Fleets of pools").
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "bindings.hpp"
#include "fleet_helpers.hpp"
#include "fleet_sizing.hpp"
#include "helpers.hpp"
#include "params.hpp"
#include "ironlaw/runtime/interp/evaluated.hpp"
#include "ironlaw/runtime/interp/suggest.hpp"
#include "ironlaw/stdlib/pools.hpp"

namespace ironlaw::runtime::bindings {
namespace {

namespace u = stdlib::units;

constexpr int grid_steps = 20;            // optimal: shares in steps of 5 %
constexpr std::size_t max_optimal_pools = 4;  // C(23, 3) = 1,771 splits at most
constexpr double default_cross_region_rtt = 0.070;  // s; docs/solvers.md cites it

struct pool_spec {
  std::string name;
  std::string role;  // both, prefill, decode
  record_ptr rec;
  double count = 0;  // 0: sized to its share of the demand
  double rtt = 0;    // s, users <-> this pool
  std::string rtt_source;  // which figure rtt is, for the result
};

// A round trip between two regions and where the figure comes from: the
// argument when given, else the registry's table (regions.toml, `rtt`, read
// from either side), else the default.
struct round_trip {
  double seconds = 0;
  std::string source;
};
round_trip between(const record& a, const record& b, double argument, bool argument_given, const unit_table& units) {
  auto time = [&](double s) { return units.format(quantity{s, dim::of(base_dim::time)}); };
  if (argument_given) return {argument, fmt::format("cross_region_rtt = {}", time(argument))};
  auto table_entry = [](const record& from, const std::string& to) -> const quantity* {
    const auto* t = from.find("rtt");
    const auto* q = t && t->v.as_record() ? t->v.as_record()->quantity_of(to) : nullptr;
    return q && q->si > 0 ? q : nullptr;
  };
  const auto* q = table_entry(a, b.name);
  if (!q) q = table_entry(b, a.name);
  if (q) return {q->si, fmt::format("registry: {} <-> {}, {}", a.name, b.name, time(q->si))};
  return {argument, fmt::format("default {}: no registry figure for {} <-> {}", time(argument), a.name, b.name)};
}

struct pool_run {
  value fleet;        // serving_fleet's record for this pool at its demand
  double demand = 0;  // req/s
  bool overloaded = false;
  bool idle = false;  // a sized pool with no traffic: no devices
  double kv_bytes = 0;  // the prompt's KV cache (prefill pools)
};

double num(const record& r, std::string_view name) {
  const auto* q = r.quantity_of(name);
  return q ? q->si : 0.0;
}
std::string text_of(const record& r, std::string_view name, std::string fallback) {
  const auto* f = r.find(name);
  if (!f) return fallback;
  if (const auto* s = std::get_if<std::string>(&f->v.v)) return *s;
  if (const auto* w = f->v.as_symbol()) return w->name;
  return fallback;
}
record_ptr entity_of(const registry& reg, const record& r, std::string_view name) {
  const auto* f = r.find(name);
  if (!f) return nullptr;
  if (const auto* rec = std::get_if<record_ptr>(&f->v.v)) return *rec;
  if (const auto* s = std::get_if<std::string>(&f->v.v)) return reg.find(*s);
  return nullptr;
}

void fail(call_args& args, std::string_view code, std::string_view param, std::string message, std::string help) {
  auto& d = args.diags().error(std::string(code), args.source(), param.empty() ? args.call_span() : args.where(param),
                               fmt::format("pooled_fleet: {}", message));
  d.help = std::move(help);
}

// The pools argument: a list of declared pools, each once (E0236).
std::optional<std::vector<pool_spec>> read_pools(call_args& args) {
  const value& v = args.raw("pools");
  std::vector<value> items;
  if (const auto* l = std::get_if<list_ptr>(&v.v)) items = **l;
  else items.push_back(v);
  std::vector<pool_spec> pools;
  for (const auto& item : items) {
    const record* r = item.as_record();
    if (!r || r->kind != "pool") {
      fail(args, "E0236", "pools", fmt::format("pools must be declared pools, not {}", describe(item)),
               "declare each with `pool NAME { accelerator = H100_SXM, region = Virginia }` and pass pools = [a, b]");
      return std::nullopt;
    }
    for (const auto& p : pools)
      if (p.name == r->name) {
        fail(args, "E0236", "pools", fmt::format("pool '{}' is listed twice", r->name), "list each pool once");
        return std::nullopt;
      }
    pool_spec p{.name = r->name, .role = text_of(*r, "role", "both"), .rec = std::get<record_ptr>(item.v)};
    p.count = num(*r, "count");
    pools.push_back(std::move(p));
  }
  if (pools.empty()) {
    fail(args, "E0236", "pools", "a fleet needs at least one pool", "pass pools = [a, b]");
    return std::nullopt;
  }
  return pools;
}

// Design axes over pools: `counts = { p = 8, d = 16 }`, `accelerators = { a =
// MI300X }`, `regions = { b = Oregon }`, `roles = { a = prefill }` replace one
// field of the named pools (E0234 for a name not in the fleet).
struct pool_override {
  std::string_view param, field;
};
constexpr pool_override overrides[] = {
    {"counts", "count"}, {"accelerators", "accelerator"}, {"regions", "region"}, {"roles", "role"}};

bool apply_overrides(call_args& args, std::vector<pool_spec>& pools) {
  std::vector<std::string> names;
  for (const auto& p : pools) names.push_back(p.name);
  for (const auto& o : overrides) {
    if (!args.given(o.param)) continue;
    const record* r = args.raw(o.param).as_record();
    if (!r || !r->name.empty()) {
      fail(args, "E0236", o.param, fmt::format("{} must be a record by pool name, not {}", o.param, describe(args.raw(o.param))),
           fmt::format("write {} = {{ a = ... }} with the pools' names", o.param));
      return false;
    }
    for (const auto& f : r->fields) {
      auto it = std::find(names.begin(), names.end(), f.name);
      if (it == names.end()) {
        fail(args, "E0234", o.param, fmt::format("{} names '{}', which is not one of the fleet's pools", o.param, f.name),
             did_you_mean(f.name, names, "its pools are"));
        return false;
      }
      auto& pool = pools[static_cast<std::size_t>(it - names.begin())];
      value v = f.v;
      std::string bad;
      if (o.field == "count") {
        const auto* q = v.as_quantity();
        if (!q || !q->d.dimensionless() || q->si < 1 || q->si != std::floor(q->si)) bad = "a whole number of devices, at least 1";
        else pool.count = q->si;
      } else if (o.field == "role") {
        std::string w = v.as_symbol() ? v.as_symbol()->name : std::get_if<std::string>(&v.v) ? std::get<std::string>(v.v) : "";
        if (w != "both" && w != "prefill" && w != "decode") bad = "both, prefill or decode";
        else {
          pool.role = w;
          v = value{w};
        }
      } else {
        const record* e = v.as_record();
        std::string kind = o.field == "accelerator" ? "hardware" : "region";
        if (!e || e->kind != kind) bad = "a " + kind;
      }
      if (!bad.empty()) {
        fail(args, o.field == "count" ? "E0232" : o.field == "role" ? "E0233" : "E0301", o.param,
             fmt::format("{}: pool '{}' takes {}, not {}", o.param, f.name, bad, describe(f.v)),
             fmt::format("each value of {} sets the pool's {}", o.param, o.field));
        return false;
      }
      auto copy = std::make_shared<record>(*pool.rec);
      auto existing = std::find_if(copy->fields.begin(), copy->fields.end(), [&](const field& x) { return x.name == o.field; });
      if (existing != copy->fields.end()) existing->v = v;
      else copy->fields.push_back(field{std::string(o.field), v, {}, {}});
      pool.rec = copy;
    }
  }
  return true;
}

bool is_entry(const pool_spec& p) { return p.role != "decode"; }  // where requests arrive

// Roles the fleet can take (E0233): a prefill pool needs a decode pool and the
// reverse, and only a model with a KV cache (a transformer) can be split.
bool check_roles(call_args& args, const std::vector<pool_spec>& pools, const record& model) {
  bool prefill = false, decode = false;
  for (const auto& p : pools) {
    prefill = prefill || p.role == "prefill";
    decode = decode || p.role == "decode";
  }
  if (!prefill && !decode) return true;
  if (prefill != decode) {
    fail(args, "E0233", "pools",
         fmt::format("a {} pool needs a {} pool to hand its requests to", prefill ? "prefill" : "decode",
                     prefill ? "decode" : "prefill"),
         "disaggregation pairs role = prefill pools with role = decode pools; or make the pool role = both");
    return false;
  }
  std::string family = text_of(model, "family", "transformer");
  if ((family != "transformer" && family != "moe") || !model.quantity_of("kv_heads")) {
    fail(args, "E0233", "pools",
         fmt::format("model '{}' ({}) has no KV cache to move, so it cannot take role prefill or decode",
                     model.name, family),
         "disaggregation splits an autoregressive transformer's prefill from its decode; use role = both");
    return false;
  }
  return true;
}

// The split argument: a record of shares by pool name, or the word optimal.
// Entry pools' shares (both, prefill) sum to 1; so do decode pools' when any
// is named (else decode traffic is shared evenly). E0231, E0234.
std::optional<std::vector<double>> read_split(call_args& args, const std::vector<pool_spec>& pools, bool& optimal) {
  std::vector<double> shares(pools.size(), 0.0);
  std::size_t entries = 0, decodes = 0;
  for (const auto& p : pools) (is_entry(p) ? entries : decodes) += 1;
  auto even_decode = [&] {
    for (std::size_t i = 0; i < pools.size(); ++i)
      if (!is_entry(pools[i])) shares[i] = 1.0 / static_cast<double>(decodes);
  };
  const value& v = args.raw("split");
  optimal = false;
  if (!args.given("split")) {
    if (entries != 1) {
      fail(args, "E0231", "", fmt::format("{} pools take requests; say how they share them", entries),
           "add split = { a = 0.6, b = 0.4 } (shares summing to 1) or split = optimal");
      return std::nullopt;
    }
    for (std::size_t i = 0; i < pools.size(); ++i)
      if (is_entry(pools[i])) shares[i] = 1;
    even_decode();
    return shares;
  }
  if (const auto* w = v.as_symbol(); w && w->name == "optimal") {
    optimal = true;
    even_decode();
    return shares;
  }
  const record* r = v.as_record();
  if (!r || !r->name.empty()) {
    fail(args, "E0231", "split", fmt::format("split must be a record of shares or optimal, not {}", describe(v)),
         "write split = { a = 0.6, b = 0.4 } with the pools' names, or split = optimal");
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (const auto& p : pools) names.push_back(p.name);
  bool decode_named = false;
  for (const auto& f : r->fields) {
    auto it = std::find(names.begin(), names.end(), f.name);
    if (it == names.end()) {
      fail(args, "E0234", "split", fmt::format("the split names '{}', which is not one of the fleet's pools", f.name),
           did_you_mean(f.name, names, "its pools are"));
      return std::nullopt;
    }
    const auto* q = f.v.as_quantity();
    if (!q || !q->d.dimensionless() || !(q->si >= 0 && q->si <= 1)) {
      fail(args, "E0231", "split", fmt::format("the share of pool '{}' must be a number from 0 to 1, not {}", f.name,
                                               format_value(f.v, args.reg().units())),
           "a share is the fraction of requests routed to the pool: 0.6, or 60 %");
      return std::nullopt;
    }
    auto i = static_cast<std::size_t>(it - names.begin());
    shares[i] = q->si;
    decode_named = decode_named || !is_entry(pools[i]);
  }
  if (!decode_named) even_decode();
  auto check_sum = [&](bool entry, std::string_view what) {
    double sum = 0;
    std::string listed;
    for (std::size_t i = 0; i < pools.size(); ++i)
      if (is_entry(pools[i]) == entry) {
        sum += shares[i];
        listed += fmt::format("{}{} {}", listed.empty() ? "" : " + ", pools[i].name, format_number(shares[i]));
      }
    if (std::abs(sum - 1) <= 1e-9) return true;
    fail(args, "E0231", "split", fmt::format("the shares of the {} sum to {}, not 1 ({})", what, format_number(sum), listed),
         "every request goes somewhere: make the shares sum to 1 (a pool left out gets 0)");
    return false;
  };
  if (!check_sum(true, "pools that take requests (role both or prefill)")) return std::nullopt;
  if (decodes > 0 && !check_sum(false, "decode pools")) return std::nullopt;
  return shares;
}

class pooled {
 public:
  pooled(call_args& args, std::vector<pool_spec> pools, record_ptr workload, record_ptr model)
      : args_(args), pools_(std::move(pools)), workload_(std::move(workload)), model_(std::move(model)) {}

  bool prepare() {
    rate_ = num(*workload_, "rate");
    prompt_ = num(*workload_, "prompt");
    output_ = num(*workload_, "output");
    home_ = args_.given("home") ? args_.entity("home") : entity_of(args_.reg(), *pools_[0].rec, "region");
    if (!home_) return false;
    auto cross = args_.quantity_of("cross_region_rtt");
    if (!cross) return false;
    cross_rtt_ = cross->si;
    cross_given_ = args_.given("cross_region_rtt");
    for (auto& p : pools_) {
      auto region = entity_of(args_.reg(), *p.rec, "region");
      if (const auto* given = p.rec->quantity_of("rtt")) {
        p.rtt = given->si;
        p.rtt_source = "the pool's rtt";
      } else if (!region || region->name == home_->name) {
        p.rtt = 0;
        p.rtt_source = fmt::format("in the home region, {}", home_->name);
      } else {
        auto trip = between(*home_, *region, cross_rtt_, cross_given_, args_.reg().units());
        p.rtt = trip.seconds;
        p.rtt_source = std::move(trip.source);
      }
      disaggregated_ = disaggregated_ || p.role != "both";
    }
    if (disaggregated_) {
      link_ = args_.given("kv_link") ? args_.entity("kv_link") : nullptr;
      if (!link_) {
        if (!args_.given("kv_link"))
          fail(args_, "E0301", "", "prefill and decode pools need the link the KV cache crosses",
               "add kv_link = IB_NDR (or NVLink4 when both pools share nodes)");
        return false;
      }
      const auto* bw = link_->quantity_of("bandwidth");
      if (!bw || bw->si <= 0) {
        args_.error("kv_link", fmt::format("fabric '{}' has no bandwidth", link_->name));
        return false;
      }
    }
    return true;
  }

  // Pool i at `demand` req/s, cached: the optimal search asks for each share once.
  const pool_run* run(std::size_t i, double demand) {
    auto key = std::make_pair(i, demand);
    if (auto it = cache_.find(key); it != cache_.end()) return &it->second;
    auto made = size(pools_[i], demand);
    if (!made) return nullptr;
    return &cache_.emplace(key, std::move(*made)).first->second;
  }

  // Demand on each pool for `shares`: entry pools get share x rate; decode
  // pools share the traffic of the prefill pools.
  std::vector<double> demands(const std::vector<double>& shares) const {
    double to_decode = 0;
    for (std::size_t i = 0; i < pools_.size(); ++i)
      if (pools_[i].role == "prefill") to_decode += shares[i] * rate_;
    std::vector<double> d(pools_.size());
    for (std::size_t i = 0; i < pools_.size(); ++i) d[i] = is_entry(pools_[i]) ? shares[i] * rate_ : shares[i] * to_decode;
    return d;
  }

  struct outcome {
    std::vector<const pool_run*> runs;
    stdlib::path_latency latency;
    double kv_transfer = 0;  // share-weighted mean per request, s
    bool overloaded = false;
    std::string shortfall;
  };
  std::optional<outcome> evaluate(const std::vector<double>& shares) {
    outcome o;
    auto d = demands(shares);
    for (std::size_t i = 0; i < pools_.size(); ++i) {
      const auto* r = run(i, d[i]);
      if (!r) return std::nullopt;
      o.runs.push_back(r);
      o.overloaded = o.overloaded || r->overloaded;
      const auto* rec = r->fleet.as_record();
      if (rec && !rec->infeasible.empty() && o.shortfall.empty() && d[i] > 0)
        o.shortfall = fmt::format("pool {}: {}", pools_[i].name, rec->infeasible);
    }
    if (o.overloaded) return o;
    std::vector<stdlib::path_request> paths;
    for (std::size_t i = 0; i < pools_.size(); ++i) {
      const auto& p = pools_[i];
      if (p.role == "decode" || shares[i] <= 0) continue;
      const record& entry = *o.runs[i]->fleet.as_record();
      stdlib::path_request base{.share = shares[i], .rtt = p.rtt * u::second, .ttft = num(entry, "ttft") * u::second,
                                .ttft_p99 = num(entry, "ttft_p99") * u::second, .itl = num(entry, "itl") * u::second,
                                .e2e = num(entry, "e2e") * u::second, .output_tokens = output_};
      if (p.role == "both") {
        paths.push_back(base);
        continue;
      }
      for (std::size_t j = 0; j < pools_.size(); ++j) {
        if (pools_[j].role != "decode" || shares[j] <= 0) continue;
        const record& dec = *o.runs[j]->fleet.as_record();
        auto path = base;
        path.share = shares[i] * shares[j];
        path.disaggregated = true;
        path.itl = num(dec, "itl") * u::second;
        path.decode_wait = num(dec, "ttft") * u::second;  // a decode replica's TTFT is its slot wait
        path.kv_transfer = transfer(i, j);
        o.kv_transfer += path.share * path.kv_transfer.value();
        paths.push_back(path);
      }
    }
    o.latency = stdlib::fleet_latency(paths);
    return o;
  }

  // The KV cache from prefill pool i to decode pool j: zero within one pool.
  u::seconds transfer(std::size_t i, std::size_t j) const {
    stdlib::kv_transfer_request kv;
    kv.same_pool = i == j;
    kv.kv_per_request = cache_kv_bytes(i) * u::byte;
    kv.bandwidth = link_->quantity_of("bandwidth")->si * u::byte / u::second;
    const auto* lat = link_->quantity_of("latency");
    kv.latency = (lat ? lat->si : 0.0) * u::second;
    auto ri = entity_of(args_.reg(), *pools_[i].rec, "region");
    auto rj = entity_of(args_.reg(), *pools_[j].rec, "region");
    double one_way =
        ri && rj && ri->name != rj->name ? between(*ri, *rj, cross_rtt_, cross_given_, args_.reg().units()).seconds / 2 : 0.0;
    kv.cross_region = one_way * u::second;
    return stdlib::kv_transfer_time(kv);
  }
  double cache_kv_bytes(std::size_t i) const {
    for (const auto& [key, r] : cache_)
      if (key.first == i && r.kv_bytes > 0) return r.kv_bytes;
    return 0;
  }

  [[nodiscard]] const std::vector<pool_spec>& pools() const { return pools_; }
  [[nodiscard]] double rate() const { return rate_; }
  [[nodiscard]] double output() const { return output_; }

 private:
  // serving_fleet's arguments for one pool, bound from its declaration.
  bool bind_fleet(call_args& fa, const pool_spec& p, double batch_override) {
    auto at = args_.where("pools");
    auto word = [&](std::string_view f, std::string fallback) { return value{symbol{text_of(*p.rec, f, std::move(fallback))}}; };
    auto number = [&](std::string_view f, double fallback) {
      const auto* q = p.rec->quantity_of(f);
      return value{quantity{q ? q->si : fallback, {}}};
    };
    bool ok = fa.bind_named("workload", args_.where("workload"), args_.raw("workload"), args_.where("workload")) &&
              fa.bind_named("accelerator", at, value{entity_of(args_.reg(), *p.rec, "accelerator")}, at) &&
              fa.bind_named("region", at, value{entity_of(args_.reg(), *p.rec, "region")}, at) &&
              fa.bind_named("precision", at, word("precision", "fp16"), at) &&
              fa.bind_named("tp", at, number("tp", 1), at) &&
              fa.bind_named("batch", at, batch_override > 0 ? value{quantity{batch_override, {}}} : number("batch", 32), at) &&
              fa.bind_named("spare_nodes", at, number("spare_nodes", 0), at) &&
              fa.bind_named("devices_per_node", at, number("devices_per_node", 8), at);
    for (std::string_view f : {"price_per_gpu", "power_per_gpu"})
      if (ok && p.rec->find(f)) ok = fa.bind_named(std::string(f), at, p.rec->find(f)->v, at);
    for (std::string_view f : {"utilization", "lifetime", "maintenance"})
      if (ok && args_.given(f)) ok = fa.bind_named(std::string(f), args_.where(f), args_.raw(f), args_.where(f));
    return ok && fa.finish();
  }

  // One replica of a prefill or decode pool, through `serve` itself.
  std::optional<stdlib::serve_result> phase_replica(const pool_spec& p, std::string& shortfall, double& kv_bytes) {
    const builtin* serve = find_builtin("serve");
    call_args sa(*serve, args_.reg(), args_.source(), args_.call_span(), args_.diags());
    auto at = args_.where("pools");
    bool prefill = p.role == "prefill";
    auto tokens = [&](double n) { return value{quantity{n, num_dim("prompt")}}; };
    const auto* b = p.rec->quantity_of("batch");
    double batch = prefill ? 1 : (b ? b->si : 32);
    const auto* tp = p.rec->quantity_of("tp");
    bool ok = sa.bind_named("model", at, value{model_}, at) &&
              sa.bind_named("hardware", at, value{entity_of(args_.reg(), *p.rec, "accelerator")}, at) &&
              sa.bind_named("precision", at, value{symbol{text_of(*p.rec, "precision", "fp16")}}, at) &&
              sa.bind_named("tp", at, value{quantity{tp ? tp->si : 1, {}}}, at) &&
              sa.bind_named("batch", at, value{quantity{batch, {}}}, at) &&
              sa.bind_named("prompt", at, tokens(prompt_), at) && sa.bind_named("output", at, tokens(output_), at) &&
              sa.bind_named("scheduler", at, value{symbol{prefill ? "continuous" : "static"}}, at);
    if (!ok || !sa.finish()) return std::nullopt;
    auto out = serve->invoke(sa);
    if (!out) return std::nullopt;
    const record& r = *out->as_record();
    if (!r.infeasible.empty())
      shortfall = fmt::format("one {} replica ({} at batch {}) {}", p.role, entity_of(args_.reg(), *p.rec, "accelerator")->name,
                              format_number(batch), r.infeasible);
    stdlib::serve_result one;
    double context = prompt_ + output_;  // serve's default context: the KV cache it reports is at this length
    kv_bytes = num(r, "kv_cache_per_request") / context * prompt_;
    if (prefill) {
      // One prompt per iteration; its slot is held for the prefill alone.
      one.ttft = num(r, "ttft") * u::second;
      one.requests = (1 / one.ttft.value()) * u::request / u::second;
      one.throughput = output_ * one.requests.value() * u::token / u::second;  // the output its requests go on to make
      one.e2e = one.ttft;
    } else {
      // Decode steps alone, no prefill stalling them (serve's static step).
      one.itl = num(r, "itl") * u::second;
      one.e2e = output_ * one.itl;
      one.requests = (batch / one.e2e.value()) * u::request / u::second;
      one.throughput = batch / one.itl.value() * u::token / u::second;
    }
    return one;
  }
  dim num_dim(std::string_view field) const { return workload_->quantity_of(field)->d; }

  std::optional<pool_run> size(const pool_spec& p, double demand) {
    pool_run out;
    out.demand = demand;
    if (p.count <= 0 && demand <= 0) {
      out.idle = true;
      return out;
    }
    const builtin* fleet = find_builtin("serving_fleet");
    fleet_overrides o{.demand = demand, .fixed_devices = p.count};
    std::optional<stdlib::serve_result> replica;
    if (p.role != "both") {
      replica = phase_replica(p, o.replica_shortfall, out.kv_bytes);
      if (!replica) return std::nullopt;
      o.replica = &*replica;
    }
    call_args fa(*fleet, args_.reg(), args_.source(), args_.call_span(), args_.diags());
    if (!bind_fleet(fa, p, p.role == "prefill" ? 1 : 0)) return std::nullopt;
    auto sized = serving_fleet_with(fa, o);
    if (!sized) return std::nullopt;
    out.fleet = *sized;
    const record& r = *out.fleet.as_record();
    out.overloaded = !(num(r, "utilization") < 1) || !std::isfinite(num(r, "ttft_p99"));
    return out;
  }

  call_args& args_;
  std::vector<pool_spec> pools_;
  record_ptr workload_, model_, home_, link_;
  double rate_ = 0, prompt_ = 0, output_ = 0, cross_rtt_ = default_cross_region_rtt;
  bool disaggregated_ = false, cross_given_ = false;
  std::map<std::pair<std::size_t, double>, pool_run> cache_;
};

// The fields every pool record and the whole fleet share, summed over pools.
constexpr std::string_view summed[] = {"power",          "energy_per_year", "capex",          "capex_per_year",
                                       "opex_per_year",  "cost_per_year",   "cloud_per_year", "carbon_per_year"};

// serving_fleet's record of one pool, with its name's place in the fleet:
// role, share, demand, round trip and KV transfer.
value pool_record(const pool_spec& p, const pool_run& run, double share, double kv, dim time_d,
                  dim rate_d) {
  auto rec = std::make_shared<record>();
  rec->kind = "pool";
  rec->fields.push_back(field{"role", value{symbol{p.role}}, {}, {}});
  rec->fields.push_back(field{"share", value{quantity{share, {}}}, p.role == "decode" ? "of the prefilled requests" : "of all requests", {}});
  rec->fields.push_back(field{"demand", value{quantity{run.demand, rate_d}}, {}, {}});
  rec->fields.push_back(field{"rtt", value{quantity{p.rtt, time_d}}, "users' home region <-> this pool, as rtt_source says", {}});
  rec->fields.push_back(field{"rtt_source", value{p.rtt_source}, {}, {}});
  rec->fields.push_back(field{"kv_transfer", value{quantity{kv, time_d}},
                              p.role == "prefill" ? "per request, to the decode pools (mean)" : "none: prefill and decode share the pool", {}});
  if (run.idle) {
    rec->fields.push_back(field{"gpus", value{quantity{0, {}}}, "a sized pool with no traffic has no devices", {}});
  } else if (const record* f = run.fleet.as_record()) {
    for (const auto& x : f->fields) rec->fields.push_back(x);
    rec->infeasible = f->infeasible;
    rec->hypothetical_allowed = f->hypothetical_allowed;
  }
  return value{record_ptr(rec)};
}

std::optional<value> pooled_fleet_binding(call_args& args) {
  auto workload = args.entity("workload");
  if (!workload) return std::nullopt;
  if (workload->find("kind") && format_value(workload->find("kind")->v, args.reg().units()) != "serving") {
    args.error("workload", fmt::format("workload '{}' is not a serving workload", workload->name));
    return std::nullopt;
  }
  const auto* rate = workload->quantity_of("rate");
  auto model = entity_of(args.reg(), *workload, "model");
  if (!rate || rate->si <= 0 || !model || !workload->quantity_of("prompt") || !workload->quantity_of("output")) {
    args.error("workload", fmt::format("workload '{}' needs model, rate (> 0), prompt and output", workload->name));
    return std::nullopt;
  }
  auto specs = read_pools(args);
  if (!specs || !apply_overrides(args, *specs) || !check_roles(args, *specs, *model)) return std::nullopt;
  bool optimal = false;
  auto declared = read_split(args, *specs, optimal);
  if (!declared) return std::nullopt;
  auto objective = args.word("objective");
  if (!objective) return std::nullopt;
  pooled fleet(args, *specs, workload, model);
  if (!fleet.prepare()) return std::nullopt;
  const auto& pools = fleet.pools();

  // The SLOs the optimal split must meet: given, else the workload's targets.
  auto slo = [&](std::string_view param, std::string_view target) -> std::optional<double> {
    if (args.given(param)) {
      auto q = args.quantity_of(param);
      return q ? std::optional<double>(q->si) : std::nullopt;
    }
    const auto* t = workload->quantity_of(target);
    return t ? std::optional<double>(t->si) : std::optional<double>(std::numeric_limits<double>::infinity());
  };
  auto max_ttft = slo("max_ttft", "ttft");
  auto max_itl = slo("max_itl", "itl");
  if (!max_ttft || !max_itl) return std::nullopt;

  std::vector<double> shares = *declared;
  std::string split_note = "declared";
  if (optimal) {
    std::vector<std::size_t> entries;
    for (std::size_t i = 0; i < pools.size(); ++i)
      if (is_entry(pools[i])) entries.push_back(i);
    if (entries.size() > max_optimal_pools) {
      fail(args, "E0231", "split", fmt::format("split = optimal searches at most {} pools that take requests, not {}",
                                               max_optimal_pools, entries.size()),
           "declare the split, or search it in a design (split in [...])");
      return std::nullopt;
    }
    double best = std::numeric_limits<double>::infinity();
    std::optional<std::vector<double>> chosen;
    double closest_ttft = std::numeric_limits<double>::infinity(), closest_itl = closest_ttft;
    for (const auto& grid : stdlib::split_grid(entries.size(), grid_steps)) {
      auto candidate = shares;
      for (std::size_t k = 0; k < entries.size(); ++k) candidate[entries[k]] = grid[k];
      auto o = fleet.evaluate(candidate);
      if (!o) return std::nullopt;
      if (o->overloaded || !o->shortfall.empty()) continue;
      closest_ttft = std::min(closest_ttft, o->latency.ttft.value());
      closest_itl = std::min(closest_itl, o->latency.itl.value());
      if (o->latency.ttft.value() > *max_ttft || o->latency.itl.value() > *max_itl) continue;
      double score = 0;
      if (*objective == "ttft") score = o->latency.ttft.value();
      else if (*objective == "e2e") score = o->latency.e2e.value();
      else
        for (std::size_t i = 0; i < pools.size(); ++i)
          if (const auto* r = o->runs[i]->fleet.as_record()) score += num(*r, *objective);
      if (score < best) {
        best = score;
        chosen = candidate;
      }
    }
    if (!chosen) {
      const auto& units = args.reg().units();
      fail(args, "E0235", "split", "no split on the 5 % grid keeps every pool stable and meets the SLOs",
           std::isfinite(closest_ttft)
               ? fmt::format("the best TTFT found is {} and the best ITL {}: relax max_ttft / max_itl or add capacity",
                             units.format(quantity{closest_ttft, dim::of(base_dim::time)}),
                             units.format(quantity{closest_itl, dim::of(base_dim::time)}))
               : "every split overloads a pool of fixed count or does not fit in memory: add devices");
      return std::nullopt;
    }
    shares = *chosen;
    split_note = fmt::format("optimal: least {} on a 5 % grid", *objective);
  }

  auto o = fleet.evaluate(shares);
  if (!o) return std::nullopt;
  if (o->overloaded) {
    std::string which;
    for (std::size_t i = 0; i < pools.size(); ++i)
      if (o->runs[i]->overloaded) {
        const record& r = *o->runs[i]->fleet.as_record();
        which = fmt::format("pool {} gets {} but its {} devices serve {} at most", pools[i].name,
                            args.reg().units().format(quantity{o->runs[i]->demand, rate->d}), format_number(num(r, "gpus")),
                            args.reg().units().format(quantity{num(r, "capacity"), rate->d}));
        break;
      }
    fail(args, "E0235", "split", fmt::format("the split overloads a pool: {}", which),
         "move share away from it, give it more devices (count), or use split = optimal");
    return std::nullopt;
  }

  // The whole fleet.
  const dim time_d = dim::of(base_dim::time);
  double gpus = 0, nodes = 0, replicas = 0;
  std::map<std::string_view, quantity> sums;
  double capacity = std::numeric_limits<double>::infinity(), after_node = capacity;
  double cost_per_million = 0;
  double tokens = fleet.rate() * fleet.output();  // output tokens per second at the demand
  auto records = std::make_shared<record>();
  records->kind = "pools";
  std::string split_text;
  for (std::size_t i = 0; i < pools.size(); ++i) {
    const auto& run = *o->runs[i];
    double share = shares[i];
    double kv = 0;
    if (pools[i].role == "prefill")
      for (std::size_t j = 0; j < pools.size(); ++j)
        if (pools[j].role == "decode") kv += shares[j] * fleet.transfer(i, j).value();
    records->fields.push_back(field{pools[i].name, pool_record(pools[i], run, share, kv, time_d, rate->d), {}, {}});
    split_text += fmt::format("{}{} {}", split_text.empty() ? "" : ", ", pools[i].name, format_number(share));
    if (run.idle) continue;
    const record& r = *run.fleet.as_record();
    gpus += num(r, "gpus");
    nodes += num(r, "nodes");
    replicas += num(r, "replicas");
    for (auto name : summed) {
      const auto* q = r.quantity_of(name);
      auto& s = sums[name];
      s = quantity{s.si + q->si, q->d};
    }
    if (run.demand > 0) {
      // Load on this pool per request the fleet takes: the fleet saturates
      // where its first pool does.
      double per_request = run.demand / fleet.rate();
      capacity = std::min(capacity, num(r, "capacity") / per_request);
      after_node = std::min(after_node, num(r, "rate_after_node_loss") / per_request);
      cost_per_million += num(r, "cost_per_million_tokens") * per_request;
    } else {
      cost_per_million += num(r, "cost_per_year") * 1e6 / tokens;  // idle devices still cost
    }
  }
  // Losing a whole pool: the rest re-route, co-located pools in full and
  // disaggregated ones as far as their scarcer side goes.
  double after_pool = std::numeric_limits<double>::infinity();
  for (std::size_t lost = 0; lost < pools.size(); ++lost) {
    double both = 0, pre = 0, dec = 0;
    for (std::size_t i = 0; i < pools.size(); ++i) {
      if (i == lost || o->runs[i]->idle) continue;
      double cap = num(*o->runs[i]->fleet.as_record(), "capacity");
      (pools[i].role == "both" ? both : pools[i].role == "prefill" ? pre : dec) += cap;
    }
    after_pool = std::min(after_pool, both + std::min(pre, dec));
  }
  if (pools.size() == 1) after_pool = 0;
  auto rate_q = [&](double v) { return quantity{v, rate->d}; };
  auto time_q = [&](double v) { return quantity{v, time_d}; };
  std::vector<field> fields{
      field{"split", value{split_text}, split_note, {}},
      number_field("gpus", gpus, "every pool's devices"),
      number_field("nodes", nodes, "every pool's nodes"),
      number_field("replicas", replicas, "every pool's replicas"),
      field{"capacity", value{rate_q(capacity)}, "the rate at which the first pool saturates at this split", {}},
      field{"rate_after_node_loss", value{rate_q(after_node)}, "the same with one node down in the worst pool", {}},
      field{"rate_after_pool_loss", value{rate_q(after_pool)}, "what the other pools serve when the worst pool is lost", {}},
      number_field("utilization", fleet.rate() / capacity, "demand / capacity"),
      field{"ttft", value{time_q(o->latency.ttft.value())}, "share-weighted mean over paths, round trips included", {}},
      field{"ttft_p99", value{time_q(o->latency.ttft_p99.value())}, "the worst path's p99 (a bound)", {}},
      field{"itl", value{time_q(o->latency.itl.value())}, "the worst path's mean gap, KV transfer spread over its gaps", {}},
      field{"e2e", value{time_q(o->latency.e2e.value())}, "share-weighted mean over paths", {}},
      field{"kv_transfer", value{time_q(o->kv_transfer)}, "mean KV cache transfer per request (0 when co-located)", {}},
  };
  for (auto name : summed) {
    auto it = sums.find(name);
    fields.push_back(field{std::string(name), value{it != sums.end() ? it->second : quantity{}}, "sum over pools", {}});
  }
  fields.push_back(field{"cost_per_million_tokens", value{quantity{cost_per_million, dim::of(base_dim::money)}},
                         "owned: every pool's cost per year over the output tokens served", {}});
  fields.push_back(field{"pools", value{record_ptr(records)}, "each pool's serving_fleet result, by name", {}});
  return with_fit(args, make_result("pooled_fleet", std::move(fields)), o->shortfall);
}

}  // namespace

std::vector<builtin> pooled_fleets() {
  builtin b{
      .name = "pooled_fleet",
      .summary = "A serving fleet of declared pools (mixed hardware, regions, prefill/decode roles): split, latency, "
                 "cost, carbon, power and failure tolerance per pool and whole.",
      .params = {entity_param("workload", "workload", "a serving workload (model, rate, prompt, output)"),
                 {.name = "pools", .kind = param_kind::value, .required = true,
                  .doc = "the pools, a list of declared `pool` entities: [a, b]"},
                 {.name = "split", .kind = param_kind::value, .default_text = "required with two or more entry pools",
                  .doc = "shares of the requests by pool name, { a = 0.6, b = 0.4 }, or optimal"},
                 {.name = "counts", .kind = param_kind::value, .default_text = "each pool's count",
                  .doc = "devices by pool name, { p = 8, d = 16 }: a design axis (the prefill:decode ratio)"},
                 {.name = "accelerators", .kind = param_kind::value, .default_text = "each pool's accelerator",
                  .doc = "hardware by pool name, { a = MI300X }: a design axis"},
                 {.name = "regions", .kind = param_kind::value, .default_text = "each pool's region",
                  .doc = "regions by pool name, { b = Oregon }: a design axis"},
                 {.name = "roles", .kind = param_kind::value, .default_text = "each pool's role",
                  .doc = "roles by pool name, { a = prefill, b = decode }: a design axis"},
                 optional_entity("home", "region", "where the users are (default: the first pool's region)"),
                 quantity_param<u::seconds>("cross_region_rtt", default_cross_region_rtt,
                                            "the regions' rtt in the registry, else 70 ms",
                                            "round trip between two regions, for every pair (a pool's rtt overrides)"),
                 optional_entity("kv_link", "fabric", "the link the KV cache crosses from prefill to decode pools"),
                 word_param("objective", {"cost_per_year", "cloud_per_year", "carbon_per_year", "power", "ttft", "e2e"},
                            "cost_per_year", "what split = optimal minimizes"),
                 optional_quantity_param<u::seconds>("max_ttft", "the workload's ttft, else none",
                                                     "the TTFT objective split = optimal must meet"),
                 optional_quantity_param<u::seconds>("max_itl", "the workload's itl, else none",
                                                     "the ITL objective split = optimal must meet"),
                 fraction_param("utilization", "0.8 (as serving_fleet)", "the highest demand / capacity of a sized pool"),
                 optional_quantity_param<u::seconds>("lifetime", "4 yr (as serving_fleet)", "capex amortization period"),
                 optional_number("maintenance", "0 (as serving_fleet)", "maintenance per year as a fraction of capex"),
                 allow_infeasible_param()},
      .results = {{.name = "split", .kind = result_kind::text, .doc = "each pool's share of the requests"},
                  number_result("gpus", "devices over all pools"), number_result("nodes", "nodes over all pools"),
                  number_result("replicas", "replicas over all pools"),
                  quantity_result<u::request_rate>("capacity", "requests per second before the first pool saturates"),
                  quantity_result<u::request_rate>("rate_after_node_loss", "capacity with one node down"),
                  quantity_result<u::request_rate>("rate_after_pool_loss", "what is left when the worst pool is lost"),
                  number_result("utilization", "demand / capacity"),
                  quantity_result<u::seconds>("ttft", "mean time to first token, round trips included"),
                  quantity_result<u::seconds>("ttft_p99", "the worst path's p99 TTFT"),
                  quantity_result<u::seconds>("itl", "the worst path's inter-token latency"),
                  quantity_result<u::seconds>("e2e", "mean end-to-end latency per request"),
                  quantity_result<u::seconds>("kv_transfer", "mean KV cache transfer per request"),
                  quantity_result<u::watts>("power", "IT power"),
                  quantity_result<u::joules>("energy_per_year", "facility energy per year"),
                  quantity_result<u::usd>("capex", "purchase: accelerators, hosts, network, facility"),
                  quantity_result<u::usd_per_second>("capex_per_year", "capex amortized (a rate)"),
                  quantity_result<u::usd_per_second>("opex_per_year", "energy + maintenance (a rate)"),
                  quantity_result<u::usd_per_second>("cost_per_year", "owned: capex_per_year + opex_per_year"),
                  quantity_result<u::usd_per_second>("cloud_per_year", "rental: devices x cloud price, all year"),
                  quantity_result<u::kg_per_second>("carbon_per_year", "operational CO2e per year (a rate)"),
                  quantity_result<u::usd>("cost_per_million_tokens", "owned cost per million output tokens"),
                  {.name = "pools", .kind = result_kind::records, .doc = "each pool's result: fleet.pools.NAME.itl"}},
      .invoke = pooled_fleet_binding,
  };
  return {std::move(b)};
}

}  // namespace ironlaw::runtime::bindings
