// Bindings of the communication solvers: collective.
#include "comms.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "helpers.hpp"
#include "bindings.hpp"

namespace ironlaw::runtime::bindings {

namespace u = stdlib::units;

namespace {

std::optional<record_ptr> linked_entity(const record& r, std::string_view field_name, call_args& args,
                                        std::string_view param) {
  const auto* f = r.find(field_name);
  if (!f) {
    args.error(param, fmt::format("{} '{}' has no field '{}'", r.kind, r.name, field_name));
    return std::nullopt;
  }
  if (const auto* rec = std::get_if<record_ptr>(&f->v.v)) return *rec;
  std::string name = f->v.as_symbol() ? f->v.as_symbol()->name
                     : std::get_if<std::string>(&f->v.v) ? std::get<std::string>(f->v.v)
                                                         : std::string{};
  auto found = name.empty() ? nullptr : args.reg().find(name);
  if (!found) {
    args.error(param, fmt::format("{} '{}': field '{}' names '{}', which is not in the registry", r.kind, r.name,
                                  field_name, name));
    return std::nullopt;
  }
  return found;
}

std::optional<stdlib::collective_op> op_of(const std::string& w) {
  for (auto op : {stdlib::collective_op::allreduce, stdlib::collective_op::allgather,
                  stdlib::collective_op::reducescatter, stdlib::collective_op::alltoall,
                  stdlib::collective_op::broadcast})
    if (w == stdlib::name_of(op)) return op;
  return std::nullopt;
}

std::optional<value> collective_binding(call_args& args) {
  auto op_word = args.word("op");
  auto algo_word = args.word("algorithm");
  auto message = args.quantity_of("bytes");
  auto n = args.count("n", 1, true);
  auto latency = args.quantity_of("latency");
  auto base = args.quantity_of("base_latency");
  if (!op_word || !algo_word || !message || !n || !latency || !base) return std::nullopt;
  stdlib::collective_request req;
  req.op = *op_of(*op_word);
  req.algorithm = *algo_word == "tree"           ? stdlib::collective_algorithm::tree
                  : *algo_word == "hierarchical" ? stdlib::collective_algorithm::hierarchical
                                                 : stdlib::collective_algorithm::ring;
  req.message = u::bytes::from_value(message->si);
  req.n = *n;
  if (req.message.value() <= 0) {
    args.error("bytes", fmt::format("argument 'bytes' must be more than 0 B, got {}", args.reg().units().format(*message)));
    return std::nullopt;
  }
  if (req.algorithm == stdlib::collective_algorithm::tree && req.op != stdlib::collective_op::allreduce &&
      req.op != stdlib::collective_op::broadcast) {
    args.error("algorithm", fmt::format("a tree algorithm is modelled for allreduce and broadcast, not {}", *op_word),
               "use algorithm = ring");
    return std::nullopt;
  }
  bool hierarchical = req.algorithm == stdlib::collective_algorithm::hierarchical;
  if (hierarchical && req.op != stdlib::collective_op::allreduce) {
    args.error("algorithm", fmt::format("a hierarchical algorithm is modelled for allreduce, not {}", *op_word),
               "use algorithm = ring");
    return std::nullopt;
  }

  // Where the bandwidth comes from: `bandwidth =` (taken as achieved), a fabric
  // or a node (datasheet line rates, derated by the collective efficiency).
  std::string link_text;
  bool from_registry = false;
  std::optional<fabric_link> outer;
  std::optional<node_links> node;
  if (args.given("node")) {
    auto rec = args.entity("node");
    if (!rec) return std::nullopt;
    node = links_of_node(*rec, args, "node");
    if (!node) return std::nullopt;
    outer = hierarchical || req.n > node->per_node ? node->scaleout : node->scaleup;
    from_registry = true;
  }
  if (args.given("fabric")) {
    auto rec = args.entity("fabric");
    if (!rec) return std::nullopt;
    outer = link_of_fabric(*rec, args, "fabric");
    if (!outer) return std::nullopt;
    from_registry = true;
  }
  if (args.given("bandwidth")) {
    auto bw = args.quantity_of("bandwidth");
    if (!bw) return std::nullopt;
    if (bw->si <= 0) {
      args.error("bandwidth", "argument 'bandwidth' must be more than 0 B/s");
      return std::nullopt;
    }
    outer = fabric_link{{u::byte_rate::from_value(bw->si), {}}, false, "the given link"};
    from_registry = false;
  }
  if (!outer) {
    args.error("", "needs a link: pass `bandwidth = 50 GB/s`, `fabric = IB_NDR` or `node = DGX_H100`",
               "bandwidth is per rank, per direction");
    return std::nullopt;
  }
  req.fabric = outer->l;
  bool latency_given = args.given("latency");
  if (latency_given) req.fabric.latency = u::seconds::from_value(latency->si);
  bool base_given = args.given("base_latency");
  if (base_given) req.fabric.base = u::seconds::from_value(base->si);
  if (hierarchical) {
    if (!node) {
      args.error("algorithm", "a hierarchical all-reduce needs `node =` (its scale-up fabric within a node, its "
                              "scale-out fabric between nodes)");
      return std::nullopt;
    }
    req.intra = node->scaleup.l;
    req.per_node = node->per_node;
    if (std::fmod(req.n, req.per_node) != 0) {
      args.error("n", fmt::format("n = {} is not a whole number of {}-GPU nodes", format_number(req.n),
                                  format_number(req.per_node)));
      return std::nullopt;
    }
  }
  auto eff_default = efficiency_from(args.reg(), "collective", "bandwidth");
  auto eff = args.fraction("efficiency", from_registry ? eff_default.value : 1.0);
  if (!eff) return std::nullopt;
  req.efficiency = *eff;

  auto r = stdlib::collective(req);
  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  std::string eff_note = args.given("efficiency") ? "given"
                         : from_registry ? "default: " + eff_default.source
                                         : "1: a given bandwidth is taken as achieved";
  std::string latency_note = latency_given        ? "given"
                             : outer->has_latency ? "from " + outer->name
                                                  : fmt::format("0 s: {} records no latency; pass latency =", outer->name);
  std::string base_note = base_given                 ? "given"
                          : req.fabric.base.value() > 0 ? "from " + outer->name
                                                        : fmt::format("0 s: {} records none; pass base_latency =", outer->name);
  std::string formula;
  double nn = req.n;
  switch (req.algorithm) {
    case stdlib::collective_algorithm::ring:
      formula = req.op == stdlib::collective_op::allreduce
                    ? fmt::format("ring: 2(n-1)/n x {} / {} + 2(n-1) x alpha, n = {}", show(req.message),
                                  show(req.fabric.bandwidth), format_number(nn))
                    : fmt::format("ring: {} x {} / {} + {} x alpha", req.op == stdlib::collective_op::broadcast ? "1" : "(n-1)/n",
                                  show(req.message), show(req.fabric.bandwidth), format_number(nn - 1));
      break;
    case stdlib::collective_algorithm::tree:
      formula = fmt::format("pipelined binary trees: {} x {} / {} + {} x alpha",
                            req.op == stdlib::collective_op::allreduce ? 2 : 1, show(req.message),
                            show(req.fabric.bandwidth), format_number(r.steps));
      break;
    case stdlib::collective_algorithm::hierarchical:
      formula = fmt::format("reduce-scatter within {}-GPU nodes at {}, all-reduce of 1/{} between {} nodes at {}, "
                            "all-gather within",
                            format_number(req.per_node), show(req.intra.bandwidth), format_number(req.per_node),
                            format_number(req.n / req.per_node), show(req.fabric.bandwidth));
      break;
  }
  return make_result("collective", {
      typed_field("time", r.time, fmt::format("{}; bandwidth at efficiency {} ({})", formula,
                                              format_number(req.efficiency), eff_note)),
      typed_field("time_bound", r.time_bound, "efficiency 1"),
      typed_field("algbw", r.algbw, "bytes / time (nccl-tests algorithm bandwidth)"),
      typed_field("busbw", r.busbw, fmt::format("algbw x {} (nccl-tests bus bandwidth)", format_number(r.bus_factor))),
      number_field("bus_factor", r.bus_factor, "allreduce 2(n-1)/n; allgather, reducescatter, alltoall (n-1)/n; broadcast 1"),
      typed_field("bandwidth_term", r.bandwidth_term),
      typed_field("latency_term", r.latency_term, fmt::format("alpha_0 + {} steps x alpha", format_number(r.steps))),
      typed_field("bandwidth", req.fabric.bandwidth, "per rank, per direction: " + outer->name),
      typed_field("latency", req.fabric.latency, latency_note),
      typed_field("base_latency", req.fabric.base, base_note),
      number_field("efficiency", req.efficiency, eff_note),
  });
}

}  // namespace

std::optional<fabric_link> link_of_fabric(const record& fabric, call_args& args, std::string_view param) {
  fabric_link out;
  out.name = fabric.name;
  const auto* q = fabric.quantity_of("device_bandwidth");
  if (!q) q = fabric.quantity_of("bandwidth");
  auto bw = q ? from_runtime<u::byte_rate>(*q) : std::nullopt;
  if (!bw || bw->value() <= 0) {
    args.error(param, fmt::format("fabric '{}' has no bandwidth (B/s, per direction)", fabric.name));
    return std::nullopt;
  }
  out.l.bandwidth = *bw;
  if (const auto* lat = fabric.quantity_of("latency"); lat && from_runtime<u::seconds>(*lat)) {
    out.l.latency = *from_runtime<u::seconds>(*lat);
    out.has_latency = true;
  }
  if (const auto* base = fabric.quantity_of("base_latency"); base && from_runtime<u::seconds>(*base))
    out.l.base = *from_runtime<u::seconds>(*base);
  return out;
}

std::optional<node_links> links_of_node(const record& node, call_args& args, std::string_view param) {
  node_links out;
  auto hw = linked_entity(node, "accelerator", args, param);
  auto up = hw ? linked_entity(node, "scaleup", args, param) : std::nullopt;
  auto outward = up ? linked_entity(node, "scaleout", args, param) : std::nullopt;
  if (!outward) return std::nullopt;
  out.accelerator = *hw;
  const auto* count = node.quantity_of("accelerators");
  if (!count || !count->d.dimensionless() || count->si < 1) {
    args.error(param, fmt::format("node '{}' has no accelerator count ('accelerators = 8')", node.name));
    return std::nullopt;
  }
  out.per_node = count->si;
  auto su = link_of_fabric(**up, args, param);
  auto so = su ? link_of_fabric(**outward, args, param) : std::nullopt;
  if (!so) return std::nullopt;
  out.scaleup = *su;
  out.scaleout = *so;
  // The node's scale-out ports are shared by its GPUs: per GPU, bandwidth x nics / accelerators.
  const auto* nics = node.quantity_of("nics");
  out.nics = nics && nics->d.dimensionless() && nics->si > 0 ? nics->si : out.per_node;
  out.scaleout.l.bandwidth = out.scaleout.l.bandwidth * (out.nics / out.per_node);
  out.scaleout.name = fmt::format("{} x {} per {} GPUs ({})", format_number(out.nics), (*outward)->name,
                                  format_number(out.per_node), node.name);
  out.scaleup.name = fmt::format("{} ({})", (*up)->name, node.name);
  return out;
}

scaleup_latency scaleup_latency_of(const registry& reg, const std::string& hardware) {
  auto latencies = [&](const record& fabric) -> std::optional<scaleup_latency> {
    const auto* a = fabric.quantity_of("latency");
    const auto* b = fabric.quantity_of("base_latency");
    if (!a || !b) return std::nullopt;
    return scaleup_latency{u::seconds::from_value(a->si), u::seconds::from_value(b->si), fabric.name};
  };
  auto text_of = [](const record& r, std::string_view f) -> std::string {
    const auto* x = r.find(f);
    return x && std::get_if<std::string>(&x->v.v) ? std::get<std::string>(x->v.v) : std::string();
  };
  for (const auto& name : reg.names("node")) {
    auto node = reg.find(name);
    if (text_of(*node, "accelerator") != hardware) continue;
    auto fabric = reg.find(text_of(*node, "scaleup"));
    if (auto l = fabric ? latencies(*fabric) : std::nullopt) {
      l->origin = fmt::format("{}'s scale-up fabric {}", name, l->origin);
      return *l;
    }
  }
  std::vector<scaleup_latency> all;
  for (const auto& name : reg.names("fabric")) {
    auto fabric = reg.find(name);
    if (text_of(*fabric, "kind") != "scale-up") continue;
    if (auto l = latencies(*fabric)) all.push_back(*l);
  }
  if (all.empty()) return {{}, {}, "0 s: no scale-up fabric in the registry records a latency"};
  std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.alpha < y.alpha; });
  auto median = all[all.size() / 2];
  median.origin = fmt::format("no registry node of {}: the median scale-up fabric, {}", hardware, median.origin);
  return median;
}

