#include "fleet_helpers.hpp"
#include "ironlaw/stdlib/reliability.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ironlaw/stdlib/cost.hpp"

namespace ironlaw::runtime::bindings {

param_spec optional_entity(std::string name, std::string kind, std::string doc) {
  return {.name = std::move(name), .kind = param_kind::entity, .entity_kind = std::move(kind), .doc = std::move(doc)};
}

param_spec optional_number(std::string name, std::string default_text, std::string doc) {
  return {.name = std::move(name), .kind = param_kind::count, .default_text = std::move(default_text),
          .doc = std::move(doc)};
}

param_spec choice_param(std::string name, std::vector<std::string> words, std::string fallback, std::string doc) {
  param_spec p{.name = std::move(name), .kind = param_kind::word, .words = std::move(words), .doc = std::move(doc)};
  p.fallback = value{symbol{fallback}};
  p.default_text = std::move(fallback);
  return p;
}

param_spec rate_param(std::string name, std::string doc) {
  return {.name = std::move(name), .kind = param_kind::quantity,
          .d = dim::of(base_dim::request) / dim::of(base_dim::time), .required = true, .doc = std::move(doc)};
}

namespace {

bool is_rate(const quantity& q) {
  return q.d == dim::of(base_dim::request) / dim::of(base_dim::time) || q.d == dim{} / dim::of(base_dim::time);
}

}  // namespace

std::optional<std::vector<double>> arrival_rates(call_args& args, std::string_view name, bool allow_list) {
  const value& v = args.raw(name);
  std::vector<value> items;
  if (const auto* l = std::get_if<list_ptr>(&v.v); l && allow_list) items.assign((*l)->begin(), (*l)->end());
  else items.push_back(v);
  if (items.empty()) {
    args.error(name, fmt::format("argument '{}' is an empty list", name), "give at least one rate, as in [3 req/s, 7 req/s]");
    return std::nullopt;
  }
  std::vector<double> rates;
  for (const auto& item : items) {
    const auto* q = item.as_quantity();
    if (!q || !is_rate(*q)) {
      args.error(name, fmt::format("argument '{}' must be an arrival rate (req/s or a count per unit of time){}, not {}",
                                   name, allow_list ? " or a list of them" : "", describe(item)),
                 fmt::format("write it with a unit, e.g. `{} = 10 req/s`", name));
      return std::nullopt;
    }
    if (!(q->si > 0) || !std::isfinite(q->si)) {
      args.error(name, fmt::format("argument '{}' must be > 0, got {} per second", name, format_number(q->si)));
      return std::nullopt;
    }
    rates.push_back(q->si);
  }
  return rates;
}

std::optional<double> positive(call_args& args, std::string_view name, bool allow_zero) {
  auto q = args.quantity_of(name);
  if (!q) return std::nullopt;
  if (!std::isfinite(q->si) || q->si < 0 || (!allow_zero && q->si == 0)) {
    args.error(name, fmt::format("argument '{}' must be {} 0, got {}", name, allow_zero ? ">=" : ">",
                                 args.reg().units().format(*q)));
    return std::nullopt;
  }
  return q->si;
}

const quantity* entity_field(const record_ptr& r, std::string_view field) { return r ? r->quantity_of(field) : nullptr; }

std::string origin_note(const call_args& args, std::string_view param, const std::string& default_origin) {
  return args.given(param) ? "given" : "default: " + default_origin;
}

std::string shown(const call_args& args, const quantity& q) { return args.reg().units().format(q); }

namespace {

// TDP times the host overhead of the registry node built of `hardware`, else
// the median over the registry's nodes.
host_power registry_host_power(const registry& reg, const std::string& hardware, double tdp) {
  std::vector<double> ratios;
  for (const auto& name : reg.names("node")) {
    auto node = reg.find(name);
    const auto* power = node->quantity_of("power");
    const auto* count = node->quantity_of("accelerators");
    const auto* acc = node->find("accelerator");
    const auto* acc_name = acc ? std::get_if<std::string>(&acc->v.v) : nullptr;
    auto device = acc_name ? reg.find(*acc_name) : nullptr;
    const auto* device_tdp = device ? device->quantity_of("tdp") : nullptr;
    if (!power || !count || !device_tdp || count->si <= 0 || device_tdp->si <= 0) continue;
    double ratio = power->si / (count->si * device_tdp->si);
    if (*acc_name == hardware)
      return host_power{tdp * ratio, fmt::format("TDP x {}'s host overhead {}", name, format_number(ratio))};
    ratios.push_back(ratio);
  }
  if (ratios.empty()) return host_power{tdp, "TDP only (no node in the registry has a power figure)"};
  std::sort(ratios.begin(), ratios.end());
  double median = ratios[ratios.size() / 2];
  return host_power{tdp * median, fmt::format("TDP x the registry nodes' median host overhead {}", format_number(median))};
}

}  // namespace

std::optional<host_power> power_per_gpu(call_args& args, const record& hw) {
  if (args.given("power_per_gpu")) {
    auto p = positive(args, "power_per_gpu");
    if (!p) return std::nullopt;
    return host_power{*p, "given"};
  }
  const auto* tdp = hw.quantity_of("tdp");
  if (!tdp) {
    args.error("accelerator", fmt::format("hardware '{}' has no tdp; give power_per_gpu", hw.name));
    return std::nullopt;
  }
  // The registry's part depends on the name and TDP only: read once per search thread.
  return memoized<host_power>(args, fmt::format("host_power {} {}", hw.name, tdp->si),
                              [&] { return registry_host_power(args.reg(), hw.name, tdp->si); });
}


std::optional<gpu_mtbf> mtbf_per_gpu(call_args& args, double gpus, double gpus_per_node) {
  auto generation = args.word("generation");
  if (!generation) return std::nullopt;
  if (args.given("mtbf")) {
    auto given = positive(args, "mtbf");
    if (!given) return std::nullopt;
    return gpu_mtbf{*given, "given, per GPU"};
  }
  const bool a100 = *generation == "a100";
  auto rates = stdlib::fleet_failure_rates(a100 ? stdlib::hardware_generation::a100 : stdlib::hardware_generation::h100);
  auto f = stdlib::job_failure_rate(rates, gpus, gpus_per_node);
  return gpu_mtbf{f.per_gpu_mtbf.value(),
                  fmt::format("{} fleet rates at {} GPUs: one interruption every {:.3g} h ({})", *generation,
                              format_number(gpus), f.mtbf.value() / 3600,
                              a100 ? "Kokolis et al. 2025, Meta's A100 research clusters"
                                   : "Llama 3's 419 interruptions by component")};
}

param_spec generation_param() {
  return choice_param("generation", {"h100", "a100"}, "h100",
                      "the fleet failure rates: h100 (Llama 3 405B's run) or a100 (Meta's research clusters)");
}

param_spec mtbf_param() {
  return optional_quantity_param<stdlib::units::seconds>(
      "mtbf", "the fleet rates of `generation`", "one GPU's mean time between job interruptions (all causes charged to it)");
}

param_spec restart_param() {
  return quantity_param<stdlib::units::seconds>("restart", stdlib::default_restart_seconds,
                                                "10 min (checkpoint-restart, TrainMover's baselines)",
                                                "time from a failure to training again");
}

namespace {

// One device's share of a node's `field` (host_price, network_price): the
// accelerator's own registry node, else the median share over nodes that
// have the field; 0 when none has it.
struct node_share {
  double usd = 0;
  std::string origin;
};
node_share share_of_node(const registry& reg, const record& hw, std::string_view field, std::string_view what) {
  std::vector<double> shares;
  for (const auto& name : reg.names("node")) {
    auto node = reg.find(name);
    const auto* price = node->quantity_of(field);
    const auto* count = node->quantity_of("accelerators");
    if (!price || !count || count->si <= 0) continue;
    const auto* acc = node->find("accelerator");
    const auto* acc_name = acc ? std::get_if<std::string>(&acc->v.v) : nullptr;
    if (acc_name && *acc_name == hw.name)
      return {price->si / count->si, fmt::format("{}'s {} / {}", name, field, format_number(count->si))};
    shares.push_back(price->si / count->si);
  }
  if (shares.empty()) return {0, fmt::format("not counted: no registry node has a {}", field)};
  std::sort(shares.begin(), shares.end());
  return {shares[shares.size() / 2],
          fmt::format("ESTIMATE: the median {} share of the registry's nodes (none for {})", what, hw.name)};
}

std::optional<node_share> given_or(call_args& args, std::string_view param, node_share fallback) {
  if (!args.given(param)) return fallback;
  auto v = positive(args, param, true);
  if (!v) return std::nullopt;
  return node_share{*v, "given"};
}

}  // namespace

std::string device_capex::note(const call_args& args) const {
  auto usd = [&](double x) { return shown(args, quantity{x, dim::of(base_dim::money)}); };
  return fmt::format("per device: accelerator {} ({}) + host {} ({}) + network {} ({}) + facility {} ({})",
                     usd(accelerator), accelerator_origin, usd(host), host_origin, usd(network), network_origin,
                     usd(facility), facility_origin);
}

std::optional<device_capex> capex_per_device(call_args& args, const record& hw, const record_ptr& region,
                                             double accelerator, std::string accelerator_origin, double it_watts) {
  device_capex c;
  c.accelerator = accelerator;
  c.accelerator_origin = std::move(accelerator_origin);
  // The registry's shares depend on the hardware's name only: read once per search thread.
  auto share = [&](std::string_view field, std::string_view what) {
    return memoized<node_share>(args, fmt::format("share_of_node {} {}", hw.name, field),
                                [&] { return share_of_node(args.reg(), hw, field, what); });
  };
  auto host = given_or(args, "host_price_per_gpu", share("host_price", "host"));
  auto network = given_or(args, "network_price_per_gpu", share("network_price", "network"));
  if (!host || !network) return std::nullopt;
  c.host = host->usd;
  c.host_origin = host->origin;
  c.network = network->usd;
  c.network_origin = network->origin;
  double per_watt = stdlib::facility_usd_per_watt;
  std::string origin = "Cushman & Wakefield 2025, US average";
  if (args.given("facility_price")) {
    auto f = positive(args, "facility_price", true);
    if (!f) return std::nullopt;
    per_watt = *f;
    origin = "given";
  } else if (const auto* f = entity_field(region, "facility_price")) {
    per_watt = f->si;
    origin = fmt::format("{}'s facility_price", region->name);
  }
  c.facility = per_watt * it_watts;
  c.facility_origin = note_of(args, [&] {
    return fmt::format("{} x {} ({})", shown(args, quantity{it_watts, dim::of(base_dim::energy) / dim::of(base_dim::time)}),
                       shown(args, quantity{per_watt, runtime_dim_of<stdlib::units::usd_per_watt>::value()}), origin);
  });
  return c;
}

std::vector<param_spec> capex_params() {
  namespace u = stdlib::units;
  return {optional_quantity_param<u::usd>("host_price_per_gpu", "the registry node's host_price / accelerators",
                                          "each device's share of its server: CPUs, DRAM, NICs, chassis"),
          optional_quantity_param<u::usd>("network_price_per_gpu", "the registry node's network_price / accelerators",
                                          "each device's share of the scale-out network: switches, optics, cables"),
          optional_quantity_param<u::usd_per_watt>("facility_price", "the region's, else 11.7 USD/W",
                                                   "data center construction per watt of IT load")};
}

}  // namespace ironlaw::runtime::bindings
