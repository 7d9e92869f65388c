#pragma once
// One point of a design in the search loop: the compiled design (everything a
// point needs, shared read-only by the threads) and the per-thread evaluator
// that binds a point's axis values, calls the solver and runs the compiled
// filters, requirements and objectives. Also the small pieces every later
// phase reads a point with (runtime/search/design_*.cpp).
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compile.hpp"
#include "engine.hpp"
#include "ironlaw/runtime/interp/axis_domain.hpp"
#include "ironlaw/runtime/interp/builtins.hpp"

namespace ironlaw::runtime::search {

inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// A solver argument the design fixes (not an axis).
struct fixed_arg {
  std::optional<std::string> name;
  lang::span name_span;
  value v;
  lang::span where;
};

// IRONLAW_SEARCH_PATH=check: the points each path decided, said on stderr
// when the design's plan ends, so a test sees that the typed path ran.
struct typed_check_counts {
  std::string solver;
  std::atomic<std::uint64_t> agreed{0}, declined{0};
  ~typed_check_counts();
};

// A design compiled for the loop: everything a point needs, shared read-only by the threads.
struct compiled_design {
  const builtin* fn = nullptr;
  const registry* reg = nullptr;
  lang::source_ptr source;
  lang::span call_span;
  std::vector<fixed_arg> fixed;
  std::vector<std::string> axis_names;
  std::vector<lang::span> axis_spans;
  std::vector<axis_domain> axis_values;
  std::vector<std::vector<double>> axis_numbers;  // per listed axis value; empty for a range (axis_domain::number_at)
  std::vector<number_fn> filters;
  std::vector<slack_fn> requirements;
  std::vector<number_fn> objectives;  // minimized (maximized ones negated)
  std::size_t key_slot = std::string::npos;
  std::vector<std::size_t> used_fields;  // result fields the compiled code reads
  std::size_t field_count = 0;
  const compiler* comp = nullptr;
  // The full-CSV row: every axis and result field, in fixed units.
  std::vector<std::pair<double, bool>> csv_units;  // factor, numeric
  std::vector<std::string> requirement_texts;
  std::vector<std::string> objective_texts;
  // The solver's typed path for this design (interp/typed_solver.hpp), or
  // null: every point then takes the generic call. `check_typed`: every point
  // takes both and a difference stops the run (IRONLAW_SEARCH_PATH=check).
  std::shared_ptr<const typed_solver> typed;
  bool check_typed = false;
  std::shared_ptr<typed_check_counts> check_counts;  // when check_typed
  // Per result field, how a typed number becomes a slot: a word's index its
  // interned id; a time, energy or cost is not computable where the point
  // does not fit (fit_only); a quantity must be finite and not negative, or
  // the point takes the generic call, which refuses it with its reason (checked).
  std::vector<std::vector<double>> word_ids;
  std::vector<char> fit_only;
  std::vector<char> checked;
};

// Binds a design's fixed arguments and its axes at `axis_values` (one per
// axis) to `args`; false when one is refused (reported at `args`).
bool bind_design_call(call_args& args, const compiled_design& cd, const value* const* axis_values);

class design_point final : public point_evaluator {
 public:
  explicit design_point(const compiled_design& d);

  // The search loop's call: quiet (call_args::quiet), the solver words no notes.
  void evaluate(std::uint64_t index, point_result& out, bool want_row) override;
  // As evaluate, keeping the solver's record with its notes (for the rows a
  // report shows). Agrees with evaluate on every field of `out`.
  void evaluate_full(std::uint64_t index, point_result& out, bool want_row, value& result);
  // The solver's message for the last point it refused.
  [[nodiscard]] std::string last_message() const;

 private:
  // The point's axis values into the slots.
  void bind_axes(std::uint64_t index);
  // Whether a `where` filter excludes the point (axes bound).
  bool excluded(point_result& out);
  void reset(point_result& out);
  // Binds the point's values, calls the solver and checks its record; false
  // (with `out` saying why) when the point was excluded or refused.
  bool call_solver(std::uint64_t index, point_result& out, value& result, bool quiet);
  void evaluate_point(std::uint64_t index, point_result& out, bool want_row, value& result, bool quiet);
  // The typed path: typed_solver::computed when it decided the point,
  // `declined`, or a refusal class whose reason this thread has not learnt
  // yet (nothing is decided then).
  int evaluate_typed(std::uint64_t index, point_result& out);
  // After the generic call of a point the typed path refused as `refusal`.
  void learn(int refusal, const point_result& generic);
  // Requirements, objectives and the key, from the slots (fields bound).
  void judge(point_result& out, bool fit, const value* result);
  // IRONLAW_SEARCH_PATH=check: the typed and generic outcomes must be equal.
  void evaluate_checked(std::uint64_t index, point_result& out);
  std::string csv_row(const record& rec, const point_result& out) const;

  const compiled_design& d_;
  std::vector<double> slots_;
  std::vector<double> typed_fields_;  // the typed path's numbers, one per result field
  std::vector<std::size_t> picks_;     // each axis's value at the point, as its index
  std::unique_ptr<typed_solver::scratch> typed_scratch_;
  std::vector<std::optional<std::string>> refusals_;  // per typed refusal class: its reason, once learnt
  std::vector<const value*> axis_;
  std::vector<value> range_values_;  // a range axis's value at the point (axis_ points here)
  lang::diagnostics diags_;
  call_memo memo_;  // what the solver derives from the registry once, for this thread's calls
};

// What a refusal says without its particulars, so refusals group into a few
// lines: "serving_fleet: one replica (1 x A100_80GB at batch 8, fp16) is not
// feasible: needs 145 GB of 77.3 GB" -> "one replica is not feasible";
// "context must be at most 8192 tokens, got 9216" -> "... at most N tokens, got N".
std::string reason_class(std::string_view message, std::string_view solver);

// A point whose configuration does not fit in memory (record::infeasible) is
// evaluated, but its times, rates and costs are not computable: its
// requirements on them are unmet and it is never ranked. Its point_result
// carries this reason; the report counts it beside the refusals.
inline constexpr std::string_view does_not_fit_reason = "does not fit in memory";
// Whether a point's result may be ranked: it fits, or its call allows it.
bool fits(const record& r);

// The requirement with the least finite slack at a point; npos when none has one.
std::size_t binding_requirement(const point_result& r);

// The design's record at a point: the solver's result plus the axes' values.
record_ptr design_record(const compiled_design& cd, const std::string& design, const value& result,
                         std::uint64_t index);

// An axis value as the report shows it: a record of per-pool values
// (`counts in [{ west = 128 }]`) as "west 128", like a text field such as
// pooled_fleet's split ("east 0.6, north 0.4"); anything else as format_value.
std::string axis_value_text(const value& v, const unit_table& units);

// A design's point in words, its axes in order: "tp 2, batch 16"; "; " between
// axes when a value holds a comma ("split east 0.6, north 0.4; counts west 128").
std::string point_label(const compiled_design& cd, const record& rec, const unit_table& units);

// The unit a column prints in: the one the first shown value would print with.
std::pair<std::string, double> display_unit(const quantity& q, const unit_table& units);

}  // namespace ironlaw::runtime::search
