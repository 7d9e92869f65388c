#include "ironlaw/lang/parse.hpp"

#include <charconv>
#include <string>

#include "grammar.hpp"

namespace ironlaw::lang {
namespace {

namespace p = tao::pegtl;
namespace g = grammar;

// ---- the tree builder ----------------------------------------------------------

struct builder {
  const char* base = nullptr;  // start of the whole source text
  std::size_t max_depth = 256;
  std::vector<expr_ptr> values;
  std::vector<std::pair<binary_op, span>> operators;
  std::vector<std::pair<unary_op, span>> prefixes;
  std::vector<std::size_t> list_marks;
  std::vector<std::vector<argument>> call_args;
  std::vector<std::pair<std::string, span>> names;
  std::vector<stmt> statements;
  std::size_t depth = 0;

  template <typename Input>
  span span_of(const Input& in) const {
    return {static_cast<std::uint32_t>(in.begin() - base), static_cast<std::uint32_t>(in.end() - base)};
  }
  expr_ptr pop() {
    auto e = std::move(values.back());
    values.pop_back();
    return e;
  }
  template <typename Node>
  void push(span where, Node node) {
    values.push_back(std::make_unique<expr>(expr{where, std::move(node)}));
  }
};

// Depth guard for recursive rules: a clear error instead of a stack overflow.
struct depth_error : std::runtime_error {
  std::uint32_t offset;
  depth_error(std::uint32_t at) : std::runtime_error("too deeply nested"), offset(at) {}
};

template <typename Rule>
struct action : p::nothing<Rule> {};

struct depth_limited : p::maybe_nothing {
  template <typename Rule, p::apply_mode A, p::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename Input>
  static bool match(Input& in, builder& b) {
    if (++b.depth > b.max_depth) throw depth_error(static_cast<std::uint32_t>(in.current() - b.base));
    struct guard {
      std::size_t& d;
      ~guard() { --d; }
    } release{b.depth};
    return p::match<Rule, A, M, Action, Control>(in, b);
  }
};
template <> struct action<g::primary> : depth_limited {};
template <typename S> struct action<g::unary<S>> : depth_limited {};
template <typename S> struct action<g::negation<S>> : depth_limited {};

double to_double(std::string_view text) {
  std::string clean;
  for (char c : text)
    if (c != '_') clean += c;
  double v = 0;
  std::from_chars(clean.data(), clean.data() + clean.size(), v);
  return v;
}

template <>
struct action<g::number_text> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    b.push(b.span_of(in), number_literal{to_double(in.string_view()), in.string(), {}, {}});
  }
};
template <>
struct action<g::number_unit> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto& e = *b.values.back();
    auto& n = std::get<number_literal>(e.node);
    n.unit = in.string();
    n.unit_span = b.span_of(in);
    e.where.end = n.unit_span.end;
  }
};

template <>
struct action<g::string_literal> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto raw = in.string_view();
    raw = raw.substr(1, raw.size() - 2);
    std::string value;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size()) {
        char c = raw[++i];
        value += c == 'n' ? '\n' : c == 't' ? '\t' : c;
      } else {
        value += raw[i];
      }
    }
    b.push(b.span_of(in), string_literal{std::move(value)});
  }
};
template <>
struct action<g::bool_true> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.push(b.span_of(in), bool_literal{true}); }
};
template <>
struct action<g::bool_false> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.push(b.span_of(in), bool_literal{false}); }
};
template <>
struct action<g::name_primary> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.push(b.span_of(in), name_ref{in.string()}); }
};

template <>
struct action<g::list_open> {
  template <typename Input>
  static void apply(const Input&, builder& b) { b.list_marks.push_back(b.values.size()); }
};
template <>
struct action<g::list_literal> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    std::size_t mark = b.list_marks.back();
    b.list_marks.pop_back();
    list_expr list;
    for (std::size_t i = mark; i < b.values.size(); ++i) list.items.push_back(std::move(b.values[i]));
    b.values.resize(mark);
    b.push(b.span_of(in), std::move(list));
  }
};

template <>
struct action<g::paren_expr> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.values.back()->where = b.span_of(in); }
};

