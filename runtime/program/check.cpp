// `ironlaw check`: every statement evaluated once, without output. Designs are
// checked at a representative point (the first value of every axis), every
// axis value against its parameter; assignments at the first option of every
// `choose`, with `submitted` standing for the answer in feedback rules.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <unordered_set>

#include "../interp/evaluator.hpp"
#include "ironlaw/lang/print.hpp"
#include "ironlaw/runtime/interp/check_environment.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"

namespace ironlaw::runtime {

using detail::evaluator;

namespace {

// What kind of value an axis holds, for the consistency check.
std::string value_kind(const value& v) {
  if (const auto* q = v.as_quantity()) return describe(q->d);
  if (const auto* r = v.as_record()) return r->name.empty() ? r->kind + " result" : r->kind;
  if (v.as_symbol()) return "word";
  return describe(v);
}

// Whether two axis values are of one kind; value_kind without building text,
// so a million-value range checks in milliseconds.
bool same_kind(const value& a, const value& b) {
  const auto* qa = a.as_quantity();
  const auto* qb = b.as_quantity();
  if (qa || qb) return qa && qb && qa->same_dim(*qb);
  if (a.as_symbol() || b.as_symbol()) return a.as_symbol() && b.as_symbol();
  return value_kind(a) == value_kind(b);
}

// The values of an axis to check against its parameter. A parameter's rules
// on a quantity are bounds and whole numbers, so for a long axis of one
// dimension its smallest, its largest and its first fractional value fail
// whenever any value fails; a short list is checked value by value, so each
// bad value gets its own message.
std::vector<const value*> values_to_validate(const std::vector<value>& values) {
  constexpr std::size_t checked_one_by_one = 64;
  std::vector<const value*> out;
  if (values.size() <= checked_one_by_one || !values.front().as_quantity()) {
    for (const auto& v : values) out.push_back(&v);
    return out;
  }
  const value* low = &values.front();
  const value* high = low;
  const value* fractional = nullptr;
  for (const auto& v : values) {
    double x = v.as_quantity()->si;
    if (x < low->as_quantity()->si) low = &v;
    if (x > high->as_quantity()->si) high = &v;
    if (!fractional && x != std::floor(x)) fractional = &v;
  }
  for (const value* v : {&values.front(), low, high, fractional})
    if (v && std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  return out;
}

const param_spec* find_param(const builtin& fn, std::string_view name) {
  for (const auto& p : fn.params)
    if (p.name == name) return &p;
  return nullptr;
}

// Checks one axis value against its parameter with the same accessors (and so
// the same messages) a call uses.
bool valid_for(const builtin& fn, const param_spec& p, const value& v, lang::span where, const registry& reg,
               const lang::source_ptr& source, lang::diagnostics& diags) {
  call_args one(fn, reg, source, where, diags);
  one.bind_named(p.name, where, v, where);
  switch (p.kind) {
    case param_kind::entity: return one.entity(p.name) != nullptr;
    case param_kind::count: return one.count(p.name, 0, false).has_value();
    case param_kind::fraction: return one.fraction(p.name, 1).has_value();
    case param_kind::quantity: return one.quantity_of(p.name).has_value();
    case param_kind::word: return one.word(p.name).has_value();
    case param_kind::value: return true;  // the binding judges it when the point runs
  }
  return true;
}

}  // namespace

namespace {

bool overlaps(lang::span a, lang::span b) { return a.begin < std::max(b.end, b.begin + 1) && b.begin < std::max(a.end, a.begin + 1); }

// The static check's findings in statements where evaluation reported
// nothing: one statement's mistakes are worded once, by evaluation, and the
// static check adds what evaluation cannot reach (other options of a
// `choose`, every value of an axis).
void add_static_findings(const lang::program& program, const lang::diagnostics& found, lang::diagnostics& diags) {
  std::vector<lang::span> reported;
  for (const auto& d : diags.items())
    if (d.level == lang::severity::error) reported.push_back(d.primary);
  std::vector<lang::span> quiet_statements;
  for (const auto& st : program.statements) {
    bool quiet = true;
    for (const auto& r : reported) quiet = quiet && !overlaps(st.where, r);
    if (quiet) quiet_statements.push_back(st.where);
  }
  for (const auto& d : found.items()) {
    if (diags.full()) return;
    bool inside_quiet = false;
    for (const auto& s : quiet_statements) inside_quiet = inside_quiet || overlaps(s, d.primary);
    if (inside_quiet) diags.add(d);
  }
}

}  // namespace

lang::typed_program interpreter::check_static(const lang::program& program, lang::diagnostics& diags) const {
  check_environment env(*reg_);  // the constructor installed the function table
  std::vector<lang::field_type> predefined;
  for (const auto& [name, v] : globals_) predefined.push_back({name, type_of_value(v)});
  return lang::check(program, env, diags, predefined);
}

bool interpreter::check(const lang::program& program, lang::diagnostics& diags) {
  // Statically first (types and units everywhere: every option of a
  // `choose`, every axis value), then by evaluating each statement once
  // without searching, for what only values show (a batch of 0, a context
  // beyond the model's maximum). Evaluation's wording wins where both speak.
  lang::diagnostics found;
  check_static(program, found);
  checking_ = true;
  std::ostringstream discard;
  bool ok = true;
  for (const auto& st : program.statements) {
    if (diags.full()) {
      diags.stop();
      ok = false;
      break;
    }
    ok = run_statement(st, program.source, discard, diags) && ok;
  }
  checking_ = false;
  add_static_findings(program, found, diags);
  return ok && !diags.has_errors();
}

bool interpreter::check_statement(const lang::stmt& st, const lang::source_ptr& source, lang::diagnostics& diags) {
  if (const auto* d = std::get_if<lang::design_stmt>(&st.node)) return check_design(*d, source, diags);
  if (const auto* r = std::get_if<lang::report_stmt>(&st.node)) return check_report(*r, source, diags);
  if (const auto* a = std::get_if<lang::assignment_stmt>(&st.node)) return check_assignment(*a, source, diags);
  if (const auto* r = std::get_if<lang::require_stmt>(&st.node)) {
    auto v = evaluate(*r->condition, source, diags);
    if (!v) return false;
    if (std::holds_alternative<bool>(v->v.v)) return true;
    diags
        .error("E0212", source, r->condition->where,
               fmt::format("a requirement must be true or false, not {}", describe(v->v)))
        .help = "compare a metric with a limit, as in fleet.itl <= 50 ms";
    return false;
  }
  if (const auto* o = std::get_if<lang::objective_stmt>(&st.node)) {
    auto v = evaluate(*o->value, source, diags);
    if (!v) return false;
    if (v->v.as_quantity()) return true;
    diags.error("E0608", source, o->value->where,
                fmt::format("only a number or a quantity can be {}, not {}", o->maximize ? "maximized" : "minimized",
                            describe(v->v)));
    return false;
  }
  if (const auto* a = std::get_if<lang::answers_stmt>(&st.node)) {
    bool ok = true;
    std::unordered_set<std::string_view> seen;  // not a vector: 40,000 answers took 2.6 s
    for (const auto& f : a->answers) {
      if (!seen.insert(f.name).second) {
        diags.error("E0210", source, f.name_span, fmt::format("answer '{}' is given twice", f.name));
        ok = false;
      }
      if (std::holds_alternative<lang::name_ref>(f.value->node)) continue;  // a word as written (`memory` is also a function)
      ok = evaluate(*f.value, source, diags).has_value() && ok;
    }
    return ok;
  }
  return true;
}

namespace {

// The first point (in enumeration order, among the first `tries`) that the
// filters keep and the solver accepts; `point` and `axis_values` are left at
// it, or at the first point when there is none.
std::optional<value> representative_point(const registry& reg, const evaluator::scope& globals,
                                          const lang::design_stmt& d, const lang::call_expr& call,
                                          std::vector<evaluator::extra_arg>& point, evaluator::scope& axis_values,
                                          const lang::source_ptr& source) {
  constexpr std::uint64_t tries = 4096;
  std::optional<value> does_not_fit;  // the first accepted point, when none fits
  lang::diagnostics quiet;
  evaluator ev(reg, globals, source, quiet);
  std::vector<axis_domain> lists;
  for (const auto& a : d.axes) {
    value not_list;
    auto domain = ev.eval_axis(*a.domain, not_list);
    if (!domain || domain->empty()) return std::nullopt;
    lists.push_back(std::move(*domain));
  }
  for (std::uint64_t index = 0; index < tries; ++index) {
    // Mixed radix, the last axis fastest: the search's enumeration order.
    std::uint64_t rest = index;
    for (std::size_t a = lists.size(); a-- > 0;) {
      point[a].v = lists[a].at(rest % lists[a].size());
      axis_values[d.axes[a].name] = point[a].v;
      rest /= lists[a].size();
    }
    if (rest > 0) break;  // past the last point
    bool kept = true;
    for (const auto& f : d.filters) {
      evaluator filter(reg, globals, source, quiet, &axis_values);
      auto v = filter.eval_value(*f);
      kept = kept && v && std::holds_alternative<bool>(v->v.v) && std::get<bool>(v->v.v);
    }
    if (!kept) continue;
    quiet.clear();
    // A point that does not fit checks too, but one that fits is preferred.
    if (auto r = ev.call(call, d.solver->where, point)) {
      const record* rec = r->v.as_record();
      if (!rec || rec->infeasible.empty()) return r->v;
      if (!does_not_fit) does_not_fit = r->v;
    }
  }
  if (does_not_fit) return does_not_fit;
  for (std::size_t a = 0; a < lists.size(); ++a) {  // back to the first point, for the error
    point[a].v = lists[a].front();
    axis_values[d.axes[a].name] = point[a].v;
  }
  return std::nullopt;
}

}  // namespace

bool interpreter::check_design(const lang::design_stmt& d, const lang::source_ptr& source, lang::diagnostics& diags) {
  // A session (the REPL) may define a design again: the new one replaces it.
  if (redefinition_allowed_ && designs_.count(d.name)) {
    designs_.erase(d.name);
    globals_.erase(d.name);
  }
  if (designs_.count(d.name) || globals_.count(d.name) || reg_->find(d.name)) {
    auto& diag = diags.error("E0503", source, d.name_span, fmt::format("'{}' is already defined", d.name));
    if (auto it = designs_.find(d.name); it != designs_.end()) diag.secondary.push_back({it->second, "defined here"});
    return false;
  }
  designs_[d.name] = d.name_span;
  globals_[d.name] = value{};  // poisoned until the check succeeds
  const auto* call = std::get_if<lang::call_expr>(&d.solver->node);
  if (!call) {
    diags.error("E0603", source, d.solver->where, "a design's solver must be a call, as in serving_fleet(chat)");
    return false;
  }
  evaluator ev(*reg_, globals_, source, diags);
  const builtin* fn = ev.callee(*call);
  if (!fn) return false;

  bool ok = true;
  std::vector<evaluator::extra_arg> point;
  evaluator::scope axis_values;
  for (const auto& a : d.axes) {
    const param_spec* p = find_param(*fn, a.name);
    if (!p) {
      std::vector<std::string> names;
      for (const auto& q : fn->params) names.push_back(q.name);
      diags.error("E0605", source, a.name_span, fmt::format("{} has no parameter '{}' to vary", fn->name, a.name))
          .help = did_you_mean(a.name, names, "its parameters are");
      ok = false;
      continue;
    }
    bool in_call = false;
    for (const auto& arg : call->args) in_call = in_call || (arg.name && *arg.name == a.name);
    bool repeated = false;
    for (const auto& x : point) repeated = repeated || x.name == a.name;
    if (in_call || repeated) {
      diags.error("E0606", source, a.name_span,
                  fmt::format("'{}' is {}", a.name, in_call ? "also given in the solver call" : "varied twice"));
      ok = false;
      continue;
    }
    value not_list;
    auto domain = ev.eval_axis(*a.domain, not_list);
    if (!domain) {
      ok = false;
      continue;
    }
    if (domain->empty()) {
      diags.error("E0602", source, a.domain->where,
                  std::holds_alternative<std::monostate>(not_list.v)
                      ? fmt::format("axis '{}' has no values", a.name)
                      : fmt::format("axis '{}' takes a list, a range or a zoo query, not {}", a.name, describe(not_list)));
      ok = false;
      continue;
    }
    const value front = domain->front();
    bool alike = true;
    for (const auto& v : domain->listed()) {
      if (!same_kind(front, v)) {
        diags.error("E0604", source, a.domain->where,
                    fmt::format("axis '{}' mixes {} and {}", a.name, value_kind(front), value_kind(v)));
        ok = alike = false;
        break;
      }
    }
    // A long range of whole numbers (never materialized): its ends are the
    // values values_to_validate would pick (first, lowest, highest; none fractional).
    std::vector<value> ends;
    if (domain->is_range()) ends = {domain->front(), domain->back()};
    if (alike)
      for (const value* v : values_to_validate(domain->is_range() ? ends : domain->listed()))
        ok = valid_for(*fn, *p, *v, a.domain->where, *reg_, source, diags) && ok;
    point.push_back({a.name, front, a.domain->where});
    axis_values[a.name] = front;
  }
  if (!ok) return false;

  for (const auto& f : d.filters) {
    evaluator filter(*reg_, globals_, source, diags, &axis_values);
    auto v = filter.eval_value(*f);
    if (!v) return false;
    if (!std::holds_alternative<bool>(v->v.v)) {
      diags.error("E0212", source, f->where,
                  fmt::format("a `where` condition must be true or false, not {}", describe(v->v)));
      return false;
    }
  }
  // The representative point: the first (in enumeration order) that the
  // filters keep and the solver accepts, so a design whose first corner is
  // infeasible (too little memory at tp 1, say) still checks. Only when none
  // of the first few thousand is accepted is the first point's refusal an error.
  auto result = representative_point(*reg_, globals_, d, *call, point, axis_values, source);
  if (!result) {
    auto refused = ev.call(*call, d.solver->where, point);
    if (!refused) return false;
    result = refused->v;
  }
  // The design reads as its solver's result plus the axes' values.
  auto design = std::make_shared<record>(*result->as_record());
  design->kind = "design";
  design->name = d.name;
  // It stands for every point while checking: each point's own fit is the search's to judge.
  design->infeasible.clear();
  for (const auto& [name, v] : axis_values)
    if (!design->find(name)) design->fields.push_back(field{name, v, "a design axis"});
  globals_[d.name] = value{record_ptr(design)};
  return true;
}

bool interpreter::check_report(const lang::report_stmt& r, const lang::source_ptr& source, lang::diagnostics& diags) {
  auto it = designs_.find(r.design);
  if (it == designs_.end()) {
    std::vector<std::string> names;
    for (const auto& [n, where] : designs_) names.push_back(n);
    auto near = suggest(r.design, names);
    diags.error("E0609", source, r.design_span, fmt::format("no design named '{}' to report", r.design)).help =
        near.empty() ? "declare it first: design NAME = solver(...) over { ... }"
                     : fmt::format("did you mean {}?", join_alternatives(near));
    return false;
  }
  bool ok = true;
  if (!r.mode.empty() && r.mode != "pareto" && r.mode != "all" && r.mode != "feasible") {
    diags.error("E0610", source, r.mode_span, fmt::format("unknown report '{}'", r.mode)).help =
        "a report is pareto (the ranked non-dominated designs), feasible, or all";
    ok = false;
  }
  if (r.top) {
    auto v = evaluate(*r.top, source, diags);
    const auto* q = v ? v->v.as_quantity() : nullptr;
    if (!q || !q->d.dimensionless() || q->si < 1 || q->si != std::floor(q->si)) {
      if (v) diags.error("E0610", source, r.top->where, "`top` takes a whole number >= 1");
      ok = false;
    }
  }
  const value* design = lookup(r.design);
  const record* fields = design ? design->as_record() : nullptr;
  if (!fields) return false;  // the design itself failed; its error is reported
  for (const auto& c : r.show) {
    if (fields->find(c.name) || c.name == "binding" || c.name == "binding_requirement" || c.name == "rank") continue;
    std::vector<std::string> names;
    for (const auto& f : fields->fields) names.push_back(f.name);
    diags.error("E0401", source, c.where, fmt::format("design '{}' has no field '{}' to show", r.design, c.name)).help =
        did_you_mean(c.name, names, "its fields are");
    ok = false;
  }
  return ok;
}

bool interpreter::check_assignment(const lang::assignment_stmt& a, const lang::source_ptr& source,
                                   lang::diagnostics& diags) {
  bool ok = evaluate(*a.title, source, diags).has_value();
  std::vector<std::string> params;
  for (const auto& p : a.params) {
    if (globals_.count(p.name) || reg_->find(p.name)) {
      diags.error("E0503", source, p.name_span, fmt::format("'{}' is already defined", p.name));
      ok = false;
      continue;
    }
    auto v = evaluate(*p.value, source, diags);
    globals_[p.name] = v ? v->v : value{};
    params.push_back(p.name);
    ok = v.has_value() && ok;
  }
  static const std::vector<std::string> known = {"answer", "tolerance", "sigfigs", "choices", "hidden"};
  std::vector<std::string> names;
  for (const auto& q : a.questions) {
    if (std::find(names.begin(), names.end(), q.name) != names.end()) {
      diags.error("E0503", source, q.name_span, fmt::format("question '{}' is already defined", q.name));
      ok = false;
    }
    names.push_back(q.name);
    if (q.points) {
      auto v = evaluate(*q.points, source, diags);
      const auto* n = v ? v->v.as_quantity() : nullptr;
      if (v && (!n || !n->d.dimensionless() || n->si <= 0)) {
        diags.error("E0611", source, q.points->where, "points must be a number above 0");
        ok = false;
      }
    }
    if (q.text) ok = evaluate(*q.text, source, diags).has_value() && ok;
    const lang::field_init* answer = nullptr;
    for (const auto& f : q.fields) {
      if (std::find(known.begin(), known.end(), f.name) == known.end()) {
        diags.error("E0506", source, f.name_span, fmt::format("a question has no field '{}'", f.name)).help =
            did_you_mean(f.name, known, "its fields are");
        ok = false;
      }
      if (f.name == "answer") answer = &f;
    }
    if (!answer) {
      diags.error("E0612", source, q.name_span, fmt::format("question '{}' has no answer", q.name)).help =
          "the engine computes the reference answer: answer = <expression>";
      ok = false;
      continue;
    }
    auto reference = evaluate(*answer->value, source, diags);
    if (!reference) {
      ok = false;
      continue;
    }
    for (const auto& f : q.fields) {
      if (f.name != "tolerance") continue;
      auto tol = evaluate(*f.value, source, diags);
      const auto* t = tol ? tol->v.as_quantity() : nullptr;
      const auto* ref = reference->v.as_quantity();
      bool fits = t && t->si >= 0 && (t->d.dimensionless() || (ref && t->d == ref->d));
      if (tol && !fits) {
        diags.error("E0613", source, f.value->where,
                    fmt::format("a tolerance is relative (5 %) or absolute in the answer's unit{}, not {}",
                                ref ? " (" + describe(ref->d) + ")" : "", describe(tol->v)));
        ok = false;
      }
      if (t && !ref) {
        diags.error("E0613", source, f.value->where, "a tolerance applies to numeric answers only");
        ok = false;
      }
    }
    // Feedback rules see the reference as `answer` and the student's value as `submitted`.
    bool had_answer = globals_.count("answer") > 0, had_submitted = globals_.count("submitted") > 0;
    auto saved_answer = had_answer ? globals_["answer"] : value{};
    auto saved_submitted = had_submitted ? globals_["submitted"] : value{};
    globals_["answer"] = reference->v;
    globals_["submitted"] = reference->v;
    for (const auto& rule : q.feedback) {
      auto v = evaluate(*rule.condition, source, diags);
      if (v && !std::holds_alternative<bool>(v->v.v)) {
        diags.error("E0212", source, rule.condition->where,
                    fmt::format("a feedback condition must be true or false, not {}", describe(v->v)));
        ok = false;
      }
      ok = v.has_value() && evaluate(*rule.message, source, diags).has_value() && ok;
    }
    if (had_answer) globals_["answer"] = saved_answer;
    else globals_.erase("answer");
    if (had_submitted) globals_["submitted"] = saved_submitted;
    else globals_.erase("submitted");
  }
  for (const auto& p : params) globals_.erase(p);  // parameters are the assignment's own
  return ok;
}

}  // namespace ironlaw::runtime
