#include "ironlaw/lang/parse.hpp"
#include "ironlaw/lang/text_formats.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "grammar.hpp"

namespace ironlaw::lang {
namespace {

namespace p = tao::pegtl;
namespace g = grammar;

// ---- the tree builder ----------------------------------------------------------
// Actions fire only on rules that cannot be backtracked over once they match
// (they sit under `must`, or are the last element of a matched alternative),
// so the stacks below never hold orphans.

struct block_frame {
  std::vector<field_init> fields;
  std::vector<axis> axes;
  std::vector<expr_ptr> filters;
  std::vector<feedback_rule> feedback;
  std::vector<param_decl> params;
  std::vector<question_decl> questions;
};

struct range_info {
  bool has_step = false;
  bool geometric = false;
};

struct question_header {
  std::string name;
  span name_span;
  bool has_points = false;
  bool has_text = false;
};

// A tree taller than the limit: thrown from the builder, reported as E0002.
struct height_error : std::runtime_error {
  std::uint32_t offset;
  std::size_t limit;
  height_error(std::uint32_t at, std::size_t max) : std::runtime_error("expression too deep"), offset(at), limit(max) {}
};

struct builder {
  const char* base = nullptr;  // start of the whole source text
  std::size_t max_depth = 256;
  std::size_t max_height = 1000;
  std::vector<expr_ptr> values;
  std::vector<std::pair<binary_op, span>> operators;
  std::vector<std::pair<unary_op, span>> prefixes;
  std::vector<std::size_t> list_marks;
  std::vector<std::vector<argument>> call_args;
  std::vector<std::pair<std::string, span>> names;
  std::vector<std::vector<string_part>> strings;
  std::vector<block_frame> blocks;
  std::vector<range_info> ranges;
  std::vector<question_header> questions;
  std::vector<bool> zoo_filters;
  std::vector<shown_column> shown;
  std::string report_mode;
  span report_mode_span;
  bool report_has_top = false;
  decl_stmt decl;  // the header of the declaration being parsed
  std::vector<stmt> statements;
  std::vector<std::uint32_t> open_brackets;  // offsets of '(' and '[' not yet closed
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
  std::pair<std::string, span> pop_name() {
    auto n = std::move(names.back());
    names.pop_back();
    return n;
  }
  block_frame pop_block() {
    auto f = std::move(blocks.back());
    blocks.pop_back();
    return f;
  }
  template <typename Node>
  void push(span where, Node node) {
    auto e = std::make_unique<expr>(expr{where, std::move(node)});
    e->height = height_over_children(*e);
    if (e->height > max_height) throw height_error(where.begin, max_height);
    values.push_back(std::move(e));
  }
  template <typename Node>
  void statement(span where, Node node) {
    statements.push_back(stmt{where, std::move(node)});
  }
};

// The identifier an item's text starts with, and its span.
template <typename Input>
std::pair<std::string, span> leading_name(const Input& in, const builder& b) {
  auto text = in.string_view();
  std::size_t n = 0;
  while (n < text.size() && (std::isalnum(static_cast<unsigned char>(text[n])) || text[n] == '_')) ++n;
  span s = b.span_of(in);
  s.end = s.begin + static_cast<std::uint32_t>(n);
  return {std::string(text.substr(0, n)), s};
}

// Depth guard for recursive rules: a clear error instead of a stack overflow.
struct depth_error : std::runtime_error {
  std::uint32_t offset;
  explicit depth_error(std::uint32_t at) : std::runtime_error("too deeply nested"), offset(at) {}
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
// `2 ^ 2 ^ ...` recurses through the right operand (a rule of its own type, so
// action<unary> does not see it); without this, 100,000 terms overflow the stack.
template <typename S> struct action<g::power_operand<S>> : depth_limited {};

double to_double(std::string_view text) {
  std::string clean;
  for (char c : text)
    if (c != '_') clean += c;
#if defined(__cpp_lib_to_chars)
  double v = 0;
  auto [end, err] = std::from_chars(clean.data(), clean.data() + clean.size(), v);
  (void)end;
  if (err != std::errc::result_out_of_range) return v;
#else
  // libc++ 13 (emscripten's, for the browser build) has no from_chars for
  // double; strtod in the "C" locale the browser runs in reads the same digits.
  errno = 0;
  double v = std::strtod(clean.c_str(), nullptr);
  if (errno != ERANGE || (v != 0 && std::isfinite(v))) return v;
#endif
  // Out of range either way: too large (infinity, which the evaluator reports
  // as E0103) or too small (0, which it reports as E0214 since the digits are
  // not all zero). The decimal magnitude decides: the position of the first
  // non-zero digit plus the exponent, saturated.
  long long magnitude = 0;
  std::size_t i = 0;
  std::size_t whole = 0;  // digits before the point, leading zeros skipped
  while (i < clean.size() && clean[i] == '0') ++i;
  while (i < clean.size() && clean[i] >= '0' && clean[i] <= '9') ++i, ++whole;
  if (whole > 0) {
    magnitude = static_cast<long long>(whole) - 1;
  } else {
    if (i < clean.size() && clean[i] == '.') ++i;
    long long zeros = 0;
    while (i < clean.size() && clean[i] == '0') ++i, ++zeros;
    magnitude = -zeros - 1;
  }
  if (auto e = clean.find_first_of("eE"); e != std::string::npos) {
    bool negative = e + 1 < clean.size() && clean[e + 1] == '-';
    long long exponent = 0;
    for (std::size_t j = e + 1; j < clean.size(); ++j)
      if (clean[j] >= '0' && clean[j] <= '9' && exponent < 1'000'000'000) exponent = exponent * 10 + (clean[j] - '0');
    magnitude += negative ? -exponent : exponent;
  }
  return magnitude < 0 ? 0.0 : std::numeric_limits<double>::infinity();
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

// Strings: text pieces and `{expr}` interpolations gather in a frame.
template <>
struct action<g::string_open> {
  template <typename Input>
  static void apply(const Input&, builder& b) { b.strings.emplace_back(); }
};
template <>
struct action<g::string_text> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto raw = in.string_view();
    std::string text;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size()) {
        char c = raw[++i];
        text += c == 'n' ? '\n' : c == 't' ? '\t' : c;
      } else {
        text += raw[i];
      }
    }
    b.strings.back().push_back(string_part{std::move(text), nullptr});
  }
};
template <>
struct action<g::interpolation> {
  template <typename Input>
  static void apply(const Input&, builder& b) { b.strings.back().push_back(string_part{{}, b.pop()}); }
};
template <>
struct action<g::string_literal> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto parts = std::move(b.strings.back());
    b.strings.pop_back();
    string_literal s;
    bool interpolates = false;
    for (const auto& part : parts) interpolates = interpolates || part.value != nullptr;
    if (interpolates) s.parts = std::move(parts);
    else
      for (const auto& part : parts) s.value += part.text;
    b.push(b.span_of(in), std::move(s));
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
  static void apply(const Input& in, builder& b) {
    b.list_marks.push_back(b.values.size());
    b.open_brackets.push_back(b.span_of(in).begin);
  }
};
template <>
struct action<g::paren_open> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.open_brackets.push_back(b.span_of(in).begin); }
};
struct close_bracket {
  template <typename Input>
  static void apply(const Input&, builder& b) { b.open_brackets.pop_back(); }
};
template <> struct action<g::list_close> : close_bracket {};
template <> struct action<g::paren_close> : close_bracket {};
template <> struct action<g::call_close> : close_bracket {};
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

