// Enumerate or sample: a design's space is the product of its axes, its
// points numbered in enumeration order (the last axis fastest); `--sample N
// --seed S` searches N distinct points of it chosen uniformly at random.
#include <limits>
#include <random>
#include <set>

#include "design_phases.hpp"

namespace ironlaw::runtime::search {

void grow_space(std::uint64_t& space, bool& overflow, std::size_t axis) {
  if (overflow || space > std::numeric_limits<std::uint64_t>::max() / axis) overflow = true;
  else space *= axis;
}

point_sample sample_points(const search_options& options, std::uint64_t space, bool overflow) {
  point_sample s;
  s.sampled = options.sample > 0 && (overflow || options.sample < space);
  if (!s.sampled) return s;
  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<std::uint64_t> pick(0, (overflow ? std::numeric_limits<std::uint64_t>::max() : space) - 1);
  std::set<std::uint64_t> chosen;
  while (chosen.size() < options.sample) chosen.insert(pick(rng));
  s.indices.assign(chosen.begin(), chosen.end());
  return s;
}

}  // namespace ironlaw::runtime::search
