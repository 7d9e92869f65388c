#pragma once
// The assignment as people read it: one student's questions (with the answers
// for TAs), every variant, and the student copy (no answers, tolerances,
// feedback or hidden questions) that is also the file they fill in and submit.
#include <string>

#include "assignment.hpp"

namespace ironlaw::runtime::grading {

// One variant's questions; `solutions` adds answers, tolerances, rubrics and
// feedback rules, and the hidden questions.
std::string render_variant(const variant_session& session, bool solutions);

// The student copy: comments with the prompts, then an answers block to fill
// in. Not `personal`: the prompts keep their `{param}` placeholders and the
// parameters' options are listed (`session` then only says what each question
// takes).
std::string student_copy(const variant_session& session, bool personal);

}  // namespace ironlaw::runtime::grading
