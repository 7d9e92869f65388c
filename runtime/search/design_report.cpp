// Report: a search's outcome as a report::design_report: the counts, the
// columns in the units their values print best in, and the rows.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "design_phases.hpp"

namespace ironlaw::runtime::search {

std::string slack_percent(double slack) {
  return fmt::format("{}%", format_number(std::abs(slack) * 100));
}

std::vector<double> objective_scale::operator()(const std::vector<double>& minimized) const {
  std::vector<double> v;
  for (std::size_t o = 0; o < minimized.size() && o < maximize.size(); ++o)
    v.push_back((maximize[o] ? -minimized[o] : minimized[o]) / units[o].second);
  return v;
}

report::design_report report_header(const design_job& job, const point_sample& sample, const search_run& run) {
  const auto& cd = job.plan.cd;
  const auto& t = run.t;
  report::design_report r;
  r.design = job.d.name;
  r.solver = cd.fn->name;
  r.title = job.ctx.title;
  for (std::size_t a = 0; a < cd.axis_names.size(); ++a) r.axes.emplace_back(cd.axis_names[a], cd.axis_values[a].size());
  r.space = job.plan.overflow ? std::numeric_limits<std::uint64_t>::max() : job.plan.space;
  r.visited = t.points;
  r.excluded = t.excluded;
  r.rejected = t.rejected;
  r.evaluated = t.evaluated;
  r.feasible = t.feasible;
  r.sampled = sample.sampled;
  r.seed = job.ctx.options.seed;
  r.mode = job.spec.mode;
  const auto top = job.spec.top;
  r.top = job.parts.objectives.empty() && !top && t.feasible > listed ? listed : top;
  r.requirements = cd.requirement_texts;
  r.failed = t.failed;
  r.seconds = run.seconds;
  r.threads = run.threads;
  for (std::size_t o = 0; o < job.parts.objectives.size(); ++o)
    r.objectives.push_back({cd.objective_texts[o], job.parts.objectives[o].second});
  return r;
}

column_units report_columns(report::design_report& rep, const report_spec& spec, const shown_designs& shown,
                            const unit_table& units) {
  const auto& names = spec.shown;
  column_units result(names.size(), {"", 1});
  for (std::size_t c = 0; c < names.size(); ++c) {
    rep.columns.push_back({names[c], "", false});
    if (shown.records.empty() || spec.requirement_column(names[c]) || names[c] == "rank") continue;
    // The unit of the first non-zero value shown: a first row of 0 ns must
    // not put a column of seconds in nanoseconds.
    const quantity* q = nullptr;
    for (const auto& rec : shown.records) {
      const auto* fl = rec->find(names[c]);
      const auto* v = fl && !refuses_read(*rec, *fl, false) ? fl->v.as_quantity() : nullptr;
      if (!v || !std::isfinite(v->si)) continue;
      if (!q || q->si == 0) q = v;
    }
    if (!q) continue;
    result[c] = display_unit(*q, units);
    rep.columns[c].unit = result[c].first;
    rep.columns[c].numeric = true;
  }
  return result;
}

objective_scale report_objective_units(report::design_report& rep, const design_job& job, const shown_designs& shown) {
  const auto& objectives = job.parts.objectives;
  objective_scale scale;
  scale.units.assign(objectives.size(), {"", 1});
  for (const auto& [o, maximize] : objectives) scale.maximize.push_back(maximize);
  for (std::size_t o = 0; o < objectives.size(); ++o) {
    const auto& ranked = shown.ranked;
    double best = ranked.empty() ? 1 : (objectives[o].second ? -ranked.front().objectives[o] : ranked.front().objectives[o]);
    scale.units[o] = display_unit(quantity{best, job.plan.objective_dims[o]}, job.ctx.reg.units());
    rep.objective_units.push_back(scale.units[o].first);
  }
  return scale;
}

namespace {

// A field's cell: a number in the column's unit, a quantity with its own, or the value as text.
void field_cell(report::row& row, const record& rec, const field* fl, const report::column& column, double factor,
                const unit_table& units) {
  const auto* q = fl ? fl->v.as_quantity() : nullptr;
  if (fl && refuses_read(rec, *fl, false)) {  // a point that does not fit has no time to show
    row.cells.push_back("n/a");
    row.numbers.push_back(nan);
  } else if (q && column.numeric && q->d != dim{}) {
    double x = q->si / factor;
    row.cells.push_back(report::readable_number(x));
    row.numbers.push_back(x);
  } else if (q) {
    row.cells.push_back(units.format(*q));
    row.numbers.push_back(q->si);
  } else {
    row.cells.push_back(fl ? axis_value_text(fl->v, units) : "-");
    row.numbers.push_back(nan);
  }
}

// The binding column: the requirement with the least slack, and the slack.
std::string binding_cell(const compiled_design& cd, const point_result& r) {
  auto b = binding_requirement(r);
  if (b == std::string::npos) return "-";
  return fmt::format("{} ({} {})", cd.requirement_texts[b], r.slacks[b] < 0 ? "missed by" : "slack", slack_percent(r.slacks[b]));
}

}  // namespace

void report_rows(report::design_report& rep, const design_job& job, const shown_designs& shown,
                 const column_units& columns, const objective_scale& scale) {
  const auto& names = job.spec.shown;
  const auto& units = job.ctx.reg.units();
  for (std::size_t i = 0; i < shown.points.size(); ++i) {
    report::row row;
    row.index = shown.points[i].first;
    row.rank = shown.points[i].second;
    const auto& rec = *shown.records[i];
    const auto& r = shown.results[i];
    for (std::size_t c = 0; c < names.size(); ++c) {
      if (job.spec.requirement_column(names[c])) {
        row.cells.push_back(binding_cell(job.plan.cd, r));
        row.numbers.push_back(nan);
      } else if (names[c] == "rank") {
        row.cells.push_back(row.rank ? std::to_string(row.rank) : "-");
        row.numbers.push_back(static_cast<double>(row.rank));
      } else {
        field_cell(row, rec, rec.find(names[c]), rep.columns[c], columns[c].second, units);
      }
    }
    row.objectives = scale(r.objectives);
    if (rec.infeasible.empty()) row.roof = report::roofline_of(rec, "");
    rep.rows.push_back(std::move(row));
  }
}

}  // namespace ironlaw::runtime::search
