#include "ironlaw/lang/print.hpp"

#include <fmt/format.h>

namespace ironlaw::lang {
namespace {

// Binding strength; higher binds tighter. Matches the grammar's layering.
int precedence(const expr& e) {
  if (std::holds_alternative<convert_expr>(e.node)) return 0;
  if (const auto* b = std::get_if<binary_expr>(&e.node)) {
    switch (b->op) {
      case binary_op::logical_or: return 1;
      case binary_op::logical_and: return 2;
      case binary_op::equal:
      case binary_op::not_equal:
      case binary_op::less:
      case binary_op::less_equal:
      case binary_op::greater:
      case binary_op::greater_equal:
      case binary_op::approx: return 4;
      case binary_op::add:
      case binary_op::subtract: return 5;
      case binary_op::multiply:
      case binary_op::divide: return 6;
      case binary_op::power: return 8;
    }
  }
  if (const auto* u = std::get_if<unary_expr>(&e.node)) return u->op == unary_op::logical_not ? 3 : 7;
  return 9;
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\' || c == '{' || c == '}') out += '\\';
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  return out + "\"";
}

std::string wrap(const expr& e, int min_precedence) {
  auto text = to_source(e);
  return precedence(e) < min_precedence ? "(" + text + ")" : text;
}

struct printer {
  std::string operator()(const number_literal& n) const { return n.unit.empty() ? n.text : n.text + " " + n.unit; }
  std::string operator()(const string_literal& s) const { return quote(s.value); }
  std::string operator()(const bool_literal& b) const { return b.value ? "true" : "false"; }
  std::string operator()(const name_ref& n) const { return n.name; }
  std::string operator()(const list_expr& l) const {
    std::string out = "[";
    for (std::size_t i = 0; i < l.items.size(); ++i) out += (i ? ", " : "") + to_source(*l.items[i]);
    return out + "]";
  }
  std::string operator()(const unary_expr& u) const {
    int p = u.op == unary_op::logical_not ? 3 : 7;
    return u.op == unary_op::logical_not ? "not " + wrap(*u.operand, p) : std::string(spelling(u.op)) + wrap(*u.operand, p);
  }
  std::string operator()(const binary_expr& b) const {
    expr probe{{}, binary_expr{b.op, nullptr, nullptr, {}}};
    int p = precedence(probe);
    // Left-associative except power (right) and comparison (not associative).
    int left = b.op == binary_op::power || p == 4 ? p + 1 : p;
    int right = b.op == binary_op::power ? 7 : p + 1;
    return fmt::format("{} {} {}", wrap(*b.lhs, left), spelling(b.op), wrap(*b.rhs, right));
  }
  std::string operator()(const convert_expr& c) const { return wrap(*c.value, 1) + " in " + c.unit; }
  std::string operator()(const call_expr& c) const {
    std::string out = wrap(*c.callee, 9) + "(";
    for (std::size_t i = 0; i < c.args.size(); ++i) {
      if (i) out += ", ";
      if (c.args[i].name) out += *c.args[i].name + " = ";
      out += to_source(*c.args[i].value);
    }
    return out + ")";
  }
  std::string operator()(const field_expr& f) const { return wrap(*f.object, 9) + "." + f.field; }
};

}  // namespace

std::string to_source(const expr& e) { return std::visit(printer{}, e.node); }

std::string to_source(const stmt& s) {
  if (const auto* l = std::get_if<let_stmt>(&s.node)) return "let " + l->name + " = " + to_source(*l->value);
  if (const auto* p = std::get_if<print_stmt>(&s.node)) {
    std::string out = "print ";
    for (std::size_t i = 0; i < p->values.size(); ++i) out += (i ? ", " : "") + to_source(*p->values[i]);
    return out;
  }
  return to_source(*std::get<expr_stmt>(s.node).value);
}

}  // namespace ironlaw::lang
