// Bindings of the infrastructure solvers: topology (the locality wall) and
// data_pipeline (the ingestion and transformation walls).
#include <fmt/format.h>

#include "fleet_helpers.hpp"
#include "bindings.hpp"
#include "ironlaw/stdlib/data_pipeline.hpp"
#include "ironlaw/stdlib/topology.hpp"

namespace ironlaw::runtime::bindings {
namespace {

namespace u = stdlib::units;

template <typename Enum>
Enum enum_of(const std::string& word, auto names) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == word) return static_cast<Enum>(i);
  return static_cast<Enum>(0);
}

std::optional<value> topology_binding(call_args& args) {
  auto kind_word = args.word("kind");
  auto nodes = args.count("nodes", 2, true);
  auto oversubscription = args.given("oversubscription") ? args.count("oversubscription", 1, false)
                                                         : std::optional<double>(1);
  auto radix = args.count("radix", 4, true);
  auto dimensions = args.count("dimensions", 1, true);
  auto rails = args.count("rails", 1, true);
  if (!kind_word || !nodes || !oversubscription || !radix || !dimensions || !rails) return std::nullopt;
  auto kind = enum_of<stdlib::topology_kind>(*kind_word, stdlib::topology_names);
  bool direct = kind == stdlib::topology_kind::torus || kind == stdlib::topology_kind::ring;
  if (direct && *oversubscription != 1) {
    args.error("oversubscription", fmt::format("a {} has no switch tiers to oversubscribe", *kind_word),
               "oversubscription applies to fat_tree, rail and dragonfly");
    return std::nullopt;
  }
  double link = 0;
  std::string link_origin;
  if (args.given("bandwidth")) {
    auto b = positive(args, "bandwidth");
    if (!b) return std::nullopt;
    link = *b;
    link_origin = "given";
  } else if (args.given("fabric")) {
    auto fabric = args.entity("fabric");
    if (!fabric) return std::nullopt;
    const auto* b = fabric->quantity_of("bandwidth");
    if (!b) {
      args.error("fabric", fmt::format("fabric '{}' has no bandwidth", fabric->name), "pass bandwidth = ...");
      return std::nullopt;
    }
    link = b->si;
    link_origin = fmt::format("{}, per direction", fabric->name);
  } else {
    args.error("fabric", "topology needs a link bandwidth: pass fabric = IB_NDR or bandwidth = 50 GB/s");
    return std::nullopt;
  }

  stdlib::topology_inputs in;
  in.kind = kind;
  in.nodes = *nodes;
  in.link = link * u::byte / u::second;
  in.oversubscription = *oversubscription;
  in.radix = *radix;
  in.dimensions = *dimensions;
  in.rails = *rails;
  auto r = stdlib::topology(in);
  auto bw = [&](u::byte_rate x) { return shown(args, to_runtime(x)); };
  std::string bound_note =
      r.bound == stdlib::topology_bound::injection ? fmt::format("injection-bound: each node sends at {}", bw(r.injection))
      : r.bound == stdlib::topology_bound::uplinks
          ? fmt::format("uplink-bound: {}:1 oversubscription above the leaf", format_number(in.oversubscription))
          : fmt::format("bisection-bound: half the traffic crosses a {} cut", bw(r.bisection));
  std::string shape = direct ? fmt::format("{}-ary {}-cube", format_number(r.groups), format_number(r.tiers))
                             : kind == stdlib::topology_kind::dragonfly
                                 ? fmt::format("{} groups of radix-{} routers", format_number(r.groups), format_number(in.radix))
                                 : fmt::format("{} tiers of radix-{} switches", format_number(r.tiers), format_number(in.radix));
  return make_result("topology", {
      typed_field("bisection", r.bisection, fmt::format("per direction; {}", shape)),
      typed_field("all_to_all", r.all_to_all, bound_note),
      word_field("bound", std::string(stdlib::topology_bound_names[static_cast<std::size_t>(r.bound)]), bound_note),
      typed_field("injection", r.injection, direct ? "2 links per dimension" : "one port per node"),
      number_field("average_hops", r.average_hops, "links crossed between two nodes, uniform traffic, minimal routes"),
      number_field("worst_hops", r.worst_hops, "the network's diameter in links"),
      number_field("tiers", r.tiers, shape),
      number_field("groups", r.groups, shape),
      typed_field("link", in.link, link_origin),
  });
}

