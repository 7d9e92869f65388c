#pragma once
// "Did you mean ...?": the closest candidates by edit distance.
#include <string>
#include <string_view>
#include <vector>

namespace ironlaw::lang {

// Optimal string alignment distance, case-insensitive (a case difference costs
// nothing extra: `h100_sxm` is one step from `H100_SXM`, not eight).
std::size_t edit_distance(std::string_view a, std::string_view b);

// Longer names get no suggestion (bounded work for hostile input).
inline constexpr std::size_t max_suggested_length = 64;

// Up to `max` candidates close to `word`, best first. Also offers candidates
// that start with `word` (`H100` -> `H100_SXM`, `H100_PCIe`).
std::vector<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates,
                                 std::size_t max = 3);

// A help line for a name that is not among `candidates`: "did you mean A or
// B?" when some are close, else "<listing> A, B or C" (listing: "its fields are").
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates, std::string_view listing);

// "A", "A or B", "A, B or C".
std::string join_alternatives(const std::vector<std::string>& words);
// "A", "A and B", "A, B and C".
std::string join_all(const std::vector<std::string>& words);

}  // namespace ironlaw::lang
