#pragma once
// The Iron Law of training time, training FLOPs from a transformer's shape,
// and compute-optimal (Chinchilla) model and data sizes.
#include "ironlaw/stdlib/model.hpp"
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

// time = FLOPs / (N x peak x MFU x scaling efficiency x goodput).
struct iron_law_request {
  units::flops work{};
  double n = 1;                // accelerators, > 0
  units::flop_rate peak{};     // per accelerator, > 0
  double mfu = 1;              // each factor in (0, 1]
  double scaling = 1;
  double goodput = 1;
};

enum class iron_law_factor { mfu, scaling, goodput };
constexpr const char* name_of(iron_law_factor f) {
  return f == iron_law_factor::mfu ? "mfu" : f == iron_law_factor::scaling ? "scaling" : "goodput";
}

struct iron_law_result {
  units::seconds time{};         // at the three factors
  units::seconds time_bound{};   // at the peak: every factor 1
  units::flop_rate rate{};       // achieved FLOP/s of the whole fleet
  units::seconds device_time{};  // N x time: accelerator-seconds (GPU-hours)
  double efficiency = 1;         // mfu x scaling x goodput
  iron_law_factor binding = iron_law_factor::mfu;  // the smallest factor: the largest loss
};

iron_law_result iron_law(const iron_law_request& req);

// Training FLOPs per token: 6 N (2 forward + 4 backward per parameter; Kaplan
// et al. 2020, section 2.1), N the parameters a token uses (MoE: active). With
// `attention`, the score and value matmuls over a `seq`-token sequence add
// 3 x 4 x layers x seq x heads x head_dim (Chowdhery et al., PaLM, 2022, appendix B).
struct training_flops_result {
  units::flops total{};
  units::flops per_token{};
  double params = 0;        // N used
  units::flops attention{}; // the attention part of total (zero unless asked)
};
training_flops_result training_flops(const transformer_shape& model, units::tokens tokens, bool attention, double seq);

// Compute-optimal sizes (Hoffmann et al., "Training Compute-Optimal Large
// Language Models", 2022): D = r N tokens with r ~ 20, C = 6 N D, and the
// fitted loss L(N, D) = E + A / N^alpha + B / D^beta (approach 3, eq. 10).
struct chinchilla_result {
  double params = 0;
  units::tokens tokens{};
  units::flops compute{};
  double tokens_per_param = 20;
  double loss = 0;  // nats per token, the paper's fit
};
// Preconditions: compute > 0, tokens_per_param > 0.
chinchilla_result chinchilla_from_compute(units::flops compute, double tokens_per_param);
// Preconditions: params > 0, tokens_per_param > 0.
chinchilla_result chinchilla_from_params(double params, double tokens_per_param);
double chinchilla_loss(double params, double tokens);

}  // namespace ironlaw::stdlib
