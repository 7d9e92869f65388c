// Rank: the rows a report shows, in order. The archive ranks the feasible
// designs (Pareto ranks, then the sort key, then enumeration order); the
// report keeps the first front (pareto), the `top` N, or adds the closest
// misses (all).
#include <fmt/format.h>

#include <algorithm>

#include "design_phases.hpp"

namespace ironlaw::runtime::search {

shown_designs rank_designs(const design_job& job, const tally& t) {
  const auto& spec = job.spec;
  shown_designs s;
  s.ranked = t.front.ranked();
  std::size_t limit = spec.top ? static_cast<std::size_t>(spec.top) : s.ranked.size();
  if (spec.mode == "pareto" && !spec.top && !job.parts.objectives.empty())
    limit = static_cast<std::size_t>(std::count_if(s.ranked.begin(), s.ranked.end(), [](const entry& e) { return e.rank == 1; }));
  if (s.ranked.size() > limit) s.ranked.resize(limit);
  for (const auto& e : s.ranked) s.points.emplace_back(e.index, e.rank);
  if (spec.mode == "all")
    for (const auto& m : t.closest)
      if (!spec.top || s.points.size() < spec.top) s.points.emplace_back(m.index, 0);

  design_point point(job.plan.cd);
  for (const auto& [index, rank] : s.points) {
    point_result r;
    value result;
    point.evaluate_full(index, r, false, result);
    s.records.push_back(design_record(job.plan.cd, job.d.name, result, index));
    s.results.push_back(std::move(r));
  }
  return s;
}

std::string row_order(const design_job& job, const std::vector<report::objective>& objectives) {
  if (!objectives.empty()) {
    std::string order = "rank";
    for (const auto& o : objectives) order += fmt::format(", then {} ({})", o.text, o.maximize ? "highest first" : "lowest first");
    return order + ", then enumeration order";
  }
  return job.plan.cd.key_slot != std::string::npos
             ? fmt::format("{} (lowest first), then enumeration order", job.spec.shown.front())
             : "enumeration order";
}

}  // namespace ironlaw::runtime::search
