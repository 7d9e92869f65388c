// The calibration report as a table (people), CSV (spreadsheets), JSON
// (tools) or Markdown (docs/accuracy.md).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "validation.hpp"
#include "ironlaw/lang/text_formats.hpp"

namespace ironlaw::runtime::validate {
namespace {

std::string percent(double v, bool sign = false) {
  double a = std::abs(v);
  auto digits = a < 9.95 ? 1 : 0;
  return sign ? fmt::format("{:+.{}f}%", v, digits) : fmt::format("{:.{}f}%", v, digits);
}

std::string bottleneck_cell(const outcome& o) {
  if (!o.c->bottleneck) return "-";
  if (o.predicted_bottleneck.empty()) return o.c->bottleneck->text + " (solver: none)";
  return o.predicted_bottleneck == o.c->bottleneck->text ? o.predicted_bottleneck + " (right)"
                                                         : o.predicted_bottleneck + " (source: " + o.c->bottleneck->text + ")";
}

std::string score(const group_summary& g) {
  return g.bottleneck_stated ? fmt::format("{}/{}", g.bottleneck_right, g.bottleneck_stated) : "-";
}

// Columns padded to their widest cell; `markdown` adds pipes and a rule.
std::string layout(const std::vector<std::vector<std::string>>& rows, bool markdown) {
  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  std::string out;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& r = rows[k];
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (markdown) line += "| " + r[i] + std::string(width[i] - r[i].size(), ' ') + " ";
      else line += r[i] + (i + 1 < r.size() ? std::string(width[i] - r[i].size() + 2, ' ') : "");
    }
    out += markdown ? line + "|\n" : line + "\n";
    if (markdown && k == 0) {
      for (auto w : width) out += "|" + std::string(w + 2, '-');
      out += "|\n";
    }
  }
  return out;
}

std::string fit_line(const efficiency_fit& f) {
  auto [lo, hi] = std::minmax_element(f.per_case.begin(), f.per_case.end());
  std::string line = fmt::format("{}: registry {:.2f}, calibration split fits {:.2f} (median of {} case{}, {:.2f} to {:.2f})",
                                 f.key, f.registry_value, f.fitted, f.per_case.size(), f.per_case.size() == 1 ? "" : "s",
                                 *lo, *hi);
  if (f.out_of_reach) line += fmt::format("; {} case(s) no value in (0, 1] reproduces", f.out_of_reach);
  if (f.holdout_cases)
    line += fmt::format("; holdout median |error| {} now, {} at the fit ({} case{})", percent(f.holdout_median_now),
                        percent(f.holdout_median_fitted), f.holdout_cases, f.holdout_cases == 1 ? "" : "s");
  return line;
}

std::string human(const report_input& in, bool markdown) {
  const auto& outcomes = *in.outcomes;
  std::size_t calibration = 0, ok = 0;
  for (const auto& o : outcomes) {
    calibration += o.c->split == "calibration" ? 1 : 0;
    ok += o.ok ? 1 : 0;
  }
  std::string out;
  auto heading = [&](const std::string& text) { out += markdown ? "\n#### " + text + "\n\n" : "\n" + text + "\n"; };
  out += fmt::format("{} cases from {}: {} calibration, {} holdout{}\n", outcomes.size(), in.origin, calibration,
                     outcomes.size() - calibration, ok == outcomes.size() ? "" : fmt::format(" ({} not evaluated)", outcomes.size() - ok));
  heading("Predicted vs reported (error = (predicted - reported) / reported)");
  std::vector<std::vector<std::string>> rows = {{"case", "category", "split", "predicted", "reported", "error", "bottleneck"}};
  for (const auto& o : outcomes) {
    if (!o.ok) continue;
    rows.push_back({o.c->id + (o.c->confidence == "uncertain" ? " (uncertain)" : ""), o.c->category, o.c->split,
                    o.predicted_text, o.c->reported.text, percent(o.error_percent, true), bottleneck_cell(o)});
  }
  out += layout(rows, markdown);
  heading("By category and split (|error|; bottleneck: classified right / stated by the source; before: the "
          "recorded earlier predictions of the same cases)");
  rows = {{"category", "split", "cases", "median |error|", "worst |error|", "bottleneck", "before: median", "before: worst"}};
  for (const auto& g : *in.groups) {
    bool all_before = g.before_cases == g.cases;
    auto before = [&](double v) {
      if (!g.before_cases) return std::string("-");
      return all_before ? percent(v) : fmt::format("{} ({} of {})", percent(v), g.before_cases, g.cases);
    };
    rows.push_back({g.category, g.split, std::to_string(g.cases), percent(g.median_abs), percent(g.worst_abs), score(g),
                    before(g.before_median_abs), before(g.before_worst_abs)});
  }
  out += layout(rows, markdown);
  heading("Efficiencies the calibration split would fit (registry/efficiency.toml is not changed)");
  if (in.fits->empty()) out += "(no calibration case names an efficiency)\n";
  for (const auto& f : *in.fits) out += (markdown ? "- " : "  ") + fit_line(f) + "\n";
  heading("Error bounds (validation/bounds.toml; a worse prediction fails the test suite)");
  if (in.set->bounds.empty()) out += "(no bounds given)\n";
  else if (in.violations->empty()) out += "every category is within its bound\n";
  for (const auto& v : *in.violations)
    out += fmt::format("{}{}: {} |error| {} exceeds the bound {}\n", markdown ? "- " : "  ", v.category, v.what,
                       percent(v.value), percent(v.bound));
  return out;
}

