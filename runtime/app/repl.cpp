#include "ironlaw/runtime/app/repl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>

#include "../io/file_io.hpp"
#include "ironlaw/lang/parse.hpp"
#include "ironlaw/lang/print.hpp"
#include "ironlaw/runtime/interp/builtins.hpp"
#include "ironlaw/runtime/interp/suggest.hpp"
#include "../search/compile.hpp"
#include "../interp/math_functions.hpp"

namespace ironlaw::runtime {
namespace {

constexpr const char* commands_help = R"(Type a statement or an expression; its value prints with its unit.
`ans` is the last value. A statement continues on the next line while a
bracket is open or a line ends with an operator.

  :help [NAME]     this text, or a solver's parameters, defaults and results
  :why EXPR        the value with how it was derived and which term dominates
  :type EXPR       the dimension and unit (or kind) of an expression
  :zoo KIND [where COND]   registry entries, e.g. :zoo hardware where memory >= 80 GB
  :load FILE       run a scenario file in this session      :reload  again, after :reset
  :save FILE       write this session's definitions as a scenario file (:save! FILE replaces one)
  :reset           forget every definition                   :quit    leave (or Ctrl-D)
)";

std::string trim(std::string s) {
  auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

// A pasted transcript keeps its prompts: drop them.
std::string strip_prompt(const std::string& line) {
  for (std::string_view prompt : {"ironlaw> ", "   ...> "})
    if (line.rfind(prompt, 0) == 0) return line.substr(prompt.size());
  return line;
}

bool is_definition(const lang::stmt& st) {
  return std::holds_alternative<lang::let_stmt>(st.node) || std::holds_alternative<lang::decl_stmt>(st.node) ||
         std::holds_alternative<lang::import_stmt>(st.node) || std::holds_alternative<lang::scenario_stmt>(st.node) ||
         std::holds_alternative<lang::design_stmt>(st.node) || std::holds_alternative<lang::require_stmt>(st.node) ||
         std::holds_alternative<lang::objective_stmt>(st.node) || std::holds_alternative<lang::report_stmt>(st.node);
}

// Which brackets, strings and string interpolations are open after `line`
// (innermost last in `open`: ( [ { for brackets, " for a string, $ for an
// interpolation). `unbalanced` once a closer does not match: the parser, not
// this scan, then decides.
void scan_line(const std::string& line, std::string& open, bool& unbalanced) {
  auto close = [&](char opener) {
    if (open.empty() || open.back() != opener) unbalanced = true;
    else open.pop_back();
  };
  for (std::size_t i = 0; i < line.size() && !unbalanced; ++i) {
    char c = line[i];
    if (!open.empty() && open.back() == '"') {
      if (c == '\\') ++i;
      else if (c == '"') open.pop_back();
      else if (c == '{') open.push_back('$');
      else if (c == '}') unbalanced = true;
      continue;
    }
    if (c == '#') break;  // a comment, to the end of the line
    if (c == '"' || c == '(' || c == '[') open.push_back(c);
    else if (c == '{') open.push_back('{');
    else if (c == ')') close('(');
    else if (c == ']') close('[');
    else if (c == '}') {
      if (!open.empty() && open.back() == '$') open.pop_back();  // back in the string
      else close('{');
    }
  }
  if (!open.empty() && open.back() == '"') unbalanced = true;  // a string cannot span lines
}

}  // namespace

repl_session::repl_session(const registry& reg, std::ostream& out, std::ostream& err, bool color)
    : reg_(&reg), out_(out), err_(err), color_(color) {
  reset();
}

void repl_session::reset() {
  interp_ = std::make_unique<interpreter>(*reg_);
  interp_->allow_redefinition(true);
  definitions_.clear();
  designs_.clear();
}

// The design a statement belongs to: its own name, the design a report names,
// or a design a requirement or objective reads; empty for anything else.
std::string repl_session::design_of(const lang::stmt& st) const {
  if (const auto* d = std::get_if<lang::design_stmt>(&st.node)) return d->name;
  if (const auto* r = std::get_if<lang::report_stmt>(&st.node)) return designs_.count(r->design) ? r->design : "";
  const lang::expr* e = nullptr;
  if (const auto* r = std::get_if<lang::require_stmt>(&st.node)) e = r->condition.get();
  if (const auto* o = std::get_if<lang::objective_stmt>(&st.node)) e = o->value.get();
  if (e)
    for (const auto& [name, statements] : designs_)
      if (search::mentions(*e, name)) return name;
  return {};
}

bool repl_session::design_statement(const lang::stmt& st, lang::diagnostics& diags) {
  auto name = design_of(st);
  auto& statements = designs_[name];
  auto before = statements;
  if (std::holds_alternative<lang::design_stmt>(st.node)) statements.clear();  // a new definition
  statements.push_back(lang::to_source(st));
  auto rerun = [&](const std::vector<std::string>& lines, std::ostream& out, lang::diagnostics& d) {
    std::string joined;
    for (const auto& line : lines) joined += line + "\n";
    auto source = std::make_shared<const lang::source_file>(fmt::format("<repl:design {}>", name), joined);
    sources_.push_back(source);
    lang::program program;
    return lang::parse_program(source, program, d).ok && interp_->run(program, out, d);
  };
  bool ok = rerun(statements, out_, diags);
  if (!ok && !before.empty()) {  // the design as it was, searched again without output
    statements = before;
    std::ostringstream quiet;
    lang::diagnostics ignored;
    rerun(statements, quiet, ignored);
  } else if (!ok) {
    designs_.erase(name);
  }
  return ok;
}

void repl_session::report(const lang::diagnostics& diags) {
  for (const auto& d : diags.items()) err_ << lang::render_human(d, color_);
  if (diags.has_errors()) failed_ = true;
}

repl_session::status repl_session::feed(const std::string& raw) {
  std::string line = strip_prompt(raw);
  if (buffer_.empty()) {
    auto t = trim(line);
    if (t.empty()) return status::ready;
    if (t[0] == ':') return command(t);
    open_.clear();
    unbalanced_ = false;
    parsed_size_ = 0;
  }
  buffer_ += line + "\n";
  // Parsing the whole statement again on every line of a 20,000-line paste is
  // quadratic. While a bracket is surely still open, a long statement is
  // parsed only when it has doubled since the last parse (linear in all):
  // typed statements (under 1 KiB) are still parsed, and their errors shown,
  // on every line.
  scan_line(line, open_, unbalanced_);
  constexpr std::size_t always_parsed = 1024;
  if (!unbalanced_ && !open_.empty() && buffer_.size() > always_parsed && buffer_.size() < 2 * parsed_size_)
    return status::continues;
  parsed_size_ = buffer_.size();
  auto source = std::make_shared<const lang::source_file>(fmt::format("<repl:{}>", ++counter_), buffer_);
  lang::diagnostics diags;
  lang::program program;
  auto parsed = lang::parse_program(source, program, diags);
  if (!parsed.ok && parsed.incomplete) {
    --counter_;
    return status::continues;
  }
  buffer_.clear();
  sources_.push_back(source);
  if (!parsed.ok) {
    report(diags);
    return status::ready;
  }
  for (const auto& st : program.statements) {
    if (const auto* e = std::get_if<lang::expr_stmt>(&st.node)) {
      auto v = interp_->evaluate(*e->value, source, diags);
      if (v) {
        out_ << interp_->show(*v) << "\n";
        interp_->define("ans", v->v);
      }
      continue;
    }
    bool ok = design_of(st).empty() ? interp_->execute(st, source, out_, diags) : design_statement(st, diags);
    if (ok && is_definition(st)) definitions_.push_back(lang::to_source(st));
  }
  report(diags);
  return status::ready;
}

std::optional<evaluated> repl_session::evaluate_text(const std::string& text, lang::diagnostics& diags) {
  auto source = std::make_shared<const lang::source_file>(fmt::format("<repl:{}>", ++counter_), text);
  sources_.push_back(source);
  lang::expr_ptr e;
  if (!lang::parse_expression(source, e, diags).ok) return std::nullopt;
  return interp_->evaluate(*e, source, diags);
}

repl_session::status repl_session::command(const std::string& line) {
  auto space = line.find_first_of(" \t");
  std::string name = line.substr(1, space == std::string::npos ? std::string::npos : space - 1);
  std::string arg = space == std::string::npos ? "" : trim(line.substr(space));
  if (name == "quit" || name == "q" || name == "exit") return status::quit;
  if (name == "help" || name == "h" || name == "?") help(arg);
  else if (name == "why") why(arg);
  else if (name == "type" || name == "t") type_of(arg);
  else if (name == "zoo") {
    lang::diagnostics diags;
    auto v = evaluate_text("zoo " + arg, diags);
    if (v) out_ << interp_->show(*v) << "\n";
    report(diags);
  } else if (name == "load") {
    if (arg.empty()) {
      err_ << "error: :load takes a file name\n";
      failed_ = true;
    } else if (std::string text; read(arg, text)) {
      if (std::find(loaded_.begin(), loaded_.end(), arg) == loaded_.end()) loaded_.push_back(arg);
      run_source(arg, text, true);
    }
  } else if (name == "reload") {
    reset();
    auto files = loaded_;
    for (const auto& f : files)
      if (std::string text; read(f, text)) run_source(f, text, true);
    out_ << fmt::format("reloaded {} file{}\n", files.size(), files.size() == 1 ? "" : "s");
  } else if (name == "save" || name == "save!") {
    if (arg.empty()) {
      err_ << fmt::format("error: :{} takes a file name\n", name);
      failed_ = true;
    } else {
      save(arg, name == "save!");
    }
  } else if (name == "reset") {
    reset();
    loaded_.clear();
    out_ << "every definition forgotten\n";
  } else {
    static const std::vector<std::string> names = {"help", "why", "type", "zoo", "load", "reload", "save", "reset", "quit"};
    auto near = suggest(name, names);
    err_ << fmt::format("error: unknown command ':{}'{}\n", name,
                        near.empty() ? "; :help lists them" : "; did you mean :" + near.front() + "?");
    failed_ = true;
  }
  return status::ready;
}

void repl_session::run_source(const std::string& name, const std::string& text, bool remember) {
  auto source = std::make_shared<const lang::source_file>(name, text);
  sources_.push_back(source);
  lang::diagnostics diags;
  lang::program program;
  if (lang::parse_program(source, program, diags).ok) {
    for (const auto& st : program.statements) {
      bool ok = design_of(st).empty() ? interp_->execute(st, source, out_, diags) : design_statement(st, diags);
      if (ok && remember && is_definition(st)) definitions_.push_back(lang::to_source(st));
    }
  }
  report(diags);
}

// A file for :load and :reload, bounded like every read (runtime/io/file_io.hpp);
// false with the diagnostic shown.
bool repl_session::read(const std::string& path, std::string& text) {
  auto problem = files::read_regular(path, text);
  if (!problem) return true;
  lang::diagnostics diags;
  diags.add(files::to_diagnostic(*problem));
  report(diags);
  return false;
}

// Atomically; an existing file is replaced only when this session saved it,
// or with `:save! FILE`.
bool repl_session::save(const std::string& path, bool force) {
  std::string text = "# Saved from an ironlaw REPL session.\n";
  for (const auto& d : definitions_) text += d + "\n";
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec).lexically_normal().string();
  bool ours = std::find(saved_.begin(), saved_.end(), absolute) != saved_.end();
  auto problem = files::write_atomic(path, text, force || ours ? files::existing::replace : files::existing::refuse);
  if (problem) {
    if (problem->code == "E1502") problem->help = fmt::format("`:save! {}` replaces it", path);
    lang::diagnostics diags;
    diags.add(files::to_diagnostic(*problem));
    report(diags);
    return false;
  }
  if (!ours) saved_.push_back(absolute);
  out_ << fmt::format("saved {} definition{} to {}\n", definitions_.size(), definitions_.size() == 1 ? "" : "s", path);
  return true;
}

