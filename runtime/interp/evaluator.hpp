#pragma once
// The expression evaluator: one walk over a syntax tree with a scope, every
// error a diagnostic at its span. Internal to runtime (the interpreter runs
// statements with it, check.cpp checks designs and assignments, the search
// falls back to it). The class only: its definitions are in evaluator.cpp
// (sensitivity() in sensitivity.cpp), the operators' meaning in operators.cpp.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ironlaw/lang/ast.hpp"
#include "ironlaw/lang/diagnostic.hpp"
#include "ironlaw/runtime/interp/axis_domain.hpp"
#include "ironlaw/runtime/interp/builtins.hpp"
#include "ironlaw/runtime/interp/evaluated.hpp"
#include "ironlaw/runtime/interp/suggest.hpp"
#include "math_functions.hpp"

namespace ironlaw::runtime::detail {

using lang::span;

class evaluator {
 public:
  using scope = std::map<std::string, value, std::less<>>;

  evaluator(const registry& reg, const scope& globals, const lang::source_ptr& source, lang::diagnostics& diags,
            const scope* locals = nullptr)
      : reg_(reg), globals_(globals), source_(source), diags_(diags), locals_(locals) {}

  std::optional<evaluated> eval(const lang::expr& e);
  // A value that must be usable as data (not an unknown bare word).
  std::optional<evaluated> eval_value(const lang::expr& e);

  // A named argument supplied from outside the call's text (a design axis).
  struct extra_arg {
    std::string name;
    value v;
    span where;
  };
  // A design axis's values (interp/axis_domain.hpp): a range of more than
  // `lazy_range_items` whole numbers kept as its parts, with the errors and
  // limits of the list eval would make; anything else as eval gives it, which
  // must be a list. nullopt after a diagnostic; an empty domain with
  // `not_list` set when the value is not a list (the caller's error).
  std::optional<axis_domain> eval_axis(const lang::expr& e, value& not_list);
  static constexpr std::size_t lazy_range_items = 4096;
  // The builtin a call names, or a diagnostic.
  const builtin* callee(const lang::call_expr& c);
  std::optional<evaluated> call(const lang::call_expr& c, span where, const std::vector<extra_arg>& extra);

  // A solver's result must be finite, and a time, cost or rate not negative.
  // Two infinities are honest: an unstable queue's waits (a record whose
  // `stable` is false) and a throughput limit with no bound. Empty when the
  // result is fine, else what is wrong, naming the field.

 private:
  const registry& reg_;
  const scope& globals_;
  const lang::source_ptr& source_;
  lang::diagnostics& diags_;
  const scope* locals_;  // names visible first (an entry's fields in a `zoo ... where`)

  // `sensitivity(EXPR, wrt = [...], step = 10 %)` (runtime/interp/sensitivity.cpp):
  // EXPR re-evaluated with each input scaled, and the parameters it scales.
  std::optional<evaluated> sensitivity(const lang::call_expr& c, span where);
  struct param_scale {
    std::string name;
    double factor = 1;
    double* seen = nullptr;
  };
  std::vector<param_scale> scales_;

  static constexpr std::size_t max_range_items = 1'000'000;
  // All the ranges one evaluation materializes together (an evaluator lives
  // for one statement): `[1 .. 1000000, 1 .. 1000000, ...]` in a 900-byte
  // file took 2.3 GB before this bound (4 million take about 170 MB).
  static constexpr std::size_t max_range_items_per_statement = 4'000'000;
  std::size_t range_items_made_ = 0;
  // A range's ends and step, checked (E0207); nullopt after the diagnostic.
  struct range_parts {
    quantity from, increment;
    double limit = 0;  // the last value allowed, with its rounding tolerance
    bool geometric = false;
  };
  std::optional<range_parts> parts_of(const lang::expr& e, const lang::range_expr& r);
  // Counts one more range value against the limits (E0208); false after the diagnostic.
  bool count_range_item(const lang::expr& e, std::size_t made_so_far);

  // Diagnostics and how they name things.
  lang::diagnostic& error(std::string code, span where, std::string message);
  [[nodiscard]] std::vector<std::string> all_names() const;
  bool check_word(const lang::expr& e, const value& v);
  std::optional<unit_value> parse_unit(std::string_view text, span where);
  void literal_too_small(const lang::expr& e, const lang::number_literal& n);
  void does_not_fit(const record& r, const field& f, span at);
  [[nodiscard]] std::string shown(const quantity& q) const;
  [[nodiscard]] std::string shown(const lang::expr& e, const quantity& q) const;
  [[nodiscard]] std::string operation(const lang::binary_expr& b, const quantity& a, const quantity& c) const;

  // One per kind of node.
  std::optional<evaluated> eval_node(const lang::expr& e, const lang::number_literal& n);
  std::optional<evaluated> eval_node(const lang::expr& e, const lang::string_literal& s);
  std::optional<evaluated> eval_node(const lang::expr& e, const lang::bool_literal& b);
  std::optional<evaluated> eval_node(const lang::expr& e, const lang::name_ref& n);
  std::optional<evaluated> eval_node(const lang::expr& e, const lang::list_expr& l);
  std::optional<evaluated> eval_node(const lang::expr& e, const lang::unary_expr& u);
  std::optional<evaluated> eval_node(const lang::expr& e, const lang::binary_expr& b);
  std::optional<evaluated> eval_node(const lang::expr& e, const lang::convert_expr& c);
  std::optional<evaluated> eval_node(const lang::expr& e, const lang::range_expr& r);
  std::optional<evaluated> eval_node(const lang::expr& e, const lang::unit_apply& u);
  std::optional<evaluated> eval_node(const lang::expr& e, const lang::record_expr& r);
  std::optional<evaluated> eval_node(const lang::expr& e, const lang::zoo_query& z);
  std::optional<evaluated> eval_node(const lang::expr& e, const lang::call_expr& c);
  std::optional<evaluated> eval_node(const lang::expr& e, const lang::field_expr& f);
  evaluated shown_as_schema(const record& r, const field& fl) const;

  // The parts of a binary expression.
  std::optional<evaluated> arithmetic(const lang::expr& e, const lang::binary_expr& b, const quantity& a,
                                      const quantity& c);
  std::optional<evaluated> logical(const lang::expr& e, const lang::binary_expr& b);
  std::optional<evaluated> compare(const lang::expr& e, const lang::binary_expr& b, const quantity& a,
                                   const quantity& c);
  std::optional<evaluated> equality(const lang::expr& e, const lang::binary_expr& b, const evaluated& lhs,
                                    const evaluated& rhs);
  // `choose([a, b, c])`: an assignment parameter's options. Outside the
  // grader (which draws one per student) it stands for its first option.
  std::optional<evaluated> choose(const lang::call_expr& c, span where);
  // `min(a, b)`, `ceil(x in GB)`, ... (math_call.cpp; their meaning in math_functions.cpp).
  std::optional<evaluated> math_call(const lang::call_expr& c, span where, const math::function_info& fn);
};

}  // namespace ironlaw::runtime::detail