// Blocks (records, declarations, designs, assignments, questions).
struct open_block {
  template <typename Input>
  static void apply(const Input&, builder& b) { b.blocks.emplace_back(); }
};
template <> struct action<g::record_open> : open_block {};
template <> struct action<g::block_open> : open_block {};

template <>
struct action<g::field_init> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto [name, where] = leading_name(in, b);
    b.blocks.back().fields.push_back(field_init{std::move(name), where, b.pop()});
  }
};
template <>
struct action<g::record_literal> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.push(b.span_of(in), record_expr{b.pop_block().fields}); }
};

template <>
struct action<g::zoo_kind> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    b.names.emplace_back(in.string(), b.span_of(in));
    b.zoo_filters.push_back(false);
  }
};
template <>
struct action<g::zoo_filter> {
  template <typename Input>
  static void apply(const Input&, builder& b) { b.zoo_filters.back() = true; }
};
template <>
struct action<g::zoo_query> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    bool filtered = b.zoo_filters.back();
    b.zoo_filters.pop_back();
    expr_ptr filter = filtered ? b.pop() : nullptr;
    auto [kind, kind_span] = b.pop_name();
    b.push(b.span_of(in), zoo_query{std::move(kind), kind_span, std::move(filter)});
  }
};

// Calls: the callee is on the value stack when '(' is seen.
template <>
struct action<g::call_open> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    b.call_args.emplace_back();
    b.open_brackets.push_back(b.span_of(in).begin);
  }
};
template <>
struct action<g::arg_name> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.names.push_back(leading_name(in, b)); }
};
template <>
struct action<g::named_arg> {
  template <typename Input>
  static void apply(const Input&, builder& b) {
    auto [name, where] = b.pop_name();
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
template <>
struct action<g::applied_unit> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto value = b.pop();
    span unit = b.span_of(in);
    span where{value->where.begin, unit.end};
    b.push(where, unit_apply{std::move(value), in.string(), unit});
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

// Ranges.
template <>
struct action<g::range_dots> {
  template <typename Input>
  static void apply(const Input&, builder& b) { b.ranges.emplace_back(); }
};
template <>
struct action<g::geometric_step> {
  template <typename Input>
  static void apply(const Input&, builder& b) { b.ranges.back().geometric = true; }
};
template <typename S>
struct action<g::range_by<S>> {
  template <typename Input>
  static void apply(const Input&, builder& b) { b.ranges.back().has_step = true; }
};
template <typename S>
struct action<g::range_tail<S>> {
  template <typename Input>
  static void apply(const Input&, builder& b) {
    auto info = b.ranges.back();
    b.ranges.pop_back();
    expr_ptr step = info.has_step ? b.pop() : nullptr;
    auto to = b.pop();
    auto from = b.pop();
    span where = join(from->where, step ? step->where : to->where);
    b.push(where, range_expr{std::move(from), std::move(to), std::move(step), info.geometric});
  }
};

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

// ---- statements ----
struct push_name {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.names.emplace_back(in.string(), b.span_of(in)); }
};
template <> struct action<g::let_name> : push_name {};
template <> struct action<g::design_name> : push_name {};
template <> struct action<g::param_name> : push_name {};
template <> struct action<g::report_design> : push_name {};

template <>
struct action<g::let_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto [name, where] = b.pop_name();
    b.statement(b.span_of(in), let_stmt{std::move(name), where, b.pop()});
  }
};
template <>
struct action<g::print_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    print_stmt print;
    print.values = std::move(b.values);
    b.values.clear();
    b.statement(b.span_of(in), std::move(print));
  }
};
template <>
struct action<g::expr_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.statement(b.span_of(in), expr_stmt{b.pop()}); }
};
template <>
struct action<g::scenario_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.statement(b.span_of(in), scenario_stmt{b.pop()}); }
};
template <>
struct action<g::import_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.statement(b.span_of(in), import_stmt{b.pop()}); }
};

