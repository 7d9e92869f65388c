#pragma once
// The design a rubric grades must be earned: a design block of the submission
// that the engine searched, built from the assignment's and the registry's
// entities and prices. Entities and prices the student makes up are refused
// unless the assignment sets `param custom_entities = true`, and then they
// must be positive, finite and within a factor of the registry's range
// (docs/grading.md, "Design questions").
#include <optional>
#include <string>

#include "assignment.hpp"

namespace ironlaw::runtime::grading {

// How far beyond the registry's range a student's entity field may go: no
// accelerator with more than twice the best registry bandwidth, FLOP/s or
// memory, none with less than half the cheapest price or lowest power.
inline constexpr double custom_entity_range_factor = 2;

// Why the submission's design `d` may not be graded, or nullopt when it may.
// `sub` is the interpreter the submission ran in.
std::optional<std::string> design_problem(variant_session& session, interpreter& sub,
                                          const lang::source_ptr& source, const lang::design_stmt& d);

// Why one student-declared entity is out of bounds, or nullopt (for tests).
std::optional<std::string> entity_problem(const registry& reg, const record& entity);

}  // namespace ironlaw::runtime::grading
