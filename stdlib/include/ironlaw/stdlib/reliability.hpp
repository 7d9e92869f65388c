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

// Interruption rates of a synchronous training job, per hour, by component,
// from a published fleet study. A job stops when any of its parts fails:
//   rate = gpus x (gpu + hbm + nic + network) + nodes x host + job
enum class hardware_generation { a100, h100 };
struct failure_rates {
  double gpu = 0;      // per GPU: die, SRAM, system processor, silent data corruption, thermal
  double hbm = 0;      // per GPU: its HBM
  double nic = 0;      // per GPU: its NIC (one per GPU in rail-optimized nodes)
  double network = 0;  // per GPU: its share of switches and cables
  double host = 0;     // per node: CPU, memory, SSD, power, chassis, unplanned maintenance
  double job = 0;      // per job, whatever its size: software bugs, dependencies, NCCL timeouts
};

// H100 (Llama 3 405B, 16,384 GPUs in 2,048 nodes, 54 days = 1,296 h, Table 5's
// 419 unexpected interruptions by root cause; Llama Team 2024, section 3.3.4):
// GPU 196 (faulty GPU 148, SRAM 19, system processor 17, SDC 6, thermal 6),
// HBM3 72, NIC 7, switch and cable 35, host 46 (unplanned maintenance 32, SSD 3,
// power 3, chassis 2, IO board 2, CPU 2, memory 2), job 63 (software bugs 54,
// NCCL watchdog 7, dependencies 2). A100 (Meta's RSC-1 and RSC-2 research
// clusters, A. Kokolis et al., "Revisiting Reliability in Large-Scale Machine
// Learning Research Clusters", HPCA 2025): MTTF 7.9 h at 1,024 GPUs and 1.8 h at
// 16,384, which give a per-node rate (every hardware cause, not split by
// component) and a per-job rate; see docs/solvers.md, reliability.
failure_rates fleet_failure_rates(hardware_generation g);

struct job_failures {
  double gpu = 0, hbm = 0, nic = 0, network = 0, host = 0, job = 0;  // interruptions per hour, by cause
  double total = 0;                                                  // per hour
  units::seconds mtbf{};                                             // 1 / total
  units::seconds per_gpu_mtbf{};                                     // mtbf x gpus: the equivalent per-GPU figure
};
// Preconditions: gpus >= 1, gpus_per_node >= 1.
job_failures job_failure_rate(const failure_rates& rates, double gpus, double gpus_per_node);

// Time from an interruption to training again, 10 min: checkpoint-restart
// baselines take up to ~70x the sub-10-second recovery of TrainMover (C. Lao et
// al., "TrainMover", arXiv:2412.12636v1, 1,024 GPUs), about 10 minutes (derived).
inline constexpr double default_restart_seconds = 600;

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
