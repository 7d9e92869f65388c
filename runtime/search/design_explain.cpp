// Explain: why designs failed (refusals by reason, the closest misses when
// nothing is feasible), and for the best design the requirement that binds it
// and what relaxing that requirement alone would admit.
#include <fmt/format.h>

#include <algorithm>

#include "../interp/evaluator.hpp"
#include "design_phases.hpp"
#include "ironlaw/lang/print.hpp"

namespace ironlaw::runtime::search {

using runtime::detail::evaluator;

namespace {

// The varying side of a requirement's comparison, evaluated at a point: what
// the design reaches ("d.itl = 41.2 ms"); empty when it is no comparison.
std::string reached(const design_job& job, std::size_t req, const record_ptr& rec) {
  const auto* b = std::get_if<lang::binary_expr>(&job.parts.requirements[req]->node);
  if (!b) return {};
  const auto& name = job.d.name;
  const auto& side = mentions(*b->lhs, name) ? *b->lhs : *b->rhs;
  evaluator::scope locals{{name, value{rec}}};
  lang::diagnostics quiet;
  evaluator e(job.ctx.reg, job.ctx.globals, job.source, quiet, &locals);
  auto v = e.eval_value(side);
  if (!v) return {};
  const auto* q = v->v.as_quantity();
  return fmt::format("{} = {}", lang::to_source(side),
                     v->shown_in && q ? unit_table::format_in(*q, *v->shown_in, v->shown_in_text)
                                      : format_value(v->v, job.ctx.reg.units()));
}

// The point that fails only requirement `b`, is better than the best design in
// every objective, and misses `b` by the least (then the first such).
const entry* relaxation_pick(const std::vector<entry>& relaxed, const std::vector<double>& best_objectives) {
  const entry* pick = nullptr;
  for (const auto& e : relaxed) {
    std::vector<double> obj(e.objectives.begin(), e.objectives.end() - 1);
    if (!dominates(obj, best_objectives)) continue;
    if (!pick || e.objectives.back() < pick->objectives.back() ||
        (e.objectives.back() == pick->objectives.back() && e.index < pick->index))
      pick = &e;
  }
  return pick;
}

// What relaxing requirement `b` alone would admit.
std::string explain_relaxation(const report::design_report& rep, const design_job& job, const tally& t,
                               const shown_designs& shown, const objective_scale& scale, std::size_t b) {
  const auto relaxed = t.relax[b].ranked();  // kept alive: `pick` points into it
  const entry* pick = relaxation_pick(relaxed, shown.ranked.front().objectives);
  if (!pick) return "  relaxing it alone admits no design better in every objective";
  design_point point(job.plan.cd);
  point_result pr;
  value result;
  point.evaluate_full(pick->index, pr, false, result);
  auto rec = design_record(job.plan.cd, job.d.name, result, pick->index);
  auto gain = scale(std::vector<double>(pick->objectives.begin(), pick->objectives.end() - 1));
  std::string what;
  for (std::size_t o = 0; o < gain.size(); ++o)
    what += fmt::format("{}{} {}{}", what.empty() ? "" : ", ", rep.objectives[o].text, format_number(gain[o]),
                        scale.units[o].first.empty() ? "" : " " + scale.units[o].first);
  auto needs = reached(job, b, rec);
  return fmt::format("  relaxing it by {}{} would admit {} ({})", slack_percent(pick->objectives.back()),
                     needs.empty() ? "" : " (to " + needs + ")", point_label(job.plan.cd, *rec, job.ctx.reg.units()), what);
}

}  // namespace

void explain_rejections(report::design_report& rep, const compiled_design& cd, const tally& t) {
  std::vector<std::pair<std::string, reason_count>> reasons(t.reasons.begin(), t.reasons.end());
  std::sort(reasons.begin(), reasons.end(), [](const auto& a, const auto& b) {
    return a.second.count != b.second.count ? a.second.count > b.second.count : a.second.first < b.second.first;
  });
  for (const auto& [reason, c] : reasons) {
    // The first refused point's whole message, as the example.
    design_point first(cd);
    point_result pr;
    value ignored;
    first.evaluate_full(c.first, pr, false, ignored);
    std::string example = first.last_message();
    if (example.starts_with(cd.fn->name + ": ")) example.erase(0, cd.fn->name.size() + 2);
    // Points that do not fit were evaluated, not refused: say so.
    auto what = reason == does_not_fit_reason ? fmt::format("do not fit in memory ({})", cd.fn->name)
                                              : fmt::format("rejected by {}: {}", cd.fn->name, reason);
    rep.rejections.push_back({c.count, std::move(what), example == reason ? std::string() : example});
  }
}

void explain_best(report::design_report& rep, const design_job& job, const search_run& run,
                  const shown_designs& shown, const objective_scale& scale) {
  if (shown.ranked.empty() || job.parts.requirements.empty()) return;
  const auto& cd = job.plan.cd;
  const auto& r = shown.results.front();
  auto b = binding_requirement(r);
  rep.best.push_back(fmt::format("best: {}", point_label(cd, *shown.records.front(), job.ctx.reg.units())));
  if (b == std::string::npos) {
    rep.best.push_back("  no requirement has a measurable slack (none is a comparison)");
    return;
  }
  auto at = reached(job, b, shown.records.front());
  rep.best.push_back(fmt::format("  binding: {} (slack {}{})", cd.requirement_texts[b], slack_percent(r.slacks[b]),
                                 at.empty() ? "" : ", " + at));
  if (run.track_relax) rep.best.push_back(explain_relaxation(rep, job, run.t, shown, scale, b));
}

void explain_closest(report::design_report& rep, const design_job& job, const tally& t) {
  const auto& cd = job.plan.cd;
  design_point point(cd);
  for (const auto& m : t.closest) {
    point_result pr;
    value result;
    point.evaluate_full(m.index, pr, false, result);
    auto rec = design_record(cd, job.d.name, result, m.index);
    std::size_t failing = static_cast<std::size_t>(std::count(pr.met.begin(), pr.met.end(), 0));
    auto at = reached(job, m.requirement, rec);
    rep.closest.push_back(fmt::format("{}: misses {} by {}{}{}{}", point_label(cd, *rec, job.ctx.reg.units()),
                                      cd.requirement_texts[m.requirement], slack_percent(m.worst),
                                      at.empty() ? "" : " (" + at + ")",
                                      failing > 1 ? fmt::format("; fails {} requirements", failing) : "",
                                      pr.reason.empty() ? "" : "; " + pr.reason + ": " + rec->infeasible));
  }
}

}  // namespace ironlaw::runtime::search
