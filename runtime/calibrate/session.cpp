// The fits of a scenario's measurements, and the registry the statements
// after them use: per efficiency the median of the values the measurements
// imply (one outlier does not move it), its spread reported beside it.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "../validate/validation.hpp"
#include "calibration.hpp"

namespace ironlaw::runtime::calibrate {

std::string fit::note() const {
  std::string lines;
  std::string file;
  for (const auto* m : from) {
    if (m->file != file) lines += (lines.empty() ? "" : ", ") + m->file + ":";
    else lines += ", ";
    file = m->file;
    lines += std::to_string(m->line);
  }
  return fmt::format("calibrated from {} measurement{} at {}", from.size(), from.size() == 1 ? "" : "s", lines);
}

std::vector<fit> session::fits(const registry& base) const {
  std::vector<fit> out;
  for (const auto& m : measurements_) {
    if (!m.key || !m.implied) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const fit& f) { return f.key == *m.key; });
    if (it == out.end()) {
      fit f;
      f.key = *m.key;
      const record* r = base.efficiency(m.key->regime);
      const quantity* q = r ? r->quantity_of(m.key->key) : nullptr;
      f.registry_value = q ? q->si : m.current;
      out.push_back(std::move(f));
      it = out.end() - 1;
    }
    it->values.push_back(*m.implied);
    it->from.push_back(&m);
  }
  for (auto& f : out) f.fitted = validate::median(f.values);
  return out;
}

registry session::calibrated(const registry& base) const {
  registry copy = base;
  for (const auto& f : fits(base)) copy.override_efficiency(f.key.regime, f.key.key, f.fitted, f.note());
  return copy;
}

namespace {

std::string percent(double v) {
  return fmt::format("{:+.{}f}%", v, std::abs(v) < 9.95 ? 1 : 0);
}

}  // namespace

std::string run_line(const measurement& m, const session& s, const registry& base) {
  std::string line = fmt::format("measured {} = {}: predicted {} ({})", m.text, m.measured_text, m.predicted_text,
                                 percent(m.error_percent));
  if (!m.key) return line + "; it reads no registry efficiency (given in the call?), so nothing is calibrated";
  if (!m.implied)
    return line + fmt::format("; no {} in (0, 1] reproduces it, so {} stays {}", m.key->text(), m.key->text(),
                              format_number(m.current));
  for (const auto& f : s.fits(base)) {
    if (!(f.key == *m.key)) continue;
    std::string spread;
    if (f.values.size() > 1) {
      auto [lo, hi] = std::minmax_element(f.values.begin(), f.values.end());
      spread = fmt::format("median of {}, {:.2f} to {:.2f}; ", f.values.size(), *lo, *hi);
    }
    return line + fmt::format("; {} {:.2f} from here on ({}registry {})", f.key.text(), f.fitted, spread,
                              format_number(f.registry_value));
  }
  return line;
}

}  // namespace ironlaw::runtime::calibrate
