#pragma once
// Diffusion image generation: `steps` denoiser passes per image, doubled by
// classifier-free guidance (Ho and Salimans, "Classifier-Free Diffusion
// Guidance", 2022: a conditional and an unconditional prediction per step).
#include "ironlaw/stdlib/hardware.hpp"
#include "ironlaw/stdlib/precision.hpp"
#include "ironlaw/stdlib/roofline.hpp"

namespace ironlaw::stdlib {

struct generate_request {
  units::flops flops_per_pass{};  // one denoiser forward pass, one image, > 0
  double params = 0;              // denoiser parameters, > 0
  double steps = 50;              // denoising steps, >= 1
  double batch = 1;               // images generated together, >= 1
  bool guidance = true;           // classifier-free guidance: 2 passes per step, batched together
  precision weights = precision::fp16;
  efficiency achieved{};
};

struct generate_result {
  roofline_point step;            // one denoising step for the whole batch
  units::seconds time_bound{};    // all steps at the peaks
  units::seconds time{};          // all steps at the achieved efficiencies
  units::flops flops{};           // per image, all steps
  double passes_per_step = 1;
  double images_per_second = 0;
};

// Preconditions: the hardware has a compute peak for `weights` or a 16-bit one.
generate_result generate(const accelerator& hw, const generate_request& req);

}  // namespace ironlaw::stdlib
