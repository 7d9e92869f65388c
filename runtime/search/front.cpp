#include "front.hpp"

#include <algorithm>
#include <map>

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

namespace {

// Non-dominated sorting of points already in lexicographic order of their
// objectives, for two objectives, in O(n log n): walking in that order, a
// point is dominated by an earlier one exactly when that one's second
// objective is no larger (identical points excepted, hence the groups). Level
// r's least second objective never decreases with r, so a point's rank is
// found by binary search over the levels.
void rank_two(std::vector<entry>& points) {
  std::vector<double> least;  // per rank level: the least second objective so far
  for (std::size_t i = 0; i < points.size();) {
    std::size_t group = i;
    while (group < points.size() && points[group].objectives == points[i].objectives) ++group;
    double y = points[i].objectives[1];
    auto level = static_cast<std::size_t>(std::upper_bound(least.begin(), least.end(), y) - least.begin());
    for (std::size_t k = i; k < group; ++k) points[k].rank = level + 1;
    if (level == least.size()) least.push_back(y);
    else least[level] = y;  // least[level] > y here: the new least
    i = group;
  }
}

// The same for three objectives, in O(n log^2 n). Walking in lexicographic
// order, an earlier point dominates a later one exactly when it is no larger
// in the second and third objectives (identical points excepted, as above).
// Each rank level keeps the staircase of its points' (second, third) pairs
// that no other pair of the level is below: second ascending, third strictly
// descending, so "is some pair of this level below (y, z)" is one lookup.
// Levels holding such a pair are 1..m for some m (a dominator at level r has
// its own at level r - 1), so the point's rank m + 1 is a binary search.
class staircase {
 public:
  [[nodiscard]] bool below(double y, double z) const {
    auto it = steps_.upper_bound(y);
    return it != steps_.begin() && std::prev(it)->second <= z;
  }
  void add(double y, double z) {  // (y, z) is below no step
    for (auto it = steps_.lower_bound(y); it != steps_.end() && it->second >= z;) it = steps_.erase(it);
    steps_.emplace(y, z);
  }

 private:
  std::map<double, double> steps_;
};

void rank_three(std::vector<entry>& points) {
  std::vector<staircase> levels;
  for (std::size_t i = 0; i < points.size();) {
    std::size_t group = i;
    while (group < points.size() && points[group].objectives == points[i].objectives) ++group;
    double y = points[i].objectives[1], z = points[i].objectives[2];
    std::size_t lo = 0, hi = levels.size();  // the first level with no pair below (y, z)
    while (lo < hi) {
      std::size_t mid = (lo + hi) / 2;
      if (levels[mid].below(y, z)) lo = mid + 1;
      else hi = mid;
    }
    for (std::size_t k = i; k < group; ++k) points[k].rank = lo + 1;
    if (lo == levels.size()) levels.emplace_back();
    levels[lo].add(y, z);
    i = group;
  }
}

}  // namespace

void rank_all(std::vector<entry>& points) {
  // A dominator is lexicographically smaller, so after this sort every
  // point's dominators come before it.
  std::sort(points.begin(), points.end(), [](const entry& a, const entry& b) {
    return a.objectives != b.objectives ? a.objectives < b.objectives : a.index < b.index;
  });
  if (!points.empty() && points.front().objectives.size() == 2) return rank_two(points);
  if (!points.empty() && points.front().objectives.size() == 3) return rank_three(points);
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
  // Points are buffered and ranked in batches: whenever the archive has
  // doubled since the last ranking, non-dominated sorting of everything kept
  // gives exact ranks and drops what lies past the depth. That is exact for
  // the whole stream: a point's rank among a subset never exceeds its rank
  // among all, so a point dropped is past the depth for good, and every
  // dominator chain of a kept point runs through ranks below it, all kept.
  // Inserts cost amortized O(log n) with two objectives, O(log^2 n) with
  // three, O(n) with more.
  points_.push_back(std::move(e));
  stale_ = true;
  if (depth_ > 0 && points_.size() >= 2 * settled_ + 64) rerank();
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
