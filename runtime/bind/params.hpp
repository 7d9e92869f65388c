#pragma once
// Parameters and checks shared by the single-node solver bindings (memory,
// prefill, serve, roofline, compress, generate, synthesize). Included only by
// bind_*.cpp files.
#include <optional>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "ironlaw/stdlib/hardware.hpp"
#include "ironlaw/stdlib/model.hpp"
#include "ironlaw/stdlib/serving.hpp"

namespace ironlaw::runtime::bindings {

param_spec word_param(std::string name, std::vector<std::string> words, std::string fallback, std::string doc);
param_spec yes_no_param(std::string name, bool fallback, std::string doc);  // `true` or `false`
param_spec optional_entity_param(std::string name, std::string kind, std::string doc);
param_spec optional_count_param(std::string name, std::string default_text, std::string doc);
field bool_field(std::string name, bool b, std::string note = {});

// A yes/no argument read through word(): "true" or "false".
std::optional<bool> yes_no(call_args& args, std::string_view name);

// A share in [0, 1): `given` or the registry default. Reports at the argument.
std::optional<double> share(call_args& args, std::string_view name, double fallback);

// `tokens` between `minimum` and the model's maximum context, else a diagnostic.
bool check_context(call_args& args, std::string_view param, double tokens, const stdlib::transformer_shape& model,
                   const std::string& model_name, double minimum = 0);

// The weights' format and the KV cache's (given, or the default for those weights).
struct formats {
  stdlib::precision weights = stdlib::precision::fp16;
  stdlib::precision kv = stdlib::precision::fp16;
};
std::optional<formats> read_formats(call_args& args);

// The hardware's compute peak for the weights' format, else a diagnostic.
bool check_peak(call_args& args, const stdlib::accelerator& hw, stdlib::precision weights);

// Tensor parallelism over the hardware's scale-up link, with the collective
// efficiency from the registry and the scale-up fabric's latencies unless
// `link_latency` / `link_base_latency` are given (`latency_origin` says which);
// a diagnostic when tp > 1 and there is no link, or tp exceeds the model's heads.
std::optional<stdlib::tensor_parallel> read_tensor_parallel(call_args& args, const stdlib::accelerator& hw,
                                                            const stdlib::transformer_shape& model,
                                                            std::string* latency_origin = nullptr);
param_spec tp_param();
std::vector<param_spec> link_latency_params();  // link_latency, link_base_latency
param_spec reserve_param();

// The software stack a prediction assumes (`runtime = vllm`): its words, and
// the registry tables that hold its figures.
const std::vector<std::string>& runtime_words();
param_spec runtime_param();

// The efficiency `key` ("compute", "bandwidth") of `regime` for a runtime and
// a weight format: the first registry table among regime_runtime_format,
// regime_format, regime_runtime and regime that holds it, its source prefixed
// with the table's name ("efficiency.decode_int4: ...").
efficiency_default stack_efficiency(const registry& reg, std::string_view regime, std::string_view runtime,
                                    stdlib::precision weights, std::string_view key);

// The runtime's fixed cost per pass of `regime` (table regime_runtime):
// `overhead` per pass plus `overhead_per_layer` x the model's layers (kernel
// launches scale with the layers), with its source; 0 s when the registry
// holds neither for it.
struct stack_overhead {
  stdlib::units::seconds value{};
  std::string source;
};
stack_overhead overhead_of(const registry& reg, std::string_view regime, std::string_view runtime, double layers);

// The runtime's host dispatch time per pass of `regime` (table regime_runtime):
// `host` per pass plus `host_per_layer` x the model's layers. An eager
// framework issues its kernels asynchronously, so this is a floor under the
// device time (the pass takes the larger), not a cost added to it.
stack_overhead host_floor_of(const registry& reg, std::string_view regime, std::string_view runtime, double layers);

// "the bound at bandwidth efficiency 0.7 (default: <source>)"-style notes.
std::string efficiency_note(call_args& args, std::string_view param, double used, const efficiency_default& d);

}  // namespace ironlaw::runtime::bindings
