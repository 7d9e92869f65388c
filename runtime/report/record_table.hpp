#pragma once
// A list of result records with the same fields (sensitivity's tornado, the
// walls) printed as a table: a header of field names, one row per record.
#include <optional>
#include <string>

#include "ironlaw/runtime/interp/units.hpp"
#include "ironlaw/runtime/interp/value.hpp"

namespace ironlaw::runtime {

// The table, or nullopt when `v` is not a non-empty list of unnamed records
// sharing their field names.
std::optional<std::string> format_record_table(const value& v, const unit_table& units);

}  // namespace ironlaw::runtime
