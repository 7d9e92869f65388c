#pragma once
// Built-in functions (the solvers as the language sees them): names,
// parameters with kinds, units and defaults, documentation, and one argument
// checker so every solver words its errors the same way.
#include <any>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ironlaw/lang/diagnostic.hpp"
#include "ironlaw/runtime/interp/registry.hpp"
#include "ironlaw/runtime/interp/typed_solver.hpp"
#include "ironlaw/runtime/interp/value.hpp"

namespace ironlaw::runtime {

enum class param_kind {
  entity,    // a registry or declared entity of `entity_kind`
  count,     // a plain number (batch, tp)
  fraction,  // a plain number in (0, 1] (efficiencies)
  quantity,  // a quantity of dimension `d`
  word,      // one of `words` (precision, op)
  value,     // any value the binding reads itself (a list of pools, a split record or word)
};

struct param_spec {
  std::string name;
  param_kind kind = param_kind::count;
  std::string entity_kind;         // entity: "model", "hardware", ...
  dim d;                           // quantity
  std::vector<std::string> words;  // word
  std::optional<value> fallback;   // the default; nullopt when required or computed
  bool required = false;
  std::string default_text;        // the default as the docs show it
  std::string doc;
};

// What a result field holds: a quantity of a dimension, a word from a list,
// a boolean or a string. The checker types field accesses from these without
// running the solver; the evaluator verifies every result against them.
// entities: a list of registry entities; records: a record of records named by
// the call (pooled_fleet's pools), read as `r.pools.NAME.FIELD`.
enum class result_kind { quantity, word, boolean, text, entities, records };

struct result_field {
  std::string name;
  result_kind kind = result_kind::quantity;
  dim d;                           // quantity
  std::vector<std::string> words;  // word
  std::string doc;
};

// A result field the builtin no longer returns (E0230 names what replaces it).
struct retired_result {
  std::string name;
  std::string message;  // why it went
  std::string help;     // what to read instead
};

class call_args;

struct builtin {
  std::string name;
  std::string family;  // the group `help` and docs/solvers.md list it under; set by the table (bind/table.cpp)
  std::string summary;
  std::vector<param_spec> params;
  std::vector<result_field> results;  // the fields of the record it returns
  std::vector<retired_result> retired;  // fields it returned once
  std::function<std::optional<value>(call_args&)> invoke;
  // The typed search path, when the solver has one (interp/typed_solver.hpp):
  // prepared from a call bound at a design's first point; null when it does
  // not handle that design (an axis it does not take, say).
  std::function<std::unique_ptr<typed_solver>(call_args&, const typed_axes&)> typed;
};

// Checks a returned record against the builtin's declared result fields; an
// empty string when they agree, else what differs (a defect in the binding).
std::string check_result(const builtin& fn, const value& result);

// The function table. The bind layer fills it once (runtime/bind/table.cpp,
// bindings::install()); until then it is empty. Later calls do nothing.
void install_builtins(const std::function<std::vector<builtin>()>& make);
const std::vector<builtin>& builtins();
const builtin* find_builtin(std::string_view name);
std::vector<std::string> builtin_names();
// Every word a builtin parameter accepts or a result holds (fp16, memory, ring, ...).
const std::vector<std::string>& builtin_words();
// A function's summary, parameters (units, defaults) and result fields, for
// `ironlaw help NAME` and the REPL's `:help NAME`.
std::string describe_builtin(const builtin& fn);

// What the calls of one design search share on one thread (call_args::memo):
// values a binding derives from the registry and a name alone (a hardware's
// scale-up fabric, say), computed at the first call. The registry does not
// change during a search, so nothing goes stale.
using call_memo = std::map<std::string, std::any, std::less<>>;

// One call's arguments, matched to the parameters, with typed accessors. An
// accessor that rejects an argument reports a diagnostic at its span and
// returns nullopt; the binding then returns nullopt too.
class call_args {
 public:
  struct slot {
    value v;
    lang::span where;
    bool given = false;
  };

  call_args(const builtin& fn, const registry& reg, lang::source_ptr source, lang::span call, lang::diagnostics& diags);

  // Matching (used by the evaluator).
  bool bind_positional(std::size_t index, value v, lang::span where);
  bool bind_named(const std::string& name, lang::span name_span, value v, lang::span where);
  bool finish();  // reports missing required parameters

  // Typed access (used by the bindings).
  record_ptr entity(std::string_view name);
  std::optional<double> count(std::string_view name, double minimum, bool whole);
  std::optional<double> fraction(std::string_view name, double fallback);
  std::optional<quantity> quantity_of(std::string_view name);
  std::optional<std::string> word(std::string_view name);
  [[nodiscard]] bool given(std::string_view name) const;
  // The argument as passed (a list, say), for bindings that accept more than one form.
  [[nodiscard]] const value& raw(std::string_view name) const { return slots_[index_of(name)].v; }
  [[nodiscard]] lang::span where(std::string_view name) const;

  // An error about one argument (or the whole call when `name` is empty).
  void error(std::string_view name, std::string message, std::string help = {});

  // Sensitivity analysis (runtime/interp/sensitivity.cpp): multiply parameter `name`
  // by `factor` whenever a binding reads it through fraction() or
  // quantity_of(), given or defaulted; `seen` (when not null) receives the
  // value before scaling. Counts (batch, tp) are never scaled.
  void scale(std::string name, double factor, double* seen = nullptr);

  // A quiet call (a design search's point, runtime/search/design_point.cpp):
  // its caller reads the record's values and whether it fits, never a note
  // or the text of a shortfall, so a binding may leave those empty (and a
  // shortfall non-empty but unworded). The rows a report shows are evaluated
  // again, not quietly. Errors are worded as always.
  void set_quiet(bool yes, call_memo* memo) {
    quiet_ = yes;
    memo_ = memo;
  }
  [[nodiscard]] bool quiet() const { return quiet_; }
  // The search's memo, or null outside a search.
  [[nodiscard]] call_memo* memo() const { return memo_; }

  [[nodiscard]] const registry& reg() const { return *reg_; }
  [[nodiscard]] const builtin& function() const { return *fn_; }
  [[nodiscard]] const lang::source_ptr& source() const { return source_; }
  [[nodiscard]] lang::span call_span() const { return call_; }
  [[nodiscard]] lang::diagnostics& diags() const { return *diags_; }

 private:
  [[nodiscard]] std::size_t index_of(std::string_view name) const;
  double scaled(std::string_view name, double x) const;
  struct scale_entry {
    std::string name;
    double factor = 1;
    double* seen = nullptr;
  };
  std::vector<scale_entry> scales_;
  const builtin* fn_;
  const registry* reg_;
  lang::source_ptr source_;
  lang::span call_;
  lang::diagnostics* diags_;
  std::vector<slot> slots_;
  bool quiet_ = false;
  call_memo* memo_ = nullptr;
};

namespace bindings {
std::vector<builtin> sensitivity_form();  // `sensitivity(...)`, a special form of the evaluator (sensitivity.cpp)
}  // namespace bindings

}  // namespace ironlaw::runtime
