// Axis bounds, ticks and label placement for the SVG plots (plot_axis.hpp).
#include "plot_axis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "ironlaw/runtime/interp/units.hpp"

namespace ironlaw::runtime::report {

namespace {

// The tick step of 1, 2 or 5 times a power of ten that cuts `span` into about four.
double nice_step(double span) {
  double raw = span / 4;
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (raw <= m * power * 1.0000001) return m * power;
  return 10 * power;
}

}  // namespace

plot_axis plot_axis::fit(const std::vector<double>& values, bool force_log) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (double v : values)
    if (std::isfinite(v) && (!force_log || v > 0)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  plot_axis a;
  if (!(lo <= hi)) return a;  // nothing to show: 0 to 1
  if (lo > 0 && (force_log || hi / lo > 100)) {
    // Bounds at 1, 2 or 5 times a power of ten: a value just under a decade
    // does not leave most of a decade empty above it.
    a.log_ = true;
    lo /= 1.15;  // a little room: no point on the frame
    hi *= 1.15;
    double decade = std::pow(10.0, std::floor(std::log10(lo)));
    a.lo_ = decade;
    for (double m : {2.0, 5.0})
      if (m * decade <= lo) a.lo_ = m * decade;
    decade = std::pow(10.0, std::floor(std::log10(hi)));
    a.hi_ = 10 * decade;
    for (double m : {5.0, 2.0, 1.0})
      if (m * decade >= hi * 1.0000001) a.hi_ = m * decade;
    if (a.hi_ <= a.lo_) a.hi_ = a.lo_ * 10;
    return a;
  }
  double span = hi - lo;
  if (span <= 0) span = std::max(std::abs(hi), 1e-300) * 0.2;
  double step = nice_step(span);
  a.lo_ = std::floor(lo / step) * step;
  a.hi_ = std::ceil(hi / step) * step;
  if (a.hi_ - a.lo_ < step) a.hi_ = a.lo_ + step;
  // A point on the frame is hard to see: leave a step of room unless that
  // would push an axis of positive values below zero.
  if (lo == a.lo_ && a.lo_ - step >= 0) a.lo_ -= step;
  else if (lo == a.lo_ && a.lo_ > 0) a.lo_ = 0;
  if (hi == a.hi_) a.hi_ += step;
  return a;
}

double plot_axis::fraction(double v) const {
  if (log_) return (std::log10(v) - std::log10(lo_)) / (std::log10(hi_) - std::log10(lo_));
  return (v - lo_) / (hi_ - lo_);
}

std::vector<double> plot_axis::ticks() const {
  std::vector<double> out;
  if (log_) {
    int first = static_cast<int>(std::ceil(std::log10(lo_) - 1e-9)), last = static_cast<int>(std::floor(std::log10(hi_) + 1e-9));
    int every = std::max(1, (last - first + 5) / 6);  // at most about six labelled decades
    for (int k = first; k <= last; k += every) out.push_back(std::pow(10.0, k));
    if (out.size() < 2) {  // less than a decade shown: label its ends too
      out.insert(out.begin(), lo_);
      out.push_back(hi_);
      std::sort(out.begin(), out.end());
      out.erase(std::unique(out.begin(), out.end()), out.end());
    }
    return out;
  }
  double step = nice_step(hi_ - lo_);
  for (double v = lo_; v <= hi_ + step * 1e-6; v += step) out.push_back(std::abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

std::string plot_axis::tick_text(double v) const {
  if (log_ || v == 0) return format_number(v);
  // As many decimals as the step needs, so that neighbouring ticks differ.
  double step = nice_step(hi_ - lo_);
  int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
  if (std::abs(v) >= 1e6 || decimals > 6) return format_number(v);
  return fmt::format("{:.{}f}", v, decimals);
}

label_placer::box label_placer::extent(double x, double y, const std::string& text, double font_size) {
  // Sans-serif digits and letters average about 0.62 em wide; descenders 0.25 em.
  double width = 0.62 * font_size * static_cast<double>(text.size());
  return {x, y - font_size * 0.8, x + width, y + font_size * 0.25};
}

std::optional<label_placer::spot> label_placer::place(double x, double y, const std::string& text, double font_size) {
  auto overlaps = [](const box& a, const box& b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; };
  const double pi = std::acos(-1.0);
  double width = 0.62 * font_size * static_cast<double>(text.size());
  // Rings of candidate spots around the point, nearest first.
  for (double radius : {7.0, 12.0, 18.0, 26.0, 36.0, 48.0}) {
    for (int k = 0; k < 16; ++k) {
      double angle = -pi / 4 + 2 * pi * k / 16;  // up-right first
      double cx = x + radius * std::cos(angle), cy = y - radius * std::sin(angle);
      // The label's centre sits on the ring.
      double bx = cx - width / 2, by = cy + font_size * 0.3;
      box b = extent(bx, by, text, font_size);
      if (b.x0 < bounds_.x0 || b.x1 > bounds_.x1 || b.y0 < bounds_.y0 || b.y1 > bounds_.y1) continue;
      if (std::any_of(taken_.begin(), taken_.end(), [&](const box& t) { return overlaps(t, b); })) continue;
      taken_.push_back(b);
      return spot{bx, by, radius > 12};
    }
  }
  return std::nullopt;
}

std::string label_placer::svg_label(const spot& s, double x, double y, const std::string& text, const char* colour) {
  std::string out;
  if (s.far) {
    // From the marker's edge to the nearest point of the label's box.
    auto b = extent(s.x, s.y, text, 10);
    double ex = std::clamp(x, b.x0, b.x1), ey = std::clamp(y, b.y0, b.y1);
    double len = std::hypot(ex - x, ey - y);
    if (len > 6)
      out += fmt::format(R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="0.6"/>)" "\n",
                         x + (ex - x) * 5 / len, y + (ey - y) * 5 / len, ex, ey, colour);
  }
  return out + fmt::format(R"(<text class="marker-label" x="{:.1f}" y="{:.1f}" font-size="10" fill="{}">{}</text>)" "\n", s.x,
                           s.y, colour, svg_escape(text));
}

std::string svg_escape(const std::string& s) {
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

}  // namespace ironlaw::runtime::report
