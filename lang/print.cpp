#include "ironlaw/lang/print.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ironlaw::lang {
namespace {

// Binding strength; higher binds tighter. Matches the grammar's layering.
int precedence(const expr& e) {
  if (std::holds_alternative<convert_expr>(e.node)) return 0;
  if (std::holds_alternative<range_expr>(e.node)) return 1;
  if (const auto* b = std::get_if<binary_expr>(&e.node)) {
    switch (b->op) {
      case binary_op::logical_or: return 2;
      case binary_op::logical_and: return 3;
      case binary_op::equal:
      case binary_op::not_equal:
      case binary_op::less:
      case binary_op::less_equal:
      case binary_op::greater:
      case binary_op::greater_equal:
      case binary_op::approx: return 5;
      case binary_op::add:
      case binary_op::subtract: return 6;
      case binary_op::multiply:
      case binary_op::divide: return 7;
      case binary_op::power: return 9;
    }
  }
  if (const auto* u = std::get_if<unary_expr>(&e.node)) return u->op == unary_op::logical_not ? 4 : 8;
  return 10;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\' || c == '{' || c == '}') out += '\\';
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  return out;
}

std::string wrap(const expr& e, int min_precedence) {
  auto text = to_source(e);
  return precedence(e) < min_precedence ? "(" + text + ")" : text;
}

std::string fields_inline(const std::vector<field_init>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? ", " : "") + fields[i].name + " = " + to_source(*fields[i].value);
  return out;
}

struct printer {
  std::string operator()(const number_literal& n) const { return n.unit.empty() ? n.text : n.text + " " + n.unit; }
  std::string operator()(const string_literal& s) const {
    if (s.parts.empty()) return "\"" + escape(s.value) + "\"";
    std::string out = "\"";
    for (const auto& part : s.parts) out += part.value ? "{" + to_source(*part.value) + "}" : escape(part.text);
    return out + "\"";
  }
  std::string operator()(const bool_literal& b) const { return b.value ? "true" : "false"; }
  std::string operator()(const name_ref& n) const { return n.name; }
  std::string operator()(const list_expr& l) const {
    std::string out = "[";
    for (std::size_t i = 0; i < l.items.size(); ++i) out += (i ? ", " : "") + to_source(*l.items[i]);
    return out + "]";
  }
  std::string operator()(const unary_expr& u) const {
    int p = u.op == unary_op::logical_not ? 4 : 8;
    return u.op == unary_op::logical_not ? "not " + wrap(*u.operand, p) : std::string(spelling(u.op)) + wrap(*u.operand, p);
  }
  std::string operator()(const binary_expr& b) const {
    expr probe{{}, binary_expr{b.op, nullptr, nullptr, {}}};
    int p = precedence(probe);
    // Left-associative except power (right) and comparison (not associative).
    int left = b.op == binary_op::power || p == 5 ? p + 1 : p;
    int right = b.op == binary_op::power ? 8 : p + 1;
    return fmt::format("{} {} {}", wrap(*b.lhs, left), spelling(b.op), wrap(*b.rhs, right));
  }
  std::string operator()(const convert_expr& c) const { return wrap(*c.value, 1) + " in " + c.unit; }
  std::string operator()(const call_expr& c) const {
    std::string out = wrap(*c.callee, 10) + "(";
    for (std::size_t i = 0; i < c.args.size(); ++i) {
      if (i) out += ", ";
      if (c.args[i].name) out += *c.args[i].name + " = ";
      out += to_source(*c.args[i].value);
    }
    return out + ")";
  }
  std::string operator()(const field_expr& f) const { return wrap(*f.object, 10) + "." + f.field; }
  std::string operator()(const range_expr& r) const {
    std::string out = wrap(*r.from, 2) + " .. " + wrap(*r.to, 2);
    if (r.step) out += std::string(" by ") + (r.geometric ? "*" : "") + wrap(*r.step, 2);
    return out;
  }
  std::string operator()(const unit_apply& u) const {
    // The grammar takes a unit only after ')' or ']'.
    bool bracketed = std::holds_alternative<list_expr>(u.value->node) || std::holds_alternative<call_expr>(u.value->node);
    return (bracketed ? to_source(*u.value) : "(" + to_source(*u.value) + ")") + " " + u.unit;
  }
  std::string operator()(const record_expr& r) const { return "{ " + fields_inline(r.fields) + " }"; }
  std::string operator()(const zoo_query& z) const {
    return z.filter ? "zoo " + z.kind + " where " + to_source(*z.filter) : "zoo " + z.kind;
  }
};