void repl_session::help(const std::string& topic) {
  if (topic.empty()) {
    out_ << commands_help << "\nFunctions: " << join_alternatives(builtin_names())
         << "\nMath functions: " << join_alternatives(math::names()) << "\n";
    return;
  }
  if (const auto* m = math::find(topic)) {
    out_ << math::describe(*m);
    return;
  }
  const builtin* fn = find_builtin(topic);
  if (!fn) {
    auto near = suggest(topic, builtin_names());
    err_ << fmt::format("error: no function '{}'{}\n", topic,
                        near.empty() ? "" : "; did you mean " + join_alternatives(near) + "?");
    failed_ = true;
    return;
  }
  out_ << describe_builtin(*fn);
}

// What every roofline-shaped result shares: an achieved value is its bound
// over the efficiency of the resource that binds, and the bound is the
// largest of the time terms. Prints both with the values substituted.
void repl_session::derivation(const record& r, const std::string& asked) {
  const auto& units = reg_->units();
  auto quantity_field = [&](const std::string& name) -> const quantity* {
    const field* g = r.find(name);
    return g ? g->v.as_quantity() : nullptr;
  };
  const field* bottleneck = r.find("bottleneck");
  const auto* binding = bottleneck ? bottleneck->v.as_symbol() : nullptr;
  const quantity* value = quantity_field(asked);
  const quantity* bound = quantity_field(asked + "_bound");
  if (value && bound && binding) {
    std::string eff = binding->name == "memory" ? "bandwidth_efficiency" : "compute_efficiency";
    if (const quantity* e = quantity_field(eff); e && e->si > 0)
      out_ << fmt::format("{} = {}_bound / {} ({}-bound) = {} / {} = {}\n", asked, asked, eff, binding->name,
                          units.format(*bound), format_number(e->si), units.format(*value));
  }
  // The time terms, largest first, with their shares.
  std::vector<std::pair<std::string, const quantity*>> terms;
  for (const auto& g : r.fields) {
    const auto* q = g.v.as_quantity();
    bool term = g.name.ends_with("_time") || g.name == "allreduce";
    if (q && term && q->d == dim::of(base_dim::time)) terms.emplace_back(g.name, q);
  }
  if (terms.size() < 2) return;
  std::stable_sort(terms.begin(), terms.end(), [](const auto& a, const auto& b) { return a.second->si > b.second->si; });
  double largest = terms.front().second->si;
  if (largest <= 0) return;
  std::string shares;
  for (const auto& [name, q] : terms)
    shares += fmt::format("{}{} {}{}", shares.empty() ? "" : ", ", name, units.format(*q),
                          q == terms.front().second ? "" : fmt::format(" ({}x)", format_number(q->si / largest)));
  out_ << "time terms, largest first: " << shares << "\n";
  double next = terms[1].second->si;
  out_ << fmt::format("dominant: {}{}\n", terms[0].first,
                      next > 0 ? fmt::format(", {}x the next term", format_number(terms[0].second->si / next))
                               : ", every other term is zero");
}