// Calls: the callee is on the value stack when '(' is seen.
template <>
struct action<g::call_open> {
  template <typename Input>
  static void apply(const Input&, builder& b) { b.call_args.emplace_back(); }
};
template <>
struct action<g::arg_name> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto text = in.string_view();
    auto end = text.find_first_of(" \t\r\n#=");
    span s = b.span_of(in);
    s.end = s.begin + static_cast<std::uint32_t>(end);
    b.names.emplace_back(std::string(text.substr(0, end)), s);
  }
};
template <>
struct action<g::named_arg> {
  template <typename Input>
  static void apply(const Input&, builder& b) {
    auto [name, where] = std::move(b.names.back());
    b.names.pop_back();
    b.call_args.back().push_back(argument{std::move(name), where, b.pop()});
  }
};
template <>
struct action<g::positional_arg> {
  template <typename Input>
  static void apply(const Input&, builder& b) { b.call_args.back().push_back(argument{std::nullopt, {}, b.pop()}); }
};
template <>
struct action<g::call_suffix> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto callee = b.pop();
    span where{callee->where.begin, b.span_of(in).end};
    call_expr call{std::move(callee), std::move(b.call_args.back())};
    b.call_args.pop_back();
    b.push(where, std::move(call));
  }
};
template <>
struct action<g::field_name> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto object = b.pop();
    span name = b.span_of(in);
    span where{object->where.begin, name.end};
    b.push(where, field_expr{std::move(object), in.string(), name});
  }
};

// Operators: the operator's action records it; the tail's action combines.
template <binary_op Op>
struct record_binary {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.operators.emplace_back(Op, b.span_of(in)); }
};
template <> struct action<g::op_multiply> : record_binary<binary_op::multiply> {};
template <> struct action<g::op_divide> : record_binary<binary_op::divide> {};
template <> struct action<g::op_add> : record_binary<binary_op::add> {};
template <> struct action<g::op_subtract> : record_binary<binary_op::subtract> {};
template <> struct action<g::op_equal> : record_binary<binary_op::equal> {};
template <> struct action<g::op_not_equal> : record_binary<binary_op::not_equal> {};
template <> struct action<g::op_less> : record_binary<binary_op::less> {};
template <> struct action<g::op_less_equal> : record_binary<binary_op::less_equal> {};
template <> struct action<g::op_greater> : record_binary<binary_op::greater> {};
template <> struct action<g::op_greater_equal> : record_binary<binary_op::greater_equal> {};
template <> struct action<g::op_approx> : record_binary<binary_op::approx> {};
template <> struct action<g::op_and> : record_binary<binary_op::logical_and> {};
template <> struct action<g::op_or> : record_binary<binary_op::logical_or> {};

struct combine_binary {
  template <typename Input>
  static void apply(const Input&, builder& b) {
    auto rhs = b.pop();
    auto lhs = b.pop();
    auto [op, op_span] = b.operators.back();
    b.operators.pop_back();
    span where = join(lhs->where, rhs->where);
    b.push(where, binary_expr{op, std::move(lhs), std::move(rhs), op_span});
  }
};
template <typename S> struct action<g::multiplicative_tail<S>> : combine_binary {};
template <typename S> struct action<g::additive_tail<S>> : combine_binary {};
template <typename S> struct action<g::comparison_tail<S>> : combine_binary {};
template <typename S> struct action<g::conjunction_tail<S>> : combine_binary {};
template <typename S> struct action<g::disjunction_tail<S>> : combine_binary {};

template <typename S>
struct action<g::power_tail<S>> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto rhs = b.pop();
    auto lhs = b.pop();
    span where = join(lhs->where, rhs->where);
    span op = b.span_of(in);
    op.end = op.begin + static_cast<std::uint32_t>(in.string_view().find('^') + 1);
    op.begin = op.end - 1;
    b.push(where, binary_expr{binary_op::power, std::move(lhs), std::move(rhs), op});
  }
};

template <unary_op Op>
struct record_unary {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.prefixes.emplace_back(Op, b.span_of(in)); }
};
template <> struct action<g::op_negate> : record_unary<unary_op::negate> {};
template <> struct action<g::op_plus> : record_unary<unary_op::plus> {};
template <> struct action<g::op_not> : record_unary<unary_op::logical_not> {};

