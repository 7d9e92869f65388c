// Compile: the statements that read a design, checked at its representative
// point and compiled once into the plan the search loop runs; what the report shows.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "../interp/evaluator.hpp"
#include "design_phases.hpp"
#include "ironlaw/lang/print.hpp"

namespace ironlaw::runtime::search {

using runtime::detail::evaluator;

design_statements statements_of(const lang::program& program, const std::string& design) {
  design_statements parts;
  for (const auto& st : program.statements) {
    if (const auto* r = std::get_if<lang::require_stmt>(&st.node); r && mentions(*r->condition, design))
      parts.requirements.push_back(r->condition.get());
    if (const auto* o = std::get_if<lang::objective_stmt>(&st.node); o && mentions(*o->value, design))
      parts.objectives.emplace_back(o->value.get(), o->maximize);
    if (const auto* r = std::get_if<lang::report_stmt>(&st.node); r && r->design == design) parts.reports.push_back(r);
  }
  return parts;
}

bool check_statements(const design_context& ctx, const design_statements& parts, const lang::source_ptr& source,
                      lang::diagnostics& diags, std::vector<dim>& objective_dims) {
  bool ok = true;
  for (const auto* r : parts.requirements) {
    auto v = evaluator(ctx.reg, ctx.globals, source, diags).eval_value(*r);
    if (v && !std::holds_alternative<bool>(v->v.v)) {
      diags.error("E0212", source, r->where, fmt::format("a requirement must be true or false, not {}", describe(v->v)))
          .help = "compare a metric with a limit, as in fleet.itl <= 50 ms";
      v.reset();
    }
    ok = v.has_value() && ok;
  }
  for (const auto& [o, maximize] : parts.objectives) {
    auto v = evaluator(ctx.reg, ctx.globals, source, diags).eval_value(*o);
    const auto* q = v ? v->v.as_quantity() : nullptr;
    if (v && !q)
      diags.error("E0608", source, o->where,
                  fmt::format("only a number or a quantity can be {}, not {}", maximize ? "maximized" : "minimized",
                              describe(v->v)));
    objective_dims.push_back(q ? q->d : dim{});
    ok = q && ok;
  }
  for (const auto* r : parts.reports) ok = ctx.check_report(*r, diags) && ok;
  return ok;
}

namespace {

// The solver, its fixed arguments and the axes' values, evaluated once.
bool evaluate_call(const design_context& ctx, const lang::design_stmt& d, const lang::source_ptr& source,
                   lang::diagnostics& diags, design_plan& plan) {
  auto& cd = plan.cd;
  const auto& call = std::get<lang::call_expr>(d.solver->node);
  cd.fn = find_builtin(std::get<lang::name_ref>(call.callee->node).name);
  cd.reg = &ctx.reg;
  cd.source = source;
  cd.call_span = d.solver->where;
  evaluator ev(ctx.reg, ctx.globals, source, diags);
  for (const auto& a : call.args) {
    auto v = ev.eval(*a.value);
    if (!v) return false;
    cd.fixed.push_back({a.name, a.name_span, v->v, a.value->where});
  }
  for (const auto& a : d.axes) {
    value not_list;  // the static check refused it already
    auto domain = ev.eval_axis(*a.domain, not_list);
    if (!domain) return false;
    cd.axis_names.push_back(a.name);
    cd.axis_spans.push_back(a.domain->where);
    grow_space(plan.space, plan.overflow, domain->size());
    cd.axis_values.push_back(std::move(*domain));
  }
  return true;
}

}  // namespace

namespace {

enum class search_path { typed, generic, check };

// IRONLAW_SEARCH_PATH: `generic` turns the typed path off, `check` runs both
// at every point (docs/search.md, "The typed path"); unset: typed.
search_path search_path_wanted() {
  const char* env = std::getenv("IRONLAW_SEARCH_PATH");
  std::string_view want = env ? env : "";
  if (want == "generic") return search_path::generic;
  if (want == "check") return search_path::check;
  // A misspelt value is said once, not taken silently for the default.
  static const bool said = !want.empty() && want != "typed" &&
                           std::fprintf(stderr, "ironlaw: IRONLAW_SEARCH_PATH is typed, generic or check, not '%.*s': "
                                                "the typed path is used\n", static_cast<int>(want.size()), want.data()) > 0;
  (void)said;
  return search_path::typed;
}

}  // namespace

void prepare_typed(design_plan& plan) {
  auto& cd = plan.cd;
  auto wanted = search_path_wanted();
  // Compiled code that reads the solver's record needs the generic call.
  if (wanted == search_path::generic || !cd.fn->typed || plan.comp->reads_record()) return;
  for (const auto& values : cd.axis_values)
    if (values.empty()) return;
  lang::diagnostics scratch;
  call_args args(*cd.fn, *cd.reg, cd.source, cd.call_span, scratch);
  std::vector<value> first;  // every axis at its first value
  for (const auto& values : cd.axis_values) first.push_back(values.front());
  std::vector<const value*> at;
  for (const auto& v : first) at.push_back(&v);
  if (!bind_design_call(args, cd, at.data()) || !args.finish()) return;
  auto typed = cd.fn->typed(args, typed_axes{cd.axis_names, cd.axis_values});
  if (!typed) return;
  for (const auto& r : cd.fn->results) {
    std::vector<double> ids;
    if (r.kind == result_kind::word)
      for (const auto& w : r.words) ids.push_back(plan.comp->intern(value{symbol{w}}));
    cd.word_ids.push_back(std::move(ids));
    cd.fit_only.push_back(r.kind == result_kind::quantity && only_if_it_fits(r.d) ? 1 : 0);
    cd.checked.push_back(r.kind == result_kind::quantity ? 1 : 0);
  }
  cd.typed = std::move(typed);
  cd.check_typed = wanted == search_path::check;
  if (cd.check_typed) {
    cd.check_counts = std::make_shared<typed_check_counts>();
    cd.check_counts->solver = cd.fn->name;
  }
}

bool compile_design(const design_context& ctx, const lang::design_stmt& d, const design_statements& parts,
                    const lang::source_ptr& source, lang::diagnostics& diags, design_plan& plan) {
  if (!evaluate_call(ctx, d, source, diags, plan)) return false;
  auto& cd = plan.cd;
  for (const auto& r : cd.fn->results) plan.fields.push_back(r.name);
  cd.field_count = plan.fields.size();
  plan.comp = std::make_unique<compiler>(ctx.reg, ctx.globals, source, d.name, cd.axis_names, plan.fields);
  auto& comp = *plan.comp;
  for (const auto& values : cd.axis_values) {
    std::vector<double> numbers;  // a range's are its own (axis_domain::number_at)
    for (const auto& v : values.listed()) numbers.push_back(v.as_quantity() || std::holds_alternative<bool>(v.v) ? comp.to_number(v) : comp.intern(v));
    cd.axis_numbers.push_back(std::move(numbers));
  }
  comp.reading_axes(true);
  for (const auto& f : d.filters) cd.filters.push_back(comp.number(*f));
  comp.reading_axes(false);
  for (const auto* r : parts.requirements) {
    cd.requirements.push_back(comp.requirement(*r));
    cd.requirement_texts.push_back(lang::to_source(*r));
  }
  for (const auto& [o, maximize] : parts.objectives) {
    auto f = comp.number(*o);
    cd.objectives.push_back(maximize ? number_fn([f](const frame& fr) { return -f(fr); }) : f);
    cd.objective_texts.push_back(lang::to_source(*o));
  }
  prepare_typed(plan);
  return true;
}

namespace {

// Without a `report ... show`: every axis, the result fields the objectives
// and requirements read (as `d.name`), and the binding requirement.
std::vector<std::string> default_columns(const std::string& design, const design_statements& parts,
                                         const design_plan& plan, bool solver_has_binding) {
  std::vector<std::string> shown = plan.cd.axis_names;
  auto add_fields = [&](const lang::expr& e) {
    for (const auto& name : plan.fields)
      if (std::find(shown.begin(), shown.end(), name) == shown.end()) {
        // A field the expression reads as `d.name`.
        std::string needle = design + "." + name;
        auto text = lang::to_source(e);
        auto at = text.find(needle);
        if (at != std::string::npos &&
            (at + needle.size() == text.size() || !(std::isalnum(static_cast<unsigned char>(text[at + needle.size()])) || text[at + needle.size()] == '_')))
          shown.push_back(name);
      }
  };
  for (const auto& [o, m] : parts.objectives) add_fields(*o);
  for (const auto* r : parts.requirements) add_fields(*r);
  if (!parts.requirements.empty()) shown.push_back(solver_has_binding ? "binding_requirement" : "binding");
  return shown;
}

}  // namespace

report_spec choose_report(const design_context& ctx, const lang::design_stmt& d, const design_statements& parts,
                          const design_plan& plan, const record& representative, const lang::source_ptr& source,
                          lang::diagnostics& diags) {
  report_spec spec;
  const lang::report_stmt* rep = parts.reports.empty() ? nullptr : parts.reports.front();
  if (rep && !rep->mode.empty()) spec.mode = rep->mode;
  if (rep && rep->top) {
    auto v = evaluator(ctx.reg, ctx.globals, source, diags).eval_value(*rep->top);
    spec.top = static_cast<std::uint64_t>(v->v.as_quantity()->si);
  }
  spec.solver_has_binding = representative.find("binding") != nullptr;
  if (rep && !rep->show.empty()) {
    for (const auto& c : rep->show) spec.shown.push_back(c.name);
  } else {
    spec.shown = default_columns(d.name, parts, plan, spec.solver_has_binding);
  }
  return spec;
}

void finish_plan(design_plan& plan, report_spec& spec, const record& representative, const unit_table& units,
                 bool objectives) {
  auto& cd = plan.cd;
  if (!objectives)
    for (const auto& s : spec.shown)
      if (!spec.requirement_column(s) && s != "rank") {
        const field* fl = representative.find(s);
        if (fl && fl->v.as_quantity()) cd.key_slot = plan.comp->slot_of(s);
        break;
      }
  for (std::size_t i = 0; i < plan.fields.size(); ++i)
    if (plan.comp->used()[cd.axis_names.size() + i]) cd.used_fields.push_back(i);
  cd.comp = plan.comp.get();

  // The full feasible set's CSV: every axis and result field, in the units the
  // representative point prints them.
  auto csv_column = [&](const std::string& name, const value& v) {
    const auto* q = v.as_quantity();
    auto [unit, factor] = q ? display_unit(*q, units) : std::pair<std::string, double>{"", 1};
    cd.csv_units.emplace_back(factor, q != nullptr);
    spec.csv_header += (spec.csv_header.empty() ? "" : ",") + (unit.empty() ? name : fmt::format("{} ({})", name, unit));
  };
  for (std::size_t a = 0; a < cd.axis_names.size(); ++a) csv_column(cd.axis_names[a], cd.axis_values[a].front());
  for (const auto& fl : representative.fields)
    if (cd.csv_units.size() < cd.axis_names.size() + plan.fields.size()) csv_column(fl.name, fl.v);
  spec.csv_header += spec.solver_has_binding ? ",binding_requirement\n" : ",binding\n";
}

}  // namespace ironlaw::runtime::search
