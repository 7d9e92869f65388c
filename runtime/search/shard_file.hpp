#pragma once
// `run --shard K/N` and `merge` (docs/search.md, "Shards"): the K-th of N
// disjoint parts of every design's space, and the file one part's tallies are
// written to. Every tally merges exactly (engine.hpp), so the union of the N
// files is the whole run's outcome, and `merge` prints the same report.
// Internal to runtime.
#include <cstdint>
#include <string>
#include <vector>

#include "ironlaw/lang/diagnostic.hpp"
#include "engine.hpp"

namespace ironlaw::runtime::search {

// The first position of part `k` (0-based) of `n` over `positions`: parts
// differ in size by at most one, the first `positions % n` are the larger.
std::uint64_t shard_begin(std::uint64_t positions, std::uint64_t k, std::uint64_t n);

// One design's part of a shard.
struct design_shard {
  std::string name;
  std::uint64_t space = 0;      // the design's points (saturated at 2^64 - 1 when larger)
  std::uint64_t positions = 0;  // the points the whole run visits (the space, or the sample's size)
  std::uint64_t begin = 0, end = 0;  // this part's positions
  double seconds = 0;
  std::uint64_t threads = 1;
  bool track_relax = false;
  std::uint64_t objectives = 0;  // every archive point has this many (its relaxation archives one more)
  tally t;
};

// What `run --shard` collects as it runs and `merge` replays: per design, in
// the order the program searched them.
struct shard_results {
  bool replay = false;  // merge: each design's tally is read from here, not searched
  std::vector<design_shard> designs;
  [[nodiscard]] const design_shard* find(const std::string& name) const;
};

// One shard file: what ran (the scenario's text, the flags that change the
// outcome) and its part of every design.
struct shard_file {
  static constexpr std::uint64_t format_version = 1;
  std::string scenario;  // the path `run` was given
  std::string text;      // the scenario's whole text
  std::uint64_t k = 0, n = 0;  // 1-based part of n
  std::uint64_t sample = 0, seed = 1, max_points = 0;
  shard_results results;
};

// "shard-03-of-16.ironlaw-shard": names that sort in part order.
std::string shard_file_name(std::uint64_t k, std::uint64_t n);
inline constexpr const char* shard_extension = ".ironlaw-shard";

std::string write_shard(const shard_file& f);
// Parses `file` (its name and bytes); E1210 at the first malformed byte,
// E1211 for another format version. Never throws on any input.
bool read_shard(const lang::source_ptr& file, shard_file& out, lang::diagnostics& diags);
// The parts of one run into its whole: E1212 unless they come from one
// scenario with the same flags and hold each of 1..N exactly once.
bool merge_shards(const std::vector<std::pair<lang::source_ptr, shard_file>>& parts, shard_file& whole,
                  lang::diagnostics& diags);

}  // namespace ironlaw::runtime::search
