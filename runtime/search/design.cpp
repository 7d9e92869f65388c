// `ironlaw run` on a design: compile its filters, requirements and objectives,
// search the space (runtime/search/engine), and report. The phases are in
// runtime/search/design_*.cpp (design_phases.hpp); see docs/search.md for
// the semantics.
#include "design.hpp"

#include <fmt/format.h>

#include "../interp/evaluator.hpp"
#include "compile.hpp"
#include "design_phases.hpp"
#include "shard_file.hpp"

namespace ironlaw::runtime::search {

bool part_of_design(const lang::program& program, const lang::stmt& st) {
  if (std::holds_alternative<lang::report_stmt>(st.node)) return true;
  const auto* r = std::get_if<lang::require_stmt>(&st.node);
  if (!r) return false;
  for (const auto& other : program.statements)
    if (const auto* d = std::get_if<lang::design_stmt>(&other.node); d && mentions(*r->condition, d->name)) return true;
  return false;
}

bool too_large(const design_context& ctx, const lang::design_stmt& d, const lang::source_ptr& source,
               lang::diagnostics& diags) {
  if (ctx.options.sample > 0) return false;
  lang::diagnostics quiet;  // a bad domain is reported by the design's check
  runtime::detail::evaluator ev(ctx.reg, ctx.globals, source, quiet);
  std::uint64_t space = 1;
  bool overflow = false;
  for (const auto& a : d.axes) {
    value not_list;
    auto domain = ev.eval_axis(*a.domain, not_list);
    if (!domain || domain->empty()) return false;
    grow_space(space, overflow, domain->size());
  }
  if (!overflow && space <= ctx.options.max_points) return false;
  auto& diag = diags.error("E0601", source, d.name_span,
                           fmt::format("design '{}' has {} points, more than the limit of {}", d.name,
                                       overflow ? "more than 1.8e19" : report::with_commas(space),
                                       report::with_commas(ctx.options.max_points)));
  diag.help = "narrow an axis, raise the limit with `--max-points N`, or search a random sample with "
              "`--sample N --seed S` (approximate)";
  return true;
}

bool run_design(const design_context& ctx, const lang::program& program, const lang::design_stmt& d,
                std::ostream& out, lang::diagnostics& diags) {
  const auto& source = program.source;
  const record& representative = *ctx.globals.find(d.name)->second.as_record();

  // Compile: the statements that read the design, checked and compiled once.
  auto parts = statements_of(program, d.name);
  design_plan plan;
  if (!check_statements(ctx, parts, source, diags, plan.objective_dims)) return false;
  if (!compile_design(ctx, d, parts, source, diags, plan)) return false;
  auto spec = choose_report(ctx, d, parts, plan, representative, source, diags);
  finish_plan(plan, spec, representative, ctx.reg.units(), !parts.objectives.empty());
  const design_job job{ctx, d, source, parts, plan, spec};

  // Enumerate or sample, then search.
  auto sample = sample_points(ctx.options, plan.space, plan.overflow);
  auto config = configure_search(job, sample);
  const auto* shards = ctx.options.shard_results;
  if (shards && !shards->replay) {
    return search_part(job, std::move(config), diags);  // --shard K/N: the part's tally, reported by `merge`
  }
  design_output output(ctx, d, source, diags);
  if (!output.open(spec.csv_header, config)) return false;
  search_run run;
  if (shards) {
    if (!replay_search(job, config, diags, run)) return false;
  } else {
    run = search_space(std::move(config), ctx.options, d.name);
  }

  // Rank, explain, report.
  auto rep = report_header(job, sample, run);
  explain_rejections(rep, plan.cd, run.t);
  rep.order = row_order(job, rep.objectives);
  auto shown = rank_designs(job, run.t);
  auto columns = report_columns(rep, spec, shown, ctx.reg.units());
  auto scale = report_objective_units(rep, job, shown);
  report_rows(rep, job, shown, columns, scale);
  for (const auto& e : run.t.front.ranked()) rep.cloud.emplace_back(e.rank, scale(e.objectives));
  explain_best(rep, job, run, shown, scale);
  if (run.t.feasible == 0) {
    explain_closest(rep, job, run.t);
    ++ctx.violations;  // nothing meets the requirements: `run` exits 3, as for a plain `require`
  }
  if (!output.finish(out, rep)) return false;

  // After the search the design reads as its best design.
  if (!shown.records.empty() && shown.points.front().second > 0)
    ctx.globals[d.name] = value{record_ptr(shown.records.front())};
  return true;
}

}  // namespace ironlaw::runtime::search
