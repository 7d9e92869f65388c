// Bindings of the economics and sustainability solvers: carbon and tco.
#include <fmt/format.h>

#include "fleet_helpers.hpp"
#include "bindings.hpp"
#include "ironlaw/stdlib/carbon.hpp"
#include "ironlaw/stdlib/cost.hpp"

namespace ironlaw::runtime::bindings {
namespace {

namespace u = stdlib::units;

constexpr double default_lifetime_years = 5;
const std::string lifetime_source = "5 years (see docs/solvers.md: hyperscalers' 5-6 year server lives)";
const std::string embodied_source = "318 kg per accelerator (Chien et al., HotCarbon 2023, A100 server / 8)";

bool is_number_param(const call_args& args, std::string_view name) {
  for (const auto& p : args.function().params)
    if (p.name == name) return p.kind == param_kind::count;
  return false;
}

// A value from the argument if given, else from the region's field, else a fallback.
struct sourced {
  double si = 0;
  std::string origin;
};

std::optional<sourced> region_or_given(call_args& args, std::string_view param, const record_ptr& region,
                                       std::string_view field, std::optional<double> fallback,
                                       const std::string& fallback_origin) {
  if (args.given(param)) {
    auto x = is_number_param(args, param) ? args.count(param, 0, false) : positive(args, param, true);
    if (!x) return std::nullopt;
    return sourced{*x, "given"};
  }
  if (const auto* q = entity_field(region, field)) return sourced{q->si, fmt::format("{}'s {}", region->name, field)};
  if (fallback) return sourced{*fallback, fallback_origin};
  args.error(param, fmt::format("no {} to use: pass {} = ..., or a region that has one", field, param),
             fmt::format("e.g. `region = Virginia` or `{} = ...`", param));
  return std::nullopt;
}

record_ptr optional_entity_arg(call_args& args, std::string_view name, bool& ok) {
  if (!args.given(name)) return nullptr;
  auto r = args.entity(name);
  if (!r) ok = false;
  return r;
}

// The per-device power: given, else the hardware's TDP.
std::optional<sourced> device_power(call_args& args, const record_ptr& hw) {
  if (args.given("power")) {
    auto p = positive(args, "power", true);
    if (!p) return std::nullopt;
    return sourced{*p, "given"};
  }
  if (const auto* tdp = entity_field(hw, "tdp")) return sourced{tdp->si, fmt::format("{}'s TDP", hw->name)};
  return sourced{0, ""};
}

std::optional<value> carbon_binding(call_args& args) {
  bool ok = true;
  auto region = optional_entity_arg(args, "region", ok);
  auto hw = optional_entity_arg(args, "hardware", ok);
  auto count = args.count("count", 1, false);
  auto lifetime = args.given("lifetime") ? positive(args, "lifetime") : std::optional<double>(default_lifetime_years * stdlib::seconds_per_year);
  if (!ok || !count || !lifetime) return std::nullopt;
  auto intensity = region_or_given(args, "carbon_intensity", region, "carbon_intensity", std::nullopt, "");
  auto pue = region_or_given(args, "pue", region, "pue", 1.0, "1: IT energy only, no region given");
  auto wue = region_or_given(args, "wue", region, "wue", 0.0, "0: no region given");
  auto power = device_power(args, hw);
  if (!intensity || !pue || !wue || !power) return std::nullopt;
  if (pue->si < 1) {
    args.error("pue", fmt::format("PUE is facility over IT energy and cannot be below 1, got {}", format_number(pue->si)));
    return std::nullopt;
  }

  stdlib::carbon_inputs in;
  in.pue = pue->si;
  in.intensity = u::kg_per_joule::from_value(intensity->si);
  in.wue = *from_runtime<u::m3_per_joule>(quantity{wue->si, runtime_dim_of<u::m3_per_joule>::value()});
  in.lifetime = *lifetime * u::second;
  double fleet_power = *count * power->si;
  std::string energy_note = "given (IT energy)";
  std::optional<double> duration = args.given("duration") ? positive(args, "duration") : std::nullopt;
  if (args.given("duration") && !duration) return std::nullopt;
  if (args.given("energy")) {
    auto e = positive(args, "energy", true);
    if (!e) return std::nullopt;
    in.energy = *e * u::joule;
    // Without a duration, the devices' own power says how long they ran to draw it.
    if (!duration && hw && fleet_power > 0) duration = *e / fleet_power;
  } else if (duration && fleet_power > 0) {
    in.energy = fleet_power * *duration * u::joule;
    energy_note = fmt::format("{} x {} ({}) x {}", format_number(*count),
                              shown(args, quantity{power->si, dim::of(base_dim::energy) / dim::of(base_dim::time)}),
                              power->origin, shown(args, quantity{*duration, dim::of(base_dim::time)}));
  } else {
    args.error("energy", "carbon needs the energy, or a hardware (or power) and a duration to derive it",
               "pass `energy = 500 MWh`, or `hardware = H100_SXM, count = 8, duration = 30 d`");
    return std::nullopt;
  }
  std::string embodied_note = "no hardware given: embodied carbon not counted";
  if (hw) {
    double per_device = stdlib::embodied_kg_per_accelerator;
    std::string origin = embodied_source;
    if (args.given("embodied")) {
      auto e = positive(args, "embodied", true);
      if (!e) return std::nullopt;
      per_device = *e;
      origin = "given";
    } else if (const auto* field = entity_field(hw, "embodied")) {
      per_device = field->si;
      origin = fmt::format("{}'s registry figure", hw->name);
    }
    in.devices = *count;
    in.embodied_per_device = per_device * u::kilogram;
    in.duration = duration.value_or(0) * u::second;
    embodied_note = fmt::format("{} x {} kg ({}), {} of a {}-year life", format_number(*count), format_number(per_device),
                                origin, shown(args, quantity{in.duration.value(), dim::of(base_dim::time)}),
                                format_number(*lifetime / stdlib::seconds_per_year));
  }

  auto r = stdlib::carbon(in);
  std::string op_note = fmt::format("{} x PUE {} ({}) x {} ({})", shown(args, to_runtime(in.energy)),
                                    format_number(in.pue), pue->origin, shown(args, to_runtime(in.intensity)),
                                    intensity->origin);
  return make_result("carbon", {
      typed_field("energy", in.energy, energy_note),
      typed_field("facility_energy", r.facility_energy, "IT energy x PUE"),
      typed_field("operational", r.operational, op_note),
      typed_field("embodied", r.embodied, embodied_note),
      typed_field("embodied_share", r.embodied_share, "embodied x duration / lifetime (straight-line)"),
      typed_field("total", r.total, "operational + embodied share"),
      typed_field("water", r.water, fmt::format("IT energy x WUE {} ({}); site water only, PUE not applied",
                                                shown(args, to_runtime(in.wue)), wue->origin)),
      number_field("embodied_fraction", r.embodied_fraction, "embodied share / total"),
      number_field("pue", in.pue, pue->origin),
      typed_field("carbon_intensity", in.intensity, intensity->origin),
  });
}

std::optional<value> tco_binding(call_args& args) {
  bool ok = true;
  auto region = optional_entity_arg(args, "region", ok);
  auto hw = optional_entity_arg(args, "hardware", ok);
  auto count = args.count("count", 1, false);
  auto lifetime = args.given("lifetime") ? positive(args, "lifetime") : std::optional<double>(default_lifetime_years * stdlib::seconds_per_year);
  auto utilization = args.fraction("utilization", 1);
  auto maintenance = args.given("maintenance") ? args.count("maintenance", 0, false) : std::optional<double>(0);
  if (!ok || !count || !lifetime || !utilization || !maintenance) return std::nullopt;
  if (*count <= 0) {
    args.error("count", "argument 'count' must be > 0");
    return std::nullopt;
  }
  auto price = region_or_given(args, "electricity_price", region, "electricity_price", std::nullopt, "");
  auto pue = region_or_given(args, "pue", region, "pue", 1.0, "1: IT energy only, no region given");
  auto power = device_power(args, hw);
  if (!price || !pue || !power) return std::nullopt;
  if (pue->si < 1) {
    args.error("pue", fmt::format("PUE is facility over IT energy and cannot be below 1, got {}", format_number(pue->si)));
    return std::nullopt;
  }
  if (power->origin.empty()) {
    args.error("power", "tco needs each device's power: pass `power = 700 W` or a hardware with a TDP");
    return std::nullopt;
  }
  // IT capex: given for the whole fleet, else count x (accelerator + host and
  // network shares); the facility is added per watt of the devices' power.
  std::optional<device_capex> parts;
  double it_capex = 0;
  std::string capex_origin;
  if (args.given("capex")) {
    auto c = positive(args, "capex", true);
    if (!c) return std::nullopt;
    it_capex = *c;
    parts = capex_per_device(args, hw ? *hw : record{}, region, 0, "", power->si);
    capex_origin = "IT equipment given";
  } else if (const auto* p = entity_field(hw, "price")) {
    parts = capex_per_device(args, *hw, region, p->si, fmt::format("{}'s price", hw->name), power->si);
    if (parts) it_capex = *count * parts->it();
  } else {
    args.error(hw ? "hardware" : "capex",
               hw ? fmt::format("hardware '{}' has no price in the registry: pass capex = ...", hw->name)
                  : std::string("tco needs the capital cost: pass capex = ... or a hardware with a price"),
               "e.g. `capex = 240000 USD` for the whole fleet");
    return std::nullopt;
  }
  if (!parts) return std::nullopt;
  if (capex_origin.empty()) capex_origin = fmt::format("{} x {}", format_number(*count), parts->note(args));
  else capex_origin += fmt::format(" + {} x facility {} ({})", format_number(*count),
                                   shown(args, quantity{parts->facility, dim::of(base_dim::money)}), parts->facility_origin);
  stdlib::tco_inputs in;
  in.devices = *count;
  in.capex = it_capex * u::dollar;
  in.lifetime = *lifetime * u::second;
  in.facility_capex = *count * parts->facility * u::dollar;
  in.facility_lifetime = stdlib::facility_lifetime_years * stdlib::seconds_per_year * u::second;
  in.power = power->si * u::watt;
  in.pue = pue->si;
  in.electricity_price = u::usd_per_joule::from_value(price->si);
  in.maintenance = *maintenance;
  in.utilization = *utilization;
  std::string cloud_origin = "the given cloud_price";
  if (args.given("cloud_price")) {
    auto c = positive(args, "cloud_price");
    if (!c) return std::nullopt;
    in.cloud_price = u::usd_per_second::from_value(*c);
  } else if (const auto* c = entity_field(hw, "cloud_price")) {
    in.cloud_price = u::usd_per_second::from_value(c->si);
    cloud_origin = fmt::format("{}'s registry cloud_price", hw->name);
  }
  if (args.given("throughput")) {
    auto t = positive(args, "throughput");
    if (!t) return std::nullopt;
    in.throughput = u::token_rate::from_value(*t);
  }
  auto r = stdlib::tco(in);
  auto per_year = [](u::usd x) { return u::usd_per_second::from_value(x.value() / stdlib::seconds_per_year); };
  auto hour = [](u::usd_per_second x) { return u::usd::from_value(x.value() * 3600); };
  std::string cloud_missing = "no cloud_price: pass cloud_price = ..., or a hardware that has one";
  std::string tokens_missing = "no throughput given";
  return make_result("tco", {
      typed_field("capex", r.capex, "purchase: " + capex_origin),
      typed_field("capex_per_year", per_year(r.capex_per_year),
                  fmt::format("amortized straight-line: IT equipment over {} years ({}), facility over {} years",
                              format_number(*lifetime / stdlib::seconds_per_year),
                              args.given("lifetime") ? "given" : "default: " + lifetime_source,
                              format_number(stdlib::facility_lifetime_years))),
      typed_field("energy_per_year", r.energy_per_year,
                  fmt::format("{} x {} ({}) x PUE {} ({}) x 8760 h", format_number(*count),
                              shown(args, to_runtime(in.power)), power->origin, format_number(in.pue), pue->origin)),
      typed_field("energy_cost_per_year", per_year(r.energy_cost_per_year),
                  fmt::format("at {} ({})", shown(args, to_runtime(in.electricity_price)), price->origin)),
      typed_field("maintenance_per_year", per_year(r.maintenance_per_year),
                  args.given("maintenance") ? fmt::format("{} of capex a year (given)", format_number(*maintenance))
                                            : "not counted (no sourced default): pass maintenance = 0.05 for 5 % a year"),
      typed_field("opex_per_year", per_year(r.opex_per_year), "energy + maintenance, per year"),
      typed_field("total_per_year", per_year(r.total_per_year), "owned: capex_per_year + opex_per_year"),
      typed_field("total_lifetime", r.total_lifetime, "per year x lifetime"),
      typed_field("owned_per_gpu_hour", hour(r.owned_per_device), "total per year / (devices x 8760 h)"),
      typed_field("owned_per_busy_gpu_hour", hour(r.owned_per_busy_device),
                  fmt::format("at utilization {} ({})", format_number(*utilization),
                              args.given("utilization") ? "given" : "default 1: every hour busy, the best case")),
      typed_field("cloud_per_year", per_year(r.cloud_per_year),
                  in.cloud_price.value() > 0 ? "rental: the same busy hours x " + cloud_origin : cloud_missing),
      number_field("breakeven_utilization", r.breakeven_utilization,
                   in.cloud_price.value() > 0 ? "owning is cheaper above this utilization" : cloud_missing),
      typed_field("cost_per_million_tokens", r.per_million_tokens,
                  in.throughput.value() > 0 ? "owned, per busy device-hour / tokens per hour" : tokens_missing),
      typed_field("cloud_cost_per_million_tokens", r.cloud_per_million_tokens,
                  in.throughput.value() > 0 && in.cloud_price.value() > 0 ? "cloud price / tokens per hour"
                                                                          : "needs cloud_price and throughput"),
  });
}

using mass_per_energy = u::kg_per_joule;

}  // namespace

std::vector<builtin> economics() {
  const std::string lifetime_text = fmt::format("{} yr", format_number(default_lifetime_years));
  std::vector<builtin> list{
      builtin{
          .name = "carbon",
          .summary = "Operational CO2 (energy x PUE x grid intensity), embodied CO2 of the hardware, and site water.",
          .params = {optional_quantity_param<u::joules>("energy", "count x power x duration",
                                                        "IT energy (what the devices draw)"),
                     optional_entity("region", "region", "the datacenter's region: grid intensity, PUE, WUE"),
                     optional_quantity_param<mass_per_energy>("carbon_intensity", "the region's",
                                                              "grid CO2e per kWh (overrides the region's)"),
                     optional_number("pue", "the region's, else 1", "facility energy / IT energy"),
                     optional_quantity_param<u::m3_per_joule>("wue", "the region's, else 0",
                                                              "site water per kWh of IT energy"),
                     optional_entity("hardware", "hardware", "the accelerator, for embodied carbon and power"),
                     count_param("count", 1, "accelerators"),
                     optional_quantity_param<u::watts>("power", "the hardware's TDP", "average draw per accelerator"),
                     optional_quantity_param<u::seconds>("duration", "energy / (count x power)",
                                                         "wall time of the run being charged"),
                     optional_quantity_param<u::seconds>("lifetime", lifetime_text,
                                                         "service life embodied carbon is spread over"),
                     optional_quantity_param<u::kilograms>("embodied", "the hardware's, else 318 kg",
                                                           "embodied CO2e per accelerator")},
          .results = {quantity_result<u::joules>("energy", "IT energy"),
                      quantity_result<u::joules>("facility_energy", "IT energy x PUE"),
                      quantity_result<u::kilograms>("operational", "facility energy x grid intensity"),
                      quantity_result<u::kilograms>("embodied", "manufacture of the accelerators, whole life"),
                      quantity_result<u::kilograms>("embodied_share", "this run's share of the embodied carbon"),
                      quantity_result<u::kilograms>("total", "operational + embodied share"),
                      quantity_result<u::cubic_meters>("water", "site water: IT energy x WUE"),
                      number_result("embodied_fraction", "embodied share / total"),
                      number_result("pue", "the PUE used"),
                      quantity_result<mass_per_energy>("carbon_intensity", "the grid intensity used")},
          .invoke = carbon_binding,
      },
      builtin{
          .name = "tco",
          .summary = "Total cost of ownership: amortized capex, energy, maintenance; owned vs cloud; cost per token.",
          .params = {optional_entity("hardware", "hardware", "the accelerator: price and TDP"),
                     count_param("count", 1, "accelerators"),
                     optional_quantity_param<u::seconds>("lifetime", lifetime_text, "amortization period"),
                     fraction_param("utilization", "1", "share of hours doing useful work"),
                     optional_entity("region", "region", "electricity price and PUE"),
                     optional_quantity_param<u::usd_per_joule>("electricity_price", "the region's", "USD per kWh"),
                     optional_number("pue", "the region's, else 1", "facility energy / IT energy"),
                     optional_quantity_param<u::usd>("capex", "count x (price + host and network shares)",
                                                     "IT equipment bought for the fleet (the facility is added)"),
                     optional_number("maintenance", "0 (not counted)", "maintenance per year as a fraction of capex"),
                     optional_quantity_param<u::usd_per_second>("cloud_price", "the hardware's",
                                                                "rent per accelerator-hour, e.g. 2.5 USD/h"),
                     optional_quantity_param<u::token_rate>("throughput", "none", "tokens/s per busy accelerator"),
                     optional_quantity_param<u::watts>("power", "the hardware's TDP", "average draw per accelerator")},
          .results = {quantity_result<u::usd>("capex", "purchase: IT equipment + facility"),
                      quantity_result<u::usd_per_second>("capex_per_year", "amortized: each part over its lifetime"),
                      quantity_result<u::joules>("energy_per_year", "facility energy per year"),
                      quantity_result<u::usd_per_second>("energy_cost_per_year", "energy x price"),
                      quantity_result<u::usd_per_second>("maintenance_per_year", "maintenance x capex"),
                      quantity_result<u::usd_per_second>("opex_per_year", "energy + maintenance per year"),
                      quantity_result<u::usd_per_second>("total_per_year", "owned: capex_per_year + opex_per_year"),
                      quantity_result<u::usd>("total_lifetime", "all costs over the lifetime"),
                      quantity_result<u::usd>("owned_per_gpu_hour", "cost of one owned accelerator-hour"),
                      quantity_result<u::usd>("owned_per_busy_gpu_hour", "cost of one useful accelerator-hour"),
                      quantity_result<u::usd_per_second>("cloud_per_year", "rental: the same busy hours"),
                      number_result("breakeven_utilization", "owning is cheaper above it"),
                      quantity_result<u::usd>("cost_per_million_tokens", "owned"),
                      quantity_result<u::usd>("cloud_cost_per_million_tokens", "rented")},
          .invoke = tco_binding,
      },
  };
  for (auto& p : capex_params()) list.back().params.push_back(std::move(p));
  return list;
}

}  // namespace ironlaw::runtime::bindings
