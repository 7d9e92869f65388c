#pragma once
// The search loop, independent of the language: positions of a space are cut
// into chunks, evaluated on worker threads by per-thread point evaluators,
// tallied per chunk and merged in chunk order, so the outcome is the same for
// any number of threads. Every tally merges exactly (counts add, archives are
// exact, the closest misses are a top-k), so a space evaluated as shards and
// merged gives the outcome of the whole.
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "front.hpp"

namespace ironlaw::runtime::search {

// What one point came to.
struct point_result {
  enum class state { excluded, rejected, evaluated };
  state st = state::evaluated;
  std::string reason;           // rejected: why the solver refused the inputs
  std::vector<double> slacks;   // per requirement: normalized slack (< 0: violated; NaN: not evaluated)
  std::vector<char> met;        // per requirement
  std::vector<double> objectives;  // every one minimized (maximized ones negated); NaN: not computable
  std::vector<double> key;         // tie-break inside a rank
  std::string row;                 // a CSV line, when rows are asked for and the point is feasible
  [[nodiscard]] bool feasible() const;
};

// Evaluates points; one per thread, so it may keep scratch state.
class point_evaluator {
 public:
  virtual ~point_evaluator() = default;
  virtual void evaluate(std::uint64_t index, point_result& out, bool want_row) = 0;
};

// An infeasible point that came close: the least slack over its requirements.
struct near_miss {
  std::uint64_t index = 0;
  double worst = 0;         // the least slack (negative)
  std::size_t requirement = 0;  // the one with that slack
};

struct reason_count {
  std::uint64_t count = 0;
  std::uint64_t first = 0;  // the first point (in enumeration order) rejected so
};

// Everything a search learns, for a shard or for the whole space.
struct tally {
  std::uint64_t points = 0, excluded = 0, rejected = 0, evaluated = 0, feasible = 0;
  std::vector<std::uint64_t> failed;        // per requirement
  std::map<std::string, reason_count> reasons;
  archive front;
  std::vector<near_miss> closest;           // best first, at most `closest_kept`
  // Per requirement: the points that fail it alone, ranked on the objectives
  // plus the violation (what relaxing that one requirement would admit).
  std::vector<archive> relax;
  std::size_t closest_kept = 5;
  // The last reason counted: a run of points with one reason (most of a
  // space's refusals) skips the map. A copy starts without it.
  struct reason_cache {
    const std::string* reason = nullptr;
    reason_count* count = nullptr;
    reason_cache() = default;
    reason_cache(const reason_cache&) {}
    reason_cache& operator=(const reason_cache&) {
      reason = nullptr;
      count = nullptr;
      return *this;
    }
  } last_reason;

  tally() = default;
  tally(std::size_t requirements, std::size_t depth, std::size_t keep, bool track_relax);
  void add(std::uint64_t index, const point_result& r);
  void count_reason(const std::string& reason, std::uint64_t index);
  void merge(const tally& other);
};

struct engine_config {
  std::uint64_t first = 0;                         // the first position visited (--shard K/N)
  std::uint64_t positions = 0;                     // how many points to visit from there
  const std::vector<std::uint64_t>* sample = nullptr;  // position -> index; null: position = index
  std::size_t requirements = 0;
  std::size_t depth = 1, keep = 0;
  bool track_relax = false;
  std::size_t threads = 1;
  std::function<std::unique_ptr<point_evaluator>()> make_evaluator;
  std::ostream* rows = nullptr;                    // feasible points' rows, in enumeration order
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;  // called about 5 times a second
};

tally run_search(const engine_config& config);

// The default thread count: the hardware's, at least 1.
std::size_t default_threads();

}  // namespace ironlaw::runtime::search
