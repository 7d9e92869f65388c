#pragma once
// Compiles a design's `where` filters, requirements and objectives once into
// closures over a point's values (doubles in slots: the axes, then the
// solver's result fields), so the search loop never walks the syntax tree.
// Parts that do not depend on the point are evaluated once, as constants.
// A construct the compiler does not know falls back to the evaluator for that
// sub-expression only (correct, slower). Operators mean what they mean to the
// evaluator (interp/operators.hpp); NaN stands for "not computable", where the
// evaluator reports an error, and makes a requirement unmet and an objective
// refuse its point (docs/search.md, "Compiled expressions").
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "ironlaw/lang/ast.hpp"
#include "ironlaw/lang/diagnostic.hpp"
#include "ironlaw/runtime/interp/evaluated.hpp"
#include "ironlaw/runtime/interp/registry.hpp"

namespace ironlaw::runtime::search {

// One point's values, as the compiled code reads them.
struct frame {
  const double* slots = nullptr;      // axes first, then result fields
  const value* const* axis_values = nullptr;  // for the fallback
  const value* result = nullptr;       // the solver's record (requirements only)
  lang::diagnostics* diags = nullptr;  // the thread's scratch diagnostics
};

using number_fn = std::function<double(const frame&)>;
// A requirement: whether it holds and its normalized slack.
using slack_fn = std::function<void(const frame&, double& slack, bool& met)>;

// Whether an expression reads the name (a design's, say).
bool mentions(const lang::expr& e, std::string_view name);

class compiler {
 public:
  using scope = std::map<std::string, value, std::less<>>;
  // `design`: the name requirements read (`d.itl`). `fields`: the result's
  // field names in order. Filters (`reading_axes(true)`) read axis names directly.
  compiler(const registry& reg, const scope& globals, lang::source_ptr source, std::string design,
           std::vector<std::string> axes, std::vector<std::string> fields);

  void reading_axes(bool yes) { axes_mode_ = yes; }
  number_fn number(const lang::expr& e);
  slack_fn requirement(const lang::expr& e);
  // A value of an axis or a field as a double: quantities in SI, booleans 0/1,
  // words and entities as interned ids (so `==` is a comparison of doubles).
  [[nodiscard]] double to_number(const value& v) const;
  [[nodiscard]] const std::vector<bool>& used() const { return used_; }
  // Whether some compiled code reads the solver's record (frame::result): an
  // expression the compiler left to the evaluator. The typed path has no record.
  [[nodiscard]] bool reads_record() const { return reads_record_; }
  // Interns a value so that to_number knows it (every axis value).
  double intern(const value& v);
  // The slot of a field (or axis) of the design, marked used; npos when unknown.
  std::size_t slot_of(std::string_view name);
  [[nodiscard]] bool depends(const lang::expr& e) const;

 private:
  number_fn fallback(const lang::expr& e);
  number_fn math_number(const lang::expr& e, const lang::call_expr& c);
  bool axes_mode_ = false;
  bool reads_record_ = false;
  const registry& reg_;
  const scope& globals_;
  lang::source_ptr source_;
  std::string design_;
  std::vector<std::string> axes_;
  std::vector<std::string> fields_;
  std::vector<bool> used_;  // which slots the compiled code reads
  std::unordered_map<std::string, double> ids_;
};

}  // namespace ironlaw::runtime::search
