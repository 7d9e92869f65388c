// Search: the engine (runtime/search/engine.hpp) configured for a design and
// run over its points, timed, with progress reported.
#include <chrono>

#include "design_phases.hpp"

namespace ironlaw::runtime::search {

engine_config configure_search(const design_job& job, const point_sample& sample) {
  const auto& cd = job.plan.cd;
  const auto top = job.spec.top;
  bool objectives = !job.parts.objectives.empty();
  engine_config config;
  config.positions = sample.sampled ? sample.indices.size() : job.plan.space;
  config.sample = sample.sampled ? &sample.indices : nullptr;
  config.requirements = cd.requirements.size();
  std::size_t depth = job.spec.mode == "pareto" ? static_cast<std::size_t>(top ? top : 1) : static_cast<std::size_t>(top);
  config.depth = depth;
  // Without objectives every feasible design is a row; without `top`, the
  // first `listed` in shown order (the CSV of --out has every one).
  config.keep = !objectives ? (top ? depth : listed) : 0;
  config.track_relax = objectives && !job.parts.requirements.empty();
  config.threads = job.ctx.options.threads ? job.ctx.options.threads : default_threads();
  config.make_evaluator = [&cd] { return std::make_unique<design_point>(cd); };
  return config;
}

search_run search_space(engine_config config, const search_options& options, const std::string& design) {
  auto started = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  if (options.progress)
    config.progress = [&](std::uint64_t done, std::uint64_t total) { options.progress(design, done, total, seconds()); };
  search_run run;
  run.t = run_search(config);
  run.seconds = seconds();
  if (options.progress) options.progress(design, config.positions, config.positions, -1);  // done: clear the line
  run.threads = config.threads;
  run.track_relax = config.track_relax;
  return run;
}

}  // namespace ironlaw::runtime::search