std::optional<value> data_pipeline_binding(call_args& args) {
  auto demand = positive(args, "rate");
  auto size = positive(args, "sample_size");
  auto per_core = positive(args, "per_core");
  auto cores = args.given("cores") ? args.count("cores", 1, false) : std::optional<double>(0);
  auto storage = args.given("storage_bandwidth") ? positive(args, "storage_bandwidth") : std::optional<double>(0);
  if (!demand || !size || !per_core || !cores || !storage) return std::nullopt;
  stdlib::pipeline_inputs in;
  in.demand = stdlib::sample_rate::from_value(*demand);
  in.sample_size = stdlib::bytes_per_sample::from_value(*size);
  in.per_core = stdlib::sample_rate::from_value(*per_core);
  in.cores = *cores;
  in.storage = *storage * u::byte / u::second;
  auto r = stdlib::data_pipeline(in);
  auto rate = [&](stdlib::sample_rate x) { return shown(args, to_runtime(x)); };
  std::string bound_note =
      r.bound == stdlib::pipeline_stage::accelerator ? "the accelerators set the pace: input keeps up"
      : r.bound == stdlib::pipeline_stage::storage
          ? fmt::format("storage delivers {} of the {} the accelerators want", rate(r.storage_limit), rate(in.demand))
          : fmt::format("{} cores decode {} of the {} the accelerators want", format_number(in.cores), rate(r.cpu_limit),
                        rate(in.demand));
  return make_result("data_pipeline", {
      typed_field("storage_needed", r.storage_needed, fmt::format("{} x {} per sample", rate(in.demand),
                                                                  shown(args, quantity{*size, dim::of(base_dim::data)}))),
      number_field("cores_needed", r.cores_needed, fmt::format("{} / {} per core", rate(in.demand), rate(in.per_core))),
      typed_field("storage_limit", r.storage_limit, args.given("storage_bandwidth") ? "storage bandwidth / sample size"
                                                                                     : "no storage_bandwidth given"),
      typed_field("cpu_limit", r.cpu_limit, args.given("cores") ? "cores x per-core rate" : "no cores given"),
      typed_field("achieved", r.achieved, bound_note),
      word_field("bound", std::string(stdlib::pipeline_stage_names[static_cast<std::size_t>(r.bound)]), bound_note),
      number_field("accelerator_utilization", r.accelerator_utilization, "achieved / demand: time not stalled on input"),
  });
}

}  // namespace

std::vector<builtin> infrastructure() {
  auto sample_rate_param = [](std::string name, std::string doc) {
    return param_spec{.name = std::move(name), .kind = param_kind::quantity,
                      .d = runtime_dim_of<stdlib::sample_rate>::value(), .required = true, .doc = std::move(doc)};
  };
  return {
      builtin{
          .name = "topology",
          .summary = "A scale-out network's bisection, all-to-all bandwidth per node and hop counts.",
          .params = {optional_entity("fabric", "fabric", "the link (its per-direction bandwidth)"),
                     choice_param("kind", words_of(stdlib::topology_names), "fat_tree", "the topology"),
                     {.name = "nodes", .kind = param_kind::count, .required = true, .doc = "endpoints (NIC ports)"},
                     optional_number("oversubscription", "1", "leaf down / up bandwidth (switched kinds)"),
                     count_param("radix", 64, "ports per switch or router (NVIDIA Quantum-2: 64)"),
                     count_param("dimensions", 3, "torus: n of the k-ary n-cube"),
                     count_param("rails", 8, "rail: accelerators per server, one rail each"),
                     optional_quantity_param<u::byte_rate>("bandwidth", "the fabric's", "per link, per direction")},
          .results = {quantity_result<u::byte_rate>("bisection", "capacity across the worst halving cut, per direction"),
                      quantity_result<u::byte_rate>("all_to_all", "per-node rate of a uniform all-to-all"),
                      word_result("bound", words_of(stdlib::topology_bound_names), "what limits the all-to-all"),
                      quantity_result<u::byte_rate>("injection", "what one node can send"),
                      number_result("average_hops", "links crossed on average"),
                      number_result("worst_hops", "diameter in links"),
                      number_result("tiers", "switch tiers, or torus dimensions"),
                      number_result("groups", "dragonfly groups, or torus nodes per dimension"),
                      quantity_result<u::byte_rate>("link", "the link bandwidth used")},
          .invoke = topology_binding,
      },
      builtin{
          .name = "data_pipeline",
          .summary = "Storage bandwidth and CPU cores an accelerator fleet's input needs, and which stage binds.",
          .params = {sample_rate_param("rate", "samples/s the accelerators consume at full speed"),
                     quantity_param<u::bytes>("sample_size", "bytes read from storage per sample"),
                     sample_rate_param("per_core", "samples/s one CPU core decodes and augments"),
                     optional_number("cores", "unlimited", "CPU cores available for preprocessing"),
                     optional_quantity_param<u::byte_rate>("storage_bandwidth", "unlimited", "storage read bandwidth")},
          .results = {quantity_result<u::byte_rate>("storage_needed", "read bandwidth the demand needs"),
                      number_result("cores_needed", "CPU cores the demand needs"),
                      quantity_result<stdlib::sample_rate>("storage_limit", "samples/s storage can deliver"),
                      quantity_result<stdlib::sample_rate>("cpu_limit", "samples/s the cores can prepare"),
                      quantity_result<stdlib::sample_rate>("achieved", "samples/s the fleet actually gets"),
                      word_result("bound", words_of(stdlib::pipeline_stage_names), "the stage that binds"),
                      number_result("accelerator_utilization", "achieved / demand")},
          .invoke = data_pipeline_binding,
      },
  };
}

}  // namespace ironlaw::runtime::bindings
