#include "ironlaw/runtime/program/interpreter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ironlaw/lang/parse.hpp"
#include "ironlaw/lang/print.hpp"
#include "../interp/evaluator.hpp"
#include "../io/file_io.hpp"
#include "../bind/bindings.hpp"
#include "../report/record_table.hpp"
#include "../report/run_document.hpp"
#include "../search/design.hpp"
#include "ironlaw/runtime/interp/builtins.hpp"
#include "ironlaw/runtime/interp/entity_schema.hpp"
#include "ironlaw/runtime/interp/suggest.hpp"

namespace ironlaw::runtime {


using detail::evaluator;

namespace {
report::statement_at statement_at(const lang::source_ptr& source, lang::span where) {
  return {source->name(), source->position(where.begin).line};
}
}  // namespace

interpreter::interpreter(const registry& reg) : reg_(&reg), defaults_(&reg) { bindings::install(); }

std::optional<evaluated> interpreter::evaluate(const lang::expr& e, const lang::source_ptr& source,
                                               lang::diagnostics& diags) {
  evaluator ev(*reg_, globals_, source, diags);
  return ev.eval_value(e);
}

bool interpreter::run(const lang::program& program, std::ostream& out, lang::diagnostics& diags) {
  bool ok = true;
  // A design is searched where it is declared, with the requirements,
  // objectives and reports that read it (runtime/search/design.cpp).
  for (const auto& st : program.statements) {
    if (diags.full()) {
      diags.stop();
      return false;
    }
    if (const auto* d = std::get_if<lang::design_stmt>(&st.node)) ok = run_design(program, *d, out, diags) && ok;
    else if (!search::part_of_design(program, st)) ok = run_statement(st, program.source, out, diags) && ok;
  }
  return ok;
}

bool interpreter::refuse_reserved(const std::string& name, lang::span where, const lang::source_ptr& source,
                                  lang::diagnostics& diags) const {
  if (!reserved_.count(name)) return false;
  diags.error("E1006", source, where, fmt::format("'{}' is defined by the assignment; this definition is ignored", name))
      .help = fmt::format("use the assignment's {} as it is, or choose another name", name);
  return true;
}

bool interpreter::run_design(const lang::program& program, const lang::design_stmt& d, std::ostream& out,
                             lang::diagnostics& diags) {
  const auto& source = program.source;
  if (refuse_reserved(d.name, d.name_span, source, diags)) return false;
  search::design_context ctx{*reg_,
                             globals_,
                             search_,
                             title_,
                             [&](const lang::report_stmt& r, lang::diagnostics& ds) { return check_report(r, source, ds); },
                             violations_,
                             document_};
  if (search::too_large(ctx, d, source, diags)) {
    // Known, so later statements that read it stay silent rather than unknown.
    designs_[d.name] = d.name_span;
    globals_[d.name] = value{};
    return false;
  }
  if (!check_design(d, source, diags)) return false;
  return search::run_design(ctx, program, d, out, diags);
}

bool interpreter::run_statement(const lang::stmt& st, const lang::source_ptr& source, std::ostream& out,
                                lang::diagnostics& diags) {
  if (const auto* l = std::get_if<lang::let_stmt>(&st.node)) {
    if (refuse_reserved(l->name, l->name_span, source, diags)) return false;
    // A design's name stays the design's: a later `let` may not replace its point.
    bool taken = declared_at_.count(l->name) || designs_.count(l->name);
    if ((taken && !redefinition_allowed_) || reg_->find(l->name)) {
      lang::diagnostic d;
      d.code = "E0503";
      d.source = source;
      d.primary = l->name_span;
      d.message = fmt::format("'{}' is already defined", l->name);
      if (auto it = declared_at_.find(l->name); it != declared_at_.end()) d.secondary.push_back({it->second, "defined here"});
      else if (auto design = designs_.find(l->name); design != designs_.end()) d.secondary.push_back({design->second, "the design"});
      else d.notes.push_back(fmt::format("{} is a registry {}", l->name, reg_->find(l->name)->kind));
      diags.add(std::move(d));
      return false;
    }
    auto v = evaluate(*l->value, source, diags);
    globals_[l->name] = v ? v->v : value{};  // a failed definition poisons the name, silently
    declared_at_[l->name] = l->name_span;
    return v.has_value();
  }
  if (const auto* p = std::get_if<lang::print_stmt>(&st.node)) {
    std::string line;
    std::vector<evaluated> values;
    for (const auto& e : p->values) {
      auto v = evaluate(*e, source, diags);
      if (!v) return false;
      line += (line.empty() ? "" : ", ") + show(*v);
      values.push_back(std::move(*v));
    }
    if (document_) document_->values("print", statement_at(source, st.where), line, values);
    else out << line << "\n";
    return true;
  }
  if (const auto* e = std::get_if<lang::expr_stmt>(&st.node)) {
    auto v = evaluate(*e->value, source, diags);
    if (v && document_) document_->values("expression", statement_at(source, st.where), show(*v), {*v});
    else if (v) out << show(*v) << "\n";
    return v.has_value();
  }
  if (const auto* s = std::get_if<lang::scenario_stmt>(&st.node)) {
    auto v = evaluate(*s->title, source, diags);
    if (!v) return false;
    title_ = format_value(v->v, reg_->units());
    if (document_) document_->scenario(title_);
    else out << title_ << "\n\n";
    return true;
  }
  if (const auto* d = std::get_if<lang::decl_stmt>(&st.node)) return declare(*d, source, diags);
  if (const auto* i = std::get_if<lang::import_stmt>(&st.node)) return import_file(*i, source, out, diags);
  if (const auto* m = std::get_if<lang::measured_stmt>(&st.node)) return run_measured(*m, source, out, diags);
  if (checking_) return check_statement(st, source, diags);
  if (const auto* r = std::get_if<lang::require_stmt>(&st.node)) return check_requirement(*r, source, out, diags);
  // Objectives and reports belong to a design; assignments and answers to the grader.
  return true;
}

bool interpreter::check_requirement(const lang::require_stmt& r, const lang::source_ptr& source, std::ostream& out,
                                    lang::diagnostics& diags) {
  auto v = evaluate(*r.condition, source, diags);
  if (!v) return false;
  const bool* holds = std::get_if<bool>(&v->v.v);
  if (!holds) {
    lang::diagnostic d;
    d.code = "E0212";
    d.source = source;
    d.primary = r.condition->where;
    d.message = fmt::format("a requirement must be true or false, not {}", describe(v->v));
    diags.add(std::move(d));
    return false;
  }
  const std::string condition = lang::to_source(*r.condition);
  std::string shown = condition;
  // Show the two sides' values when the requirement is a comparison.
  std::optional<evaluated> lhs, rhs;
  if (const auto* b = std::get_if<lang::binary_expr>(&r.condition->node)) {
    lang::diagnostics quiet;
    lhs = evaluate(*b->lhs, source, quiet);
    rhs = evaluate(*b->rhs, source, quiet);
    auto plain = [&](const evaluated& e) {
      const auto* q = e.v.as_quantity();
      return e.shown_in && q ? unit_table::format_in(*q, *e.shown_in, e.shown_in_text) : format_value(e.v, reg_->units());
    };
    if (lhs && rhs) shown += fmt::format("  ({} {} {})", plain(*lhs), lang::spelling(b->op), plain(*rhs));
  }
  std::string line = (*holds ? "requirement met: " : "REQUIREMENT NOT MET: ") + shown;
  if (document_)
    document_->requirement(statement_at(source, r.condition->where), condition, line, *holds, lhs ? &*lhs : nullptr,
                           rhs ? &*rhs : nullptr);
  else out << line << "\n";
  if (!*holds) ++violations_;
  return true;
}

bool interpreter::import_file(const lang::import_stmt& i, const lang::source_ptr& source, std::ostream& out,
                              lang::diagnostics& diags) {
  auto fail = [&](std::string code, std::string message, std::string help = {}) {
    lang::diagnostic d;
    d.code = std::move(code);
    d.source = source;
    d.primary = i.path->where;
    d.message = std::move(message);
    d.help = std::move(help);
    diags.add(std::move(d));
    return false;
  };
  const auto* literal = std::get_if<lang::string_literal>(&i.path->node);
  if (!literal || !literal->parts.empty()) return fail("E0701", "an import path must be a plain string");
  if (!imports_allowed_) return fail("E0702", "imports are not allowed here", "a submission must be a single file");
  namespace fs = std::filesystem;
  fs::path base = fs::path(source->name()).parent_path();
  fs::path target = base / literal->value;
  std::error_code ec;
  // A file is known by its real path (links resolved): a diamond, two files
  // importing one common file, runs it once; so does a chain importing each
  // file twice (2^n runs otherwise).
  auto real = fs::canonical(target, ec);
  if (ec) return fail("E0704", fmt::format("cannot read '{}'", target.string()));
  auto canonical = real.string();
  if (import_stack_.empty()) {
    auto root = fs::canonical(source->name(), ec);
    import_stack_.push_back(ec ? fs::weakly_canonical(source->name(), ec).string() : root.string());
  }
  if (std::find(import_stack_.begin(), import_stack_.end(), canonical) != import_stack_.end()) {
    std::string chain;
    for (const auto& f : import_stack_) chain += fs::path(f).filename().string() + " -> ";
    return fail("E0703", fmt::format("import cycle: {}{}", chain, fs::path(canonical).filename().string()));
  }
  if (imported_.count(canonical)) return true;  // already run
  if (import_stack_.size() > max_import_depth)
    return fail("E0707", fmt::format("imports nested more than {} deep", max_import_depth),
                "an import chain this long is a generated or hostile file; flatten it");
  if (imported_.size() >= max_imported_files)
    return fail("E0708", fmt::format("more than {} files imported", max_imported_files),
                "merge the files, or import fewer");
  // Bounded like every read (runtime/io/file_io.hpp): no directory, FIFO, device
  // or /proc file, nothing over 8 MiB.
  std::string text;
  if (auto problem = files::read_regular(target.string(), text)) {
    if (problem->code == "E0004") return fail("E0704", problem->message);
    return fail(problem->code, problem->message, problem->help);
  }
  imported_.insert(canonical);
  auto imported = std::make_shared<const lang::source_file>(target.string(), std::move(text));
  lang::program program;
  if (!lang::parse_program(imported, program, diags).ok) return false;
  import_stack_.push_back(canonical);
  // Run as a file runs, so its designs are searched with their requirements
  // (checking goes statement by statement, as `check` does).
  bool ok = true;
  if (checking_) {
    for (const auto& st : program.statements) ok = run_statement(st, imported, out, diags) && ok;
  } else {
    ok = run(program, out, diags);
  }
  import_stack_.pop_back();
  return ok;
}

bool interpreter::declare(const lang::decl_stmt& d, const lang::source_ptr& source, lang::diagnostics& diags) {
  bool declared = declare_entity(d, source, diags);
  if (!declared && (!globals_.count(d.name) || redefinition_allowed_) && !reg_->find(d.name)) {
    globals_[d.name] = value{};  // poisoned: later uses stay silent
    declared_at_[d.name] = d.name_span;
  }
  return declared;
}

bool interpreter::declare_entity(const lang::decl_stmt& d, const lang::source_ptr& source, lang::diagnostics& diags) {
  auto error = [&](std::string code, lang::span where, std::string message) -> lang::diagnostic& {
    lang::diagnostic diag;
    diag.code = std::move(code);
    diag.source = source;
    diag.primary = where;
    diag.message = std::move(message);
    return diags.add(std::move(diag));
  };
  const kind_schema* kind = find_kind(d.kind);
  if (refuse_reserved(d.name, d.name_span, source, diags)) return false;
  if (auto existing = reg_->find(d.name)) {
    error("E0501", d.name_span, fmt::format("'{}' is already a registry {}", d.name, existing->kind)).help =
        fmt::format("choose another name, or write `{} My{} extends {} {{ ... }}`", d.kind, d.name, d.name);
    return false;
  }
  if (auto it = declared_at_.find(d.name); it != declared_at_.end() && !redefinition_allowed_) {
    error("E0503", d.name_span, fmt::format("'{}' is already defined", d.name)).secondary.push_back({it->second, "defined here"});
    return false;
  }
  if (auto it = designs_.find(d.name); it != designs_.end() && !redefinition_allowed_) {
    error("E0503", d.name_span, fmt::format("'{}' is already defined", d.name)).secondary.push_back({it->second, "the design"});
    return false;
  }
  auto entity = std::make_shared<record>();
  entity->kind = d.kind;
  entity->name = d.name;
  entity->origin = source->name();
  const template_schema* tmpl = nullptr;
  if (d.from_template) {
    tmpl = find_template(*kind, d.base);
    if (!tmpl) {
      std::vector<std::string> names;
      for (const auto& t : kind->templates) names.push_back(t.name);
      auto& diag = error("E0505", d.base_span, fmt::format("{} has no template '{}'", d.kind, d.base));
      diag.help = names.empty() ? fmt::format("declare it with `extends` an existing {}", d.kind)
                                : fmt::format("the {} templates are {}", d.kind, join_alternatives(names));
      return false;
    }
    entity->fields = tmpl->defaults;
  } else if (!d.base.empty()) {
    const value* declared = lookup(d.base);
    record_ptr base = declared && declared->as_record() ? std::get<record_ptr>(declared->v) : reg_->find(d.base);
    if (!base) {
      std::vector<std::string> candidates = reg_->names(d.kind);
      for (const auto& [n, v] : globals_)
        if (v.as_record() && v.as_record()->kind == d.kind) candidates.push_back(n);
      auto near = suggest(d.base, candidates);
      auto& diag = error("E0102", d.base_span, fmt::format("unknown {} '{}'", d.kind, d.base));
      if (!near.empty()) diag.help = fmt::format("did you mean {}?", join_alternatives(near));
      return false;
    }
    if (base->kind != d.kind) {
      error("E0504", d.base_span, fmt::format("{} '{}' cannot extend {}: it is a {}", d.kind, d.name, d.base, base->kind));
      return false;
    }
    entity->fields = base->fields;
  }
  bool ok = true;
  std::vector<std::string> given;
  for (const auto& f : d.fields) {
    const field_schema* fs = find_field(*kind, f.name);
    if (!fs) {
      std::vector<std::string> names;
      for (const auto& candidate : kind->fields) names.push_back(candidate.name);
      auto& diag = error("E0506", f.name_span, fmt::format("{} has no field '{}'", d.kind, f.name));
      diag.help = did_you_mean(f.name, names, "its fields are");
      ok = false;
      continue;
    }
    if (std::find(given.begin(), given.end(), f.name) != given.end()) {
      error("E0210", f.name_span, fmt::format("field '{}' is given twice", f.name));
      ok = false;
      continue;
    }
    given.push_back(f.name);
    evaluator ev(*reg_, globals_, source, diags);
    // A word field takes a bare word even where a solver has that name (role = prefill).
    const auto* bare = std::get_if<lang::name_ref>(&f.value->node);
    std::optional<evaluated> v;
    if (fs->kind == field_kind::word && bare && find_builtin(bare->name) && !globals_.count(bare->name))
      v = evaluated{value{symbol{bare->name}}};
    else
      v = fs->kind == field_kind::word || fs->kind == field_kind::entity ? ev.eval(*f.value) : ev.eval_value(*f.value);
    if (!v) {
      ok = false;
      continue;
    }
    if (fs->kind == field_kind::entity && v->v.as_symbol()) {
      auto near = suggest(v->v.as_symbol()->name, reg_->names(fs->entity_kind));
      auto& diag = error("E0102", f.value->where, fmt::format("unknown {} '{}'", fs->entity_kind, v->v.as_symbol()->name));
      if (!near.empty()) diag.help = fmt::format("did you mean {}?", join_alternatives(near));
      ok = false;
      continue;
    }
    if (auto want = field_mismatch(*fs, v->v)) {
      auto& diag = error("E0507", f.value->where,
                         fmt::format("{} {}: field '{}' must be {}, not {}", d.kind, d.name, f.name, *want, describe(v->v)));
      diag.primary_label = fs->doc;
      ok = false;
      continue;
    }
    if (const auto* q = v->v.as_quantity(); fs->at_least_one && q && q->si < 1) {
      auto& diag = error("E0232", f.value->where,
                         fmt::format("{} {}: field '{}' must be at least 1, got {}", d.kind, d.name, f.name,
                                     format_value(v->v, reg_->units())));
      diag.help = fmt::format("{}: a {} of no devices or replicas serves nothing; leave `{}` out to use the default",
                              fs->doc, d.kind, f.name);
      ok = false;
      continue;
    }
    // Numbers at the edges: a negative field, a zero bandwidth or rate a solver
    // would divide by, or a size the schema says cannot be zero (0 layers), is
    // refused where it is written.
    const auto* q = v->v.as_quantity();
    auto least = field_below_least(*fs, v->v);
    if (!least && q && q->si == 0 && is_throughput(q->d)) least = "above zero";
    if (least) {
      auto& diag = error("E0219", f.value->where,
                         fmt::format("{} {}: field '{}' must be {}, got {}", d.kind, d.name, f.name, *least,
                                     format_value(v->v, reg_->units())));
      if (!q) diag.help = fmt::format("{}: every entry must be {}", fs->doc, *least);
      else if (fs->at_least == field_schema::least::one) diag.help = fmt::format("{}: 1 means no overhead", fs->doc);
      else if (q->d.dimensionless()) diag.help = fmt::format("{}: give a number {}", fs->doc, *least);
      else if (q->si < 0) diag.help = fmt::format("{}: give 0 {} or more", fs->doc, base_unit_text(q->d));
      else diag.help = fmt::format("{}: give more than 0 {}", fs->doc, base_unit_text(q->d));
      ok = false;
      continue;
    }
    // Words are stored as text, as the registry's TOML stores them.
    value stored = v->v.as_symbol() ? value{v->v.as_symbol()->name} : v->v;
    auto existing = std::find_if(entity->fields.begin(), entity->fields.end(), [&](const field& x) { return x.name == f.name; });
    if (existing != entity->fields.end()) existing->v = stored;
    else entity->fields.push_back(field{f.name, stored, {}});
  }
  if (!ok) return false;
  const auto& required = tmpl ? tmpl->required : (d.base.empty() ? kind->required : std::vector<std::string>{});
  std::vector<std::string> missing;
  for (const auto& r : required)
    if (!entity->find(r)) missing.push_back(r);
  if (!missing.empty()) {
    auto& diag = error("E0508", d.name_span,
                       fmt::format("{} '{}' is missing {} {}", d.kind, d.name, missing.size() == 1 ? "field" : "fields",
                                   join_all(missing)));
    diag.help = tmpl ? fmt::format("a {} {} needs {}", d.base, d.kind, join_all(tmpl->required))
                     : fmt::format("or declare it with `extends` an existing {}", d.kind);
    return false;
  }
  globals_[d.name] = value{record_ptr(entity)};
  declared_at_[d.name] = d.name_span;
  return true;
}

std::string interpreter::show_value(const value& v) const {
  const record* r = v.as_record();
  if (auto table = format_record_table(v, reg_->units())) return *table;  // a list of result records
  if (!r) return format_value(v, reg_->units());
  // A record prints as a table of its fields; nested tables inline.
  std::size_t width = 0;
  for (const auto& f : r->fields) width = std::max(width, f.name.size());
  std::string out = r->name.empty() ? r->kind + " result" : r->kind + " " + r->name;
  if (!r->infeasible.empty()) out += "\n  " + infeasible_line(*r);
  bool cited = false;
  std::vector<std::string> histories;
  const auto* kind = r->name.empty() ? nullptr : find_kind(r->kind);
  for (const auto& f : r->fields) {
    // An entity's citations are paragraphs: `zoo show` prints them, not a value.
    if (!r->name.empty() && (f.name == "source" || f.name == "sources")) {
      cited = true;
      continue;
    }
    // A dated history is a table of its own: `NAME.cloud_price_history`.
    if (const auto* fs = kind ? find_field(*kind, f.name) : nullptr; fs && fs->kind == field_kind::history) {
      histories.push_back(r->name + "." + f.name);
      continue;
    }
    std::string shown;
    if (const auto* sub = f.v.as_record(); sub && sub->name.empty()) {
      for (const auto& g : sub->fields) shown += (shown.empty() ? "" : ", ") + g.name + " " + format_value(g.v, reg_->units());
    } else {
      shown = format_field(*r, f, reg_->units());
    }
    out += fmt::format("\n  {:<{}}  {}", f.name, width, shown);
  }
  if (!histories.empty()) out += fmt::format("\n  (dated prices: {})", join_all(histories));
  if (cited) out += fmt::format("\n  (sources: ironlaw zoo show {})", r->name);
  return out;
}

std::string interpreter::show(const evaluated& e) const {
  if (e.shown_in) {
    if (const auto* q = e.v.as_quantity()) return unit_table::format_in(*q, *e.shown_in, e.shown_in_text);
  }
  auto text = show_value(e.v);
  if (!e.note.empty() && !e.v.as_record()) text += "  (" + e.note + ")";
  return text;
}

}  // namespace ironlaw::runtime
