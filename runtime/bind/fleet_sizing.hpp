#pragma once
// serving_fleet's sizing, for bindings that size pools of a fleet with it
// (pooled_fleet): the same parameters, checks and result record, with the
// demand, the replica or the size given by the caller.
#include <optional>
#include <string>

#include "fleet_helpers.hpp"
#include "ironlaw/runtime/interp/builtins.hpp"
#include "ironlaw/stdlib/fleet.hpp"
#include "ironlaw/stdlib/serving.hpp"

namespace ironlaw::runtime::bindings {

struct fleet_overrides {
  std::optional<double> demand;                    // req/s instead of the workload's rate (> 0)
  const stdlib::serve_result* replica = nullptr;   // a replica the caller computed (prefill or decode only)
  std::string replica_shortfall;                   // why that replica does not fit; empty when it does
  double fixed_devices = 0;                        // a pool of this many devices; 0: sized to demand
};

// `args` are serving_fleet's, bound and finished.
std::optional<value> serving_fleet_with(call_args& args, const fleet_overrides& o);

// One replica as `serve` sees it, and why it does not fit (empty: it fits).
struct replica_outcome {
  stdlib::serve_result one;
  std::string shortfall;
};

// Where a replica's `serve` call reports, and how it is called: serving_fleet's
// call (replica_site_of), or the typed search path's prepared one.
struct replica_site {
  const registry* reg = nullptr;
  lang::source_ptr source;
  lang::span call;
  lang::diagnostics* diags = nullptr;
  bool quiet = false;
  call_memo* memo = nullptr;
  lang::span workload, accelerator, precision, tp, batch;  // the arguments' spans
  void error(std::string message) const;  // as serving_fleet's call_args::error("", ...)
};
replica_site replica_site_of(call_args& args);

// One replica through `serve` itself (its defaults, checks and messages), with
// Little's law for its e2e; nullopt after reporting at `site`.
std::optional<replica_outcome> replica_of(const replica_site& site, const value& model, const record_ptr& hw,
                                          const value& precision_given, const std::string& precision, double tp,
                                          double batch, const quantity& prompt, const quantity& output);

// What one accelerator costs and draws in one region: its IT power, price
// and capex per device (with where each came from) and the region's figures.
struct fleet_site {
  host_power host;
  double price = 0;
  std::string price_note;
  device_capex capex;
  const quantity* pue = nullptr;
  const quantity* electricity_price = nullptr;
  const quantity* carbon_intensity = nullptr;
  const quantity* cloud_price = nullptr;  // null: the accelerator has none
};
// serving_fleet's reads of them, each refusal reported at `args`.
std::optional<fleet_site> fleet_site_of(call_args& args, const record_ptr& hw, const record_ptr& region);

// The counts and figures of one configuration that are not the site's.
struct fleet_shape {
  double demand = 0;  // requests/s
  double batch = 1, tp = 1, devices_per_node = 8, spare_nodes = 0, target_utilization = 0.8;
  double lifetime = 0;  // s
  double maintenance = 0, fixed_devices = 0;
};
// The sizing request of one replica at a site.
stdlib::fleet_request fleet_request_of(const fleet_site& site, const stdlib::serve_result& one, const fleet_shape& shape);

// serving_fleet's typed search path (interp/typed_solver.hpp, bind/fleet_typed.cpp).
std::unique_ptr<typed_solver> serving_fleet_typed(call_args& args, const typed_axes& axes);

}  // namespace ironlaw::runtime::bindings
