// The fits of a scenario's measurements, and the registry the statements
// after them use: per efficiency the median of the values the measurements
// imply (one outlier does not move it), its spread reported beside it.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "../validate/validation.hpp"
#include "calibration.hpp"

namespace ironlaw::runtime::calibrate {

// "f.iron:4, 5, 7-12": lines in order, runs of three or more as ranges, so a
// file of forty measurements still gives a one-line note.
std::string fit::note() const {
  std::string lines;
  for (std::size_t i = 0; i < from.size();) {
    std::size_t j = i;
    while (j + 1 < from.size() && from[j + 1]->file == from[i]->file && from[j + 1]->line == from[j]->line + 1) ++j;
    bool new_file = i == 0 || from[i - 1]->file != from[i]->file;
    if (j < i + 2) j = i;  // two in a row read better as "4, 5"
    lines += (i ? ", " : "") + (new_file ? from[i]->file + ":" : "") + std::to_string(from[i]->line);
    if (j > i) lines += "-" + std::to_string(from[j]->line);
    i = j + 1;
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
