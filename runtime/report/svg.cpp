// The Pareto plot, written by hand: one panel per pair of objectives (one
// panel for two), every kept design a dot (the front darker), the designs the
// report shows circled and numbered, the numbers explained in a legend beside
// the panels. Axes choose their own bounds and scale (plot_axis.hpp).
#include <fmt/format.h>

#include <cmath>
#include <map>

#include "ironlaw/runtime/interp/units.hpp"
#include "plot_axis.hpp"
#include "report.hpp"

namespace ironlaw::runtime::report {

namespace {

constexpr double panel_w = 420, panel_h = 320, left = 70, bottom = 50, top_pad = 30, right_pad = 20;
constexpr double legend_w = 470, legend_line = 14;

std::string axis_label(const design_report& r, std::size_t i, const plot_axis& a) {
  const auto& unit = i < r.objective_units.size() ? r.objective_units[i] : std::string();
  std::string text = r.objectives[i].text + (r.objectives[i].maximize ? " (max)" : " (min)");
  if (!unit.empty()) text += fmt::format(" [{}]", unit);
  return a.logarithmic() ? text + ", log scale" : text;
}

std::string panel(const design_report& r, std::size_t xi, std::size_t yi, double ox, double oy) {
  std::vector<double> xs, ys;
  for (const auto& [rank, v] : r.cloud) {
    xs.push_back(v[xi]);
    ys.push_back(v[yi]);
  }
  for (const auto& row : r.rows)
    if (row.objectives.size() == r.objectives.size()) {
      xs.push_back(row.objectives[xi]);
      ys.push_back(row.objectives[yi]);
    }
  auto x = plot_axis::fit(xs), y = plot_axis::fit(ys);
  double w = panel_w - left - right_pad, h = panel_h - top_pad - bottom;
  double x0 = ox + left, y0 = oy + top_pad;
  auto px = [&](double v) { return x0 + x.fraction(v) * w; };
  auto py = [&](double v) { return y0 + h - y.fraction(v) * h; };
  auto plottable = [&](double vx, double vy) {
    return std::isfinite(vx) && std::isfinite(vy) && (!x.logarithmic() || vx > 0) && (!y.logarithmic() || vy > 0);
  };
  std::string out;
  for (double t : x.ticks()) {
    out += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#eee"/>)" "\n", px(t), y0, y0 + h);
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10" text-anchor="middle">{}</text>)" "\n", px(t),
                       y0 + h + 14, svg_escape(x.tick_text(t)));
  }
  for (double t : y.ticks()) {
    out += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{2:.1f}" y2="{1:.1f}" stroke="#eee"/>)" "\n", x0, py(t), x0 + w);
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10" text-anchor="end">{}</text>)" "\n", x0 - 4,
                       py(t) + 3, svg_escape(y.tick_text(t)));
  }
  out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#888"/>)" "\n", x0, y0, w, h);
  out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="11" text-anchor="middle">{}</text>)" "\n", x0 + w / 2,
                     oy + panel_h - 12, svg_escape(axis_label(r, xi, x)));
  out += fmt::format(R"svg(<text x="{0:.1f}" y="{1:.1f}" font-size="11" text-anchor="middle" transform="rotate(-90 {0:.1f} {1:.1f})">{2}</text>)svg" "\n",
                     ox + 14, y0 + h / 2, svg_escape(axis_label(r, yi, y)));
  for (const auto& [rank, v] : r.cloud) {
    if (!plottable(v[xi], v[yi])) continue;
    out += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="3" fill="{}"/>)" "\n", px(v[xi]), py(v[yi]),
                       rank == 1 ? "#1f5fa8" : "#b8c4d6");
  }
  // Rows drawn at the same spot share one label ("2,3").
  std::map<std::pair<long, long>, std::string> labels;
  std::vector<std::pair<std::pair<long, long>, std::pair<double, double>>> order;
  label_placer placer({x0, y0, x0 + w, y0 + h});
  for (std::size_t n = 0; n < r.rows.size(); ++n) {
    const auto& row = r.rows[n];
    if (row.objectives.size() != r.objectives.size() || !plottable(row.objectives[xi], row.objectives[yi])) continue;
    double cx = px(row.objectives[xi]), cy = py(row.objectives[yi]);
    out += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="5" fill="none" stroke="#c0392b" stroke-width="1.5"/>)" "\n", cx, cy);
    placer.block({cx - 5, cy - 5, cx + 5, cy + 5});
    std::pair<long, long> spot{std::lround(cx / 2), std::lround(cy / 2)};
    auto& text = labels[spot];
    if (text.empty()) order.push_back({spot, {cx, cy}});
    text += (text.empty() ? "" : ",") + std::to_string(n + 1);  // the row's number in the table and legend
  }
  for (const auto& [spot, at] : order) {
    const auto& text = labels[spot];
    auto pos = placer.place(at.first, at.second, text, 10);
    if (!pos) continue;  // nowhere free: the legend still lists the row
    out += label_placer::svg_label(*pos, at.first, at.second, text, "#c0392b");
  }
  return out;
}

