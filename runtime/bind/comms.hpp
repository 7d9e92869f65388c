#pragma once
// Links from registry fabrics and nodes, shared by the collective and training
// bindings. Included only by bind_*.cpp files (it pulls in Boost.Units).
#include <optional>
#include <string>

#include "ironlaw/runtime/interp/builtins.hpp"
#include "ironlaw/stdlib/comms.hpp"

namespace ironlaw::runtime::bindings {

// One rank's link on a fabric: `device_bandwidth` (all of a device's links,
// scale-up fabrics) or `bandwidth` (one port), per direction; its `latency`
// when the record has one (`has_latency`).
struct fabric_link {
  stdlib::link l;
  bool has_latency = false;
  std::string name;
};
std::optional<fabric_link> link_of_fabric(const record& fabric, call_args& args, std::string_view param);

// A node (server): its accelerator record, GPUs per node, and the per-GPU
// scale-up and scale-out links (the node's NICs shared by its GPUs).
struct node_links {
  record_ptr accelerator;
  double per_node = 8;
  fabric_link scaleup, scaleout;
  double nics = 0;
};
std::optional<node_links> links_of_node(const record& node, call_args& args, std::string_view param);

// The latencies (alpha, alpha_0) of the scale-up fabric that joins the devices
// of `hardware` (the registry key): the `scaleup` fabric of the first registry
// node built of it, else the median over the registry's scale-up fabrics that
// record latencies. `origin` says which, for notes.
struct scaleup_latency {
  stdlib::units::seconds alpha{}, base{};
  std::string origin;
};
scaleup_latency scaleup_latency_of(const registry& reg, const std::string& hardware);

}  // namespace ironlaw::runtime::bindings
