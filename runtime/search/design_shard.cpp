// Shards (docs/search.md, "Shards"): `run --shard K/N` searches one part of
// a design's positions and keeps its tally for the shard file; `merge`
// reports a design from the tallies of every part, merged, after checking
// they are a search of the design this scenario declares.
#include <fmt/format.h>

#include <limits>

#include "compile.hpp"
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
  run.t = part->t;
  run.seconds = part->seconds;
  run.threads = static_cast<std::size_t>(part->threads);
  run.track_relax = part->track_relax;
  return true;
}

}  // namespace ironlaw::runtime::search
