#include "ironlaw/lang/dump.hpp"

#include <fmt/format.h>

#include "ironlaw/lang/print.hpp"

namespace ironlaw::lang {
namespace {

class dumper {
 public:
  dumper(const program& p, const expr_annotator& annotate) : p_(p), annotate_(annotate) {}

  std::string run() {
    for (const auto& st : p_.statements) statement(st);
    return out_;
  }

 private:
  const program& p_;
  const expr_annotator& annotate_;
  std::string out_;
  int depth_ = 0;

  std::string at(span s) const {
    if (!p_.source) return fmt::format("@{}..{}", s.begin, s.end);
    auto b = p_.source->position(s.begin);
    auto e = p_.source->position(s.end);
    return fmt::format("@{}:{}-{}:{}", b.line, b.column, e.line, e.column);
  }
  void line(const std::string& text, span s) { out_ += fmt::format("{}{} {}\n", std::string(depth_ * 2, ' '), text, at(s)); }
  template <typename F>
  void nested(F f) {
    ++depth_;
    f();
    --depth_;
  }

  void expression(const expr& e) {
    auto first_line = out_.size();
    std::visit([&](const auto& node) { visit(e, node); }, e.node);
    if (!annotate_) return;
    auto note = annotate_(e);
    auto end = out_.find('\n', first_line);
    if (!note.empty() && end != std::string::npos) out_.insert(end, "  -> " + note);
  }
  void visit(const expr& e, const number_literal& n) {
    line(fmt::format("number {}{}", n.text, n.unit.empty() ? "" : " unit=" + n.unit), e.where);
  }
  void visit(const expr& e, const string_literal& s) {
    line("string " + to_source(e), e.where);
    nested([&] {
      for (const auto& part : s.parts)
        if (part.value) expression(*part.value);
    });
  }
  void visit(const expr& e, const bool_literal& b) { line(b.value ? "bool true" : "bool false", e.where); }
  void visit(const expr& e, const name_ref& n) { line("name " + n.name, e.where); }
  void visit(const expr& e, const list_expr& l) {
    line(fmt::format("list ({} items)", l.items.size()), e.where);
    nested([&] {
      for (const auto& i : l.items) expression(*i);
    });
  }
  void visit(const expr& e, const unary_expr& u) {
    line(fmt::format("unary {}", spelling(u.op)), e.where);
    nested([&] { expression(*u.operand); });
  }
  void visit(const expr& e, const binary_expr& b) {
    line(fmt::format("binary {}", spelling(b.op)), e.where);
    nested([&] {
      expression(*b.lhs);
      expression(*b.rhs);
    });
  }
  void visit(const expr& e, const convert_expr& c) {
    line("convert in " + c.unit, e.where);
    nested([&] { expression(*c.value); });
  }
  void visit(const expr& e, const call_expr& c) {
    line("call", e.where);
    nested([&] {
      expression(*c.callee);
      for (const auto& a : c.args) {
        if (a.name) {
          line("arg " + *a.name, a.name_span);
          nested([&] { expression(*a.value); });
        } else {
          expression(*a.value);
        }
      }
    });
  }
  void visit(const expr& e, const field_expr& f) {
    line("field ." + f.field, e.where);
    nested([&] { expression(*f.object); });
  }
  void visit(const expr& e, const range_expr& r) {
    line(r.geometric ? "range geometric" : "range", e.where);
    nested([&] {
      expression(*r.from);
      expression(*r.to);
      if (r.step) expression(*r.step);
    });
  }
  void visit(const expr& e, const unit_apply& u) {
    line("unit " + u.unit, e.where);
    nested([&] { expression(*u.value); });
  }
  void visit(const expr& e, const record_expr& r) {
    line("record", e.where);
    nested([&] { fields(r.fields); });
  }
  void visit(const expr& e, const zoo_query& z) {
    line("zoo " + z.kind, e.where);
    nested([&] {
      if (z.filter) expression(*z.filter);
    });
  }
  void fields(const std::vector<field_init>& fs) {
    for (const auto& f : fs) {
      line("field " + f.name, f.name_span);
      nested([&] { expression(*f.value); });
    }
  }

  void statement(const stmt& st) {
    std::visit([&](const auto& node) { visit_stmt(st, node); }, st.node);
  }
  void visit_stmt(const stmt& st, const let_stmt& l) {
    line("let " + l.name, st.where);
    nested([&] { expression(*l.value); });
  }
  void visit_stmt(const stmt& st, const print_stmt& p) {
    line("print", st.where);
    nested([&] {
      for (const auto& v : p.values) expression(*v);
    });
  }
  void visit_stmt(const stmt& st, const expr_stmt& e) {
    line("expression", st.where);
    nested([&] { expression(*e.value); });
  }
  void visit_stmt(const stmt& st, const scenario_stmt& s) {
    line("scenario", st.where);
    nested([&] { expression(*s.title); });
  }
  void visit_stmt(const stmt& st, const import_stmt& i) {
    line("import", st.where);
    nested([&] { expression(*i.path); });
  }
  void visit_stmt(const stmt& st, const decl_stmt& d) {
    line(fmt::format("declare {} {}{}", d.kind, d.name,
                     d.base.empty() ? "" : (d.from_template ? " = " : " extends ") + d.base),
         st.where);
    nested([&] { fields(d.fields); });
  }
  void visit_stmt(const stmt& st, const design_stmt& d) {
    line("design " + d.name, st.where);
    nested([&] {
      expression(*d.solver);
      for (const auto& a : d.axes) {
        line("axis " + a.name, a.name_span);
        nested([&] { expression(*a.domain); });
      }
      for (const auto& f : d.filters) {
        line("where", f->where);
        nested([&] { expression(*f); });
      }
    });
  }
  void visit_stmt(const stmt& st, const require_stmt& r) {
    line("require", st.where);
    nested([&] { expression(*r.condition); });
  }
  void visit_stmt(const stmt& st, const measured_stmt& m) {
    line("measured", st.where);
    nested([&] {
      expression(*m.predicted);
      expression(*m.measured);
    });
  }
  void visit_stmt(const stmt& st, const objective_stmt& o) {
    line(o.maximize ? "maximize" : "minimize", st.where);
    nested([&] { expression(*o.value); });
  }
  void visit_stmt(const stmt& st, const report_stmt& r) {
    std::string shown;
    for (const auto& c : r.show) shown += " " + c.name;
    line(fmt::format("report {} mode={}{}{}", r.design, r.mode.empty() ? "-" : r.mode, r.top ? " top" : "",
                     shown.empty() ? "" : " show" + shown),
         st.where);
    nested([&] {
      if (r.top) expression(*r.top);
    });
  }
  void visit_stmt(const stmt& st, const assignment_stmt& a) {
    line("assignment", st.where);
    nested([&] {
      expression(*a.title);
      for (const auto& p : a.params) {
        line("param " + p.name, p.where);
        nested([&] { expression(*p.value); });
      }
      for (const auto& q : a.questions) {
        line("question " + q.name, q.where);
        nested([&] {
          if (q.points) expression(*q.points);
          if (q.text) expression(*q.text);
          fields(q.fields);
          for (const auto& f : q.feedback) {
            line("feedback", f.where);
            nested([&] {
              expression(*f.condition);
              expression(*f.message);
            });
          }
        });
      }
    });
  }
  void visit_stmt(const stmt& st, const answers_stmt& a) {
    line("answers", st.where);
    nested([&] { fields(a.answers); });
  }
};

}  // namespace

std::string dump_ast(const program& p, const expr_annotator& annotate) { return dumper(p, annotate).run(); }

}  // namespace ironlaw::lang