// ---- statements, with comments -------------------------------------------------------

struct comment {
  std::uint32_t begin;
  std::uint32_t end;
  bool own_line;  // nothing but white space before it on its line
};

// Every comment of the file, found by scanning outside strings.
std::vector<comment> find_comments(const std::string& text) {
  std::vector<comment> out;
  bool in_string = false;
  bool line_blank = true;
  for (std::uint32_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"' || c == '\n') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '#') {
      std::uint32_t end = i;
      while (end < text.size() && text[end] != '\n') ++end;
      std::uint32_t trimmed = end;
      while (trimmed > i && (text[trimmed - 1] == ' ' || text[trimmed - 1] == '\t' || text[trimmed - 1] == '\r')) --trimmed;
      out.push_back({i, trimmed, line_blank});
      i = end;
      line_blank = true;
      continue;
    }
    if (c == '\n') line_blank = true;
    else if (c != ' ' && c != '\t' && c != '\r') line_blank = false;
  }
  return out;
}

class formatter {
 public:
  explicit formatter(const program& p) : p_(p), text_(p.source ? p.source->text() : std::string{}) {
    comments_ = find_comments(text_);
  }

  std::string run() {
    for (const auto& st : p_.statements) {
      leading_comments(st.where.begin, "");
      separate(st.where.begin);
      statement(st);
      trailing_comment(st.where.end);
      out_ += "\n";
    }
    leading_comments(static_cast<std::uint32_t>(text_.size() + 1), "");  // comments after the last statement
    return out_;
  }

 private:
  const program& p_;
  std::string text_;
  std::vector<comment> comments_;
  std::size_t next_ = 0;  // the first comment not yet written
  std::string out_;

  std::string slice(std::uint32_t b, std::uint32_t e) const { return text_.substr(b, e - b); }

  // One blank line where the source had one or more before `at`.
  void separate(std::uint32_t at) {
    bool at_start = out_.empty() || (out_.size() >= 2 && out_.ends_with("{\n"));
    if (!at_start && !out_.ends_with("\n\n") && blank_line_before(at)) out_ += "\n";
  }

  bool blank_line_before(std::uint32_t at) const {
    // Two newlines with only white space between them, just before `at`.
    int newlines = 0;
    for (std::uint32_t i = at; i > 0; --i) {
      char c = text_[i - 1];
      if (c == '\n') {
        if (++newlines == 2) return true;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return false;
      }
    }
    return false;
  }

  void leading_comments(std::uint32_t before, const std::string& indent) {
    while (next_ < comments_.size() && comments_[next_].begin < before) {
      separate(comments_[next_].begin);
      out_ += indent + slice(comments_[next_].begin, comments_[next_].end) + "\n";
      ++next_;
    }
  }

  // A comment on the same line as `after` (the end of what was just written).
  void trailing_comment(std::uint32_t after) {
    if (next_ >= comments_.size() || comments_[next_].own_line) return;
    auto nl = text_.find('\n', after);
    if (comments_[next_].begin >= after && (nl == std::string::npos || comments_[next_].begin < nl)) {
      out_ += "  " + slice(comments_[next_].begin, comments_[next_].end);
      ++next_;
    }
  }

