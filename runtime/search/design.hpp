#pragma once
// The language side of the search: which statements belong to a design.
#include "ironlaw/lang/ast.hpp"

namespace ironlaw::runtime::search {

// A `require` that reads a design, or a `report`: `run` leaves them to the
// design's search instead of running them as plain statements.
bool part_of_design(const lang::program& program, const lang::stmt& st);

}  // namespace ironlaw::runtime::search
