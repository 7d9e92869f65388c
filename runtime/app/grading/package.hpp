#pragma once
// `ironlaw assignment package`: an assignment made ready for an LMS
// (docs/grading.md, "From an assignment file to a live Gradescope
// assignment"). Both packages carry the faculty file, an ironlaw binary and a
// script that grades one submission with `ironlaw grade`; nothing is built or
// installed on the LMS's image.
#include <optional>
#include <string>

#include "assignment.hpp"
#include "../../io/file_io.hpp"

namespace ironlaw::runtime::grading {

struct package_inputs {
  const assignment_file* file = nullptr;
  std::string faculty_text;  // the assignment file, as shipped
  std::string binary;        // the ironlaw executable's bytes
  double seconds = 10;       // --time-limit per submission
};

// E1015 when the faculty file imports others (a package ships one file).
bool check_self_contained(const assignment_file& file, lang::diagnostics& diags);

// True when the executable is a statically linked ELF file (no PT_INTERP
// program header), so it runs on any x86-64 Linux image whatever its libraries.
bool is_static_elf(std::string_view binary);

// The Gradescope autograder: a zip with setup.sh, run_autograder, ironlaw and
// assignment.iron, written atomically to `out`.
std::optional<files::problem> write_gradescope(const package_inputs& in, const std::string& out);

// A PrairieLearn question directory: info.json, question.html, server.py
// (one entry per distinct variant), tests/run_grader, tests/ironlaw and
// tests/assignment.iron. Each file written atomically; existing files ironlaw
// did not write need `force`.
std::optional<files::problem> write_prairielearn(const package_inputs& in, const registry& reg, const std::string& dir,
                                                 bool force, lang::diagnostics& diags);

}  // namespace ironlaw::runtime::grading
