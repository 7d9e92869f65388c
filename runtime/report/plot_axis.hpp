#pragma once
// What the SVG plots share: an axis that picks its own bounds and scale
// (never below zero for values that are all positive; logarithmic when they
// span more than two decades), its ticks, and a placer that keeps text labels
// from overlapping one another.
#include <optional>
#include <string>
#include <vector>

namespace ironlaw::runtime::report {

class plot_axis {
 public:
  // An axis over `values` (non-finite ones ignored); `force_log` for plots
  // whose axes are logarithmic by definition (the roofline).
  static plot_axis fit(const std::vector<double>& values, bool force_log = false);
  [[nodiscard]] bool logarithmic() const { return log_; }
  // Where `v` falls from 0 (low end) to 1 (high end).
  [[nodiscard]] double fraction(double v) const;
  [[nodiscard]] std::vector<double> ticks() const;
  // A tick's label: enough decimals that neighbouring ticks read differently.
  [[nodiscard]] std::string tick_text(double v) const;
  [[nodiscard]] double low() const { return lo_; }
  [[nodiscard]] double high() const { return hi_; }

 private:
  double lo_ = 0, hi_ = 1;
  bool log_ = false;
};

// Text labels placed one by one, each at the first spot near its point where
// it overlaps no label or obstacle placed before it.
class label_placer {
 public:
  struct box {
    double x0, y0, x1, y1;
  };
  explicit label_placer(box bounds) : bounds_(bounds) {}
  void block(box b) { taken_.push_back(b); }
  struct spot {
    double x, y;       // the text's baseline start
    bool far = false;  // away from its point: draw a leader line to it
  };
  // Where the text goes, or nothing when no spot within reach is free.
  std::optional<spot> place(double x, double y, const std::string& text, double font_size);
  // A label at `s` for the point (x, y), with a leader line when it sits far away.
  static std::string svg_label(const spot& s, double x, double y, const std::string& text, const char* colour);
  // The box a text of `font_size` occupies with its baseline starting at (x, y).
  static box extent(double x, double y, const std::string& text, double font_size);

 private:
  box bounds_;
  std::vector<box> taken_;
};

std::string svg_escape(const std::string& s);

}  // namespace ironlaw::runtime::report
