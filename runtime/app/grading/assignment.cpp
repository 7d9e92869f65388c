#include "assignment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "ironlaw/lang/print.hpp"
#include "variant.hpp"

namespace ironlaw::runtime::grading {

namespace {

// `choose([...])` or `choose([...]) UNIT`: the call and the unit text (empty
// when none). Null for any other form, which then has one fixed value.
const lang::call_expr* choose_call(const lang::expr& e, std::string& unit, lang::span& unit_span) {
  const lang::expr* inner = &e;
  if (const auto* u = std::get_if<lang::unit_apply>(&e.node)) {
    unit = u->unit;
    unit_span = u->unit_span;
    inner = u->value.get();
  }
  const auto* call = std::get_if<lang::call_expr>(&inner->node);
  if (!call) return nullptr;
  const auto* callee = std::get_if<lang::name_ref>(&call->callee->node);
  if (!callee || callee->name != "choose" || call->args.size() != 1 || call->args[0].name) return nullptr;
  return call;
}

// The options of a `choose` parameter, with its unit applied; nullopt (and a
// diagnostic) when they do not evaluate.
std::optional<std::vector<value>> choose_options(interpreter& interp, const lang::param_decl& p,
                                                 const lang::source_ptr& source, lang::diagnostics& diags) {
  std::string unit;
  lang::span unit_span;
  const auto* call = choose_call(*p.value, unit, unit_span);
  if (!call) return std::nullopt;
  auto list_value = interp.evaluate(*call->args[0].value, source, diags);
  if (!list_value) return std::nullopt;
  const auto* items = std::get_if<list_ptr>(&list_value->v.v);
  if (!items || (*items)->empty()) {
    diags.error("E0213", source, call->args[0].value->where, "choose needs a non-empty list of options");
    return std::nullopt;
  }
  std::vector<value> options((*items)->begin(), (*items)->end());
  if (unit.empty()) return options;
  auto parsed = interp.reg().units().parse(unit);
  const auto* u = std::get_if<unit_value>(&parsed);
  if (!u) return std::nullopt;  // `check` reports the bad unit
  for (auto& o : options) {
    const auto* q = o.as_quantity();
    if (!q || !q->d.dimensionless()) {
      diags.error("E0209", source, unit_span, fmt::format("a unit applies to plain numbers, not {}", describe(o)));
      return std::nullopt;
    }
    o = value{quantity{q->si * u->factor, u->d}};
  }
  return options;
}

// An option as the faculty wrote it: in the declared unit, or a literal's own
// text (`200 Gb/s`), else as the engine shows it.
std::string option_text(const value& v, const lang::expr* written, const std::string& unit, const unit_table& units) {
  const auto* q = v.as_quantity();
  if (q && !unit.empty()) {
    auto parsed = units.parse(unit);
    if (const auto* u = std::get_if<unit_value>(&parsed); u && u->d == q->d) return unit_table::format_in(*q, *u, unit);
  }
  if (const auto* n = written ? std::get_if<lang::number_literal>(&written->node) : nullptr; q && n && !n->unit.empty())
    return lang::to_source(*written);
  return format_value(v, units);
}

// The faculty file's definitions (lets, declarations, imports) without its
// output, searches or assignment.
bool run_definitions(interpreter& interp, const lang::program& program, lang::diagnostics& diags) {
  std::ostringstream discard;
  bool ok = true;
  for (const auto& st : program.statements) {
    bool definition = std::holds_alternative<lang::let_stmt>(st.node) || std::holds_alternative<lang::decl_stmt>(st.node) ||
                      std::holds_alternative<lang::import_stmt>(st.node);
    if (definition) ok = interp.execute(st, program.source, discard, diags) && ok;
  }
  return ok;
}

// A rubric is a list of conditions: comparisons, `and`/`or`, `not`.
bool is_condition(const lang::expr& e) {
  if (const auto* u = std::get_if<lang::unary_expr>(&e.node)) return u->op == lang::unary_op::logical_not;
  const auto* b = std::get_if<lang::binary_expr>(&e.node);
  if (!b) return false;
  using op = lang::binary_op;
  switch (b->op) {
    case op::equal:
    case op::not_equal:
    case op::less:
    case op::less_equal:
    case op::greater:
    case op::greater_equal:
    case op::logical_and:
    case op::logical_or:
    case op::approx: return true;
    default: return false;
  }
}

// `5 %` is relative; on a plain-number answer a plain `0.005` is absolute.
bool written_as_percent(const lang::expr& e) {
  const auto* n = std::get_if<lang::number_literal>(&e.node);
  return n && n->unit == "%";
}

}  // namespace

bool load_assignment(const registry& reg, assignment_file& file, lang::diagnostics& diags) {
  const auto& source = file.program.source;
  file.stmt = nullptr;
  for (const auto& st : file.program.statements) {
    const auto* a = std::get_if<lang::assignment_stmt>(&st.node);
    if (!a) continue;
    if (file.stmt) {
      diags.error("E1002", source, st.where, "a file holds one assignment; this is a second one").help =
          "put each assignment in its own file";
      return false;
    }
    file.stmt = a;
  }
  if (!file.stmt) {
    diags.error("E1001", source, {0, 0}, fmt::format("'{}' holds no assignment", source->name())).help =
        "an assignment file has a block: assignment \"TITLE\" { param ...  question ... }";
    return false;
  }
  interpreter interp(reg);
  if (!run_definitions(interp, file.program, diags)) return false;
  auto title = interp.evaluate(*file.stmt->title, source, diags);
  if (!title) return false;
  file.title = format_value(title->v, reg.units());
  file.params.clear();
  for (const auto& p : file.stmt->params) {
    std::string unit;
    lang::span unit_span;
    param_options po{p.name, {}};
    if (const auto* call = choose_call(*p.value, unit, unit_span)) {
      auto options = choose_options(interp, p, source, diags);
      if (!options) return false;
      po.options = std::move(*options);
      const auto* written = std::get_if<lang::list_expr>(&call->args[0].value->node);
      for (std::size_t i = 0; i < po.options.size(); ++i)
        po.shown.push_back(option_text(po.options[i],
                                       written && i < written->items.size() ? written->items[i].get() : nullptr, unit,
                                       reg.units()));
    } else {
      auto v = interp.evaluate(*p.value, source, diags);
      if (!v) return false;
      po.options.push_back(v->v);
      po.shown.push_back(option_text(v->v, p.value.get(), "", reg.units()));
    }
    interp.define(p.name, po.options.front());  // later parameters may read it
    file.params.push_back(std::move(po));
  }
  return true;
}

std::vector<std::size_t> student_picks(const assignment_file& file, std::string_view student) {
  std::vector<std::size_t> picks;
  for (const auto& p : file.params)
    picks.push_back(static_cast<std::size_t>(draw_option(student, file.title, p.name, p.options.size())));
  return picks;
}

std::vector<std::vector<std::size_t>> all_picks(const assignment_file& file, std::size_t limit) {
  std::vector<std::vector<std::size_t>> out;
  std::vector<std::size_t> current(file.params.size(), 0);
  while (out.size() < limit) {
    out.push_back(current);
    std::size_t i = current.size();
    while (i > 0) {  // mixed radix, the last parameter fastest
      --i;
      if (++current[i] < file.params[i].options.size()) break;
      current[i] = 0;
      if (i == 0) return out;
    }
    if (current.empty()) return out;
  }
  return out;
}

variant_session::variant_session(const registry& reg, const assignment_file& file, std::vector<std::size_t> picks)
    : reg_(&reg), file_(&file), picks_(std::move(picks)), interp_(reg) {}

bool variant_session::prepare(lang::diagnostics& diags) {
  const auto& source = file_->program.source;
  if (!run_definitions(interp_, file_->program, diags)) return false;
  for (std::size_t i = 0; i < file_->stmt->params.size(); ++i) {
    const auto& p = file_->stmt->params[i];
    std::string unit;
    lang::span unit_span;
    if (choose_call(*p.value, unit, unit_span)) {
      interp_.define(p.name, file_->params[i].options[picks_[i]]);
      continue;
    }
    auto v = interp_.evaluate(*p.value, source, diags);  // may read the parameters before it
    if (!v) return false;
    interp_.define(p.name, v->v);
  }
  faculty_names_ = interp_.defined_names();  // before feedback rules bind `answer` and `submitted`
  const auto* custom = interp_.lookup(custom_entities_param);
  custom_entities_ = custom && std::holds_alternative<bool>(custom->v) && std::get<bool>(custom->v);
  if (custom && !std::holds_alternative<bool>(custom->v)) {
    for (const auto& p : file_->stmt->params)
      if (p.name == custom_entities_param)
        diags.error("E1007", source, p.value->where,
                    fmt::format("{} is true or false, not {}", custom_entities_param, describe(*custom)));
    return false;
  }
  questions_.clear();
  bool ok = true;
  for (const auto& q : file_->stmt->questions) {
    question_instance qi;
    ok = compute(q, qi, diags) && ok;
    questions_.push_back(std::move(qi));
  }
  return ok;
}

bool variant_session::compute(const lang::question_decl& q, question_instance& out, lang::diagnostics& diags) {
  const auto& source = file_->program.source;
  out.decl = &q;
  out.name = q.name;
  if (q.points) {
    auto v = interp_.evaluate(*q.points, source, diags);
    const auto* n = v ? v->v.as_quantity() : nullptr;
    if (!n || !n->d.dimensionless() || n->si <= 0) {
      if (v) diags.error("E0611", source, q.points->where, "points must be a number above 0");
      return false;
    }
    out.points = n->si;
  }
  if (q.text) {
    auto text = prompt(*q.text, diags);
    if (!text) return false;
    out.text = std::move(*text);
  }
  const lang::field_init* answer = nullptr;
  for (const auto& f : q.fields)
    if (f.name == "answer") answer = &f;
  if (!answer) {
    diags.error("E0612", source, q.name_span, fmt::format("question '{}' has no answer", q.name)).help =
        "the engine computes the reference answer: answer = <expression>";
    return false;
  }
  // A list of conditions is a rubric on the submission: evaluated when grading.
  const auto* items = std::get_if<lang::list_expr>(&answer->value->node);
  bool rubric = items && !items->items.empty();
  if (items)
    for (const auto& item : items->items) rubric = rubric && is_condition(*item);
  if (rubric) {
    out.kind = answer_kind::rubric;
    for (const auto& item : items->items) out.rubric.push_back(item.get());
  } else {
    auto v = interp_.evaluate(*answer->value, source, diags);
    if (!v) return false;
    out.answer = v->v;
    out.kind = v->v.as_quantity() ? answer_kind::number
               : std::holds_alternative<list_ptr>(v->v.v) ? answer_kind::set
                                                          : answer_kind::word;
  }
  bool ok = true;
  for (const auto& f : q.fields) {
    if (f.name == "answer") continue;
    auto read = read_answer(interp_, *f.value, source, diags);  // choices may be words
    if (!read) {
      ok = false;
      continue;
    }
    auto v = std::optional<evaluated>(evaluated{*read});
    const auto* n = v->v.as_quantity();
    if (f.name == "tolerance") {
      const auto* ref = out.answer.as_quantity();
      if (!n || n->si < 0 || !ref || !(n->d.dimensionless() || n->d == ref->d)) {
        diags.error("E0613", source, f.value->where,
                    ref ? fmt::format("a tolerance is relative (5 %) or absolute in the answer's unit ({}), not {}",
                                      describe(ref->d), describe(v->v))
                        : std::string("a tolerance applies to numeric answers only"));
        ok = false;
      } else if (n->d.dimensionless() && (!ref->d.dimensionless() || written_as_percent(*f.value))) {
        out.tolerance.relative = n->si;
      } else {
        out.tolerance.absolute = *n;
      }
    } else if (f.name == "sigfigs") {
      if (!n || !n->d.dimensionless() || n->si < 1 || n->si > 15 || n->si != static_cast<int>(n->si) ||
          !out.answer.as_quantity()) {
        diags.error("E1004", source, f.value->where, "sigfigs is a whole number from 1 to 15, for a numeric answer");
        ok = false;
      } else {
        out.tolerance.sigfigs = static_cast<int>(n->si);
      }
    } else if (f.name == "hidden") {
      const auto* b = std::get_if<bool>(&v->v.v);
      if (!b) {
        diags.error("E1005", source, f.value->where, fmt::format("hidden is true or false, not {}", describe(v->v)));
        ok = false;
      } else {
        out.hidden = *b;
      }
    } else if (f.name == "choices") {
      if (const auto* l = std::get_if<list_ptr>(&v->v.v)) out.choices.assign((*l)->begin(), (*l)->end());
      const auto* ref = out.answer.as_quantity();
      bool fits = true;
      for (const auto& c : out.choices) {
        const auto* choice = c.as_quantity();
        fits = fits && choice && ref && choice->d == ref->d;
      }
      if (ref && (!fits || out.choices.empty())) {
        diags.error("E1008", source, f.value->where,
                    fmt::format("the choices of a numeric question are numbers in the answer's unit ({})", describe(ref->d)))
            .help = "the closest choice to the engine's answer is the right one: choices = [1.6, 2.4, 3.2]";
        ok = false;
      }
    }
  }
  return ok;
}

std::optional<std::string> variant_session::prompt(const lang::expr& text, lang::diagnostics& diags) {
  const auto& source = file_->program.source;
  const auto* s = std::get_if<lang::string_literal>(&text.node);
  if (!s || s->parts.empty()) {
    auto v = interp_.evaluate(text, source, diags);
    if (!v) return std::nullopt;
    return format_value(v->v, reg_->units());
  }
  std::string out;
  for (const auto& part : s->parts) {
    const auto* name = part.value ? std::get_if<lang::name_ref>(&part.value->node) : nullptr;
    if (const auto* shown = name ? shown_param(name->name) : nullptr) {
      out += *shown;
      continue;
    }
    if (!part.value) {
      out += part.text;
      continue;
    }
    auto v = interp_.evaluate(*part.value, source, diags);  // as the evaluator interpolates it
    if (!v) return std::nullopt;
    const auto* q = v->v.as_quantity();
    out += v->shown_in && q ? unit_table::format_in(*q, *v->shown_in, v->shown_in_text) : format_value(v->v, reg_->units());
  }
  return out;
}

const std::string* variant_session::shown_param(std::string_view name) const {
  for (std::size_t i = 0; i < file_->params.size(); ++i) {
    const auto& p = file_->params[i];
    if (p.name != name) continue;
    std::size_t pick = i < picks_.size() ? picks_[i] : 0;
    return pick < p.shown.size() ? &p.shown[pick] : nullptr;
  }
  return nullptr;
}

std::string variant_session::describe_variant() const {
  std::string out;
  for (std::size_t i = 0; i < file_->params.size(); ++i) {
    const auto* shown = shown_param(file_->params[i].name);
    out += fmt::format("{}{} = {}", i ? ", " : "", file_->params[i].name,
                       shown ? *shown : show_answer(file_->params[i].options[0], reg_->units()));
  }
  return out;
}

void variant_session::reserve_names(interpreter& other) const {
  for (const auto& name : faculty_names_)
    if (const auto* v = interp_.lookup(name)) other.reserve(name, *v);
}

bool variant_session::is_faculty_name(std::string_view name) const {
  return std::binary_search(faculty_names_.begin(), faculty_names_.end(), name);
}

const lang::design_stmt* variant_session::reference_design(std::string_view name) const {
  for (const auto& st : file_->program.statements)
    if (const auto* d = std::get_if<lang::design_stmt>(&st.node); d && d->name == name) return d;
  return nullptr;
}

namespace {

// `memory-bound` as written parses as `memory - bound`: the hyphenated word,
// when a part names nothing defined. Empty for anything else.
std::string hyphenated_word(const interpreter& interp, const lang::expr& e, bool& undefined_part) {
  if (const auto* n = std::get_if<lang::name_ref>(&e.node)) {
    undefined_part = undefined_part || (!interp.lookup(n->name) && !interp.reg().find(n->name));
    return n->name;
  }
  const auto* b = std::get_if<lang::binary_expr>(&e.node);
  if (!b || b->op != lang::binary_op::subtract) return {};
  auto lhs = hyphenated_word(interp, *b->lhs, undefined_part);
  auto rhs = lhs.empty() ? std::string() : hyphenated_word(interp, *b->rhs, undefined_part);
  return rhs.empty() ? std::string() : lhs + "-" + rhs;
}

}  // namespace

std::optional<value> read_answer(interpreter& interp, const lang::expr& e, const lang::source_ptr& source,
                                 lang::diagnostics& diags) {
  if (const auto* n = std::get_if<lang::name_ref>(&e.node))
    if (!interp.lookup(n->name) && !interp.reg().find(n->name)) return value{symbol{n->name}};
  bool undefined_part = false;
  if (auto word = hyphenated_word(interp, e, undefined_part); !word.empty() && undefined_part) return value{symbol{word}};
  if (const auto* l = std::get_if<lang::list_expr>(&e.node)) {
    auto items = std::make_shared<list>();
    for (const auto& item : l->items) {
      auto v = read_answer(interp, *item, source, diags);
      if (!v) return std::nullopt;
      items->push_back(*v);
    }
    return value{list_ptr(items)};
  }
  auto v = interp.evaluate(e, source, diags);
  if (!v) return std::nullopt;
  return v->v;
}

std::string show_answer(const value& v, const unit_table& units) { return format_value(v, units); }

}  // namespace ironlaw::runtime::grading
