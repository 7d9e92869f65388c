#pragma once
// A user's own calibration (issue 12, "users calibrate too"): each
// `measured EXPR = VALUE` statement is predicted with the registry defaults,
// compared, and attributed to the one registry efficiency the prediction
// depends on most; per efficiency the median of what the measurements imply
// is what later evaluations in the scenario use (docs/accuracy.md).
// Internal to runtime: eval.hpp only forward-declares `session`.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ironlaw/lang/source.hpp"
#include "ironlaw/runtime/interp/registry.hpp"

namespace ironlaw::runtime::calibrate {

// One registry efficiency: `decode.bandwidth` is [decode] bandwidth in registry/efficiency.toml.
struct efficiency_key {
  std::string regime, key;
  [[nodiscard]] std::string text() const { return regime + "." + key; }
  friend bool operator==(const efficiency_key&, const efficiency_key&) = default;
};

struct measurement {
  std::string file;          // as given on the command line or imported
  std::uint32_t line = 0;
  std::string text;          // the predicted expression, as `fmt` prints it
  quantity predicted, measured;
  std::string predicted_text, measured_text;  // both in the measured value's unit
  double error_percent = 0;  // (predicted - measured) / measured x 100
  std::string bottleneck;    // the solver's `bottleneck` (or `binding`) field; empty when it has none
  std::optional<efficiency_key> key;  // nullopt: the prediction reads no registry efficiency
  double current = 0;                 // the registry's value of `key`
  double elasticity = 0;              // d ln(prediction) / d ln(efficiency): -1 for a time at the roofline
  std::optional<double> implied;      // the value of `key` that reproduces the measurement; nullopt: none in (0, 1]
};

// The prediction against a registry (the measured expression re-evaluated).
using predictor = std::function<std::optional<quantity>(const registry&)>;

// Finds the efficiency `predict` depends on most (|elasticity| at least 1 %,
// moving each registry efficiency by 10 % in turn) and solves for the value
// that reproduces `m.measured` (validate::solve_efficiency: bisection, exact
// where current x predicted / measured is only the roofline's approximation).
void attribute(measurement& m, const predictor& predict, const registry& base);

// Per efficiency: every value the measurements imply, and their median.
struct fit {
  efficiency_key key;
  double registry_value = 0;
  std::vector<double> values;
  std::vector<const measurement*> from;  // the measurements that imply a value, in order
  double fitted = 0;
  [[nodiscard]] std::string note() const;  // "calibrated from 2 measurements at f.iron:4, 7"
};

class session {
 public:
  void add(measurement m) { measurements_.push_back(std::move(m)); }
  [[nodiscard]] const std::vector<measurement>& measurements() const { return measurements_; }
  // One fit per efficiency some measurement implies, in order of first appearance.
  [[nodiscard]] std::vector<fit> fits(const registry& base) const;
  // `base` with every fitted efficiency set and its note in place of the source.
  [[nodiscard]] registry calibrated(const registry& base) const;

 private:
  std::vector<measurement> measurements_;
};

// The one line `ironlaw run` prints for a measurement, with what it changes.
std::string run_line(const measurement& m, const session& s, const registry& base);
// `ironlaw calibrate FILE`: residuals and fitted efficiencies as a table or JSON.
std::string render(std::string_view file, const session& s, const registry& base, std::string_view format);

}  // namespace ironlaw::runtime::calibrate
