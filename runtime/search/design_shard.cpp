// Shards (docs/search.md, "Shards"): `run --shard K/N` searches one part of
// a design's positions and keeps its tally for the shard file; `merge`
// reports a design from the tallies of every part, merged, after checking
// they are a search of the design this scenario declares.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/ranges.h>

#include "compile.hpp"
#include "ironlaw/runtime/interp/agree.hpp"
#include "design_phases.hpp"
#include "shard_file.hpp"

namespace ironlaw::runtime::search {

namespace {
std::uint64_t saturated_space(const design_plan& plan) {
  return plan.overflow ? std::numeric_limits<std::uint64_t>::max() : plan.space;
}

// The name of a design searched earlier that this design's space, filters,
// requirements or objectives read: a part would read its own part's best
// point there, not the whole run's.
const design_shard* reads_earlier(const design_job& job) {
  for (const auto& earlier : job.ctx.options.shard_results->designs) {
    auto reads = [&](const lang::expr* e) { return e && mentions(*e, earlier.name); };
    bool read = reads(job.d.solver.get());
    for (const auto& a : job.d.axes) read = read || reads(a.domain.get());
    for (const auto& f : job.d.filters) read = read || reads(f.get());
    for (const auto* r : job.parts.requirements) read = read || reads(r);
    for (const auto& [o, maximized] : job.parts.objectives) read = read || reads(o);
    if (read) return &earlier;
  }
  return nullptr;
}

// Two evaluations of one point agree (the same binary on another node of a
// cluster may round the last bit differently).
bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) {
      if (std::isnan(a[i]) != std::isnan(b[i])) return false;
      continue;
    }
    if (!agree(a[i], b[i])) return false;
  }
  return true;
}

// The merged parts are trusted for nothing that can be checked: every point
// they rank, offer as a relaxation or name as a close miss is evaluated
// again (the archives are small) and must come to what its part says. An
// empty string when all agree.
std::string replay_disagreement(const design_job& job, const engine_config& config, const tally& t) {
  auto evaluator = config.make_evaluator();
  point_result r;
  auto outside = [&](std::uint64_t index) { return !job.plan.overflow && index >= job.plan.space; };
  for (const auto& e : t.front.points()) {
    if (outside(e.index)) return fmt::format("point {} is outside the design's {} points", e.index, job.plan.space);
    evaluator->evaluate(e.index, r, false);
    if (!r.feasible()) return fmt::format("point {} is ranked, but evaluating it shows it is not feasible", e.index);
    if (!same_values(r.objectives, e.objectives) || !same_values(r.key, e.key))
      return fmt::format("point {} is ranked with objectives [{}], but evaluating it gives [{}]", e.index,
                         fmt::join(e.objectives, ", "), fmt::join(r.objectives, ", "));
  }
  for (std::size_t req = 0; req < t.relax.size(); ++req) {
    for (const auto& e : t.relax[req].points()) {
      if (outside(e.index)) return fmt::format("point {} is outside the design's {} points", e.index, job.plan.space);
      evaluator->evaluate(e.index, r, false);
      bool fails_only_this = req < r.met.size() && !r.met[req] &&
                             std::count(r.met.begin(), r.met.end(), char{0}) == 1 && r.reason.empty();
      auto expected = r.objectives;  // the objectives, then the violation (tally::add)
      if (req < r.slacks.size()) expected.push_back(-r.slacks[req]);
      if (!fails_only_this || !same_values(expected, e.objectives))
        return fmt::format("point {} is offered as failing requirement {} alone, but evaluating it disagrees", e.index,
                           req + 1);
    }
  }
  // A reason's first point gives that reason again. The reasons of rejected
  // points (a solver's refusal, never the text of a point that does not fit)
  // count every rejected point once.
  std::uint64_t rejected = 0;
  for (const auto& [why, c] : t.reasons) {
    if (outside(c.first)) return fmt::format("point {} is outside the design's {} points", c.first, job.plan.space);
    evaluator->evaluate(c.first, r, false);
    bool refused = r.st == point_result::state::rejected;
    if (r.reason != why || !(refused || r.st == point_result::state::evaluated))
      return fmt::format("point {} is counted as failing with '{}', but evaluating it disagrees", c.first, why);
    if (refused) rejected += c.count;
  }
  if (rejected != t.rejected)
    return fmt::format("{} points are rejected, but the reasons of rejection count {}", t.rejected, rejected);
  for (const auto& m : t.closest) {
    if (outside(m.index)) return fmt::format("point {} is outside the design's {} points", m.index, job.plan.space);
    evaluator->evaluate(m.index, r, false);
    if (r.feasible() || m.requirement >= r.slacks.size() || !same_values({r.slacks[m.requirement]}, {m.worst}))
      return fmt::format("point {} is named as a close miss of requirement {}, but evaluating it disagrees", m.index,
                         m.requirement + 1);
  }
  return {};
}

}  // namespace

bool search_part(const design_job& job, engine_config config, lang::diagnostics& diags) {
  const auto& o = job.ctx.options;
  if (const auto* earlier = reads_earlier(job)) {
    diags.error("E1212", job.source, job.d.name_span,
                fmt::format("design '{}' reads design '{}', whose best point only the whole run knows", job.d.name,
                            earlier->name))
        .help = "run this scenario whole, or give the design the values it reads from the other as numbers";
    return false;
  }
  design_shard part;
  part.name = job.d.name;
  part.space = saturated_space(job.plan);
  part.positions = config.positions;
  part.begin = shard_begin(config.positions, o.shard - 1, o.shards);
  part.end = shard_begin(config.positions, o.shard, o.shards);
  config.first = part.begin;
  config.positions = part.end - part.begin;
  auto run = search_space(std::move(config), o, job.d.name);
  part.seconds = run.seconds;
  part.threads = run.threads;
  part.track_relax = run.track_relax;
  part.objectives = job.parts.objectives.size();
  part.t = std::move(run.t);
  o.shard_results->designs.push_back(std::move(part));
  return true;
}

bool replay_search(const design_job& job, const engine_config& config, lang::diagnostics& diags, search_run& run) {
  const auto* part = job.ctx.options.shard_results->find(job.d.name);
  const auto& t = part ? part->t : run.t;
  bool same = part && part->space == saturated_space(job.plan) && part->positions == config.positions &&
              part->track_relax == config.track_relax && part->objectives == job.parts.objectives.size() &&
              t.failed.size() == config.requirements &&
              t.relax.size() == (config.track_relax ? config.requirements : 0) && t.front.depth() == config.depth &&
              t.front.keep() == config.keep;
  if (!same) {
    diags.error("E1212", job.source, job.d.name_span,
                fmt::format("the shard files hold no search of design '{}' as this scenario declares it", job.d.name))
        .help = "a design whose space depends on an earlier design's best point cannot be sharded; run it whole";
    job.ctx.globals[job.d.name] = value{};  // later reads stay silent
    return false;
  }
  if (auto problem = replay_disagreement(job, config, part->t); !problem.empty()) {
    diags.error("E1212", job.source, job.d.name_span,
                fmt::format("the shard files' search of design '{}' does not match this scenario: {}", job.d.name,
                            problem))
        .help = "a part file was edited or comes from another registry or ironlaw version: run its part again";
    job.ctx.globals[job.d.name] = value{};
    return false;
  }
  run.t = part->t;
  run.seconds = part->seconds;
  run.threads = static_cast<std::size_t>(part->threads);
  run.track_relax = part->track_relax;
  return true;
}

}  // namespace ironlaw::runtime::search
