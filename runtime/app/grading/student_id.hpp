#pragma once
// Whose variant a submission is graded against (docs/grading.md, "The student
// id"): --student ID, or the id an LMS writes beside the submission. The
// submission's file name never chooses the variant.
#include <optional>
#include <string>

#include "assignment.hpp"
#include "ironlaw/lang/diagnostic.hpp"

namespace ironlaw::runtime::grading {

// True when the assignment draws a variant per student: some parameter has
// more than one option, so grading needs the student's id.
bool has_variants(const assignment_file& file);

// E1013 at the first parameter with options: the id is missing.
void missing_student(const assignment_file& file, lang::diagnostics& diags);

// The student id in an LMS's metadata file:
//   Gradescope's /autograder/submission_metadata.json: users[].email, lower
//     case; in a group submission the smallest, so the group shares a variant;
//   PrairieLearn's /grade/data/data.json: params.ironlaw_student (set by the
//     question's server.py that `ironlaw assignment package` writes).
// Nullopt with a diagnostic (E0004/E0705/E0706 unreadable, E0801 not JSON,
// E1014 neither layout) otherwise.
std::optional<std::string> student_from_metadata(const std::string& path, lang::diagnostics& diags);

}  // namespace ironlaw::runtime::grading
