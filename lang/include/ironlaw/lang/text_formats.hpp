#pragma once
// Quoting for the machine-readable outputs (JSON diagnostics, reports,
// gradebooks, validation tables): one implementation, so every output escapes
// the same characters the same way.
#include <string>
#include <string_view>

namespace ironlaw::lang {

// A JSON string literal, quotes included; control characters as \uXXXX.
// Also a valid TOML basic string.
std::string json_string(std::string_view s);

// An RFC 4180 CSV field: quoted (with "" for ") only when it holds a comma,
// a quote or a line break.
std::string csv_field(std::string_view s);

}  // namespace ironlaw::lang
