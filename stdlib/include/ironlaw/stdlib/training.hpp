#pragma once
// Distributed training of a transformer with tensor (TP), pipeline (PP), data
// (DP) and expert (EP) parallelism and ZeRO/FSDP sharding: one optimizer
// step's time broken into compute, the communication each form of parallelism
// leaves exposed, and the pipeline bubble; MFU, scaling efficiency, tokens/s,
// time to train and memory per GPU.
#include "ironlaw/stdlib/comms.hpp"
#include "ironlaw/stdlib/hardware.hpp"
#include "ironlaw/stdlib/memory.hpp"
#include "ironlaw/stdlib/model.hpp"
#include "ironlaw/stdlib/precision.hpp"

namespace ironlaw::stdlib {

enum class pipeline_schedule { gpipe, one_f_one_b, interleaved };

// Where a parallel group's traffic runs.
enum class placement { scaleup, scaleout };

enum class train_term { compute, tp, cp, pp, dp, ep, bubble };
constexpr const char* name_of(train_term t) {
  switch (t) {
    case train_term::compute: return "compute";
    case train_term::tp: return "tp";
    case train_term::cp: return "cp";
    case train_term::pp: return "pp";
    case train_term::dp: return "dp";
    case train_term::ep: return "ep";
    case train_term::bubble: return "bubble";
  }
  return "compute";
}

struct train_request {
  precision format = precision::bf16;  // the GEMMs' format (fp8: attention, activations and gradients stay 16-bit)
  double tp = 1, cp = 1, pp = 1, dp = 1, ep = 1;  // gpus = tp x cp x pp x dp; ep divides dp
  double per_node = 8;                    // GPUs per node (the scale-up domain)
  link scaleup{};   // per GPU, per direction
  link scaleout{};  // per GPU, per direction (a node's NICs shared by its GPUs)
  double global_batch = 1;  // sequences per optimizer step
  double seq = 2048;        // tokens per sequence
  double microbatch = 1;    // sequences per micro-batch; global_batch = dp x microbatch x microbatches
  pipeline_schedule schedule = pipeline_schedule::one_f_one_b;
  double virtual_stages = 1;  // interleaved: model chunks per GPU (v)
  int zero = 0;               // 0..3 (3 = FSDP)
  recompute_kind recompute = recompute_kind::selective;
  double overlap = 1;         // share of the compute DP communication runs under can hide it, [0, 1]
  double compute_efficiency = 1;    // achieved fraction of peak of the matmuls (GEMMs and attention)
  double bandwidth_efficiency = 1;  // achieved fraction of memory bandwidth of the elementwise kernels
  double comm_efficiency = 1;       // achieved fraction of link bandwidth
  // Expert parallelism (a mixture of experts).
  double ep_overlap = 0;   // share of the all-to-alls hidden under computation, [0, 1]
  double node_limit = 0;   // routing sends a token to at most this many nodes (0: no limit)
  bool fp8_dispatch = false;  // tokens dispatched to the experts in fp8 (the combine stays 16-bit)
  double tokens = 0;              // tokens to train on
  // The slowest rank's compute time over a typical rank's (>= 1): synchronous
  // collectives and pipeline hand-offs wait for it, so every rank's compute
  // slot takes this much longer. 1: no straggler.
  double straggler = 1;
};

struct train_result {
  // One optimizer step, per GPU, at the achieved efficiencies.
  units::seconds step{};
  units::seconds step_bound{};  // every efficiency 1
  units::seconds compute{};     // m micro-batches of forward + backward (+ recomputation)
  units::seconds elementwise{}; // the memory-bound part of compute (norms, activations, residuals)
  units::seconds tp_comm{};     // exposed (on the critical path)
  units::seconds cp_comm{};     // context parallelism's K/V gathers
  units::seconds pp_comm{};
  units::seconds dp_comm{};     // what the backward pass does not hide
  units::seconds ep_comm{};
  units::seconds bubble{};      // (p - 1) / v micro-batch slots idle
  double bubble_fraction = 0;   // bubble / (m slots + bubble)
  double microbatches = 1;      // m per pipeline per step
  double stage_layers = 0;      // layers on the fullest pipeline stage: ceil(layers / pp)
  double in_flight = 0;         // layers' activations the first stage holds at its peak
  train_term binding = train_term::compute;
  placement tp_place = placement::scaleup, cp_place = placement::scaleup, dp_place = placement::scaleup,
            pp_place = placement::scaleup, ep_place = placement::scaleup;

  units::flops model_flops{};     // per step, whole job: 3 x forward (no recomputation)
  units::flops hardware_flops{};  // per step, whole job, with recomputation
  double mfu = 0;                 // model FLOP/s over the fleet's peak
  double hfu = 0;                 // hardware FLOP/s over the fleet's peak
  double scaling_efficiency = 0;  // compute / step
  units::flop_rate per_gpu{};     // model FLOP/s per GPU
  units::token_rate throughput{};
  units::seconds time_to_train{};
  units::flop_rate peak{};        // per GPU, the format's dense peak

  memory_ledger memory;           // per GPU
};

// Preconditions (checked by the caller): pp x v at most the layers (stages may
// hold unequal numbers of layers), heads divisible by tp, seq by cp,
// global_batch by dp x microbatch, ep dividing dp and the experts, links > 0
// where a group spans them, efficiencies in (0, 1], and the hardware has a
// peak for `format` or a wider format.
train_result train(const transformer_shape& model, const accelerator& hw, const train_request& req);

// Bytes in one gradient bucket: PyTorch DDP's default bucket_cap_mb = 25 (MiB;
// S. Li et al., "PyTorch Distributed: Experiences on Accelerating Data Parallel
// Training", VLDB 2020, section 3.2.3). The last bucket's collective starts
// when the backward pass ends, so it is never hidden.
inline constexpr double dp_bucket_bytes = 25.0 * 1024 * 1024;

// Memory per GPU on the first pipeline stage, which holds the most
// activations: its weights, gradients and optimizer state (sharded by ZeRO
// across dp x cp, experts across ep) and the activations of the micro-batches
// in flight (see train_result::in_flight). The one memory model `train` uses.
memory_ledger train_memory(const transformer_shape& model, const accelerator& hw, const train_request& req);

// Activation bytes one layer stores per token for its backward pass, 16-bit,
// with sequence parallelism alongside tp and FlashAttention (the attention
// scores are never stored): see docs/solvers.md, train.
double activation_bytes_per_token(const transformer_shape& model, double tp, recompute_kind recompute);

// The bubble share of a pipelined step: ((p - 1) / v) / (m + (p - 1) / v).
double bubble_fraction(double p, double m, double v);

}  // namespace ironlaw::stdlib
