#pragma once
// Grades one submission against one student's variant, in this process. The
// submission is untrusted: it may not import, its design spaces are capped,
// and every error in it is feedback (zero for what failed), never a stop.
// The CLI runs this inside the sandbox (sandbox.hpp) for time and memory.
#include <cstdint>
#include <string>

#include "assignment.hpp"
#include "results.hpp"

namespace ironlaw::runtime::grading {

struct grading_limits {
  std::uint64_t max_points = 100'000;  // points in any design space of a submission
  std::size_t max_bytes = 1u << 20;    // submission size
  std::size_t max_depth = 128;         // nesting of brackets and operators
  double seconds = 10;                 // wall time per submission (the sandbox's)
  std::size_t memory_mb = 1024;        // address space per submission (the sandbox's)
  bool reveal = false;                 // put reference answers in the feedback (for TAs)
  // False: skip the submission's designs (and what reads them), so its answers
  // can still be graded after its searches ran out of time.
  bool run_designs = true;
};

// `submission` is the file's text; its name appears in messages.
grade_report grade_submission(variant_session& session, const lang::source_ptr& submission, const std::string& student,
                              const grading_limits& limits);

// A report where every question scores zero, for a submission that could not
// be graded at all (unreadable, timed out, crashed).
grade_report failed_report(variant_session& session, const std::string& student, const std::string& status,
                           const std::string& why);

}  // namespace ironlaw::runtime::grading