// Declarations: the header is read from its own text once it has matched
// (its base or template was recorded already: inner actions fire first).
template <>
struct action<g::decl_header> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto text = in.string_view();
    span whole = b.span_of(in);
    auto word_at = [&](std::size_t from, std::string& out, span& where) {
      while (from < text.size() && (text[from] == ' ' || text[from] == '\t')) ++from;
      std::size_t end = from;
      while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
      out = std::string(text.substr(from, end - from));
      where = {whole.begin + static_cast<std::uint32_t>(from), whole.begin + static_cast<std::uint32_t>(end)};
      return end;
    };
    auto after_kind = word_at(0, b.decl.kind, b.decl.kind_span);
    word_at(after_kind, b.decl.name, b.decl.name_span);
  }
};
template <>
struct action<g::decl_base> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    b.decl.base = in.string();
    b.decl.base_span = b.span_of(in);
  }
};
template <>
struct action<g::decl_template> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    b.decl.base = in.string();
    b.decl.base_span = b.span_of(in);
    b.decl.from_template = true;
  }
};
template <>
struct action<g::decl_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    b.decl.fields = b.pop_block().fields;
    b.statement(b.span_of(in), std::move(b.decl));
    b.decl = decl_stmt{};
  }
};

// Designs.
template <>
struct action<g::axis_item> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto [name, where] = leading_name(in, b);
    b.blocks.back().axes.push_back(axis{std::move(name), where, b.pop()});
  }
};
template <>
struct action<g::where_item> {
  template <typename Input>
  static void apply(const Input&, builder& b) { b.blocks.back().filters.push_back(b.pop()); }
};
template <>
struct action<g::design_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto block = b.pop_block();
    auto solver = b.pop();
    auto [name, where] = b.pop_name();
    b.statement(b.span_of(in), design_stmt{std::move(name), where, std::move(solver), std::move(block.axes),
                                           std::move(block.filters)});
  }
};
template <>
struct action<g::require_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.statement(b.span_of(in), require_stmt{b.pop()}); }
};
template <>
struct action<g::objective_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    bool maximize = in.string_view().substr(0, 8) == "maximize";
    b.statement(b.span_of(in), objective_stmt{maximize, b.pop()});
  }
};