void repl_session::why(const std::string& text) {
  lang::diagnostics diags;
  auto v = evaluate_text(text, diags);
  if (!v) {
    report(diags);
    return;
  }
  out_ << interp_->show(*v) << "\n";
  // The derivation lives on the record the value came from: find it by
  // evaluating the expression without its last field.
  auto dot = text.find_last_of('.');
  if (dot == std::string::npos) return;
  lang::diagnostics quiet;
  auto parent = evaluate_text(text.substr(0, dot), quiet);
  const record* r = parent ? parent->v.as_record() : nullptr;
  if (!r) return;
  const field* f = find_field(*r, trim(text.substr(dot + 1)));
  if (!r->infeasible.empty()) out_ << infeasible_line(*r) << " (the value above is what it would be if it fit)\n";
  if (f && !f->why.empty()) {
    out_ << f->why << "\n";
    return;
  }
  derivation(*r, f ? f->name : std::string());
  // No written derivation: show the record's other quantities, which are
  // the terms the value came from.
  out_ << fmt::format("from the {}:\n", r->name.empty() ? r->kind + " result" : r->kind + " " + r->name);
  for (const auto& g : r->fields) {
    if (f && g.name == f->name) continue;
    if (!g.v.as_quantity() && !g.v.as_symbol()) continue;
    out_ << fmt::format("  {:<22} {}{}\n", g.name, format_field(*r, g, reg_->units()),
                        g.note.empty() ? "" : "  (" + g.note + ")");
  }
}

