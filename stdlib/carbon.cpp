#include "ironlaw/stdlib/carbon.hpp"

namespace ironlaw::stdlib {

carbon_result carbon(const carbon_inputs& in) {
  carbon_result r;
  r.facility_energy = in.energy * in.pue;
  r.operational = r.facility_energy * in.intensity;
  r.embodied = in.devices * in.embodied_per_device;
  // Straight-line attribution: a run of 1/6 of the hardware's life carries 1/6 of its manufacture.
  r.embodied_share = r.embodied * (in.duration / in.lifetime).value();
  r.total = r.operational + r.embodied_share;
  // The Green Grid defines WUE per unit of IT energy, so the facility overhead is not applied.
  r.water = in.energy * in.wue;
  r.embodied_fraction = r.total.value() > 0 ? (r.embodied_share / r.total).value() : 0;
  return r;
}

}  // namespace ironlaw::stdlib
