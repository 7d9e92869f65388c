#include "grader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <ostream>
#include <streambuf>

#include "answer_check.hpp"
#include "rubric_design.hpp"
#include "../../search/design.hpp"
#include "ironlaw/lang/parse.hpp"
#include "ironlaw/lang/print.hpp"

namespace ironlaw::runtime::grading {

namespace {

// Discards what a submission prints, however much.
class null_buffer : public std::streambuf {
 protected:
  int overflow(int c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

// At most `cap` diagnostics, one line each, indented.
std::string short_list(const lang::diagnostics& diags, std::size_t cap = 5) {
  std::string out;
  std::size_t shown = 0;
  for (const auto& d : diags.items()) {
    if (d.level != lang::severity::error) continue;
    if (shown++ == cap) {
      out += fmt::format("\n  ... and {} more", diags.error_count() - cap);
      break;
    }
    out += "\n  " + lang::render_short(d);
    if (!d.help.empty()) out += " (help: " + d.help + ")";
  }
  return out;
}

// The first error's message, for a one-line reason.
std::string first_error(const lang::diagnostics& diags) {
  for (const auto& d : diags.items())
    if (d.level == lang::severity::error) return d.message;
  return "it does not evaluate";
}

// The faculty's `feedback when` rules that hold for this submitted value.
std::vector<std::string> matching_feedback(variant_session& session, const question_instance& q, const value& submitted) {
  std::vector<std::string> out;
  auto& interp = session.interp();
  const auto& source = session.file().program.source;
  interp.define("answer", q.answer);
  interp.define("submitted", submitted);
  for (const auto& rule : q.decl->feedback) {
    lang::diagnostics quiet;  // a rule that cannot compare (another dimension) simply does not match
    auto holds = interp.evaluate(*rule.condition, source, quiet);
    if (!holds || quiet.has_errors() || !std::holds_alternative<bool>(holds->v.v) || !std::get<bool>(holds->v.v)) continue;
    auto message = interp.evaluate(*rule.message, source, quiet);
    if (message) out.push_back(format_value(message->v, interp.reg().units()));
  }
  return out;
}

// The names a condition reads (`fleet` and `sla` in `fleet.itl <= sla`).
void names_read(const lang::expr& e, std::vector<std::string>& out) {
  if (const auto* n = std::get_if<lang::name_ref>(&e.node)) out.push_back(n->name);
  else if (const auto* f = std::get_if<lang::field_expr>(&e.node)) names_read(*f->object, out);
  else if (const auto* b = std::get_if<lang::binary_expr>(&e.node)) names_read(*b->lhs, out), names_read(*b->rhs, out);
  else if (const auto* u = std::get_if<lang::unary_expr>(&e.node)) names_read(*u->operand, out);
}

// The scope a rubric is evaluated in, which the student cannot change: the
// parameters and the faculty file's names, then the submission's design blocks
// that the engine searched and that are built from allowed entities and
// prices. A student's `let`s are not in it. `refused` says why a design the
// rubric may read was left out.
interpreter rubric_scope(variant_session& session, interpreter& sub, const lang::program& program,
                         std::map<std::string, std::string, std::less<>>& refused) {
  interpreter scope(sub.reg());
  session.reserve_names(scope);
  for (const auto& st : program.statements) {
    const auto* d = std::get_if<lang::design_stmt>(&st.node);
    if (!d || session.is_faculty_name(d->name) || !sub.is_design(d->name)) continue;
    const auto* v = sub.lookup(d->name);
    if (!v || !v->as_record()) continue;  // the search failed: the diagnostics say why
    if (auto problem = design_problem(session, sub, program.source, *d)) {
      refused.emplace(d->name, *problem);
      continue;
    }
    scope.define(d->name, *v);
  }
  return scope;
}

// Why a condition could not be evaluated, in the student's terms.
std::string unmet_reason(const interpreter& scope, const interpreter& sub, const lang::expr& condition,
                         const std::map<std::string, std::string, std::less<>>& refused, const lang::diagnostics& quiet) {
  std::vector<std::string> names;
  names_read(condition, names);
  for (const auto& name : names) {
    if (scope.lookup(name) || scope.reg().find(name)) continue;
    if (auto it = refused.find(name); it != refused.end()) return fmt::format("design '{}' is not graded: {}", name, it->second);
    if (sub.lookup(name) && !sub.is_design(name))
      return fmt::format("'{}' is not a design block: a rubric grades a design the engine searched", name);
    if (sub.is_design(name)) return fmt::format("design '{}' has no result (its errors are listed above)", name);
    return fmt::format("your scenario declares no design '{}'", name);
  }
  return first_error(quiet);
}

test_result grade_rubric(variant_session& session, const question_instance& q, interpreter& scope, const interpreter& sub,
                         const std::map<std::string, std::string, std::less<>>& refused) {
  test_result t{q.name, 0, q.points, {}, q.hidden};
  const auto& source = session.file().program.source;
  std::size_t met = 0;
  std::string last_why;  // said once for the conditions that fail for the same reason
  for (const auto* condition : q.rubric) {
    lang::diagnostics quiet;
    auto v = scope.evaluate(*condition, source, quiet);
    std::string text = lang::to_source(*condition);
    const bool* holds = v && !quiet.has_errors() ? std::get_if<bool>(&v->v.v) : nullptr;
    if (!holds) {
      auto why = unmet_reason(scope, sub, *condition, refused, quiet);
      t.output += fmt::format("{}not met: {} ({})", t.output.empty() ? "" : "\n", text, why == last_why ? "the same" : why);
      last_why = why;
      continue;
    }
    // The measured side, so a student sees how far off the design is.
    std::string measured;
    if (const auto* b = std::get_if<lang::binary_expr>(&condition->node)) {
      lang::diagnostics ignore;
      if (auto lhs = scope.evaluate(*b->lhs, source, ignore); lhs && lhs->v.as_quantity())
        measured = fmt::format(" ({} = {})", lang::to_source(*b->lhs), format_value(lhs->v, scope.reg().units()));
    }
    met += *holds ? 1 : 0;
    t.output += fmt::format("{}{}: {}{}", t.output.empty() ? "" : "\n", *holds ? "met" : "not met", text, measured);
  }
  t.score = q.points * static_cast<double>(met) / static_cast<double>(q.rubric.size());
  t.output = fmt::format("{} of {} rubric items met\n", met, q.rubric.size()) + t.output;
  return t;
}

// Drops the submission's copies of the faculty file's definitions, word for
// word (the student copy carries the assignment's declarations so the file
// runs on its own): the same text defines the same thing, so it is no
// redefinition. Any other definition of a reserved name is still E1006.
void drop_faculty_copies(const variant_session& session, lang::program& program) {
  std::vector<std::string> faculty;
  for (const auto& st : session.file().program.statements)
    if (std::holds_alternative<lang::decl_stmt>(st.node) || std::holds_alternative<lang::let_stmt>(st.node))
      faculty.push_back(lang::to_source(st));
  if (faculty.empty()) return;
  std::vector<lang::stmt> kept;
  for (auto& st : program.statements) {
    bool definition = std::holds_alternative<lang::decl_stmt>(st.node) || std::holds_alternative<lang::let_stmt>(st.node);
    if (definition && std::find(faculty.begin(), faculty.end(), lang::to_source(st)) != faculty.end()) continue;
    kept.push_back(std::move(st));
  }
  program.statements = std::move(kept);
}

test_result grade_question(variant_session& session, const question_instance& q, interpreter& sub,
                           const lang::expr* given, const lang::source_ptr& source, const grading_limits& limits) {
  test_result t{q.name, 0, q.points, {}, q.hidden};
  if (!given) {
    t.output = fmt::format("no answer: write `{} = ...` in an answers block", q.name);
    return t;
  }
  lang::diagnostics diags;
  auto submitted = read_answer(sub, *given, source, diags);
  if (!submitted || diags.has_errors()) {
    t.output = "could not read your answer:" + short_list(diags, 2);
    return t;
  }
  auto verdict = check_answer(q, *submitted, sub.reg().units(), limits.reveal);
  t.score = q.points * verdict.credit;
  t.output = verdict.message;
  if (verdict.credit < 1)
    for (const auto& message : matching_feedback(session, q, *submitted)) t.output += "\nfeedback: " + message;
  return t;
}

}  // namespace

grade_report failed_report(variant_session& session, const std::string& student, const std::string& status,
                           const std::string& why) {
  grade_report r;
  r.title = session.file().title;
  r.student = student;
  r.variant = session.describe_variant();
  r.status = status;
  r.output = why;
  for (const auto& q : session.questions())
    r.tests.push_back({q.name, 0, q.points, fmt::format("not graded: {} (see the overall output)", status), q.hidden});
  return r;
}

grade_report grade_submission(variant_session& session, const lang::source_ptr& submission, const std::string& student,
                              const grading_limits& limits) {
  auto started = std::chrono::steady_clock::now();
  auto finish = [&](grade_report r) {
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return r;
  };
  if (submission->text().size() > limits.max_bytes)
    return finish(failed_report(session, student, "too large",
                                fmt::format("the submission is {} bytes, more than the limit of {}",
                                            submission->text().size(), limits.max_bytes)));
  lang::diagnostics diags;
  lang::program program;
  lang::parse_limits parse{limits.max_bytes, limits.max_depth};
  if (!lang::parse_program(submission, program, diags, parse).ok)
    return finish(failed_report(session, student, "does not parse", "the file does not parse:" + short_list(diags)));

  drop_faculty_copies(session, program);
  grade_report r;
  r.title = session.file().title;
  r.student = student;
  r.variant = session.describe_variant();
  interpreter sub(session.interp().reg());
  session.reserve_names(sub);  // the parameters and the faculty's names win (E1006)
  sub.allow_imports(false);
  sub.allow_calibration(false);  // `measured` would move the efficiencies a design question is checked with
  search_options search;
  search.threads = 1;
  search.max_points = limits.max_points;
  sub.set_search_options(search);
  null_buffer sink_buffer;
  std::ostream sink(&sink_buffer);
  if (limits.run_designs) {
    sub.run(program, sink, diags);
  } else {
    for (const auto& st : program.statements) {
      bool design = std::holds_alternative<lang::design_stmt>(st.node) || search::part_of_design(program, st);
      if (!design) sub.execute(st, program.source, sink, diags);
    }
  }
  if (diags.has_errors())
    r.output = "your file has errors (questions that need what failed get no credit):" + short_list(diags);

  std::map<std::string, const lang::expr*, std::less<>> given;
  for (const auto& st : program.statements) {
    const auto* a = std::get_if<lang::answers_stmt>(&st.node);
    if (!a) continue;
    for (const auto& f : a->answers) given.emplace(f.name, f.value.get());  // the first of repeated answers counts
  }
  for (const auto& [name, e] : given) {
    bool known = false;
    for (const auto& q : session.questions()) known = known || q.name == name;
    if (!known) r.output += fmt::format("{}an answer to '{}', which is not a question, is ignored", r.output.empty() ? "" : "\n", name);
  }
  std::map<std::string, std::string, std::less<>> refused;
  auto scope = rubric_scope(session, sub, program, refused);
  for (const auto& q : session.questions()) {
    if (q.kind == answer_kind::rubric) {
      if (limits.run_designs) r.tests.push_back(grade_rubric(session, q, scope, sub, refused));
      else r.tests.push_back({q.name, 0, q.points, "not graded: the submission's designs were not run (see the overall output)", q.hidden});
      continue;
    }
    auto it = given.find(q.name);
    r.tests.push_back(grade_question(session, q, sub, it == given.end() ? nullptr : it->second, submission, limits));
  }
  return finish(std::move(r));
}

}  // namespace ironlaw::runtime::grading
