#pragma once
// The syntax tree. Every node carries the span of source it came from. The
// tree knows no physics: unit text is kept as written and resolved by runtime.
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

struct string_literal {
  std::string value;  // escapes resolved
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

struct expr {
  span where;
  std::variant<number_literal, string_literal, bool_literal, name_ref, list_expr, unary_expr, binary_expr,
               convert_expr, call_expr, field_expr>
      node;
};

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

struct stmt {
  span where;
  std::variant<let_stmt, print_stmt, expr_stmt> node;
};

struct program {
  source_ptr source;
  std::vector<stmt> statements;
};

}  // namespace ironlaw::lang