void repl_session::type_of(const std::string& text) {
  lang::diagnostics diags;
  auto v = evaluate_text(text, diags);
  if (!v) {
    report(diags);
    return;
  }
  if (const auto* q = v->v.as_quantity()) {
    auto unit = base_unit_text(q->d);
    out_ << (q->d.dimensionless() ? std::string("a plain number")
                                  : fmt::format("{} ({})", describe(q->d), v->shown_in ? v->shown_in_text : unit))
         << "\n";
    return;
  }
  if (const auto* r = v->v.as_record()) {
    std::vector<std::string> names;
    for (const auto& f : r->fields) names.push_back(f.name);
    out_ << fmt::format("{} with fields {}\n", describe(v->v), join_all(names));
    return;
  }
  out_ << describe(v->v) << "\n";
}

std::vector<std::string> repl_session::complete(const std::string& line, std::size_t cursor) const {
  cursor = std::min(cursor, line.size());
  std::size_t start = cursor;
  auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':'; };
  while (start > 0 && word_char(line[start - 1])) --start;
  std::string word = line.substr(start, cursor - start);
  std::vector<std::string> pool;
  auto before = start > 0 ? line[start - 1] : '\0';
  std::size_t back = start;
  while (back > 0 && line[back - 1] == ' ') --back;
  char before_space = back > 0 ? line[back - 1] : '\0';

  if (before == '.') {
    // Fields of the value before the dot: a name, or a call's result.
    std::size_t end = start - 1;
    std::size_t begin = end;
    if (end > 0 && line[end - 1] == ')') {
      int depth = 0;
      for (begin = end; begin > 0; --begin) {
        char c = line[begin - 1];
        if (c == ')') ++depth;
        if (c == '(' && --depth == 0) break;
      }
      if (begin > 0) --begin;
      std::size_t name_begin = begin;
      while (name_begin > 0 && word_char(line[name_begin - 1])) --name_begin;
      if (const builtin* fn = find_builtin(line.substr(name_begin, begin - name_begin)))
        for (const auto& r : fn->results) pool.push_back(r.name);
    } else {
      while (begin > 0 && word_char(line[begin - 1])) --begin;
      std::string name = line.substr(begin, end - begin);
      record_ptr r;
      if (const value* v = interp_->lookup(name); v && v->as_record()) r = std::get<record_ptr>(v->v);
      if (!r) r = reg_->find(name);
      if (r)
        for (const auto& f : r->fields) pool.push_back(f.name);
    }
  } else if (word.rfind(":", 0) == 0 && start == 0) {
    pool = {":help", ":why", ":type", ":zoo", ":load", ":reload", ":save", ":reset", ":quit"};
  } else if (std::isdigit(static_cast<unsigned char>(before_space)) && back < start) {
    pool = reg_->units().spellings();  // a unit after a number
    for (std::string_view p : {"k", "M", "G", "T", "P", "m", "µ", "n", "Ki", "Mi", "Gi", "Ti"})
      for (std::string_view u : {"B", "b", "FLOP", "FLOP/s", "B/s", "s", "W", "Wh", "token", "USD"})
        pool.push_back(std::string(p) + std::string(u));
  } else {
    pool = reg_->names();
    for (const auto& b : builtin_names()) pool.push_back(b);
    for (auto& m : math::names()) pool.push_back(std::move(m));
    // Inside a call: its parameter names.
    int depth = 0;
    for (std::size_t i = start; i > 0; --i) {
      char c = line[i - 1];
      if (c == ')') ++depth;
      if (c == '(' && depth-- == 0) {
        std::size_t name_end = i - 1, name_begin = name_end;
        while (name_begin > 0 && word_char(line[name_begin - 1])) --name_begin;
        if (const builtin* fn = find_builtin(line.substr(name_begin, name_end - name_begin)))
          for (const auto& p : fn->params) pool.push_back(p.name + " =");
        break;
      }
    }
    for (const auto& w : builtin_words()) pool.push_back(w);
  }
  std::vector<std::string> out;
  for (const auto& c : pool)
    if (c.rfind(word, 0) == 0 && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  std::sort(out.begin(), out.end());
  return out;
}

int run_repl(const registry& reg, std::istream& in, std::ostream& out, std::ostream& err, bool terminal, bool color) {
  repl_session session(reg, out, err, color);
  if (terminal) return run_repl_terminal(session);
  std::string line;
  while (std::getline(in, line))
    if (session.feed(line) == repl_session::status::quit) break;
  if (session.pending()) {
    err << "error: the input ended inside a statement (an open bracket or a trailing operator)\n";
    return 1;
  }
  return session.failed() ? 1 : 0;
}

}  // namespace ironlaw::runtime
