// The static analysis behind every editor feature: parse, resolve and check
// (lang::check through the runtime's check_environment). Nothing here
// evaluates an expression, calls a solver or searches a design.
#include "document.hpp"

#include <filesystem>
#include <set>

#include "../io/file_io.hpp"
#include "features.hpp"
#include "ironlaw/lang/parse.hpp"

namespace ironlaw::runtime::lsp {
namespace {

// Every expression node in a tree, parents before children, with the names it uses.
class indexer {
 public:
  explicit indexer(document& d) : doc_(d) {}

  void walk(const lang::expr_ptr& e) {
    if (e) walk(*e);
  }
  void walk(const lang::expr& e) {
    doc_.expressions.push_back(&e);
    if (const auto* n = std::get_if<lang::name_ref>(&e.node)) doc_.uses.push_back({n->name, e.where, &e});
    std::visit([&](const auto& node) { children(node); }, e.node);
  }

  void statement(const lang::stmt& st) {
    std::visit([&](const auto& node) { item(st, node); }, st.node);
  }

 private:
  document& doc_;

  void define(std::string name, std::string kind, lang::span name_span, lang::span whole, const lang::expr* value,
              const lang::stmt* st) {
    doc_.definitions.push_back({std::move(name), std::move(kind), name_span, whole, value, st});
  }

  void children(const lang::number_literal&) {}
  void children(const lang::bool_literal&) {}
  void children(const lang::name_ref&) {}
  void children(const lang::string_literal& s) {
    for (const auto& part : s.parts) walk(part.value);
  }
  void children(const lang::list_expr& l) {
    for (const auto& item : l.items) walk(item);
  }
  void children(const lang::unary_expr& u) { walk(u.operand); }
  void children(const lang::binary_expr& b) {
    walk(b.lhs);
    walk(b.rhs);
  }
  void children(const lang::convert_expr& c) { walk(c.value); }
  void children(const lang::call_expr& c) {
    walk(c.callee);
    for (const auto& a : c.args) walk(a.value);
  }
  void children(const lang::field_expr& f) { walk(f.object); }
  void children(const lang::range_expr& r) {
    walk(r.from);
    walk(r.to);
    walk(r.step);
  }
  void children(const lang::unit_apply& u) { walk(u.value); }
  void children(const lang::record_expr& r) {
    for (const auto& f : r.fields) walk(f.value);
  }
  void children(const lang::zoo_query& z) { walk(z.filter); }

