#pragma once
// The calibration report (docs/accuracy.md): published measurements as data
// (validation/*.toml), each predicted by an ironlaw expression, compared, and
// summarised per category and split. Efficiencies are fitted on the
// calibration split only; the holdout split is reported, never tuned to.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ironlaw/lang/ast.hpp"
#include "ironlaw/lang/diagnostic.hpp"
#include "ironlaw/runtime/interp/registry.hpp"

namespace ironlaw::runtime::validate {

// A string value of a case and where its text sits in the file, so that an
// error inside an expression points into the TOML file itself.
struct located_text {
  std::string text;
  lang::span at;  // the characters between the quotes
};

struct source_ref {
  std::string title, url, locator, as_of;
};

struct validation_case {
  std::string id;
  std::string category;  // one of categories()
  std::string split;     // "calibration" or "holdout"
  std::string inputs;    // the published inputs, in prose
  located_text expression;  // the ironlaw expression that predicts `reported`
  located_text reported;    // the published value with its unit
  std::optional<located_text> bottleneck;  // what the source says binds, when it says
  std::optional<std::string> calibrates;   // "decode.bandwidth": the efficiency this case can fit
  std::optional<located_text> before;      // the prediction an earlier model made, to show what a change did
  std::string confidence;  // "read" (seen in the source) or "uncertain"
  std::string notes;
  source_ref source;
  lang::source_ptr file;
  lang::span case_at;  // the [[case]] header, for errors about the whole case
};

// An upper bound on a category's |error| (percent), from validation/bounds.toml.
struct error_bound {
  std::string category;
  double median = 0;
  double worst = 0;
};

struct validation_set {
  std::vector<validation_case> cases;
  std::vector<error_bound> bounds;
};

const std::vector<std::string>& categories();

// Adds the cases and bounds of one TOML file; problems are diagnostics
// (E1201-E1209) at file:line:col.
void load_file(const lang::source_ptr& file, validation_set& into, lang::diagnostics& diags);
// The set shipped in the binary (validation/*.toml).
validation_set load_embedded(lang::diagnostics& diags);
// Every *.toml below `dir`, sorted by path.
validation_set load_directory(const std::string& dir, lang::diagnostics& diags);

struct outcome {
  const validation_case* c = nullptr;
  bool ok = false;             // false: the case could not be evaluated (diagnostics say why)
  double predicted_si = 0;     // in base units
  double reported_si = 0;
  std::string predicted_text;  // in the reported value's unit
  double error_percent = 0;    // (predicted - reported) / reported x 100
  std::string predicted_bottleneck;  // empty when the case states none or the solver gives none
  std::optional<double> before_error_percent;  // the recorded earlier prediction's error, when the case has one
};

// One case's prediction against `reg` (null after a diagnostic); the
// solver's bottleneck into `bottleneck` when asked.
std::optional<quantity> predict(const validation_case& c, const registry& reg, lang::diagnostics& diags,
                                std::string* bottleneck = nullptr);
// Evaluates every case against `reg`.
std::vector<outcome> evaluate(const validation_set& set, const registry& reg, lang::diagnostics& diags);

struct group_summary {
  std::string category, split;  // split "all": both
  std::size_t cases = 0;
  double median_abs = 0, worst_abs = 0;
  std::size_t bottleneck_stated = 0, bottleneck_right = 0;
  // The same statistics of the recorded earlier predictions (`before`), over the cases that have one.
  std::size_t before_cases = 0;
  double before_median_abs = 0, before_worst_abs = 0;
};
std::vector<group_summary> summarize(const std::vector<outcome>& outcomes);

// The value of one registry efficiency that reproduces each calibration case
// naming it, and their median: what the calibration split would fit.
struct efficiency_fit {
  std::string key;  // "decode.bandwidth"
  double registry_value = 0;
  double fitted = 0;  // median of the per-case values
  std::vector<double> per_case;
  std::size_t out_of_reach = 0;  // cases no value in (0, 1] reproduces
  // Holdout error of the cases that name the key, at the registry and at the fitted value.
  double holdout_median_now = 0, holdout_median_fitted = 0;
  std::size_t holdout_cases = 0;
};
// Shared with runtime/calibrate (a user's `measured` statements):
// the median of `v` (0 when empty), and the efficiency x in [0.02, 1] at
// which `residual(x)` = prediction / measurement - 1 crosses zero, by
// bisection (a prediction is monotone in an efficiency); nullopt when no
// value in that range reproduces the measurement.
double median(std::vector<double> v);
// The first solver field `e` reads (`256 sample / roofline(...).time` reads
// `.time`), whose record holds the bottleneck; null when it reads none.
const lang::field_expr* first_field(const lang::expr& e);
std::optional<double> solve_efficiency(const std::function<std::optional<double>(double)>& residual);

std::vector<efficiency_fit> fit_efficiencies(const std::vector<outcome>& outcomes, const registry& reg);

// A category whose median or worst |error| is above its bound.
struct bound_violation {
  std::string category, what;
  double value = 0, bound = 0;
};
std::vector<bound_violation> check_bounds(const validation_set& set, const std::vector<group_summary>& groups);

// Everything `ironlaw validate` prints, in one of table, csv, json or md.
struct report_input {
  const validation_set* set;
  const std::vector<outcome>* outcomes;
  const std::vector<group_summary>* groups;
  const std::vector<efficiency_fit>* fits;
  const std::vector<bound_violation>* violations;
  std::string origin;  // "validation/ (embedded)" or the directory read
};
std::string render(const report_input& in, std::string_view format);

}  // namespace ironlaw::runtime::validate
