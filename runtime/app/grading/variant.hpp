#pragma once
// Per-student variants: which option of each `choose` a student gets. The
// draw is a pure function of (student id, assignment title, parameter name),
// written out here so it is the same on every platform and in every version
// (std::hash and std::uniform_int_distribution are implementation-defined).
// docs/grading.md describes the algorithm.
#include <cstdint>
#include <string_view>

namespace ironlaw::runtime::grading {

// FNV-1a, 64 bits, over the bytes of `text`, continuing from `state`.
std::uint64_t fnv1a_64(std::string_view text, std::uint64_t state = 0xcbf29ce484222325ULL);

// SplitMix64's finalizer: spreads FNV's weak low bits over the whole word.
std::uint64_t splitmix64_mix(std::uint64_t x);

// The option index (0 .. options-1) a student draws for one parameter.
std::uint64_t draw_option(std::string_view student, std::string_view assignment_title, std::string_view param,
                          std::uint64_t options);

}  // namespace ironlaw::runtime::grading
