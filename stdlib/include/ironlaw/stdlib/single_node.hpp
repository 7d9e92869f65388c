#pragma once
// The work of one step of a model on one device, for the roofline: FLOPs and
// the bytes that must cross the memory interface. Transformers derive both
// from their shapes; other models (CNNs, ViTs) give FLOPs per sample and a
// parameter count.
#include "ironlaw/stdlib/model.hpp"
#include "ironlaw/stdlib/precision.hpp"
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

struct workload {
  units::flops flops{};
  units::bytes bytes{};
};

// Training multiplies the forward FLOPs by 3 (backward = 2 x forward; the 6 N
// per token rule, Kaplan et al. 2020, section 2.1) and moves the parameters'
// training traffic: weights read in forward and backward, gradients written
// and read, the weights written, and the optimizer state read and written
// (2 x `optimizer_bytes` per parameter). Activation traffic is not counted,
// so bytes are a lower bound.
double training_bytes_per_param(precision weights, double optimizer_bytes);

// `tokens` new tokens for each of `batch` sequences holding `context` tokens
// of KV cache (tokens = 1: a decode step; tokens = prompt: a prefill).
workload transformer_workload(const transformer_shape& model, double batch, double tokens, double context,
                              precision weights, precision kv, bool training, double optimizer_bytes);

// `batch` samples of a model given as totals: weights read once per batch
// (activation traffic not counted).
workload totals_workload(units::flops per_sample, double params, double batch, precision weights, bool training,
                         double optimizer_bytes);

}  // namespace ironlaw::stdlib
