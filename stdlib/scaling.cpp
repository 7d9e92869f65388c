#include "ironlaw/stdlib/scaling.hpp"

#include <cmath>

namespace ironlaw::stdlib {

iron_law_result iron_law(const iron_law_request& req) {
  iron_law_result r;
  r.efficiency = req.mfu * req.scaling * req.goodput;
  units::flop_rate fleet_peak = req.n * req.peak;
  r.time_bound = req.work / fleet_peak;
  r.rate = r.efficiency * fleet_peak;
  r.time = req.work / r.rate;
  r.device_time = req.n * r.time;
  r.binding = iron_law_factor::mfu;
  double least = req.mfu;
  if (req.scaling < least) least = req.scaling, r.binding = iron_law_factor::scaling;
  if (req.goodput < least) r.binding = iron_law_factor::goodput;
  return r;
}

training_flops_result training_flops(const transformer_shape& model, units::tokens tokens, bool attention,
                                     double seq) {
  training_flops_result r;
  r.params = count_parameters(model).active;
  double per_token = 6 * r.params;
  double attn = attention ? 3 * 4 * model.layers * seq * model.heads * model.head_dim : 0;
  r.per_token = (per_token + attn) * units::flop;
  r.total = tokens.value() * r.per_token;
  r.attention = tokens.value() * attn * units::flop;
  return r;
}

double chinchilla_loss(double params, double tokens) {
  // Hoffmann et al. 2022, eq. 10: E = 1.69, A = 406.4, B = 410.7, alpha = 0.34, beta = 0.28.
  return 1.69 + 406.4 / std::pow(params, 0.34) + 410.7 / std::pow(tokens, 0.28);
}

chinchilla_result chinchilla_from_params(double params, double tokens_per_param) {
  chinchilla_result r;
  r.params = params;
  r.tokens_per_param = tokens_per_param;
  r.tokens = tokens_per_param * params * units::token;
  r.compute = 6 * params * r.tokens.value() * units::flop;
  r.loss = chinchilla_loss(params, r.tokens.value());
  return r;
}

chinchilla_result chinchilla_from_compute(units::flops compute, double tokens_per_param) {
  // C = 6 N (r N)  =>  N = sqrt(C / (6 r)).
  return chinchilla_from_params(std::sqrt(compute.value() / (6 * tokens_per_param)), tokens_per_param);
}

}  // namespace ironlaw::stdlib