template <>
struct action<g::measured_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto measured = b.pop();
    b.statement(b.span_of(in), measured_stmt{b.pop(), std::move(measured)});
  }
};

// Reports.
template <>
struct action<g::report_mode> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    b.report_mode = in.string();
    b.report_mode_span = b.span_of(in);
  }
};
template <>
struct action<g::report_top> {
  template <typename Input>
  static void apply(const Input&, builder& b) { b.report_has_top = true; }
};
template <>
struct action<g::shown_name> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.shown.push_back(shown_column{in.string(), b.span_of(in)}); }
};
template <>
struct action<g::report_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    report_stmt r;
    r.top = b.report_has_top ? b.pop() : nullptr;
    auto [design, where] = b.pop_name();
    r.design = std::move(design);
    r.design_span = where;
    r.mode = std::move(b.report_mode);
    r.mode_span = b.report_mode_span;
    r.show = std::move(b.shown);
    b.shown.clear();
    b.report_mode.clear();
    b.report_has_top = false;
    b.statement(b.span_of(in), std::move(r));
  }
};

// Assignments.
template <>
struct action<g::param_item> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto [name, where] = b.pop_name();
    b.blocks.back().params.push_back(param_decl{b.span_of(in), std::move(name), where, b.pop()});
  }
};
template <>
struct action<g::question_name> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.questions.push_back({in.string(), b.span_of(in)}); }
};
template <>
struct action<g::question_points> {
  template <typename Input>
  static void apply(const Input&, builder& b) { b.questions.back().has_points = true; }
};
template <>
struct action<g::question_text> {
  template <typename Input>
  static void apply(const Input&, builder& b) { b.questions.back().has_text = true; }
};
template <>
struct action<g::feedback_rule> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto message = b.pop();
    auto condition = b.pop();
    b.blocks.back().feedback.push_back(feedback_rule{b.span_of(in), std::move(condition), std::move(message)});
  }
};
template <>
struct action<g::question_item> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto block = b.pop_block();
    auto header = std::move(b.questions.back());
    b.questions.pop_back();
    question_decl q;
    q.where = b.span_of(in);
    q.name = std::move(header.name);
    q.name_span = header.name_span;
    q.text = header.has_text ? b.pop() : nullptr;
    q.points = header.has_points ? b.pop() : nullptr;
    q.fields = std::move(block.fields);
    q.feedback = std::move(block.feedback);
    b.blocks.back().questions.push_back(std::move(q));
  }
};
template <>
struct action<g::assignment_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) {
    auto block = b.pop_block();
    b.statement(b.span_of(in), assignment_stmt{b.pop(), std::move(block.params), std::move(block.questions)});
  }
};
template <>
struct action<g::answers_stmt> {
  template <typename Input>
  static void apply(const Input& in, builder& b) { b.statement(b.span_of(in), answers_stmt{b.pop_block().fields}); }
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
template <> inline constexpr const char* message<g::interpolation_close> = "expected '}' to close the interpolation (write \\{ for a literal brace)";
template <> inline constexpr const char* message<g::record_close> = "expected ',' or '}' in the record, or a field `name = value`";
template <> inline constexpr const char* message<g::block_close> = "expected a field `name = value`, a new line, or '}' to close the block";
template <> inline constexpr const char* message<g::field_value> = "expected a value after '='";
template <> inline constexpr const char* message<g::zoo_kind> = "expected what to list after 'zoo': hardware, models, nodes, fabrics or regions";
template <> inline constexpr const char* message<g::zoo_filter> = "expected a condition after 'where'";
template <typename S> inline constexpr const char* message<g::range_end<S>> = "expected the end of the range after '..'";
template <typename S> inline constexpr const char* message<g::range_step<S>> = "expected a step after 'by', as in `by 2` or `by *2`";
template <> inline constexpr const char* message<g::title_string> = "expected a title in double quotes";
template <> inline constexpr const char* message<g::import_path> = "expected a file name in double quotes, as in import \"common.iron\"";
template <> inline constexpr const char* message<g::decl_base> = "expected the name of the entity to extend";
template <> inline constexpr const char* message<g::decl_template> = "expected a template name after '=', such as transformer or serving";
template <> inline constexpr const char* message<g::design_name> = "expected the design's name after 'design'";
template <> inline constexpr const char* message<g::design_equals> = "expected '=' after the design's name";
template <> inline constexpr const char* message<g::design_solver> = "expected a solver call, as in serving_fleet(chat)";
template <> inline constexpr const char* message<g::design_over> = "expected 'over' and the design space in braces";
template <> inline constexpr const char* message<g::design_block> = "expected '{' to open the design space";
template <> inline constexpr const char* message<g::axis_domain> = "expected the axis's values after 'in', as in [1, 2, 4] or 1 .. 8 by *2";
template <> inline constexpr const char* message<g::where_condition> = "expected a condition after 'where'";
template <> inline constexpr const char* message<g::require_condition> = "expected a condition after 'require', as in fleet.itl <= 50 ms";
template <> inline constexpr const char* message<g::measured_expression> = "expected what was measured after 'measured', as in decode(Llama3_8B, H100_SXM).itl";
template <> inline constexpr const char* message<g::measured_equals> = "expected '=' and the measured value, as in measured decode(Llama3_8B, H100_SXM).itl = 6.1 ms";
template <> inline constexpr const char* message<g::measured_value> = "expected the measured value with its unit after '=', as in 6.1 ms";
template <> inline constexpr const char* message<g::objective_value> = "expected what to minimize or maximize";
template <> inline constexpr const char* message<g::report_design> = "expected the design to report after 'report'";
template <> inline constexpr const char* message<g::report_top_value> = "expected a number after 'top'";
template <> inline constexpr const char* message<g::shown_name> = "expected a field name to show";
template <> inline constexpr const char* message<g::param_name> = "expected the parameter's name after 'param'";
template <> inline constexpr const char* message<g::param_equals> = "expected '=' after the parameter's name";
template <> inline constexpr const char* message<g::param_value> = "expected the parameter's value";
template <> inline constexpr const char* message<g::question_name> = "expected the question's name after 'question'";
template <> inline constexpr const char* message<g::question_points> = "expected a number after 'points'";
template <> inline constexpr const char* message<g::question_block> = "expected '{' to open the question";
template <> inline constexpr const char* message<g::feedback_condition> = "expected a condition after 'when'";
template <> inline constexpr const char* message<g::kw_when> = "expected 'when' after 'feedback', as in feedback when submitted ~ answer * 8 : \"...\"";
template <> inline constexpr const char* message<g::feedback_colon> = "expected ':' and the feedback message after the condition";
template <> inline constexpr const char* message<g::feedback_message> = "expected the feedback message in double quotes";
template <> inline constexpr const char* message<g::assignment_block> = "expected '{' to open the assignment";
template <> inline constexpr const char* message<g::decl_block> = "expected '{' and the fields";
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

// `x = 1` where a statement was expected: the name, when the error sits on a
// lone '=' right after a statement's first word (people coming from Python).
std::string assignment_without_let(std::string_view text, std::uint32_t at) {
  if (at >= text.size() || text[at] != '=' || (at + 1 < text.size() && text[at + 1] == '=')) return {};
  auto line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
  std::string_view before = text.substr(line_start == std::string_view::npos ? 0 : line_start + 1,
                                        at - (line_start == std::string_view::npos ? 0 : line_start + 1));
  while (!before.empty() && (before.back() == ' ' || before.back() == '\t')) before.remove_suffix(1);
  while (!before.empty() && (before.front() == ' ' || before.front() == '\t')) before.remove_prefix(1);
  bool word = !before.empty() && !std::isdigit(static_cast<unsigned char>(before.front()));
  for (char c : before) word = word && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  return word ? std::string(before) : std::string();
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
    auto d = syntax_error(source, at, what);
    // A bracket left open explains most errors after it.
    if (!b.open_brackets.empty() && b.open_brackets.back() < at) {
      std::uint32_t open = b.open_brackets.back();
      d.secondary.push_back({{open, open + 1}, fmt::format("'{}' opened here", source->text()[open])});
    }
    // Only where a statement ended early: inside a block, `name = value` is a field.
    bool statement_level = what == lang::message<g::statement_end> || what == lang::message<g::whole_expression_end>;
    if (auto name = assignment_without_let(text, at); statement_level && !name.empty())
      d.help = fmt::format("to bind a name, write `let {} = ...`", name);
    diags.add(std::move(d));
    consumed = at;
    return {false, at >= text.size()};
  } catch (const depth_error& e) {
    auto d = syntax_error(source, e.offset,
                          fmt::format("expression nested too deeply: more than {} levels of brackets and prefix "
                                      "operators (about {} brackets)",
                                      b.max_depth, b.max_depth / 3));
    d.code = "E0002";
    d.help = "split it into `let` steps";
    diags.add(std::move(d));
    consumed = e.offset;
    return {false, false};
  } catch (const height_error& e) {
    auto d = syntax_error(source, e.offset, fmt::format("expression too deep: more than {} levels", e.limit));
    d.code = "E0002";
    d.notes.push_back("each operator, call, field access and list adds a level; a chain `a + b + ...` as long as it is");
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

// Source text must be UTF-8 without NUL bytes: the first offending byte is
// the error, so no later phase meets bytes it cannot print.
bool not_text(const source_ptr& source, diagnostics& diags) {
  const auto& text = source->text();
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\0') {
      auto& d = diags.error("E0005", source, {static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + 1)},
                            "a NUL byte: this is not a text file");
      d.help = "ironlaw reads UTF-8 text; remove the byte or save the file as text";
      return true;
    }
    std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      auto& d = diags.error("E0005", source, {static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + 1)},
                            fmt::format("byte 0x{:02X} is not UTF-8", static_cast<unsigned char>(text[i])));
      d.help = "save the file as UTF-8 (it may be Latin-1 or another encoding)";
      return true;
    }
    i += n;
  }
  return false;
}

}  // namespace

