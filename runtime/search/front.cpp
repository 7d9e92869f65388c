#include "front.hpp"

#include <algorithm>

namespace ironlaw::runtime::search {

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  bool better = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    better = better || a[i] < b[i];
  }
  return better;
}

bool shown_before(const entry& a, const entry& b) {
  if (a.rank != b.rank) return a.rank < b.rank;
  if (a.key != b.key) return a.key < b.key;
  return a.index < b.index;
}

void rank_all(std::vector<entry>& points) {
  // A dominator is lexicographically smaller, so after this sort every
  // point's dominators come before it.
  std::sort(points.begin(), points.end(), [](const entry& a, const entry& b) {
    return a.objectives != b.objectives ? a.objectives < b.objectives : a.index < b.index;
  });
  for (std::size_t i = 0; i < points.size(); ++i) {
    std::size_t rank = 1;
    for (std::size_t j = 0; j < i; ++j)
      if (points[j].rank + 1 > rank && dominates(points[j].objectives, points[i].objectives)) rank = points[j].rank + 1;
    points[i].rank = rank;
  }
}

void archive::insert(entry e) {
  if (e.objectives.empty()) {
    // No objectives: nothing dominates; keep the first `keep_` by key.
    e.rank = 1;
    points_.push_back(std::move(e));
    if (keep_ > 0 && points_.size() >= 2 * keep_ + 64) trim();
    return;
  }
  if (depth_ == 0) {
    points_.push_back(std::move(e));
    stale_ = true;
    return;
  }
  std::size_t rank = 1;
  bool dominates_some = false;
  for (const auto& p : points_) {
    if (p.rank + 1 > rank && dominates(p.objectives, e.objectives)) rank = p.rank + 1;
    dominates_some = dominates_some || dominates(e.objectives, p.objectives);
  }
  if (rank > depth_ || depth_ == 1) {
    // Whatever the new point dominates now ranks below it: past the depth
    // when the point itself is (or, at depth 1, at rank 2 at least).
    if (dominates_some)
      std::erase_if(points_, [&](const entry& p) { return dominates(e.objectives, p.objectives); });
    if (rank > depth_) return;
    e.rank = 1;
    points_.push_back(std::move(e));
    return;
  }
  // Deeper archives rank lazily. Ranks only grow as points arrive, so a stored
  // rank is a lower bound and a point whose bound already exceeds the depth can
  // go; the exact ranks (and the pruning they allow) are recomputed only when
  // the archive has doubled since the last time, so inserts stay amortized
  // linear. Exact sorting of the kept set is exact for the whole stream: every
  // dominator chain of a kept point lies within ranks below it, all kept.
  e.rank = rank;
  points_.push_back(std::move(e));
  stale_ = stale_ || dominates_some;
  if (stale_ && points_.size() >= 2 * settled_ + 64) rerank();
}

void archive::rerank() {
  rank_all(points_);
  if (depth_ > 0) std::erase_if(points_, [&](const entry& p) { return p.rank > depth_; });
  stale_ = false;
  settled_ = points_.size();
}

void archive::trim() {
  if (keep_ == 0 || points_.size() <= keep_) return;
  std::nth_element(points_.begin(), points_.begin() + static_cast<std::ptrdiff_t>(keep_), points_.end(), shown_before);
  points_.resize(keep_);
}

void archive::merge(const archive& other) {
  for (const auto& p : other.points_) insert(p);
}

std::vector<entry> archive::ranked() const {
  auto out = points_;
  if (stale_) {
    rank_all(out);
    if (depth_ > 0) std::erase_if(out, [&](const entry& p) { return p.rank > depth_; });
  }
  std::sort(out.begin(), out.end(), shown_before);
  if (keep_ > 0 && out.size() > keep_ && (out.empty() || out.front().objectives.empty())) out.resize(keep_);
  return out;
}

}  // namespace ironlaw::runtime::search
