#pragma once
// The input pipeline of a training or batch-inference fleet: the samples per
// second the accelerators consume against what storage can deliver and what
// the CPUs can decode and augment (the ingestion and transformation walls).
#include <array>
#include <string_view>

#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

using units::sample_rate;
using bytes_per_sample = units::q<units::per<units::byte_unit, units::sample_unit>>;

enum class pipeline_stage { accelerator, storage, cpu };
inline constexpr std::array<std::string_view, 3> pipeline_stage_names = {"accelerator", "storage", "cpu"};

struct pipeline_inputs {
  sample_rate demand{};             // what the accelerators consume at full speed, > 0
  bytes_per_sample sample_size{};   // bytes read from storage per sample, > 0
  sample_rate per_core{};           // what one CPU core decodes and augments, > 0
  double cores = 0;                 // CPU cores available; 0 = unlimited
  units::byte_rate storage{};       // storage read bandwidth available; 0 = unlimited
};

struct pipeline_result {
  units::byte_rate storage_needed{};  // demand x sample size
  double cores_needed = 0;            // demand / per-core rate
  sample_rate storage_limit{};        // storage / sample size (infinite when unlimited)
  sample_rate cpu_limit{};            // cores x per-core rate (infinite when unlimited)
  sample_rate achieved{};             // min(demand, storage limit, CPU limit)
  pipeline_stage bound = pipeline_stage::accelerator;
  double accelerator_utilization = 1;  // achieved / demand: the share of time not stalled on input
};

pipeline_result data_pipeline(const pipeline_inputs& in);

}  // namespace ironlaw::stdlib