struct combine_unary {
  template <typename Input>
  static void apply(const Input&, builder& b) {
    auto operand = b.pop();
    auto [op, op_span] = b.prefixes.back();
    b.prefixes.pop_back();
    span where = join(op_span, operand->where);
    b.push(where, unary_expr{op, std::move(operand), op_span});
  }
};
template <typename S> struct action<g::signed_operand<S>> : combine_unary {};
template <typename S> struct action<g::negated_operand<S>> : combine_unary {};

template <>
struct action<g::target_unit> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto value = b.pop();
    span unit = b.span_of(in);
    span where{value->where.begin, unit.end};
    b.push(where, convert_expr{std::move(value), in.string(), unit});
  }
};

// Statements.
template <>
struct action<g::let_name> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.names.emplace_back(in.string(), b.span_of(in)); }
};
template <>
struct action<g::let_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto [name, where] = std::move(b.names.back());
    b.names.pop_back();
    b.statements.push_back(stmt{b.span_of(in), let_stmt{std::move(name), where, b.pop()}});
  }
};
template <>
struct action<g::print_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    print_stmt print;
    print.values = std::move(b.values);
    b.values.clear();
    b.statements.push_back(stmt{b.span_of(in), std::move(print)});
  }
};
template <>
struct action<g::expr_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.statements.push_back(stmt{b.span_of(in), expr_stmt{b.pop()}}); }
};

// ---- error messages ----------------------------------------------------------------

template <typename Rule> inline constexpr const char* message = nullptr;
template <> inline constexpr const char* message<g::exponent_digits> = "expected digits after the exponent 'e'";
template <> inline constexpr const char* message<g::escaped_char> = "unknown escape sequence; use \\\" \\\\ \\n \\t \\{ or \\}";
template <> inline constexpr const char* message<g::string_close> = "unterminated string: a string must end with '\"' on the same line";
template <> inline constexpr const char* message<g::inner_expression> = "expected an expression";
template <> inline constexpr const char* message<g::paren_close> = "expected ')' to close '('";
template <> inline constexpr const char* message<g::list_close> = "expected ',' or ']' in the list";
template <> inline constexpr const char* message<g::named_value> = "expected a value after '='";
template <> inline constexpr const char* message<g::call_close> = "expected ',' or ')' after the argument";
template <> inline constexpr const char* message<g::field_name> = "expected a field name after '.'";
template <typename S> inline constexpr const char* message<g::power_operand<S>> = "expected an exponent after '^'";
template <typename S> inline constexpr const char* message<g::unary<S>> = "expected an operand after the sign";
template <typename S> inline constexpr const char* message<g::multiplicative_operand<S>> = "expected an operand after the operator";
template <typename S> inline constexpr const char* message<g::additive_operand<S>> = "expected an operand after the operator";
template <typename S> inline constexpr const char* message<g::comparison_operand<S>> = "expected an operand after the comparison";
template <typename S> inline constexpr const char* message<g::negation<S>> = "expected an expression after 'not'";
template <typename S> inline constexpr const char* message<g::conjunction_operand<S>> = "expected an expression after 'and'";
template <typename S> inline constexpr const char* message<g::disjunction_operand<S>> = "expected an expression after 'or'";
template <> inline constexpr const char* message<g::target_unit> = "expected a unit after 'in', as in `x in GB/s`";
template <> inline constexpr const char* message<g::let_name> = "expected a name after 'let'";
template <> inline constexpr const char* message<g::let_equals> = "expected '=' after the name";
template <> inline constexpr const char* message<g::line_expression> = "expected an expression";
template <> inline constexpr const char* message<g::print_value> = "expected an expression to print";
template <> inline constexpr const char* message<g::statement_end> = "expected the end of the statement (a newline or ';'); is an operator or ',' missing?";
template <> inline constexpr const char* message<g::statement> = "expected a statement";
template <> inline constexpr const char* message<g::whole_expression_end> = "unexpected text after the expression; is an operator missing?";

struct errors {
  template <typename Rule>
  static constexpr const char* message = lang::message<Rule>;
  // Raise only under `must`: a rule tried as one alternative may fail quietly.
  template <typename Rule>
  static constexpr bool raise_on_failure = false;
};

template <typename Rule>
using control = p::must_if<errors, p::normal, false>::control<Rule>;

// ---- driver -----------------------------------------------------------------------

