#pragma once
// The interpreter: evaluates statements and expressions against the registry
// and the built-in solvers. Every error is a diagnostic at its source span.
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>

#include "ironlaw/lang/ast.hpp"
#include "ironlaw/lang/check.hpp"
#include "ironlaw/lang/diagnostic.hpp"
#include "ironlaw/runtime/interp/registry.hpp"
#include "ironlaw/runtime/search/search_options.hpp"
#include "ironlaw/runtime/interp/evaluated.hpp"
#include "ironlaw/runtime/interp/value.hpp"

namespace ironlaw::runtime {

namespace calibrate {
class session;  // runtime/calibrate/calibration.hpp
}
namespace report {
class run_document;  // runtime/report/run_document.hpp
}

class interpreter {
 public:
  explicit interpreter(const registry& reg);

  // How `run` searches designs and prints their reports.
  void set_search_options(search_options o) { search_ = std::move(o); }

  // `run --format json`: what `run` prints becomes the document's items, and
  // nothing is written to `out` (the document outlives the interpreter).
  void set_document(report::run_document* document) { document_ = document; }

  // Untrusted input (a student's submission) may not read other files.
  void allow_imports(bool allowed) { imports_allowed_ = allowed; }
  // A graded submission may not move the efficiencies its answers are checked
  // with: its `measured` statements are errors (E1305).
  void allow_calibration(bool allowed) { calibration_allowed_ = allowed; }
  // Interactive sessions may define a name again (the new definition wins).
  void allow_redefinition(bool allowed) { redefinition_allowed_ = allowed; }
  // Names the host already bound (a graded assignment's parameters and its
  // faculty definitions) that the program may not define again: a `let`,
  // declaration or design of one is an error (E1006) and the host's value stays.
  void reserve(std::string name, value v) {
    globals_[name] = std::move(v);
    reserved_.insert(std::move(name));
  }
  // Whether `name` is a design block this interpreter ran (searched or, when
  // checking, checked): its value is the design's chosen point, not a `let`.
  [[nodiscard]] bool is_design(std::string_view name) const { return designs_.count(name) > 0; }

  // Runs one statement (the REPL feeds them one by one).
  bool execute(const lang::stmt& st, const lang::source_ptr& source, std::ostream& out, lang::diagnostics& diags) {
    return run_statement(st, source, out, diags);
  }
  // `require` statements outside a design that evaluated to false, and
  // designs with no feasible point: each makes `run` exit 3.
  [[nodiscard]] int violations() const { return violations_; }
  [[nodiscard]] const std::string& title() const { return title_; }

  std::optional<evaluated> evaluate(const lang::expr& e, const lang::source_ptr& source, lang::diagnostics& diags);
  // Runs every statement; bare expressions and `print` write to `out`.
  // Returns false when any statement failed (the others still run).
  bool run(const lang::program& program, std::ostream& out, lang::diagnostics& diags);

  // Checks every statement without printing, searching or grading: each
  // expression is evaluated once, designs at the first value of every axis and
  // assignments at the first option of every `choose` (see docs/language.md).
  bool check(const lang::program& program, lang::diagnostics& diags);
  // The static phase alone (lang/check.hpp): every expression typed, nothing
  // evaluated; the names this interpreter already holds are predefined.
  lang::typed_program check_static(const lang::program& program, lang::diagnostics& diags) const;

  // A value for people: `4.79 ms  (memory-bound: ...)`; records as field tables.
  [[nodiscard]] std::string show(const evaluated& e) const;
  [[nodiscard]] std::string show_value(const value& v) const;

  // Binds a name in the global scope (let-bound names, REPL `ans`, or the
  // fields of an entity for a `where` filter).
  void define(std::string name, value v) { globals_[std::move(name)] = std::move(v); }
  [[nodiscard]] const value* lookup(std::string_view name) const {
    auto it = globals_.find(name);
    return it == globals_.end() ? nullptr : &it->second;
  }

  // Every name bound in the global scope, in order.
  [[nodiscard]] std::vector<std::string> defined_names() const {
    std::vector<std::string> out;
    for (const auto& [name, v] : globals_) out.push_back(name);
    return out;
  }

  [[nodiscard]] const registry& reg() const { return *reg_; }

  // The `measured` statements run so far (runtime/calibrate/); null before the first.
  [[nodiscard]] const calibrate::session* calibration() const { return calibration_.get(); }

 private:
  bool run_statement(const lang::stmt& st, const lang::source_ptr& source, std::ostream& out,
                     lang::diagnostics& diags);
  bool declare(const lang::decl_stmt& d, const lang::source_ptr& source, lang::diagnostics& diags);
  bool declare_entity(const lang::decl_stmt& d, const lang::source_ptr& source, lang::diagnostics& diags);
  bool import_file(const lang::import_stmt& i, const lang::source_ptr& source, std::ostream& out,
                   lang::diagnostics& diags);
  bool check_requirement(const lang::require_stmt& r, const lang::source_ptr& source, std::ostream& out,
                         lang::diagnostics& diags);

  bool check_statement(const lang::stmt& st, const lang::source_ptr& source, lang::diagnostics& diags);
  bool check_design(const lang::design_stmt& d, const lang::source_ptr& source, lang::diagnostics& diags);
  // A design: checked here, searched and reported by search::run_design (runtime/search/design.hpp).
  bool run_design(const lang::program& program, const lang::design_stmt& d, std::ostream& out,
                  lang::diagnostics& diags);
  bool check_report(const lang::report_stmt& r, const lang::source_ptr& source, lang::diagnostics& diags);
  bool check_assignment(const lang::assignment_stmt& a, const lang::source_ptr& source, lang::diagnostics& diags);

  const registry* reg_;
  // `measured EXPR = VALUE` (runtime/program/measured.cpp): each is predicted
  // with the registry defaults (`defaults_`); after it, `reg_` points at a copy
  // holding the efficiencies fitted so far, so later calls use them.
  bool run_measured(const lang::measured_stmt& m, const lang::source_ptr& source, std::ostream& out,
                    lang::diagnostics& diags);
  const registry* defaults_;
  std::shared_ptr<calibrate::session> calibration_;
  std::shared_ptr<const registry> calibrated_;
  bool calibration_allowed_ = true;
  bool checking_ = false;
  std::map<std::string, lang::span, std::less<>> designs_;  // design names, where declared
  std::map<std::string, value, std::less<>> globals_;
  std::map<std::string, lang::span, std::less<>> declared_at_;  // where each declared name was defined
  std::vector<std::string> import_stack_;                       // files being run, for cycle detection
  std::set<std::string, std::less<>> imported_;                  // real paths imported: each runs once
  static constexpr std::size_t max_import_depth = 256;          // nested imports (E0707)
  static constexpr std::size_t max_imported_files = 10'000;     // files imported in all (E0708)
  bool imports_allowed_ = true;
  bool redefinition_allowed_ = false;
  std::set<std::string, std::less<>> reserved_;
  // E1006 when `name` is reserved; true when it was.
  bool refuse_reserved(const std::string& name, lang::span where, const lang::source_ptr& source,
                       lang::diagnostics& diags) const;
  int violations_ = 0;
  report::run_document* document_ = nullptr;
  search_options search_;
  std::string title_;
};

}  // namespace ironlaw::runtime
