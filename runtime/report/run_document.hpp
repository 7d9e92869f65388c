#pragma once
// `run --format json` and `eval --format json`: everything a command prints
// as one JSON document on stdout (docs/json.md; the schema is
// docs/ironlaw-output.schema.json). The interpreter adds an item per thing the
// text output prints, in the same order; the CLI closes the document with the
// diagnostics and the exit code, so a script's `json.load` never fails.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ironlaw/runtime/interp/evaluated.hpp"
#include "report.hpp"

namespace ironlaw::runtime::report {

// Raised when a field changes meaning or disappears; adding a field or an
// item kind keeps it (docs/json.md, "Versions").
inline constexpr int json_schema_version = 1;

// Where a statement is: the file as given and its 1-based line.
struct statement_at {
  std::string file;
  std::uint32_t line = 0;
};

class run_document {
 public:
  explicit run_document(const unit_table& units) : units_(&units) {}

  void scenario(const std::string& title);
  // A `print` (several values) or a bare expression statement (one).
  void values(std::string_view kind, const statement_at& at, const std::string& text, const std::vector<evaluated>& vs);
  // A `require` outside a design; `lhs` and `rhs` are the compared sides, when it compares.
  void requirement(const statement_at& at, const std::string& condition, const std::string& text, bool met,
                   const evaluated* lhs, const evaluated* rhs);
  // A `measured` statement: the prediction against the measurement.
  void measured(const statement_at& at, const std::string& expression, const quantity& predicted,
                const quantity& measured, double error_percent, const std::string& text);
  // A design's search and report.
  void design(const statement_at& at, const design_report& r);

  [[nodiscard]] std::size_t requirements_not_met() const { return not_met_; }
  [[nodiscard]] std::size_t designs_without_feasible() const { return infeasible_designs_; }

  // The whole document: `command` (run), the files read, the items, the
  // diagnostics (lang::render_json's array) and the exit code.
  [[nodiscard]] std::string render(std::string_view command, const std::vector<std::string>& files,
                                   const std::string& diagnostics_json, int exit_code) const;

 private:
  const unit_table* units_;
  std::string title_;
  bool titled_ = false;
  std::vector<std::string> items_;
  std::size_t met_ = 0, not_met_ = 0, designs_ = 0, infeasible_designs_ = 0;
};

// A value as JSON (docs/json.md, "Values"): quantities in SI with their unit
// and the text `run` prints; records with their fields; entities by name
// (with their fields at the top, `top`); lists as arrays.
std::string value_json(const value& v, const unit_table& units, bool top = true);
// An evaluated expression: its value, the unit it was shown in and its note.
std::string evaluated_json(const evaluated& e, const unit_table& units);

// `eval --format json`: the expression, its value and the text `eval` prints
// (when it evaluated), the diagnostics and the exit code.
std::string eval_document(const std::string& expression, const evaluated* e, const std::string& text,
                          const unit_table& units, const std::string& diagnostics_json, int exit_code);

}  // namespace ironlaw::runtime::report
