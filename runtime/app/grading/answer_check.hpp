#pragma once
// Compares a student's value with the reference: quantities in any compatible
// unit within the question's tolerance, words ignoring case, sets with partial
// credit. Never fails: a wrong kind or dimension is feedback.
#include <string>

#include "assignment.hpp"

namespace ironlaw::runtime::grading {

struct answer_verdict {
  double credit = 0;        // 0 .. 1 of the question's points
  std::string message;      // why, for the student
  bool comparable = true;   // false: a wrong kind or dimension (feedback rules cannot compare it)
};

// `reveal` adds the reference value to the message (for TAs, not students).
answer_verdict check_answer(const question_instance& q, const value& submitted, const unit_table& units, bool reveal);

// The default when a numeric question gives neither tolerance nor sigfigs.
inline constexpr double default_relative_tolerance = 0.01;

}  // namespace ironlaw::runtime::grading
