#pragma once
// The ranked archive of a design-space search: every feasible point whose
// Pareto rank (non-dominated sorting) is at most `depth`, kept incrementally,
// so memory follows the first fronts, not the space. Archives of disjoint
// shards merge into exactly the archive of their union.
#include <cstdint>
#include <vector>

namespace ironlaw::runtime::search {

// One point: its index in the space, its objectives (every one minimized; a
// maximized objective is negated) and its sort key (the tie-break inside a rank).
struct entry {
  std::uint64_t index = 0;
  std::vector<double> objectives;
  std::vector<double> key;
  std::size_t rank = 1;  // 1: non-dominated; set by the archive
};

// a dominates b: no worse in every objective and better in one.
bool dominates(const std::vector<double>& a, const std::vector<double>& b);

// The order points are shown in: rank, then the key (ascending, element by
// element), then the index (enumeration order).
bool shown_before(const entry& a, const entry& b);

class archive {
 public:
  // depth: the largest rank kept (0: every rank; ranks are then computed at
  // the end). keep: without objectives every point is rank 1, and only the
  // first `keep` in shown order are kept (0: all).
  explicit archive(std::size_t depth = 1, std::size_t keep = 0) : depth_(depth), keep_(keep) {}

  void insert(entry e);
  // Inserts every point of `other` (a disjoint shard of the same space).
  void merge(const archive& other);
  // The kept points in shown order, with their ranks.
  [[nodiscard]] std::vector<entry> ranked() const;
  [[nodiscard]] std::size_t size() const { return points_.size(); }
  [[nodiscard]] const std::vector<entry>& points() const { return points_; }
  [[nodiscard]] std::size_t depth() const { return depth_; }
  [[nodiscard]] std::size_t keep() const { return keep_; }

 private:
  void rerank();  // non-dominated sorting of the kept points, then pruning past the depth
  void trim();
  std::size_t depth_;
  std::size_t keep_;
  bool stale_ = false;      // some stored ranks are lower bounds: exact ones on demand
  std::size_t settled_ = 0;  // the size after the last exact ranking
  std::vector<entry> points_;
};

// Non-dominated sorting of any set (the reference for tests and for depth 0):
// sets each entry's rank.
void rank_all(std::vector<entry>& points);

}  // namespace ironlaw::runtime::search