std::string legend(const design_report& r, double ox, double oy) {
  std::string out = fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="11" font-weight="bold">reported designs</text>)" "\n",
                                ox, oy + top_pad + 10);
  for (std::size_t n = 0; n < r.rows.size(); ++n)
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10"><tspan fill="#c0392b">{}</tspan>  {}</text>)" "\n", ox,
                       oy + top_pad + 10 + legend_line * static_cast<double>(n + 1), n + 1,
                       svg_escape(row_summary(r, r.rows[n])));
  return out;
}

}  // namespace

std::string row_summary(const design_report& r, const row& row) {
  std::string out;
  for (std::size_t c = 0; c < r.columns.size() && c < row.cells.size(); ++c) {
    const auto& col = r.columns[c];
    if (!out.empty()) out += ", ";
    out += col.name + " " + row.cells[c] + (col.unit.empty() || !col.numeric ? "" : " " + col.unit);
  }
  return out.size() > 78 ? out.substr(0, 75) + "..." : out;
}

std::string to_svg(const design_report& r) {
  std::size_t n = r.objectives.size();
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) pairs.emplace_back(i, j);
  if (pairs.empty() && n == 1) pairs.emplace_back(0, 0);
  std::size_t cols = n <= 2 ? 1 : n - 1;
  std::size_t rows = n <= 2 ? 1 : n - 1;
  double panels_w = panel_w * static_cast<double>(cols);
  double legend_h = top_pad + 20 + legend_line * static_cast<double>(r.rows.size());
  // Beside one panel; in the empty upper right of a grid (pairs fill its lower triangle).
  bool beside = cols < 2 || legend_h > panel_h * static_cast<double>(rows - 1);
  double legend_x = beside ? panels_w + 10 : panel_w + 10;
  double width = beside ? panels_w + legend_w : std::max(panels_w, panel_w + 10 + legend_w);
  double height = std::max(panel_h * static_cast<double>(rows), beside ? legend_h : 0.0) + 30;
  std::string out = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" font-family="sans-serif">)" "\n"
      R"(<rect width="100%" height="100%" fill="white"/>)" "\n"
      R"(<text x="10" y="20" font-size="13">design {}: {} designs kept, the front in blue, the reported designs circled and numbered as in the legend{}</text>)" "\n",
      width, height, width, height, svg_escape(r.design), r.cloud.size(), r.sampled ? "; SAMPLED, approximate" : "");
  for (const auto& [i, j] : pairs) {
    // Pair (i, j) sits at column i, row j - 1: the lower triangle of a grid.
    double ox = n <= 2 ? 0 : panel_w * static_cast<double>(i);
    double oy = 30 + (n <= 2 ? 0 : panel_h * static_cast<double>(j - 1));
    out += panel(r, i, j, ox, oy);
  }
  if (n == 0) out += R"(<text x="10" y="60" font-size="12">no objectives: nothing to plot</text>)" "\n";
  else out += legend(r, legend_x, 30);
  return out + "</svg>\n";
}

}  // namespace ironlaw::runtime::report
