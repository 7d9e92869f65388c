#pragma once
// Sustainability: operational carbon (energy x PUE x grid intensity),
// embodied carbon of the hardware amortized over its life, and site water.
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

struct carbon_inputs {
  units::joules energy{};              // IT energy (what the devices draw), >= 0
  double pue = 1;                      // facility energy / IT energy, >= 1
  units::kg_per_joule intensity{};     // grid CO2e per unit of energy, >= 0
  units::m3_per_joule wue{};           // site water per unit of IT energy, >= 0
  double devices = 0;                  // accelerators whose manufacture is charged
  units::kilograms embodied_per_device{};  // cradle-to-gate CO2e per device
  units::seconds duration{};           // wall time of the run being charged
  units::seconds lifetime{};           // service life the embodied carbon spreads over, > 0
};

struct carbon_result {
  units::joules facility_energy{};  // energy x PUE
  units::kilograms operational{};   // facility energy x intensity
  units::kilograms embodied{};      // devices x per device (whole life)
  units::kilograms embodied_share{};  // embodied x duration / lifetime (this run's share)
  units::kilograms total{};         // operational + embodied share
  units::cubic_meters water{};      // IT energy x WUE (site water; PUE does not apply)
  double embodied_fraction = 0;     // embodied share / total
};

carbon_result carbon(const carbon_inputs& in);

// Embodied carbon of one accelerator, kg CO2e: an 8 x A100 server's / 8 (GPU,
// packaging and the host's CPU, DRAM and storage share), Chien et al.,
// HotCarbon 2023. The default of `carbon`, `tco` and `training_fleet`.
inline constexpr double embodied_kg_per_accelerator = 318;

}  // namespace ironlaw::stdlib
