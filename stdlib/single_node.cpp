#include "ironlaw/stdlib/single_node.hpp"

#include "ironlaw/stdlib/serving.hpp"

namespace ironlaw::stdlib {

double training_bytes_per_param(precision weights, double optimizer_bytes) {
  double w = bytes_per_element(weights);
  // forward + backward reads (2 w), gradient write and read (2 w), weight write (w).
  return 5 * w + 2 * optimizer_bytes;
}

workload transformer_workload(const transformer_shape& model, double batch, double tokens, double context,
                              precision weights, precision kv, bool training, double optimizer_bytes) {
  workload w;
  // Linear in the keys attended: the mean over the new tokens' positions.
  double mean_keys = context + (tokens - 1) / 2;
  w.flops = batch * tokens * forward_flops_per_token(model, mean_keys) * (training ? 3.0 : 1.0);
  auto kv_per_token = kv_elements_per_token(model) * bytes_per_element(kv) * units::byte;
  if (training)
    w.bytes = count_parameters(model).total * training_bytes_per_param(weights, optimizer_bytes) * units::byte;
  else
    w.bytes = weight_bytes_per_step(model, batch * tokens, weights) + batch * (context + tokens) * kv_per_token;
  return w;
}

workload totals_workload(units::flops per_sample, double params, double batch, precision weights, bool training,
                         double optimizer_bytes) {
  workload w;
  w.flops = batch * per_sample * (training ? 3.0 : 1.0);
  double per_param = training ? training_bytes_per_param(weights, optimizer_bytes) : bytes_per_weight(weights);
  w.bytes = params * per_param * units::byte;
  return w;
}

}  // namespace ironlaw::stdlib