  void item(const lang::stmt& st, const lang::let_stmt& s) {
    define(s.name, "let", s.name_span, st.where, s.value.get(), &st);
    walk(s.value);
  }
  void item(const lang::stmt&, const lang::print_stmt& s) {
    for (const auto& v : s.values) walk(v);
  }
  void item(const lang::stmt&, const lang::expr_stmt& s) { walk(s.value); }
  void item(const lang::stmt&, const lang::scenario_stmt& s) { walk(s.title); }
  void item(const lang::stmt&, const lang::import_stmt& s) { walk(s.path); }
  void item(const lang::stmt& st, const lang::decl_stmt& d) {
    define(d.name, d.kind, d.name_span, st.where, nullptr, &st);
    if (!d.from_template && !d.base.empty()) doc_.uses.push_back({d.base, d.base_span, nullptr});
    for (const auto& f : d.fields) walk(f.value);
  }
  void item(const lang::stmt& st, const lang::design_stmt& d) {
    define(d.name, "design", d.name_span, st.where, d.solver.get(), &st);
    walk(d.solver);
    for (const auto& a : d.axes) walk(a.domain);
    for (const auto& f : d.filters) walk(f);
  }
  void item(const lang::stmt&, const lang::require_stmt& r) { walk(r.condition); }
  void item(const lang::stmt&, const lang::objective_stmt& o) { walk(o.value); }
  void item(const lang::stmt&, const lang::report_stmt& r) {
    doc_.uses.push_back({r.design, r.design_span, nullptr});
    walk(r.top);
  }
  void item(const lang::stmt& st, const lang::assignment_stmt& a) {
    walk(a.title);
    for (const auto& p : a.params) {
      define(p.name, "param", p.name_span, p.where, p.value.get(), &st);
      walk(p.value);
    }
    for (const auto& q : a.questions) {
      define(q.name, "question", q.name_span, q.where, nullptr, &st);
      walk(q.points);
      walk(q.text);
      for (const auto& f : q.fields) walk(f.value);
      for (const auto& rule : q.feedback) {
        walk(rule.condition);
        walk(rule.message);
      }
    }
  }
  void item(const lang::stmt&, const lang::answers_stmt& a) {
    for (const auto& f : a.answers) walk(f.value);
  }
  void item(const lang::stmt&, const lang::measured_stmt& m) {
    walk(m.predicted);
    walk(m.measured);
  }
};

struct import_state {
  std::set<std::string> seen;  // real paths already analyzed (a cycle or a diamond stops here)
  std::size_t depth = 0;
  const lang::cancel_token* cancel = nullptr;
  [[nodiscard]] bool cancelled() const { return cancel && cancel->requested(); }
};

void analyze_imports(document& doc, const lang::environment& env, const analysis_limits& limits,
                     import_state& state, std::vector<lang::field_type>& predefined);

std::shared_ptr<document> analyze_one(const std::string& path, std::string text, const lang::environment& env,
                                      const document* previous, const analysis_limits& limits, import_state& state) {
  auto doc = std::make_shared<document>();
  doc->path = path;
  doc->uri = path.empty() ? std::string() : path_to_uri(path);
  doc->source = std::make_shared<const lang::source_file>(path, std::move(text));
  if (state.cancelled()) {
    doc->cancelled = true;
    return doc;
  }
  lang::diagnostics diags;
  doc->parsed = lang::parse_program(doc->source, doc->program, diags).ok;
  for (const auto& st : doc->program.statements) indexer(*doc).statement(st);
  std::vector<lang::field_type> predefined;
  analyze_imports(*doc, env, limits, state, predefined);
  if (state.cancelled()) {
    doc->cancelled = true;
    return doc;
  }
  if (doc->parsed) {
    doc->typed = lang::check(doc->program, env, diags, predefined, state.cancel);
    doc->cancelled = doc->typed.cancelled;
    doc->scope_types = doc->typed.globals;
  } else if (previous) {
    doc->scope_types = previous->scope_types;
  }
  diags.sort_by_position();
  for (const auto& d : diags.items())
    if (!d.source || d.source == doc->source) doc->diagnostics.push_back(d);
  return doc;
}

void analyze_imports(document& doc, const lang::environment& env, const analysis_limits& limits,
                     import_state& state, std::vector<lang::field_type>& predefined) {
  namespace fs = std::filesystem;
  if (doc.path.empty()) return;
  for (const auto& st : doc.program.statements) {
    const auto* i = std::get_if<lang::import_stmt>(&st.node);
    const auto* literal = i && i->path ? std::get_if<lang::string_literal>(&i->path->node) : nullptr;
    if (!literal || !literal->parts.empty()) continue;  // the checker reports it
    if (state.depth >= limits.max_import_depth || state.seen.size() >= limits.max_imported_files) return;
    auto target = fs::path(doc.path).parent_path() / literal->value;
    std::error_code ec;
    auto real = fs::canonical(target, ec);
    imported_file imported{ec ? target.string() : real.string(), i->path->where, nullptr};
    if (!ec && state.seen.insert(real.string()).second) {
      std::string text;
      if (!files::read_regular(real.string(), text)) {
        ++state.depth;
        imported.doc = analyze_one(real.string(), std::move(text), env, nullptr, limits, state);
        --state.depth;
        if (imported.doc->cancelled) return;
        for (const auto& [name, t] : imported.doc->scope_types) predefined.push_back({name, t});
      }
    }
    doc.imports.push_back(std::move(imported));
  }
}

}  // namespace

const defined_name* document::find_definition(std::string_view name) const {
  const defined_name* found = nullptr;
  for (const auto& d : definitions)
    if (d.name == name && !found) found = &d;  // the first, where the name is introduced
  return found;
}

const lang::expr* document::expression_at(std::uint32_t offset) const {
  const lang::expr* best = nullptr;
  for (const auto* e : expressions)
    if (e->where.begin <= offset && offset <= e->where.end && (!best || e->where.size() <= best->where.size()))
      best = e;
  return best;
}

std::shared_ptr<document> analyze(const std::string& path, std::string text, const lang::environment& env,
                                  const document* previous, const analysis_limits& limits,
                                  const lang::cancel_token* cancel) {
  import_state state;
  state.cancel = cancel;
  std::error_code ec;
  auto real = std::filesystem::canonical(path, ec);
  if (!ec) state.seen.insert(real.string());
  return analyze_one(path, std::move(text), env, previous, limits, state);
}

}  // namespace ironlaw::runtime::lsp
