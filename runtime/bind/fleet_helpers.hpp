#pragma once
// Pieces shared by the fleet-level bindings (queueing, economics,
// infrastructure): optional parameters, arrival rates given as one quantity
// or a list, and numeric fields read from registry entities.
#include <optional>
#include <string>
#include <vector>

#include "helpers.hpp"

namespace ironlaw::runtime::bindings {

param_spec optional_entity(std::string name, std::string kind, std::string doc);
param_spec optional_number(std::string name, std::string default_text, std::string doc);
param_spec choice_param(std::string name, std::vector<std::string> words, std::string fallback, std::string doc);
param_spec rate_param(std::string name, std::string doc);  // requests/s, or a plain 1/s

// The arrival rates of `name` in 1/s: one rate, or a list of them (one per
// stream). Requests per second and plain frequencies (`20 / 1 h`) are both
// accepted; each must be > 0. Reports at the argument and returns nullopt.
std::optional<std::vector<double>> arrival_rates(call_args& args, std::string_view name, bool allow_list);

// A quantity argument `name` that must be > 0 (or >= 0), as its SI value.
std::optional<double> positive(call_args& args, std::string_view name, bool allow_zero = false);

// One GPU's share of a synchronous job's interruptions, in seconds: `mtbf`
// when given, else the fleet failure model (stdlib::fleet_failure_rates) of
// the `generation` argument for `gpus` GPUs in nodes of `gpus_per_node`, with
// a note saying which. Reports at the argument and returns nullopt.
struct gpu_mtbf {
  double seconds = 0;
  std::string note;
};
std::optional<gpu_mtbf> mtbf_per_gpu(call_args& args, double gpus, double gpus_per_node);
param_spec generation_param();  // `generation`: h100 (Llama 3) or a100 (Meta's research clusters)
param_spec mtbf_param();        // `mtbf`: optional, per GPU
param_spec restart_param();     // `restart`: 10 min by default (TrainMover's checkpoint-restart baselines)

// A numeric field of an entity record (nullptr when absent), e.g. a region's pue.
const quantity* entity_field(const record_ptr& r, std::string_view field);

// "default: <why>" or "given" for a note.
std::string origin_note(const call_args& args, std::string_view param, const std::string& default_origin);

// A quantity in the registry's display units, for notes.
std::string shown(const call_args& args, const quantity& q);

// IT power per device including its share of the host (CPUs, NICs, fans):
// `power_per_gpu` when given (> 0), else the device's TDP times the host
// overhead node power / (devices x device TDP) of the accelerator's own
// registry node, else the median over the registry's nodes. Reports at the
// argument (a device without a tdp) and returns nullopt.
struct host_power {
  double watts = 0;
  std::string origin;  // for the note
};
std::optional<host_power> power_per_gpu(call_args& args, const record& hw);

// What one device costs to buy, by part (docs/solvers.md, "Capex"): the
// accelerator, its share of the host server and of the scale-out network
// (`host_price_per_gpu` / `network_price_per_gpu` when given, else the
// registry node of the accelerator's `host_price` / `network_price` over its
// accelerators, else the median share over the nodes that have one), and the
// facility: `facility_price` (default: the region's, else stdlib's sourced
// figure) times the device's IT power. Reports at the argument and returns
// nullopt on a negative override.
struct device_capex {
  double accelerator = 0, host = 0, network = 0, facility = 0;  // USD per device
  std::string accelerator_origin, host_origin, network_origin, facility_origin;
  [[nodiscard]] double it() const { return accelerator + host + network; }
  [[nodiscard]] std::string note(const call_args& args) const;  // "accelerator ... + host ... + ..."
};
std::optional<device_capex> capex_per_device(call_args& args, const record& hw, const record_ptr& region,
                                             double accelerator, std::string accelerator_origin, double it_watts);
// The parameters capex_per_device reads, for a solver's parameter list.
std::vector<param_spec> capex_params();

}  // namespace ironlaw::runtime::bindings