std::vector<builtin> comms() {
  param_spec op{.name = "op", .kind = param_kind::word,
                .words = {"allreduce", "allgather", "reducescatter", "alltoall", "broadcast"},
                .fallback = value{symbol{"allreduce"}}, .default_text = "allreduce", .doc = "the collective"};
  param_spec algorithm{.name = "algorithm", .kind = param_kind::word, .words = {"ring", "tree", "hierarchical"},
                       .fallback = value{symbol{"ring"}}, .default_text = "ring",
                       .doc = "ring; tree (pipelined binary trees); hierarchical (within nodes, then between)"};
  auto optional_entity = [](std::string name, std::string kind, std::string doc) {
    auto p = entity_param(std::move(name), std::move(kind), std::move(doc));
    p.required = false;
    return p;
  };
  auto optional_rate = quantity_param<u::byte_rate>("bandwidth", "per rank, per direction, taken as achieved");
  optional_rate.required = false;
  return {
      builtin{
          .name = "collective",
          .summary = "One collective under the alpha-beta model: time, algorithm and bus bandwidth (nccl-tests).",
          .params = {op,
                     quantity_param<u::bytes>("bytes", "the message: each rank's buffer (nccl-tests size)"),
                     param_spec{.name = "n", .kind = param_kind::count, .required = true, .doc = "ranks taking part"},
                     optional_entity("fabric", "fabric", "a registry fabric (its per-direction bandwidth)"),
                     optional_rate,
                     quantity_param<u::seconds>("latency", 0, "the fabric's, else 0 s", "alpha: latency per step"),
                     quantity_param<u::seconds>("base_latency", 0, "the fabric's, else 0 s",
                                                "alpha_0: fixed latency per collective (launch, synchronisation)"),
                     algorithm,
                     optional_entity("node", "node", "a node: scale-up within it, scale-out between (hierarchical)"),
                     fraction_param("efficiency", "1 with bandwidth =, else registry efficiency.collective.bandwidth",
                                    "achieved fraction of the link bandwidth")},
          .results = {quantity_result<u::seconds>("time", "at the achieved efficiency"),
                      quantity_result<u::seconds>("time_bound", "at efficiency 1"),
                      quantity_result<u::byte_rate>("algbw", "message / time"),
                      quantity_result<u::byte_rate>("busbw", "algbw x bus_factor"),
                      number_result("bus_factor", "nccl-tests' correction"),
                      quantity_result<u::seconds>("bandwidth_term", "the bytes / bandwidth part of time"),
                      quantity_result<u::seconds>("latency_term", "alpha_0 + steps x alpha: the latency part of time"),
                      quantity_result<u::byte_rate>("bandwidth", "the link used, per rank, per direction"),
                      quantity_result<u::seconds>("latency", "alpha used"),
                      quantity_result<u::seconds>("base_latency", "alpha_0 used"),
                      number_result("efficiency", "the bandwidth efficiency used")},
          .invoke = collective_binding,
      },
  };
}

}  // namespace ironlaw::runtime::bindings
