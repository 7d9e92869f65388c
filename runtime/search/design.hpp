#pragma once
// The language side of the search: which statements belong to a design, and
// a design's search from its statements to its report (docs/search.md). The
// phases are in runtime/search/design_phases.hpp.
#include <functional>
#include <map>
#include <ostream>
#include <string>

#include "ironlaw/lang/ast.hpp"
#include "ironlaw/lang/diagnostic.hpp"
#include "ironlaw/runtime/interp/registry.hpp"
#include "ironlaw/runtime/interp/value.hpp"
#include "ironlaw/runtime/search/search_options.hpp"

namespace ironlaw::runtime::report {
class run_document;  // runtime/report/run_document.hpp
}

namespace ironlaw::runtime::search {

// A `require` that reads a design, or a `report`: `run` leaves them to the
// design's search instead of running them as plain statements.
bool part_of_design(const lang::program& program, const lang::stmt& st);

// What a design's search reads from the program running it. It writes two
// things: the design's name in `globals` (its best design after the search;
// nothing when the search failed, so later reads stay silent), and one more
// `violations` when no design is feasible (`run` exits 3).
struct design_context {
  const registry& reg;
  std::map<std::string, value, std::less<>>& globals;
  const search_options& options;
  const std::string& title;  // the scenario's, for the report
  // Checks a `report` statement (E0609, E0610, E0401): the program knows the designs declared.
  std::function<bool(const lang::report_stmt&, lang::diagnostics&)> check_report;
  int& violations;
  report::run_document* document = nullptr;  // `run --format json`: the report goes here, not to `out`
};

// A space beyond --max-points is refused (E0601) before its axis values are
// checked one by one or a representative point is searched for: a
// million-value axis times another costs seconds there, and the answer is no anyway.
bool too_large(const design_context& ctx, const lang::design_stmt& d, const lang::source_ptr& source,
               lang::diagnostics& diags);

// Searches a checked design (its name bound to its representative point) with
// the requirements, objectives and reports of `program` that read it, and
// prints the report to `out`. False, with diagnostics, when it failed.
bool run_design(const design_context& ctx, const lang::program& program, const lang::design_stmt& d,
                std::ostream& out, lang::diagnostics& diags);

}  // namespace ironlaw::runtime::search