  // Block items: `name = value` lines with the '=' aligned.
  void fields(const std::vector<field_init>& items, const std::string& indent) {
    std::size_t width = 0;
    for (const auto& f : items) width = std::max(width, f.name.size());
    for (const auto& f : items) {
      leading_comments(f.name_span.begin, indent);
      separate(f.name_span.begin);
      out_ += fmt::format("{}{:<{}} = {}", indent, f.name, width, to_source(*f.value));
      trailing_comment(f.value->where.end);
      out_ += "\n";
    }
  }

  void close_block(std::uint32_t end, const std::string& indent) {
    leading_comments(end, indent + "  ");
    out_ += indent + "}";
  }

  void statement(const stmt& st) {
    std::visit([&](const auto& node) { write(st, node); }, st.node);
  }

  void write(const stmt& st, const let_stmt&) { out_ += to_source(st); }
  void write(const stmt& st, const print_stmt&) { out_ += to_source(st); }
  void write(const stmt& st, const expr_stmt&) { out_ += to_source(st); }
  void write(const stmt& st, const scenario_stmt&) { out_ += to_source(st); }
  void write(const stmt& st, const import_stmt&) { out_ += to_source(st); }
  void write(const stmt& st, const require_stmt&) { out_ += to_source(st); }
  void write(const stmt& st, const objective_stmt&) { out_ += to_source(st); }
  void write(const stmt& st, const report_stmt&) { out_ += to_source(st); }
  void write(const stmt& st, const measured_stmt&) { out_ += to_source(st); }

  void write(const stmt& st, const decl_stmt& d) {
    out_ += decl_header(d) + " {\n";
    fields(d.fields, "  ");
    close_block(st.where.end, "");
  }

  void write(const stmt& st, const design_stmt& d) {
    out_ += fmt::format("design {} = {} over {{\n", d.name, to_source(*d.solver));
    std::size_t width = 0;
    for (const auto& a : d.axes) width = std::max(width, a.name.size());
    for (const auto& a : d.axes) {
      leading_comments(a.name_span.begin, "  ");
      out_ += fmt::format("  {:<{}} in {}", a.name, width, to_source(*a.domain));
      trailing_comment(a.domain->where.end);
      out_ += "\n";
    }
    for (const auto& f : d.filters) {
      leading_comments(f->where.begin, "  ");
      out_ += "  where " + to_source(*f);
      trailing_comment(f->where.end);
      out_ += "\n";
    }
    close_block(st.where.end, "");
  }

  void write(const stmt& st, const assignment_stmt& a) {
    out_ += "assignment " + to_source(*a.title) + " {\n";
    // Params and questions in source order.
    std::size_t pi = 0, qi = 0;
    bool first = true;
    while (pi < a.params.size() || qi < a.questions.size()) {
      bool take_param = qi >= a.questions.size() ||
                        (pi < a.params.size() && a.params[pi].where.begin < a.questions[qi].where.begin);
      std::uint32_t begin = take_param ? a.params[pi].where.begin : a.questions[qi].where.begin;
      // A question always stands apart from what precedes it.
      if (!first && !take_param && !out_.ends_with("\n\n")) out_ += "\n";
      first = false;
      leading_comments(begin, "  ");
      separate(begin);
      if (take_param) {
        const auto& p = a.params[pi++];
        out_ += "  param " + p.name + " = " + to_source(*p.value);
        trailing_comment(p.where.end);
        out_ += "\n";
      } else {
        question(a.questions[qi++]);
      }
    }
    close_block(st.where.end, "");
  }

  void question(const question_decl& q) {
    out_ += "  question " + q.name;
    if (q.points) out_ += " points " + to_source(*q.points);
    if (q.text) out_ += " " + to_source(*q.text);
    out_ += " {\n";
    fields(q.fields, "    ");
    for (const auto& f : q.feedback) {
      leading_comments(f.where.begin, "    ");
      out_ += "    feedback when " + to_source(*f.condition) + " : " + to_source(*f.message);
      trailing_comment(f.where.end);
      out_ += "\n";
    }
    close_block(q.where.end, "  ");
    out_ += "\n";
  }