std::string csv(const report_input& in) {
  std::string out =
      "id,category,split,predicted,reported,error_percent,bottleneck_source,bottleneck_predicted,confidence,source_url,"
      "before_error_percent\n";
  for (const auto& o : *in.outcomes) {
    if (!o.ok) continue;
    out += fmt::format("{},{},{},{},{},{:.2f},{},{},{},{},{}\n", lang::csv_field(o.c->id), o.c->category, o.c->split,
                       lang::csv_field(o.predicted_text), lang::csv_field(o.c->reported.text), o.error_percent,
                       o.c->bottleneck ? o.c->bottleneck->text : "", o.predicted_bottleneck, o.c->confidence,
                       lang::csv_field(o.c->source.url),
                       o.before_error_percent ? fmt::format("{:.2f}", *o.before_error_percent) : "");
  }
  return out;
}

std::string json(const report_input& in) {
  std::string out = "{\n  \"cases\": [";
  bool first = true;
  for (const auto& o : *in.outcomes) {
    if (!o.ok) continue;
    out += fmt::format(
        "{}\n    {{\"id\": {}, \"category\": {}, \"split\": {}, \"expression\": {}, \"predicted\": {}, \"reported\": {}, "
        "\"predicted_si\": {}, \"reported_si\": {}, \"error_percent\": {:.4f}, \"bottleneck_source\": {}, "
        "\"bottleneck_predicted\": {}, \"confidence\": {}, \"source\": {{\"title\": {}, \"url\": {}, \"locator\": {}, "
        "\"as_of\": {}}}}}",
        first ? "" : ",", lang::json_string(o.c->id), lang::json_string(o.c->category), lang::json_string(o.c->split),
        lang::json_string(o.c->expression.text), lang::json_string(o.predicted_text), lang::json_string(o.c->reported.text),
        o.predicted_si, o.reported_si, o.error_percent,
        o.c->bottleneck ? lang::json_string(o.c->bottleneck->text) : "null",
        o.predicted_bottleneck.empty() ? "null" : lang::json_string(o.predicted_bottleneck), lang::json_string(o.c->confidence),
        lang::json_string(o.c->source.title), lang::json_string(o.c->source.url), lang::json_string(o.c->source.locator),
        lang::json_string(o.c->source.as_of));
    first = false;
  }
  out += "\n  ],\n  \"summary\": [";
  first = true;
  for (const auto& g : *in.groups) {
    out += fmt::format("{}\n    {{\"category\": {}, \"split\": {}, \"cases\": {}, \"median_abs_error_percent\": {:.4f}, "
                       "\"worst_abs_error_percent\": {:.4f}, \"bottleneck_stated\": {}, \"bottleneck_right\": {}, "
                       "\"before_cases\": {}, \"before_median_abs_error_percent\": {:.4f}, "
                       "\"before_worst_abs_error_percent\": {:.4f}}}",
                       first ? "" : ",", lang::json_string(g.category), lang::json_string(g.split), g.cases, g.median_abs, g.worst_abs,
                       g.bottleneck_stated, g.bottleneck_right, g.before_cases, g.before_median_abs, g.before_worst_abs);
    first = false;
  }
  out += "\n  ],\n  \"fits\": [";
  first = true;
  for (const auto& f : *in.fits) {
    std::string per_case;
    for (auto x : f.per_case) per_case += fmt::format("{}{:.4f}", per_case.empty() ? "" : ", ", x);
    out += fmt::format("{}\n    {{\"key\": {}, \"registry\": {}, \"fitted\": {:.4f}, \"per_case\": [{}], \"out_of_reach\": {}, "
                       "\"holdout_cases\": {}, \"holdout_median_now\": {:.4f}, \"holdout_median_fitted\": {:.4f}}}",
                       first ? "" : ",", lang::json_string(f.key), f.registry_value, f.fitted, per_case, f.out_of_reach,
                       f.holdout_cases, f.holdout_median_now, f.holdout_median_fitted);
    first = false;
  }
  out += fmt::format("\n  ],\n  \"within_bounds\": {}\n}}\n", in.violations->empty() ? "true" : "false");
  return out;
}

}  // namespace

std::string render(const report_input& in, std::string_view format) {
  if (format == "csv") return csv(in);
  if (format == "json") return json(in);
  return human(in, format == "md");
}

}  // namespace ironlaw::runtime::validate
