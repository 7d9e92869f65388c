// Binding of serving_fleet: a workload's request rate served by replicas of
// one configuration, each replica evaluated by the `serve` builtin itself (so
// its defaults, checks and messages are serve's), then sized into nodes with
// queueing, power, cost and carbon (stdlib/fleet.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "fleet_helpers.hpp"
#include "fleet_sizing.hpp"
#include "helpers.hpp"
#include "bindings.hpp"
#include "ironlaw/runtime/interp/suggest.hpp"
#include "ironlaw/runtime/interp/evaluated.hpp"
#include "ironlaw/stdlib/cost.hpp"
#include "ironlaw/stdlib/fleet.hpp"

namespace ironlaw::runtime::bindings {
namespace {

namespace u = stdlib::units;

const quantity* field_of(const record& r, std::string_view name) { return r.quantity_of(name); }

}  // namespace

replica_site replica_site_of(call_args& args) {
  return {&args.reg(), args.source(), args.call_span(), &args.diags(), args.quiet(), args.memo(),
          args.where("workload"), args.where("accelerator"), args.where("precision"), args.where("tp"),
          args.where("batch")};
}

void replica_site::error(std::string message) const {
  // As call_args::error("", ...) of serving_fleet's call words it.
  lang::diagnostic d;
  d.code = "E0301";
  d.source = source;
  d.primary = call;
  d.message = "serving_fleet: " + std::move(message);
  diags->add(std::move(d));
}

std::optional<replica_outcome> replica_of(const replica_site& site, const value& model, const record_ptr& hw,
                                          const value& precision_given, const std::string& precision, double tp,
                                          double batch, const quantity& prompt, const quantity& output) {
  const builtin* serve = find_builtin("serve");
  if (!serve) {
    site.error("needs the serve solver, which is not available");
    return std::nullopt;
  }
  call_args replica_args(*serve, *site.reg, site.source, site.call, *site.diags);
  replica_args.set_quiet(site.quiet, site.memo);
  auto at = site.workload;
  bool bound = replica_args.bind_named("model", at, model, at) &&
               replica_args.bind_named("hardware", site.accelerator, value{hw}, site.accelerator) &&
               replica_args.bind_named("precision", site.precision, precision_given, site.precision) &&
               replica_args.bind_named("tp", site.tp, value{quantity{tp, {}}}, site.tp) &&
               replica_args.bind_named("batch", site.batch, value{quantity{batch, {}}}, site.batch) &&
               replica_args.bind_named("prompt", at, value{prompt}, at) &&
               replica_args.bind_named("output", at, value{output}, at);
  if (!bound || !replica_args.finish()) return std::nullopt;
  auto replica = serve->invoke(replica_args);
  if (!replica) return std::nullopt;
  const record& r = *replica->as_record();
  replica_outcome out;
  // A replica that does not fit still sizes the fleet, hypothetically: the
  // fleet result then refuses its times, rates and costs as serve's does.
  out.shortfall = r.infeasible.empty() ? "" : site.quiet ? std::string(unworded_shortfall) : fmt::format("one replica ({} x {} at batch {}, {}) {}",
                                                      format_number(tp), hw->name, format_number(batch),
                                                      precision, r.infeasible);
  auto read = [&](std::string_view name) { const auto* q = field_of(r, name); return q ? q->si : 0.0; };
  out.one.ttft = read("ttft") * u::second;
  out.one.itl = read("itl") * u::second;
  out.one.requests = read("requests") * u::request / u::second;
  out.one.throughput = read("throughput") * u::token / u::second;
  if (out.one.requests.value() <= 0) {
    site.error("the replica serves no requests (serve returned a zero rate)");
    return std::nullopt;
  }
  out.one.e2e = (batch / out.one.requests.value()) * u::second;  // Little's law: a slot is held for e2e
  return out;
}

std::optional<fleet_site> fleet_site_of(call_args& args, const record_ptr& hw, const record_ptr& region) {
  fleet_site site;
  auto host = power_per_gpu(args, *hw);
  if (!host) return std::nullopt;
  site.host = *host;
  if (args.given("price_per_gpu")) {
    auto given = positive(args, "price_per_gpu", true);  // as training_fleet: a negative price is no price
    if (!given) return std::nullopt;
    site.price = *given;
    site.price_note = "given";
  } else if (const auto* p = hw->quantity_of("price")) {
    site.price = p->si;
    site.price_note = fmt::format("{}'s registry price", hw->name);
  } else {
    args.error("accelerator", fmt::format("the registry has no public price for {}", hw->name),
               "give one: price_per_gpu = 30000 USD");
    return std::nullopt;
  }
  auto capex = capex_per_device(args, *hw, region, site.price, site.price_note, site.host.watts);
  if (!capex) return std::nullopt;
  site.capex = *capex;
  site.pue = region->quantity_of("pue");
  site.electricity_price = region->quantity_of("electricity_price");
  site.carbon_intensity = region->quantity_of("carbon_intensity");
  if (!site.pue || !site.electricity_price || !site.carbon_intensity) {
    args.error("region", fmt::format("region '{}' needs pue, electricity_price and carbon_intensity", region->name));
    return std::nullopt;
  }
  site.cloud_price = hw->quantity_of("cloud_price");
  return site;
}

stdlib::fleet_request fleet_request_of(const fleet_site& site, const stdlib::serve_result& one, const fleet_shape& shape) {
  stdlib::fleet_request req;
  req.demand = shape.demand * u::request / u::second;
  req.replica = one;
  req.batch = shape.batch;
  req.tp = shape.tp;
  req.devices_per_node = shape.devices_per_node;
  req.spare_nodes = shape.spare_nodes;
  req.target_utilization = shape.target_utilization;
  req.power_per_device = site.host.watts * u::watt;
  req.pue = site.pue->si;
  req.electricity_price = site.electricity_price->si * u::dollar / u::joule;
  req.carbon_intensity = site.carbon_intensity->si * u::kilogram / u::joule;
  req.price_per_device = site.capex.it() * u::dollar;
  req.lifetime = shape.lifetime * u::second;
  req.facility_per_device = site.capex.facility * u::dollar;
  req.facility_lifetime = stdlib::facility_lifetime_years * stdlib::seconds_per_year * u::second;
  req.maintenance = shape.maintenance;
  req.fixed_devices = shape.fixed_devices;
  return req;
}

std::optional<value> serving_fleet_with(call_args& args, const fleet_overrides& o) {
  auto workload = args.entity("workload");
  auto hw = args.entity("accelerator");
  auto region = args.entity("region");
  auto precision = args.word("precision");
  auto tp = args.count("tp", 1, true);
  auto batch = args.count("batch", 1, true);
  auto spare = args.count("spare_nodes", 0, true);
  auto per_node = args.count("devices_per_node", 1, true);
  auto target = args.fraction("utilization", 0.8);
  auto lifetime = args.quantity_of("lifetime");
  auto maintenance = args.count("maintenance", 0, false);
  if (!workload || !hw || !region || !precision || !tp || !batch || !spare || !per_node || !target || !lifetime ||
      !maintenance)
    return std::nullopt;
  if (lifetime->si <= 0) {
    args.error("lifetime", "lifetime must be above 0");
    return std::nullopt;
  }
  if (workload->find("kind") && format_value(workload->find("kind")->v, args.reg().units()) != "serving") {
    args.error("workload", fmt::format("workload '{}' is not a serving workload", workload->name));
    return std::nullopt;
  }
  const auto* model_field = workload->find("model");
  const auto* rate = field_of(*workload, "rate");
  const auto* prompt = field_of(*workload, "prompt");
  const auto* output = field_of(*workload, "output");
  if (!model_field || !rate || !prompt || !output || rate->si <= 0) {
    args.error("workload", fmt::format("workload '{}' needs model, rate (> 0), prompt and output", workload->name),
               "declare it as: workload chat = serving { model = ..., rate = ... req/s, prompt = ... tokens, output = ... tokens }");
    return std::nullopt;
  }
  value model = model_field->v;
  if (const auto* text = std::get_if<std::string>(&model.v)) {
    auto found = args.reg().find(*text);
    if (found) model = value{found};
  }
  quantity demand = o.demand ? quantity{*o.demand, rate->d} : *rate;

  stdlib::serve_result one;
  std::string shortfall;
  if (o.replica) {
    one = *o.replica;
    shortfall = o.replica_shortfall;
  } else {
    // One replica, through `serve` itself. In a search (call_args::memo) the
    // replica depends on the accelerator, precision, tp and batch only: it is
    // computed once per such combination on each thread, not once per point
    // (the capstone's 2,700 points have 300). A refusal is never memoized.
    const auto* model_rec = model.as_record();
    std::string key = args.memo() && model_rec && !model_rec->name.empty()
                          ? fmt::format("serving_fleet replica {} {} {} {} {} {} {} {}", model_rec->name, hw->name,
                                        *precision, *tp, *batch, prompt->si, output->si, args.quiet())
                          : std::string();
    const replica_outcome* known = nullptr;
    if (!key.empty())
      if (auto it = args.memo()->find(key); it != args.memo()->end()) known = std::any_cast<replica_outcome>(&it->second);
    replica_outcome fresh;
    if (!known) {
      auto made = replica_of(replica_site_of(args), model, hw, args.raw("precision"), *precision, *tp, *batch, *prompt,
                             *output);
      if (!made) return std::nullopt;
      fresh = std::move(*made);
      if (!key.empty()) args.memo()->emplace(std::move(key), std::any(fresh));
    }
    const replica_outcome& r = known ? *known : fresh;
    one = r.one;
    shortfall = r.shortfall;
  }

  // Power, price and the region.
  auto site = fleet_site_of(args, hw, region);
  if (!site) return std::nullopt;
  const auto& power_note = site->host.origin;
  const auto& capex = site->capex;
  const auto* price_kwh = site->electricity_price;
  const auto* intensity = site->carbon_intensity;
  auto req = fleet_request_of(*site, one, {demand.si, *batch, *tp, *per_node, *spare, *target, lifetime->si,
                                           *maintenance, o.fixed_devices});
  // The queue, the costly part, depends on demand, e2e and slots only: in a
  // search, computed once per such triple on each thread (the capstone's
  // regions share it).
  auto f = stdlib::size_fleet_nodes(req);
  double slots = stdlib::fleet_slots(req, f);
  auto queue = [&] { return stdlib::mmc_waits(req.demand.value() / u::second, one.e2e, slots); };
  auto waits = args.memo() ? memoized<stdlib::mmc_result>(args, fmt::format("serving_fleet queue {:a} {:a} {:a}", req.demand.value(),
                                                                       one.e2e.value(), slots), queue)
                       : queue();
  stdlib::finish_fleet(req, waits, f);
  // Renting the same devices all year, where the accelerator has a cloud price.
  const auto* cloud = site->cloud_price;
  auto cloud_per_year = (cloud ? cloud->si * f.devices : 0.0) * u::dollar / u::second;

  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  // A quiet call (a search's point) words no notes (note_of).
  return with_fit(args, make_result("serving_fleet", {
      number_field("replicas", f.replicas, note_of(args, [&] {
                     return fmt::format("{} needed for {} at utilization <= {}, {}", format_number(f.replicas_needed),
                                        units.format(demand), format_number(*target),
                                        o.fixed_devices > 0 ? "a pool of fixed size" : "in whole nodes");
                   })),
      number_field("gpus", f.devices,
                   note_of(args, [&] { return fmt::format("{} nodes x {}", format_number(f.nodes), format_number(*per_node)); })),
      number_field("nodes", f.nodes, note_of(args, [&] { return fmt::format("including {} spare", format_number(*spare)); })),
      typed_field("capacity", f.capacity, note_of(args, [&] {
                    return fmt::format("{} replicas x {} each", format_number(f.replicas), show(one.requests));
                  })),
      typed_field("rate_after_node_loss", f.rate_after_node_loss, "capacity with one node down"),
      number_field("utilization", f.utilization, "demand / capacity"),
      typed_field("ttft", f.ttft, note_of(args, [&] {
                    return fmt::format("the replica's {} + mean queue wait {}", show(one.ttft), show(f.queue_wait));
                  })),
      typed_field("ttft_p99", f.ttft_p99, "the replica's TTFT + p99 queue wait (M/M/c over request slots)"),
      typed_field("itl", one.itl, "serve's ITL at this batch"),
      typed_field("e2e", one.e2e + f.queue_wait, "time in a slot (batch / replica rate) + mean queue wait"),
      typed_field("power", f.power, power_note),
      typed_field("energy_per_year", f.energy_per_year,
                  note_of(args, [&] { return fmt::format("facility energy: power x PUE {}", format_number(req.pue)); })),
      typed_field("capex", f.capex, note_of(args, [&] {
                    return fmt::format("purchase: {} devices, {}", format_number(f.devices), capex.note(args));
                  })),
      typed_field("capex_per_year", f.capex_per_year, note_of(args, [&] {
                    return fmt::format("amortized: IT equipment over {}, facility over {} yr", units.format(*lifetime),
                                       format_number(stdlib::facility_lifetime_years));
                  })),
      typed_field("opex_per_year", f.opex_per_year, note_of(args, [&] {
                    return fmt::format("energy {} at {} + maintenance {} of IT capex a year", show(f.energy_cost_per_year),
                                       units.format(*price_kwh), format_number(*maintenance));
                  })),
      typed_field("cost_per_year", f.cost_per_year, "owned: capex_per_year + opex_per_year"),
      typed_field("cloud_per_year", cloud_per_year,
                  note_of(args, [&] {
                    return cloud ? fmt::format("rental: {} devices x {}'s cloud price x 8760 h", format_number(f.devices), hw->name)
                                 : fmt::format("{} has no cloud_price in the registry", hw->name);
                  })),
      typed_field("carbon_per_year", f.carbon_per_year, note_of(args, [&] {
                    return fmt::format("facility energy x {} ({})", units.format(*intensity), region->name);
                  })),
      typed_field("cost_per_million_tokens", f.cost_per_million_tokens,
                  "owned: cost_per_year / output tokens per year at the demand"),
  }), shortfall);
}

namespace {

std::optional<value> serving_fleet_binding(call_args& args) { return serving_fleet_with(args, {}); }

}  // namespace

std::vector<builtin> fleet() {
  builtin b{
      .name = "serving_fleet",
      .summary = "A serving fleet for a workload: replicas, GPUs and nodes; latency with queueing; power, cost and carbon per year.",
      .params = {entity_param("workload", "workload", "a serving workload (model, rate, prompt, output)"),
                 entity_param("accelerator", "hardware", "the accelerator"),
                 precision_param("precision", "fp16", "the weights' numeric format"),
                 count_param("tp", 1, "tensor-parallel devices per replica"),
                 count_param("batch", 32, "concurrent requests per replica"),
                 entity_param("region", "region", "where it runs: PUE, electricity price, grid carbon"),
                 count_param("spare_nodes", 0, "extra whole nodes kept for failures"),
                 fraction_param("utilization", "0.8 (planning headroom)", "the highest demand / capacity allowed"),
                 count_param("devices_per_node", 8, "accelerators per node"),
                 quantity_param<u::seconds>("lifetime", 4 * 365 * 86400.0, "4 yr", "capex amortization period"),
                 count_param("maintenance", 0, "maintenance per year as a fraction of capex"),
                 optional_quantity_param<u::usd>("price_per_gpu", "the registry's price", "purchase price per device"),
                 optional_quantity_param<u::watts>("power_per_gpu", "TDP x the registry's host overhead",
                                                   "IT power per device including its host share"),
                 allow_infeasible_param()},
      .results = {number_result("replicas", "replicas in service"), number_result("gpus", "devices in whole nodes"),
                  number_result("nodes", "nodes, spares included"),
                  quantity_result<u::request_rate>("capacity", "requests per second the fleet can serve"),
                  quantity_result<u::request_rate>("rate_after_node_loss", "capacity with one node down"),
                  number_result("utilization", "demand / capacity"),
                  quantity_result<u::seconds>("ttft", "time to first token with the mean queue wait"),
                  quantity_result<u::seconds>("ttft_p99", "time to first token with the p99 queue wait"),
                  quantity_result<u::seconds>("itl", "inter-token latency"),
                  quantity_result<u::seconds>("e2e", "end-to-end latency per request"),
                  quantity_result<u::watts>("power", "IT power"),
                  quantity_result<u::joules>("energy_per_year", "facility energy per year"),
                  quantity_result<u::usd>("capex", "purchase: accelerators, hosts, network, facility"),
                  quantity_result<u::usd_per_second>("capex_per_year", "capex amortized over its lifetimes (a rate)"),
                  quantity_result<u::usd_per_second>("opex_per_year", "energy + maintenance per year (a rate)"),
                  quantity_result<u::usd_per_second>("cost_per_year", "owned: capex_per_year + opex_per_year"),
                  quantity_result<u::usd_per_second>("cloud_per_year", "rental: devices x cloud price, all year"),
                  quantity_result<u::kg_per_second>("carbon_per_year", "operational CO2e per year (a rate)"),
                  quantity_result<u::usd>("cost_per_million_tokens", "owned cost per million output tokens")},
      .invoke = serving_fleet_binding,
      .typed = serving_fleet_typed,
  };
  for (auto& p : capex_params()) b.params.push_back(std::move(p));
  return {std::move(b)};
}

}  // namespace ironlaw::runtime::bindings
