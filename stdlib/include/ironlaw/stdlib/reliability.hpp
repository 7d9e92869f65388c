#pragma once
// Failures at scale and checkpointing: the cluster's MTBF from a component's,
// the Young-Daly checkpoint interval, the goodput that leaves, and the size
// and write time of a training checkpoint.
#include "ironlaw/stdlib/model.hpp"
#include "ironlaw/stdlib/precision.hpp"
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

struct reliability_request {
  double n = 1;                  // components that each stop the job when they fail, > 0
  units::seconds mtbf{};         // one component's mean time between failures, > 0
  units::seconds work{};         // failure-free run time of the job, >= 0
  units::seconds checkpoint_write{};  // delta: time to write one checkpoint, > 0
  units::seconds restart{};      // R: time from a failure to computing again, >= 0
  units::seconds interval{};     // tau: zero for the Young interval
};

struct reliability_result {
  units::seconds cluster_mtbf{};   // M = mtbf / n (independent exponential failures)
  units::seconds young{};          // sqrt(2 delta M) (Young 1974)
  units::seconds daly{};           // higher-order optimum (Daly 2006)
  units::seconds interval{};       // the interval used: given, else Young's
  units::seconds wall_time{};      // expected time to finish `work` with failures and checkpoints
  double goodput = 1;              // work / wall_time
  double expected_failures = 0;    // wall_time / M
  double checkpoint_overhead = 0;  // delta / tau: share of compute time spent writing
  double rework = 0;               // (tau / 2 + R) / M: share lost to recomputation and restarts (first order)
};

// Preconditions (checked by the caller): see the fields.
reliability_result reliability(const reliability_request& req);

// One GPU's mean time between job interruptions, in hours (~50,677 h): Llama 3
// 405B's 419 unexpected interruptions in a 54-day snapshot on 16,384 H100s
// (Llama Team, "The Llama 3 Herd of Models", 2024, section 3.3.4), every cause
// charged to a GPU. The default of `reliability` and `training_fleet`.
inline constexpr double llama3_gpu_mtbf_hours = 16384.0 * 54 * 24 / 419;

// A training checkpoint: the weights in their training format plus the
// optimizer state (an fp32 master copy when the weights are narrower, and the
// moments: Adam 2, momentum 1, SGD 0), gradients excluded.
enum class checkpoint_optimizer { adam, momentum, sgd, none };
struct checkpoint_result {
  units::bytes weights{};
  units::bytes optimizer_state{};
  units::bytes size{};
  units::bytes per_writer{};     // size / writers
  units::seconds write_time{};   // size / storage bandwidth
  double bytes_per_param = 0;
};
// Preconditions: bandwidth > 0, writers >= 1.
checkpoint_result checkpoint(const transformer_shape& model, precision weights, checkpoint_optimizer optimizer,
                             units::byte_rate bandwidth, double writers);

}  // namespace ironlaw::stdlib