parse_status parse_program(const source_ptr& source, program& out, diagnostics& diags, const parse_limits& limits) {
  out.source = source;
  if (too_large(source, diags, limits) || not_text(source, diags)) return {false, false};
  const auto& text = source->text();
  parse_status status;
  // A UTF-8 byte-order mark (some Windows editors write one) is not a statement.
  std::uint32_t offset = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  while (offset < text.size()) {
    builder b;
    b.base = text.data();
    b.max_depth = limits.max_depth;
    b.max_height = limits.max_height;
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
  if (too_large(source, diags, limits) || not_text(source, diags)) return {false, false};
  builder b;
  b.base = source->text().data();
  b.max_depth = limits.max_depth;
  b.max_height = limits.max_height;
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

namespace {

// A rule's word from its type: keyword_rule<string<'i', 'n'>> and
// keyword<'h', ...> spell it in their template arguments.
template <char... Cs>
constexpr char spelled[] = {Cs..., '\0'};
template <char... Cs>
std::string_view word_of(const g::keyword_rule<p::ascii::string<Cs...>>*) {
  return spelled<Cs...>;
}
template <char... Cs>
std::string_view word_of(const p::ascii::keyword<Cs...>*) {
  return spelled<Cs...>;
}
template <typename... Rules>
void words_of(const p::sor<Rules...>*, std::vector<std::string_view>& out) {
  (out.push_back(word_of(static_cast<const Rules*>(nullptr))), ...);
}

}  // namespace

std::vector<std::string_view> keywords() {
  std::vector<std::string_view> out;
  words_of(static_cast<const g::keyword*>(nullptr), out);
  words_of(static_cast<const g::decl_kind*>(nullptr), out);
  return out;
}

}  // namespace ironlaw::lang
