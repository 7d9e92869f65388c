// The Pareto plot, written by hand: one panel per pair of objectives (one
// panel for two), every kept design a dot (the front darker), the designs the
// report shows labelled with their rank.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ironlaw/runtime/interp/units.hpp"
#include "report.hpp"

namespace ironlaw::runtime::report {

namespace {

constexpr double panel_w = 420, panel_h = 320, left = 70, bottom = 50, top_pad = 30, right_pad = 20;

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

struct axis_range {
  double lo = 0, hi = 1;
  void fit(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
};

std::string label(const design_report& r, std::size_t i) {
  const auto& unit = i < r.objective_units.size() ? r.objective_units[i] : std::string();
  std::string text = r.objectives[i].text + (r.objectives[i].maximize ? " (max)" : " (min)");
  return unit.empty() ? text : fmt::format("{} [{}]", text, unit);
}

std::string panel(const design_report& r, std::size_t xi, std::size_t yi, double ox, double oy) {
  axis_range x{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  axis_range y = x;
  for (const auto& [rank, v] : r.cloud) {
    x.fit(v[xi]);
    y.fit(v[yi]);
  }
  if (!(x.lo <= x.hi)) x = {0, 1};
  if (!(y.lo <= y.hi)) y = {0, 1};
  auto pad = [](axis_range& a) {
    double span = a.hi - a.lo;
    if (span <= 0) span = std::max(std::abs(a.hi), 1.0) * 0.1;
    a.lo -= span * 0.05;
    a.hi += span * 0.05;
  };
  pad(x);
  pad(y);
  double w = panel_w - left - right_pad, h = panel_h - top_pad - bottom;
  auto px = [&](double v) { return ox + left + (v - x.lo) / (x.hi - x.lo) * w; };
  auto py = [&](double v) { return oy + top_pad + h - (v - y.lo) / (y.hi - y.lo) * h; };
  std::string out = fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#888"/>)" "\n",
                                ox + left, oy + top_pad, w, h);
  for (int t = 0; t <= 4; ++t) {
    double vx = x.lo + (x.hi - x.lo) * t / 4, vy = y.lo + (y.hi - y.lo) * t / 4;
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10" text-anchor="middle">{}</text>)" "\n", px(vx),
                       oy + top_pad + h + 14, escape(format_number(vx)));
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10" text-anchor="end">{}</text>)" "\n", ox + left - 4,
                       py(vy) + 3, escape(format_number(vy)));
  }
  out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="11" text-anchor="middle">{}</text>)" "\n", ox + left + w / 2,
                     oy + panel_h - 12, escape(label(r, xi)));
  out += fmt::format(R"svg(<text x="{:.1f}" y="{:.1f}" font-size="11" text-anchor="middle" transform="rotate(-90 {:.1f} {:.1f})">{}</text>)svg" "\n",
                     ox + 14, oy + top_pad + h / 2, ox + 14, oy + top_pad + h / 2, escape(label(r, yi)));
  for (const auto& [rank, v] : r.cloud) {
    if (!std::isfinite(v[xi]) || !std::isfinite(v[yi])) continue;
    out += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="3" fill="{}"/>)" "\n", px(v[xi]), py(v[yi]),
                       rank == 1 ? "#1f5fa8" : "#b8c4d6");
  }
  for (std::size_t n = 0; n < r.rows.size(); ++n) {
    const auto& row = r.rows[n];
    if (row.objectives.size() != r.objectives.size()) continue;
    double vx = row.objectives[xi], vy = row.objectives[yi];
    if (!std::isfinite(vx) || !std::isfinite(vy)) continue;
    out += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="5" fill="none" stroke="#c0392b" stroke-width="1.5"/>)" "\n",
                       px(vx), py(vy));
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10" fill="#c0392b">{}</text>)" "\n", px(vx) + 6,
                       py(vy) - 6, n + 1);  // the row's number in the table
  }
  return out;
}

}  // namespace

std::string to_svg(const design_report& r) {
  std::size_t n = r.objectives.size();
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) pairs.emplace_back(i, j);
  if (pairs.empty() && n == 1) pairs.emplace_back(0, 0);
  std::size_t cols = n <= 2 ? 1 : n - 1;
  std::size_t rows = n <= 2 ? 1 : n - 1;
  double width = panel_w * static_cast<double>(cols), height = panel_h * static_cast<double>(rows) + 30;
  std::string out = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" font-family="sans-serif">)" "\n"
      R"(<rect width="100%" height="100%" fill="white"/>)" "\n"
      R"(<text x="10" y="20" font-size="13">design {}: {} designs kept, the front in blue, the reported designs circled, numbered in table order{}</text>)" "\n",
      width, height, width, height, escape(r.design), r.cloud.size(), r.sampled ? "; SAMPLED, approximate" : "");
  for (const auto& [i, j] : pairs) {
    // Pair (i, j) sits at column i, row j - 1: the lower triangle of a grid.
    double ox = n <= 2 ? 0 : panel_w * static_cast<double>(i);
    double oy = 30 + (n <= 2 ? 0 : panel_h * static_cast<double>(j - 1));
    out += panel(r, i, j, ox, oy);
  }
  if (n == 0) out += R"(<text x="10" y="60" font-size="12">no objectives: nothing to plot</text>)" "\n";
  return out + "</svg>\n";
}

}  // namespace ironlaw::runtime::report
