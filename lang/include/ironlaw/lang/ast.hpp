#pragma once
// The syntax tree. Every node carries the span of source it came from. The
// tree knows no physics: unit text is kept as written and resolved by runtime.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ironlaw/lang/source.hpp"

namespace ironlaw::lang {

struct expr;
using expr_ptr = std::unique_ptr<expr>;

enum class unary_op { negate, plus, logical_not };
enum class binary_op { add, subtract, multiply, divide, power, equal, not_equal, less, less_equal, greater,
                       greater_equal, logical_and, logical_or, approx };

std::string_view spelling(unary_op op);
std::string_view spelling(binary_op op);

// `4096 tokens`, `3.35 TB/s`, `1e6`: the number as written and its unit text.
struct number_literal {
  double value = 0;
  std::string text;
  std::string unit;  // empty when dimensionless
  span unit_span;
};

// A string; `{expr}` inside it interpolates. `parts` alternate text and
// expressions; `value` is the text when nothing is interpolated.
struct string_part {
  std::string text;  // used when `value` is null
  expr_ptr value;
};

struct string_literal {
  std::string value;               // escapes resolved; the whole text when `parts` is empty
  std::vector<string_part> parts;  // non-empty only when the string interpolates
};

struct bool_literal {
  bool value = false;
};

struct name_ref {
  std::string name;
};

struct list_expr {
  std::vector<expr_ptr> items;
};

struct unary_expr {
  unary_op op;
  expr_ptr operand;
  span op_span;
};

struct binary_expr {
  binary_op op;
  expr_ptr lhs;
  expr_ptr rhs;
  span op_span;
};

// `expr in GB/s`: explicit conversion to a unit.
struct convert_expr {
  expr_ptr value;
  std::string unit;
  span unit_span;
};

struct argument {
  std::optional<std::string> name;  // named argument `batch = 1`
  span name_span;
  expr_ptr value;
};

struct call_expr {
  expr_ptr callee;
  std::vector<argument> args;
};

struct field_expr {
  expr_ptr object;
  std::string field;
  span field_span;
};

// `1 .. 256 by *2` (geometric) or `0 % .. 100 % by 25 %` (linear).
struct range_expr {
  expr_ptr from;
  expr_ptr to;
  expr_ptr step;  // null: step 1
  bool geometric = false;
};

// `[8, 16, 32] GB`, `choose([2048, 4096]) tokens`: a unit applied to a
// bracketed or called value (element-wise to a list).
struct unit_apply {
  expr_ptr value;
  std::string unit;
  span unit_span;
};

struct field_init {
  std::string name;
  span name_span;
  expr_ptr value;
};

// `{ layers = 12, d_model = 768 }`
struct record_expr {
  std::vector<field_init> fields;
};

// `zoo hardware where memory >= 80 GB`: registry entries of a kind.
struct zoo_query {
  std::string kind;
  span kind_span;
  expr_ptr filter;  // null: every entry
};

struct expr {
  span where;
  std::variant<number_literal, string_literal, bool_literal, name_ref, list_expr, unary_expr, binary_expr,
               convert_expr, call_expr, field_expr, range_expr, unit_apply, record_expr, zoo_query>
      node;
  // 1 + the tallest child. The parser refuses a tree taller than
  // parse_limits::max_height, so no recursive walk of a tree overflows the stack.
  std::uint32_t height = 1;
};

// The height a node has over its direct children (1 for a leaf).
std::uint32_t height_over_children(const expr& e);

struct let_stmt {
  std::string name;
  span name_span;
  expr_ptr value;
};

struct print_stmt {
  std::vector<expr_ptr> values;
};

struct expr_stmt {
  expr_ptr value;
};

struct scenario_stmt {
  expr_ptr title;
};

struct import_stmt {
  expr_ptr path;
};

// `hardware MyASIC extends H100_SXM { ... }` or `model Tiny = transformer { ... }`.
struct decl_stmt {
  std::string kind;  // hardware, model, node, fleet, fabric, region, workload
  span kind_span;
  std::string name;
  span name_span;
  std::string base;  // the entity it extends, or the template after '='
  span base_span;
  bool from_template = false;  // `= transformer` rather than `extends X`
  std::vector<field_init> fields;
};

struct axis {
  std::string name;
  span name_span;
  expr_ptr domain;
};

// `design fleet = serving_fleet(chat) over { accelerator in [...] where ... }`
struct design_stmt {
  std::string name;
  span name_span;
  expr_ptr solver;
  std::vector<axis> axes;
  std::vector<expr_ptr> filters;  // `where` clauses
};

struct require_stmt {
  expr_ptr condition;
};

struct objective_stmt {
  bool maximize = false;
  expr_ptr value;
};

struct shown_column {
  std::string name;
  span where;
};

// `report fleet pareto top 10 show accelerator, gpus, itl`
struct report_stmt {
  std::string design;
  span design_span;
  std::string mode;  // pareto, all, feasible; empty: the default
  span mode_span;
  expr_ptr top;      // null: no limit
  std::vector<shown_column> show;
};

struct feedback_rule {
  span where;
  expr_ptr condition;
  expr_ptr message;
};

struct param_decl {
  span where;
  std::string name;
  span name_span;
  expr_ptr value;
};

struct question_decl {
  span where;
  std::string name;
  span name_span;
  expr_ptr points;  // null: 1 point
  expr_ptr text;    // null: no prompt text
  std::vector<field_init> fields;  // answer, tolerance, ...
  std::vector<feedback_rule> feedback;
};

struct assignment_stmt {
  expr_ptr title;
  std::vector<param_decl> params;
  std::vector<question_decl> questions;
};

struct answers_stmt {
  std::vector<field_init> answers;
};

// `measured decode(Llama3_8B, H100_SXM, batch = 8).itl = 6.1 ms`: what a
// prediction was measured to be; `ironlaw calibrate` fits efficiencies to it.
struct measured_stmt {
  expr_ptr predicted;
  expr_ptr measured;
};

struct stmt {
  span where;
  std::variant<let_stmt, print_stmt, expr_stmt, scenario_stmt, import_stmt, decl_stmt, design_stmt, require_stmt,
               objective_stmt, report_stmt, assignment_stmt, answers_stmt, measured_stmt>
      node;
};

struct program {
  source_ptr source;
  std::vector<stmt> statements;
};

}  // namespace ironlaw::lang
