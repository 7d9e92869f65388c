// The roofline plot (roofline.hpp): one roof per distinct hardware peak and
// bandwidth, its ridge point marked, the points numbered as in the legend.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ironlaw/runtime/interp/units.hpp"
#include "ironlaw/runtime/interp/value.hpp"
#include "plot_axis.hpp"
#include "report.hpp"
#include "roofline.hpp"

namespace ironlaw::runtime::report {

namespace {

constexpr double plot_w = 440, plot_h = 340, left = 80, top = 40, legend_w = 540, legend_line = 14;

struct roof {
  double peak, bandwidth;
  [[nodiscard]] double ridge() const { return peak / bandwidth; }
};

// `v` with the SI prefix that keeps it between 1 and 1000: "3.35 TB/s".
std::string prefixed(double v, const std::string& unit) {
  static const char* prefixes[] = {"", "k", "M", "G", "T", "P", "E"};
  int k = 0;
  while (k < 6 && std::abs(v) >= 1000) {
    v /= 1000;
    ++k;
  }
  return format_number(v) + " " + prefixes[k] + unit;
}

// The prefix and divisor that show FLOP/s up to `largest` in numbers people read.
std::pair<std::string, double> rate_unit(double largest) {
  static const std::pair<const char*, double> units[] = {
      {"PFLOP/s", 1e15}, {"TFLOP/s", 1e12}, {"GFLOP/s", 1e9}, {"MFLOP/s", 1e6}, {"kFLOP/s", 1e3}};
  for (const auto& [name, scale] : units)
    if (largest >= scale) return {name, scale};
  return {"FLOP/s", 1};
}

}  // namespace

std::optional<roofline_point> roofline_of(const record& r, std::string label) {
  const auto* flops = r.quantity_of("flops");
  const auto* intensity = r.quantity_of("intensity");
  const auto* ridge = r.quantity_of("ridge");
  const auto* compute = r.quantity_of("compute_time");
  const auto* memory = r.quantity_of("memory_time");
  if (!flops || !intensity || !ridge || !compute || !memory) return std::nullopt;
  if (!(flops->si > 0 && intensity->si > 0 && ridge->si > 0 && compute->si > 0 && memory->si > 0)) return std::nullopt;
  roofline_point p;
  p.label = std::move(label);
  p.intensity = intensity->si;
  p.peak = flops->si / compute->si;
  p.bandwidth = p.peak / ridge->si;
  p.performance = flops->si / std::max(compute->si, memory->si);
  if (!std::isfinite(p.peak) || !std::isfinite(p.bandwidth) || !std::isfinite(p.performance)) return std::nullopt;
  return p;
}

std::string to_roofline_svg(const std::string& title, const std::vector<roofline_point>& points) {
  std::vector<roof> roofs;
  std::vector<std::size_t> roof_of;
  for (const auto& p : points) {
    auto same = [&](const roof& r) {
      return std::abs(r.peak - p.peak) <= 1e-9 * p.peak && std::abs(r.bandwidth - p.bandwidth) <= 1e-9 * p.bandwidth;
    };
    auto it = std::find_if(roofs.begin(), roofs.end(), same);
    roof_of.push_back(static_cast<std::size_t>(it - roofs.begin()));
    if (it == roofs.end()) roofs.push_back({p.peak, p.bandwidth});
  }
  std::vector<double> xs, ys;
  for (const auto& p : points) {
    xs.push_back(p.intensity);
    ys.push_back(p.performance);
  }
  double largest = 0;
  for (const auto& r : roofs) {
    xs.push_back(r.ridge() * 10);  // room right of every ridge for the flat roof
    xs.push_back(r.ridge() / 10);
    ys.push_back(r.peak * 1.25);   // and above the highest roof
    largest = std::max(largest, r.peak);
  }
  // Named copies: clang 14 cannot capture structured bindings in a lambda.
  const auto rate = rate_unit(largest);
  const auto& unit = rate.first;
  const double scale = rate.second;
  for (auto& y : ys) y /= scale;
  auto x = plot_axis::fit(xs, true), y = plot_axis::fit(ys, true);
  double w = plot_w - left - 20, h = plot_h - top - 50;
  auto px = [&](double v) { return left + x.fraction(v) * w; };
  auto py = [&](double v) { return top + h - y.fraction(v / scale) * h; };
  double width = plot_w + legend_w;
  double legend_h = top + 30 + legend_line * static_cast<double>(points.size() + roofs.size() + 2);
  double height = std::max(plot_h, legend_h) + 10;
  std::string out = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" font-family="sans-serif">)" "\n"
      R"(<rect width="100%" height="100%" fill="white"/>)" "\n"
      R"(<text x="10" y="20" font-size="13">roofline: {}, log-log; points numbered as in the legend</text>)" "\n",
      width, height, width, height, svg_escape(title));
  if (points.empty()) {
    out += R"(<text x="10" y="60" font-size="12">no result with a roofline (flops, intensity, ridge) to plot</text>)" "\n";
    return out + "</svg>\n";
  }
  for (double t : x.ticks()) {
    out += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#eee"/>)" "\n", px(t), top, top + h);
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10" text-anchor="middle">{}</text>)" "\n", px(t),
                       top + h + 14, svg_escape(x.tick_text(t)));
  }
  for (double t : y.ticks()) {
    out += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{2:.1f}" y2="{1:.1f}" stroke="#eee"/>)" "\n", left,
                       py(t * scale), left + w);
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10" text-anchor="end">{}</text>)" "\n", left - 4,
                       py(t * scale) + 3, svg_escape(y.tick_text(t)));
  }
  out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#888"/>)" "\n", left, top, w, h);
  out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="11" text-anchor="middle">arithmetic intensity [FLOP/byte], log scale</text>)" "\n",
                     left + w / 2, top + h + 34);
  out += fmt::format(R"svg(<text x="{0:.1f}" y="{1:.1f}" font-size="11" text-anchor="middle" transform="rotate(-90 {0:.1f} {1:.1f})">performance [{2}], log scale</text>)svg" "\n",
                     16.0, top + h / 2, unit);
  label_placer placer({left, top, left + w, top + h});
  for (std::size_t k = 0; k < roofs.size(); ++k) {
    const auto& r = roofs[k];
    // The slope from where it enters the frame (left edge or floor) to the ridge, then flat.
    double x_start = std::max(x.low(), y.low() * scale / r.bandwidth);
    out += fmt::format(R"(<polyline points="{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}" fill="none" stroke="#333" stroke-width="1.8"/>)" "\n",
                       px(x_start), py(x_start * r.bandwidth), px(r.ridge()), py(r.peak), px(x.high()), py(r.peak));
    out += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="3.5" fill="#333"/>)" "\n", px(r.ridge()), py(r.peak));
    placer.block({px(r.ridge()) - 4, py(r.peak) - 4, px(r.ridge()) + 4, py(r.peak) + 4});
    std::string name = roofs.size() > 1 ? fmt::format("ridge {}", static_cast<char>('A' + k % 26)) : "ridge";
    if (auto pos = placer.place(px(r.ridge()), py(r.peak), name, 10))
      out += label_placer::svg_label(*pos, px(r.ridge()), py(r.peak), name, "#333");
  }
  for (const auto& p : points) {
    placer.block({px(p.intensity) - 5, py(p.performance) - 5, px(p.intensity) + 5, py(p.performance) + 5});
    out += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="5" fill="none" stroke="#c0392b" stroke-width="1.5"/>)" "\n",
                       px(p.intensity), py(p.performance));
  }
  // Points at one spot share a label ("1,2").
  std::vector<std::pair<std::pair<double, double>, std::string>> labels;
  for (std::size_t n = 0; n < points.size(); ++n) {
    double cx = px(points[n].intensity), cy = py(points[n].performance);
    auto it = std::find_if(labels.begin(), labels.end(), [&](const auto& l) {
      return std::abs(l.first.first - cx) < 2 && std::abs(l.first.second - cy) < 2;
    });
    if (it == labels.end()) labels.push_back({{cx, cy}, std::to_string(n + 1)});
    else it->second += "," + std::to_string(n + 1);
  }
  for (const auto& [at, text] : labels)
    if (auto pos = placer.place(at.first, at.second, text, 10))
      out += label_placer::svg_label(*pos, at.first, at.second, text, "#c0392b");
  double lx = plot_w + 10, ly = top + 10;
  out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="11" font-weight="bold">roofs (peak, bandwidth, ridge point)</text>)" "\n", lx, ly);
  for (std::size_t k = 0; k < roofs.size(); ++k) {
    ly += legend_line;
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10">{}{}, {}, ridge at {} FLOP/byte</text>)" "\n", lx, ly,
                       roofs.size() > 1 ? fmt::format("{}: ", static_cast<char>('A' + k % 26)) : "",
                       svg_escape(prefixed(roofs[k].peak, "FLOP/s")), svg_escape(prefixed(roofs[k].bandwidth, "B/s")),
                       svg_escape(format_number(roofs[k].ridge())));
  }
  ly += legend_line * 1.5;
  out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="11" font-weight="bold">points (intensity, performance at the bound, what binds)</text>)" "\n", lx, ly);
  for (std::size_t n = 0; n < points.size(); ++n) {
    const auto& p = points[n];
    ly += legend_line;
    std::string label = p.label.size() > 40 ? p.label.substr(0, 37) + "..." : p.label;
    std::string text = fmt::format("{}: {} FLOP/B, {}, {}{}", label, format_number(p.intensity),
                                   prefixed(p.performance, "FLOP/s"), p.intensity < p.peak / p.bandwidth ? "memory" : "compute",
                                   roofs.size() > 1 ? fmt::format(" [{}]", static_cast<char>('A' + roof_of[n] % 26)) : "");
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10"><tspan fill="#c0392b">{}</tspan>  {}</text>)" "\n", lx, ly,
                       n + 1, svg_escape(text));
  }
  return out + "</svg>\n";
}

std::string to_roofline_svg(const design_report& r) {
  std::vector<roofline_point> points;
  for (const auto& row : r.rows)
    if (row.roof) {
      points.push_back(*row.roof);
      points.back().label = row_summary(r, row);
    }
  return to_roofline_svg("design " + r.design + " (" + r.solver + "), the reported designs", points);
}

}  // namespace ironlaw::runtime::report
