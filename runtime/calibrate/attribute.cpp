// Which registry efficiency a measurement speaks to, and the value it implies.
// No table of solvers: each efficiency in the registry is moved by 10 % and the
// one the prediction responds to most is the one the measurement calibrates
// (memory-bound decode's `itl` answers to decode.bandwidth, compute-bound to
// decode.compute, a training step to training.compute, ...). A call that passes
// its efficiency explicitly reads none, and so calibrates nothing.
#include <cmath>

#include "../validate/validation.hpp"
#include "calibration.hpp"

namespace ironlaw::runtime::calibrate {
namespace {

constexpr double probe = 0.9;            // each efficiency moved to 90 % of its value
constexpr double min_elasticity = 0.01;  // below this the prediction does not depend on it

// One copy of the registry per measurement, its efficiencies set in place:
// copying the whole registry for every probe would cost far more than the
// solver calls themselves.
struct probe_registry {
  registry reg;
  const registry& with(const efficiency_key& k, double x) {
    reg.override_efficiency(k.regime, k.key, x, {});
    return reg;
  }
};

}  // namespace

void attribute(measurement& m, const predictor& predict, const registry& base) {
  const double p0 = m.predicted.si;
  if (!(p0 > 0) || !std::isfinite(p0)) return;  // an elasticity needs a positive prediction
  probe_registry probe_reg{base};
  for (const auto& regime : base.efficiency_regimes()) {
    const record* r = base.efficiency(regime);
    for (std::string_view key : {"compute", "bandwidth"}) {
      const quantity* q = r ? r->quantity_of(key) : nullptr;
      if (!q || q->si <= 0) continue;
      efficiency_key k{regime, std::string(key)};
      auto p = predict(probe_reg.with(k, q->si * probe));
      probe_reg.with(k, q->si);  // back to the default before the next one
      if (!p || !(p->si > 0)) continue;
      double e = std::log(p->si / p0) / std::log(probe);
      if (std::abs(e) >= min_elasticity && std::abs(e) > std::abs(m.elasticity)) {
        m.key = k;
        m.current = q->si;
        m.elasticity = e;
      }
    }
  }
  if (!m.key) return;
  const efficiency_key k = *m.key;
  m.implied = validate::solve_efficiency([&](double x) -> std::optional<double> {
    auto p = predict(probe_reg.with(k, x));
    if (!p) return std::nullopt;
    return p->si / m.measured.si - 1;
  });
}

}  // namespace ironlaw::runtime::calibrate
