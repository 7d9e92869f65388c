#pragma once
// The 22 walls that bound an ML system (the taxonomy of Harvard's mlsysim,
// the MLSysBook companion), each with the ironlaw solver that measures it,
// and the margin arithmetic every wall's row shares.
#include <array>
#include <string_view>

namespace ironlaw::stdlib {

struct wall_info {
  std::string_view name;    // "compute", "memory", ...
  std::string_view what;    // the constraint, in a few words
  std::string_view solver;  // the ironlaw solver that measures it
};

inline constexpr std::array<wall_info, 22> all_walls{{
    {"compute", "peak FLOP/s", "decode / roofline"},
    {"memory", "memory bandwidth", "decode / roofline"},
    {"software", "achieved fraction of peak (MFU)", "decode efficiencies"},
    {"serving", "prefill (TTFT) vs decode (ITL)", "serve"},
    {"batching", "KV cache capacity", "serve"},
    {"streaming", "wafer-scale weight injection", "weight_streaming"},
    {"tail_latency", "p99 queueing delay", "serving_fleet / queue"},
    {"ingestion", "storage bandwidth", "data_pipeline"},
    {"transformation", "CPU preprocessing", "data_pipeline"},
    {"locality", "topology, scale-up domain", "topology"},
    {"complexity", "scaling laws", "chinchilla"},
    {"reasoning", "inference-time compute", "reasoning"},
    {"fidelity", "compression accuracy", "compress"},
    {"communication", "collectives", "collective / decode allreduce"},
    {"fragility", "failures", "serving_fleet / reliability"},
    {"multi_tenant", "shared-cluster queueing", "cluster_queue / queue"},
    {"capital", "total cost of ownership", "tco / serving_fleet"},
    {"sustainability", "carbon and water", "carbon / serving_fleet"},
    {"checkpoint", "checkpoint interval and write", "checkpoint / reliability"},
    {"safety", "privacy and fairness overhead", "privacy"},
    {"sensitivity", "which input matters", "sensitivity"},
    {"synthesis", "inverse roofline", "synthesize"},
}};

// Headroom of `value` under an upper `limit`: (limit - value) / limit. Zero
// at the wall, negative past it; 1 when nothing is used.
double margin_under(double value, double limit);

}  // namespace ironlaw::stdlib
