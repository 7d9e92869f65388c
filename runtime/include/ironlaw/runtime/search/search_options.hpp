#pragma once
// How `ironlaw run` searches and reports designs (its command-line flags).
#include <cstdint>
#include <functional>
#include <string>

namespace ironlaw::runtime {

namespace search {
struct shard_results;  // runtime/search/shard_file.hpp
}

struct search_options {
  std::size_t threads = 0;                  // 0: the hardware's
  std::uint64_t max_points = 10'000'000;    // larger spaces refuse unless sampled
  std::uint64_t sample = 0;                 // > 0: that many points at random (approximate)
  std::uint64_t seed = 1;
  std::string format = "table";             // table, csv, json, md
  std::string out_dir;                      // non-empty: write table, CSV, JSON and SVG there
  // `--plot pareto|roofline`: each design's plot (SVG) goes to `plotted`
  // in place of its printed report.
  std::string plot;
  std::function<void(const std::string& design, const std::string& svg)> plotted;
  // --shard K/N (docs/search.md, "Shards"): only the K-th (1-based) of N
  // disjoint parts of every design's space; each design's tally goes to
  // `shards` instead of a report. `merge` sets `shards` to the merged tallies
  // (shards->replay), and each design is reported from them, not searched.
  std::uint64_t shard = 0, shards = 0;
  search::shard_results* shard_results = nullptr;
  bool force = false;                       // --force: replace files in out_dir that ironlaw did not write
  // Called about 5 times a second during a search (`done` of `total` points);
  // the CLI prints a progress line when stderr is a terminal.
  std::function<void(const std::string& design, std::uint64_t done, std::uint64_t total, double seconds)> progress;
};

}  // namespace ironlaw::runtime