diagnostic syntax_error(const source_ptr& source, std::uint32_t at, std::string text) {
  diagnostic d;
  d.code = "E0001";
  d.source = source;
  bool at_end = at >= source->text().size();
  d.primary = {at, at_end ? at : at + 1};
  // PEGTL's fallback message names an internal rule: never show it.
  if (text.find("parse error matching") != std::string::npos || text.empty()) text = "syntax error";
  d.message = std::move(text);
  if (at_end) d.primary_label = "the input ends here";
  return d;
}

template <typename Rule>
parse_status run(const source_ptr& source, std::uint32_t offset, builder& b, diagnostics& diags,
                 std::uint32_t& consumed) {
  const auto& text = source->text();
  p::memory_input in(text.data() + offset, text.data() + text.size(), source->name());
  try {
    bool matched = p::parse<Rule, action, control>(in, b);
    consumed = static_cast<std::uint32_t>(in.current() - text.data());
    if (!matched) {
      diags.add(syntax_error(source, consumed, "syntax error"));
      return {false, false};
    }
    return {};
  } catch (const p::parse_error& e) {
    auto at = offset + static_cast<std::uint32_t>(e.positions().empty() ? 0 : e.positions().front().byte);
    std::string what = std::string(e.message());
    diags.add(syntax_error(source, at, what));
    consumed = at;
    return {false, at >= text.size()};
  } catch (const depth_error& e) {
    auto d = syntax_error(source, e.offset, "expression nested too deeply");
    d.code = "E0002";
    d.help = "split it into `let` steps";
    diags.add(std::move(d));
    consumed = e.offset;
    return {false, false};
  }
}

bool too_large(const source_ptr& source, diagnostics& diags, const parse_limits& limits) {
  if (source->text().size() <= limits.max_bytes) return false;
  diagnostic d;
  d.code = "E0003";
  d.source = source;
  d.message = "input too large: " + std::to_string(source->text().size()) + " bytes (the limit is " +
              std::to_string(limits.max_bytes) + ")";
  diags.add(std::move(d));
  return true;
}

}  // namespace

parse_status parse_program(const source_ptr& source, program& out, diagnostics& diags, const parse_limits& limits) {
  out.source = source;
  if (too_large(source, diags, limits)) return {false, false};
  const auto& text = source->text();
  parse_status status;
  std::uint32_t offset = 0;
  while (offset < text.size()) {
    builder b;
    b.base = text.data();
    b.max_depth = limits.max_depth;
    std::uint32_t consumed = offset;
    auto s = run<g::next_statement>(source, offset, b, diags, consumed);
    for (auto& st : b.statements) out.statements.push_back(std::move(st));
    if (!s.ok) {
      status.ok = false;
      status.incomplete = status.incomplete || s.incomplete;
      // Recover at the next line.
      auto nl = text.find('\n', consumed);
      if (nl == std::string::npos) break;
      consumed = static_cast<std::uint32_t>(nl + 1);
    }
    if (consumed <= offset && s.ok) break;  // nothing left but whitespace
    offset = consumed;
  }
  return status;
}

parse_status parse_expression(const source_ptr& source, expr_ptr& out, diagnostics& diags,
                              const parse_limits& limits) {
  if (too_large(source, diags, limits)) return {false, false};
  builder b;
  b.base = source->text().data();
  b.max_depth = limits.max_depth;
  std::uint32_t consumed = 0;
  auto s = run<g::whole_expression>(source, 0, b, diags, consumed);
  if (s.ok) out = b.pop();
  return s;
}

std::string_view spelling(unary_op op) {
  switch (op) {
    case unary_op::negate: return "-";
    case unary_op::plus: return "+";
    case unary_op::logical_not: return "not";
  }
  return "?";
}

std::string_view spelling(binary_op op) {
  switch (op) {
    case binary_op::add: return "+";
    case binary_op::subtract: return "-";
    case binary_op::multiply: return "*";
    case binary_op::divide: return "/";
    case binary_op::power: return "^";
    case binary_op::equal: return "==";
    case binary_op::not_equal: return "!=";
    case binary_op::less: return "<";
    case binary_op::less_equal: return "<=";
    case binary_op::greater: return ">";
    case binary_op::greater_equal: return ">=";
    case binary_op::logical_and: return "and";
    case binary_op::logical_or: return "or";
    case binary_op::approx: return "~";
  }
  return "?";
}

}  // namespace ironlaw::lang
