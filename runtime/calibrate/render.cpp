// `ironlaw calibrate` output: each measurement's residual and the efficiency
// it implies, then per efficiency the fitted median against the registry
// default. A table for people, JSON for tools.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "calibration.hpp"
#include "ironlaw/lang/text_formats.hpp"

namespace ironlaw::runtime::calibrate {
namespace {

std::string percent(double v) { return fmt::format("{:+.{}f}%", v, std::abs(v) < 9.95 ? 1 : 0); }

std::string regime_cell(const measurement& m) {
  if (!m.key) return "-";
  return m.bottleneck.empty() ? m.key->text() : fmt::format("{} ({})", m.key->text(), m.bottleneck);
}

std::string implied_cell(const measurement& m) {
  if (!m.key) return "-";
  return m.implied ? fmt::format("{:.3f}", *m.implied) : "none in (0, 1]";
}

// Columns padded to their widest cell.
std::string layout(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i)
      line += r[i] + (i + 1 < r.size() ? std::string(width[i] - r[i].size() + 2, ' ') : "");
    out += line + "\n";
  }
  return out;
}

std::string fit_line(const fit& f) {
  auto [lo, hi] = std::minmax_element(f.values.begin(), f.values.end());
  std::string spread = f.values.size() > 1 ? fmt::format("median of {}, {:.3f} to {:.3f}", f.values.size(), *lo, *hi)
                                           : "1 measurement";
  return fmt::format("{}: registry {}, fitted {:.3f} ({}); {}", f.key.text(), format_number(f.registry_value), f.fitted,
                     spread, f.note());
}

std::string table(std::string_view file, const session& s, const registry& base) {
  const auto& ms = s.measurements();
  std::string out = fmt::format("calibration of {}: {} measurement{}, predicted with the registry defaults\n\n", file,
                                ms.size(), ms.size() == 1 ? "" : "s");
  std::vector<std::vector<std::string>> rows{
      {"line", "measured", "predicted", "value", "error", "regime", "efficiency", "implied"}};
  for (const auto& m : ms)
    rows.push_back({std::to_string(m.line), m.text, m.predicted_text, m.measured_text, percent(m.error_percent),
                    regime_cell(m), m.key ? format_number(m.current) : "-", implied_cell(m)});
  out += layout(rows);
  out += "\nerror = (predicted - measured) / measured; implied: the efficiency that reproduces the measurement\n";
  auto fits = s.fits(base);
  out += "\nFitted efficiencies (the median per efficiency; `ironlaw run` uses them after each measurement):\n";
  if (fits.empty()) out += "  none: no measurement reads a registry efficiency that a value in (0, 1] fits\n";
  for (const auto& f : fits) out += "  " + fit_line(f) + "\n";
  return out;
}

// Six significant digits: the inputs carry fewer, and goldens stay stable.
std::string json_number(double x) { return std::isfinite(x) ? fmt::format("{:.6g}", x) : "null"; }

std::string json(std::string_view file, const session& s, const registry& base) {
  std::string out = fmt::format("{{\n  \"file\": {},\n  \"measurements\": [", lang::json_string(file));
  const auto& ms = s.measurements();
  for (std::size_t i = 0; i < ms.size(); ++i) {
    const auto& m = ms[i];
    out += fmt::format(
        "{}\n    {{\"line\": {}, \"expression\": {}, \"predicted\": {}, \"measured\": {}, \"predicted_si\": {}, "
        "\"measured_si\": {}, \"error_percent\": {}, \"bottleneck\": {}, \"efficiency\": {}, \"registry_value\": {}, "
        "\"elasticity\": {}, \"implied\": {}}}",
        i ? "," : "", m.line, lang::json_string(m.text), lang::json_string(m.predicted_text), lang::json_string(m.measured_text),
        json_number(m.predicted.si), json_number(m.measured.si), json_number(m.error_percent),
        m.bottleneck.empty() ? "null" : lang::json_string(m.bottleneck), m.key ? lang::json_string(m.key->text()) : "null",
        m.key ? json_number(m.current) : "null", m.key ? json_number(m.elasticity) : "null",
        m.implied ? json_number(*m.implied) : "null");
  }
  out += ms.empty() ? "],\n  \"fits\": [" : "\n  ],\n  \"fits\": [";
  auto fits = s.fits(base);
  for (std::size_t i = 0; i < fits.size(); ++i) {
    const auto& f = fits[i];
    std::string values, lines;
    for (std::size_t k = 0; k < f.values.size(); ++k) {
      values += (k ? ", " : "") + json_number(f.values[k]);
      lines += (k ? ", " : "") + std::to_string(f.from[k]->line);
    }
    out += fmt::format("{}\n    {{\"efficiency\": {}, \"registry_value\": {}, \"fitted\": {}, \"values\": [{}], "
                       "\"lines\": [{}], \"note\": {}}}",
                       i ? "," : "", lang::json_string(f.key.text()), json_number(f.registry_value), json_number(f.fitted),
                       values, lines, lang::json_string(f.note()));
  }
  out += fits.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

}  // namespace

std::string render(std::string_view file, const session& s, const registry& base, std::string_view format) {
  return format == "json" ? json(file, s, base) : table(file, s, base);
}

}  // namespace ironlaw::runtime::calibrate