  void write(const stmt& st, const answers_stmt& a) {
    out_ += "answers {\n";
    fields(a.answers, "  ");
    close_block(st.where.end, "");
  }

 public:
  static std::string decl_header(const decl_stmt& d) {
    std::string out = d.kind + " " + d.name;
    if (!d.base.empty()) out += d.from_template ? " = " + d.base : " extends " + d.base;
    return out;
  }
};

}  // namespace

std::string to_source(const expr& e) { return std::visit(printer{}, e.node); }

std::string to_source(const stmt& s) {
  struct visitor {
    std::string operator()(const let_stmt& l) const { return "let " + l.name + " = " + to_source(*l.value); }
    std::string operator()(const print_stmt& p) const {
      std::string out = "print ";
      for (std::size_t i = 0; i < p.values.size(); ++i) out += (i ? ", " : "") + to_source(*p.values[i]);
      return out;
    }
    std::string operator()(const expr_stmt& e) const { return to_source(*e.value); }
    std::string operator()(const scenario_stmt& s) const { return "scenario " + to_source(*s.title); }
    std::string operator()(const import_stmt& i) const { return "import " + to_source(*i.path); }
    std::string operator()(const require_stmt& r) const { return "require " + to_source(*r.condition); }
    std::string operator()(const measured_stmt& m) const {
      return "measured " + to_source(*m.predicted) + " = " + to_source(*m.measured);
    }
    std::string operator()(const objective_stmt& o) const {
      return (o.maximize ? "maximize " : "minimize ") + to_source(*o.value);
    }
    std::string operator()(const report_stmt& r) const {
      std::string out = "report " + r.design;
      if (!r.mode.empty()) out += " " + r.mode;
      if (r.top) out += " top " + to_source(*r.top);
      if (!r.show.empty()) {
        out += "\n  show ";
        for (std::size_t i = 0; i < r.show.size(); ++i) out += (i ? ", " : "") + r.show[i].name;
      }
      return out;
    }
    std::string operator()(const decl_stmt& d) const {
      std::string out = formatter::decl_header(d) + " {\n";
      for (const auto& f : d.fields) out += "  " + f.name + " = " + to_source(*f.value) + "\n";
      return out + "}";
    }
    std::string operator()(const design_stmt& d) const {
      std::string out = "design " + d.name + " = " + to_source(*d.solver) + " over {\n";
      for (const auto& a : d.axes) out += "  " + a.name + " in " + to_source(*a.domain) + "\n";
      for (const auto& f : d.filters) out += "  where " + to_source(*f) + "\n";
      return out + "}";
    }
    std::string operator()(const assignment_stmt& a) const {
      std::string out = "assignment " + to_source(*a.title) + " {\n";
      for (const auto& p : a.params) out += "  param " + p.name + " = " + to_source(*p.value) + "\n";
      for (const auto& q : a.questions) {
        out += "  question " + q.name;
        if (q.points) out += " points " + to_source(*q.points);
        if (q.text) out += " " + to_source(*q.text);
        out += " {\n";
        for (const auto& f : q.fields) out += "    " + f.name + " = " + to_source(*f.value) + "\n";
        for (const auto& f : q.feedback)
          out += "    feedback when " + to_source(*f.condition) + " : " + to_source(*f.message) + "\n";
        out += "  }\n";
      }
      return out + "}";
    }
    std::string operator()(const answers_stmt& a) const {
      std::string out = "answers {\n";
      for (const auto& f : a.answers) out += "  " + f.name + " = " + to_source(*f.value) + "\n";
      return out + "}";
    }
  };
  return std::visit(visitor{}, s.node);
}

std::string format_program(const program& p) { return formatter(p).run(); }

}  // namespace ironlaw::lang
