// Binding of training_fleet: a training job over a parallelism choice, its
// failure-free time from the `train` builtin itself (so its defaults, checks
// and messages are train's), then failures, energy, carbon and cost
// (stdlib/training_fleet.cpp, which reuses reliability, carbon and tco).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "entities.hpp"
#include "fleet_helpers.hpp"
#include "bindings.hpp"
#include "ironlaw/runtime/interp/evaluated.hpp"
#include "ironlaw/stdlib/training_fleet.hpp"

namespace ironlaw::runtime::bindings {
namespace {

namespace u = stdlib::units;

constexpr double seconds_per_hour = 3600;

// The failure-free job from `train`, with this call's arguments forwarded.
std::optional<value> run_train(call_args& args) {
  const builtin* train = find_builtin("train");
  if (!train) {
    args.error("", "needs the train solver, which is not available");
    return std::nullopt;
  }
  call_args t(*train, args.reg(), args.source(), args.call_span(), args.diags());
  bool ok = t.bind_named("model", args.where("model"), args.raw("model"), args.where("model")) &&
            t.bind_named("hardware", args.where("accelerator"), args.raw("accelerator"), args.where("accelerator"));
  for (std::string_view name : {"fabric", "gpus", "gpus_per_node", "global_batch", "precision", "tp", "pp", "dp", "zero",
                                "microbatch"})
    if (ok && args.given(name))
      ok = t.bind_named(std::string(name), args.where(name), args.raw(name), args.where(name));
  // Read through this call's accessors so a sensitivity scale reaches train.
  if (ok && args.given("tokens")) {
    auto tokens = args.quantity_of("tokens");
    ok = tokens && t.bind_named("tokens", args.where("tokens"), value{*tokens}, args.where("tokens"));
  }
  if (ok) {
    auto e = args.fraction("compute_efficiency", efficiency_from(args.reg(), "training", "gemm").value);
    ok = e && t.bind_named("compute_efficiency", args.where("compute_efficiency"), value{quantity{*e, {}}},
                           args.where("compute_efficiency"));
  }
  if (!ok || !t.finish()) return std::nullopt;
  return train->invoke(t);
}

double field_si(const record& r, std::string_view name) {
  const auto* q = r.quantity_of(name);
  return q ? q->si : 0;
}

std::optional<value> training_fleet_binding(call_args& args) {
  auto hw = args.entity("accelerator");
  auto region = args.entity("region");
  auto model_rec = args.entity("model");
  auto restart = positive(args, "restart", true);
  auto storage = positive(args, "storage_bandwidth");
  auto lifetime = positive(args, "lifetime");
  auto maintenance = args.count("maintenance", 0, false);
  auto per_node = args.given("gpus_per_node") ? args.count("gpus_per_node", 1, true) : std::optional<double>{8};
  if (!hw || !region || !model_rec || !restart || !storage || !lifetime || !maintenance || !per_node)
    return std::nullopt;
  if (args.given("mtbf") && !positive(args, "mtbf")) return std::nullopt;  // before the job, as the other arguments

  auto job = run_train(args);
  if (!job) return std::nullopt;
  const record& r = *job->as_record();
  // A job that does not fit still sizes the fleet, hypothetically: the fleet
  // result then refuses its times, rates and costs as train's does.
  std::string shortfall = r.infeasible.empty() ? "" : "the job " + r.infeasible;
  double gpus = field_si(r, "gpus");

  // Checkpoints: given, else the model's weights and Adam state written at the storage bandwidth.
  auto model = to_transformer(*model_rec, args, "model");
  auto format = args.word("precision");
  if (!model || !format) return std::nullopt;
  double write = 0;
  std::string write_note;
  if (args.given("checkpoint_write")) {
    auto w = positive(args, "checkpoint_write");
    if (!w) return std::nullopt;
    write = *w;
    write_note = "given";
  } else {
    auto ck = stdlib::checkpoint(*model, *stdlib::precision_from_name(*format), stdlib::checkpoint_optimizer::adam,
                                 *storage * u::byte / u::second, gpus);
    write = ck.write_time.value();
    write_note = fmt::format("{} (weights + Adam state) at {}{}", shown(args, to_runtime(ck.size)),
                             shown(args, quantity{*storage, runtime_dim_of<u::byte_rate>::value()}),
                             args.given("storage_bandwidth") ? "" : " (Llama 3's Tectonic, sustained)");
  }

  auto power = power_per_gpu(args, *hw);
  if (!power) return std::nullopt;
  double price = 0;
  std::string price_note = "renting: no purchase price needed";
  if (args.given("price_per_gpu")) {
    auto p = positive(args, "price_per_gpu", true);
    if (!p) return std::nullopt;
    price = *p;
    price_note = "given";
  } else if (const auto* p = hw->quantity_of("price")) {
    price = p->si;
    price_note = fmt::format("{}'s registry price", hw->name);
  } else if (!args.given("cloud_price") && !hw->quantity_of("cloud_price")) {
    args.error("accelerator", fmt::format("the registry has no public price for {}", hw->name),
               "give one: price_per_gpu = 30000 USD, or rent: cloud_price = 2.5 USD/h");
    return std::nullopt;
  }
  // Without a purchase price nothing is owned: every owned figure stays 0.
  const bool owned = price > 0 || args.given("price_per_gpu");
  auto capex = owned ? capex_per_device(args, *hw, region, price, price_note, power->watts)
                     : std::optional<device_capex>(device_capex{});
  if (!capex) return std::nullopt;
  // Rental: given, else the accelerator's registry cloud price.
  double cloud = 0;
  std::string cloud_note = fmt::format("{} has no cloud_price in the registry: pass cloud_price = ...", hw->name);
  if (args.given("cloud_price")) {
    auto c = positive(args, "cloud_price");
    if (!c) return std::nullopt;
    cloud = *c;
    cloud_note = "given";
  } else if (const auto* c = hw->quantity_of("cloud_price")) {
    cloud = c->si;
    cloud_note = fmt::format("{}'s registry cloud_price", hw->name);
  }
  const auto* pue = entity_field(region, "pue");
  const auto* price_kwh = entity_field(region, "electricity_price");
  const auto* intensity = entity_field(region, "carbon_intensity");
  const auto* wue = entity_field(region, "wue");
  if (!pue || !price_kwh || !intensity) {
    args.error("region", fmt::format("region '{}' needs pue, electricity_price and carbon_intensity", region->name));
    return std::nullopt;
  }
  double embodied = stdlib::embodied_kg_per_accelerator;
  std::string embodied_note = "318 kg per GPU (Chien et al., HotCarbon 2023)";
  if (const auto* e = hw->quantity_of("embodied")) {
    embodied = e->si;
    embodied_note = fmt::format("{}'s registry figure", hw->name);
  }

  stdlib::training_fleet_request req;
  req.work = field_si(r, "time_to_train") * u::second;
  req.gpus = gpus;
  req.gpus_per_node = *per_node;
  auto mtbf = mtbf_per_gpu(args, gpus, *per_node);
  if (!mtbf) return std::nullopt;
  req.mtbf_per_gpu = mtbf->seconds * u::second;
  req.checkpoint_write = write * u::second;
  req.restart = *restart * u::second;
  req.power_per_gpu = power->watts * u::watt;
  req.pue = pue->si;
  req.electricity_price = price_kwh->si * u::dollar / u::joule;
  req.carbon_intensity = intensity->si * u::kilogram / u::joule;
  if (wue) req.wue = from_runtime<u::m3_per_joule>(*wue).value_or(u::m3_per_joule{});  // litres in the language
  req.embodied_per_gpu = embodied * u::kilogram;
  req.price_per_gpu = capex->it() * u::dollar;
  req.facility_per_gpu = capex->facility * u::dollar;
  req.facility_lifetime = stdlib::facility_lifetime_years * stdlib::seconds_per_year * u::second;
  req.lifetime = *lifetime * u::second;
  req.maintenance = *maintenance;
  req.cloud_price = cloud * u::dollar / u::second;
  auto f = stdlib::training_fleet(req);

  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  double tokens = field_si(r, "tokens");
  const double share = f.failures.wall_time.value() / stdlib::seconds_per_year;
  auto usd_hour = [&](double per_second) {
    return units.format(quantity{per_second * seconds_per_hour, runtime_dim_of<u::usd>::value()});
  };
  auto per_million = [&](u::usd x) { return tokens > 0 ? x * (1e6 / tokens) : u::usd{}; };
  return with_fit(args, make_result("training_fleet", {
      typed_field("time_to_train", req.work, "train's time with no failure: tokens / throughput"),
      typed_field("wall_time", f.failures.wall_time, "with failures, checkpoints and restarts (Daly)"),
      number_field("goodput", f.failures.goodput, "time_to_train / wall_time"),
      number_field("expected_failures", f.failures.expected_failures,
                   fmt::format("wall_time / cluster MTBF ({} per GPU / {} GPUs; {})", show(req.mtbf_per_gpu),
                               format_number(gpus), mtbf->note)),
      typed_field("checkpoint_interval", f.failures.interval, "Young: sqrt(2 x checkpoint_write x cluster MTBF)"),
      typed_field("checkpoint_write", req.checkpoint_write, write_note),
      number_field("gpus", gpus, fmt::format("tp {} x pp {} x dp {}", format_number(field_si(r, "tp")),
                                             format_number(field_si(r, "pp")), format_number(field_si(r, "dp")))),
      number_field("nodes", f.nodes, fmt::format("{} GPUs per node", format_number(req.gpus_per_node))),
      number_field("mfu", field_si(r, "mfu"), "train's model FLOPs utilization"),
      word_field("binding", r.find("binding") ? r.find("binding")->v.as_symbol()->name : "compute",
                 r.find("step") ? r.find("step")->note : ""),
      typed_field("throughput", field_si(r, "throughput") * u::token / u::second, "tokens per second, failure-free"),
      typed_field("power", gpus * req.power_per_gpu, power->origin),
      typed_field("energy", f.energy, "IT energy: GPUs x power x wall_time"),
      typed_field("facility_energy", f.carbon.facility_energy, fmt::format("x PUE {} ({})", format_number(req.pue), region->name)),
      typed_field("carbon", f.carbon.total, "operational + embodied share"),
      typed_field("operational_carbon", f.carbon.operational,
                  fmt::format("facility energy x {} ({})", units.format(*intensity), region->name)),
      typed_field("embodied_carbon", f.carbon.embodied_share,
                  fmt::format("{}, wall_time / {} of it", embodied_note,
                              shown(args, quantity{*lifetime, runtime_dim_of<u::seconds>::value()}))),
      typed_field("water", f.carbon.water, "IT energy x the region's WUE"),
      typed_field("capex", f.capex,
                  owned ? fmt::format("purchase: {} GPUs, {}", format_number(gpus), capex->note(args))
                        : fmt::format("not counted: {} has no purchase price (pass price_per_gpu = ...)", hw->name)),
      typed_field("capex_share", f.capex_share,
                  fmt::format("amortized: capex over {} (IT) and {} yr (facility), for {} of a year",
                              shown(args, quantity{*lifetime, runtime_dim_of<u::seconds>::value()}),
                              format_number(stdlib::facility_lifetime_years), format_number(share))),
      typed_field("energy_cost", f.energy_cost,
                  fmt::format("facility energy x {} ({})", units.format(*price_kwh), region->name)),
      typed_field("owned_cost", f.owned_cost,
                  fmt::format("owned, this job: capex_share + energy_cost + maintenance {}", show(f.maintenance_cost))),
      typed_field("cloud_cost", f.cloud_cost,
                  cloud > 0 ? fmt::format("rental: {} GPU-hours x {}/GPU-hour ({})",
                                          format_number(f.gpu_time.value() / seconds_per_hour), usd_hour(cloud), cloud_note)
                            : cloud_note),
      typed_field("cost_per_million_tokens", per_million(f.owned_cost), "owned: owned_cost / tokens trained x 1e6"),
      typed_field("cloud_cost_per_million_tokens", per_million(f.cloud_cost), "rental: cloud_cost / tokens trained x 1e6"),
  }), shortfall);
}

}  // namespace

std::vector<builtin> training_fleet() {
  auto optional_count = [](std::string name, std::string default_text, std::string doc) {
    return param_spec{.name = std::move(name), .kind = param_kind::count, .default_text = std::move(default_text),
                      .doc = std::move(doc)};
  };
  builtin b{
      .name = "training_fleet",
      .summary = "A training job over a parallelism choice: time with failures, goodput, energy, carbon and cost.",
      .params = {entity_param("model", "model", "the model (a transformer)"),
                 entity_param("accelerator", "hardware", "the accelerator"),
                 optional_quantity_param<u::tokens>("tokens", "20 per parameter", "tokens to train on"),
                 optional_count("tp", "1", "tensor-parallel degree"),
                 optional_count("pp", "1", "pipeline stages"),
                 optional_count("dp", "gpus / (tp x pp)", "data-parallel degree"),
                 optional_count("gpus", "tp x pp x dp", "GPUs in the job"),
                 precision_param("precision", "bf16", "the training format"),
                 entity_param("region", "region", "where it runs: PUE, electricity price, grid carbon, water"),
                 optional_entity("fabric", "fabric", "the scale-out fabric between nodes"),
                 optional_count("gpus_per_node", "8", "GPUs per node"),
                 optional_count("zero", "0", "ZeRO stage 0-3 (3 = FSDP)"),
                 optional_count("global_batch", "about 4M tokens", "sequences per optimizer step"),
                 optional_count("microbatch", "1", "sequences per micro-batch"),
                 fraction_param("compute_efficiency", "registry efficiency.training.gemm (as train)",
                                "achieved fraction of peak FLOP/s"),
                 mtbf_param(),
                 generation_param(),
                 optional_quantity_param<u::seconds>("checkpoint_write", "weights + Adam state / storage_bandwidth",
                                                     "time to write one checkpoint"),
                 quantity_param<u::byte_rate>("storage_bandwidth", stdlib::tectonic_bytes_per_second, "2 TB/s (Llama 3's Tectonic)",
                                              "aggregate checkpoint write bandwidth"),
                 restart_param(),
                 quantity_param<u::seconds>("lifetime", 5 * stdlib::seconds_per_year, "5 yr (as tco)", "capex amortization and embodied-carbon life"),
                 count_param("maintenance", 0, "maintenance per year as a fraction of capex"),
                 optional_quantity_param<u::usd>("price_per_gpu", "the registry's price", "purchase price per GPU"),
                 optional_quantity_param<u::usd_per_second>("cloud_price", "the accelerator's", "rent per GPU-hour (USD/h)"),
                 optional_quantity_param<u::watts>("power_per_gpu", "TDP x the registry's host overhead",
                                                   "IT power per GPU including its host share"),
                 allow_infeasible_param()},
      .results = {quantity_result<u::seconds>("time_to_train", "failure-free time"),
                  quantity_result<u::seconds>("wall_time", "expected time with failures and checkpoints"),
                  number_result("goodput", "time_to_train / wall_time"),
                  number_result("expected_failures", "job interruptions over the wall time"),
                  quantity_result<u::seconds>("checkpoint_interval", "Young's optimum"),
                  quantity_result<u::seconds>("checkpoint_write", "time to write one checkpoint"),
                  number_result("gpus", "GPUs"),
                  number_result("nodes", "whole nodes"),
                  number_result("mfu", "model FLOPs utilization"),
                  word_result("binding", {"compute", "tp", "pp", "dp", "ep", "bubble"}, "the largest term of a step"),
                  quantity_result<u::token_rate>("throughput", "tokens per second"),
                  quantity_result<u::watts>("power", "IT power of the job"),
                  quantity_result<u::joules>("energy", "IT energy"),
                  quantity_result<u::joules>("facility_energy", "energy x PUE"),
                  quantity_result<u::kilograms>("carbon", "operational + embodied share (CO2e)"),
                  quantity_result<u::kilograms>("operational_carbon", "facility energy x grid intensity"),
                  quantity_result<u::kilograms>("embodied_carbon", "the job's share of the GPUs' manufacture"),
                  quantity_result<u::cubic_meters>("water", "site water"),
                  quantity_result<u::usd>("capex", "purchase of the fleet: accelerators, hosts, network, facility"),
                  quantity_result<u::usd>("capex_share", "capex amortized over the job's wall time"),
                  quantity_result<u::usd>("energy_cost", "facility energy x electricity price"),
                  quantity_result<u::usd>("owned_cost", "owned, this job: capex_share + energy_cost + maintenance"),
                  quantity_result<u::usd>("cloud_cost", "rental: GPU-hours x cloud price"),
                  quantity_result<u::usd>("cost_per_million_tokens", "owned_cost / tokens trained x 1e6"),
                  quantity_result<u::usd>("cloud_cost_per_million_tokens", "cloud_cost / tokens trained x 1e6")},
      .retired = {{.name = "cost",
                   .message = "money has a kind, and `cost` mixed two (the rental price when cloud_price was given, "
                              "else a share of the purchase)",
                   .help = "did you mean capex (purchase of the fleet), capex_share (its amortized share for this "
                           "job), energy_cost, owned_cost (capex_share + energy_cost + maintenance) or cloud_cost "
                           "(rental: GPU-hours x cloud price)?"}},
      .invoke = training_fleet_binding,
  };
  for (auto& p : capex_params()) b.params.push_back(std::move(p));
  return {std::move(b)};
}

}  // namespace ironlaw::runtime::bindings
