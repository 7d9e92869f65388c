#pragma once
// Quoting for the machine-readable outputs (JSON diagnostics, reports,
// gradebooks, validation tables): one implementation, so every output escapes
// the same characters the same way.
#include <string>
#include <string_view>

namespace ironlaw::lang {

// The length of the well-formed UTF-8 sequence at s[i] (1-4), or 0 where the
// bytes there are not UTF-8 (RFC 3629: no overlongs, surrogates or > U+10FFFF).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

// A JSON string literal, quotes included; control characters as \uXXXX and
// bytes that are not UTF-8 as U+FFFD, so the output is always valid JSON.
// Also a valid TOML basic string.
std::string json_string(std::string_view s);

// An RFC 4180 CSV field: quoted (with "" for ") only when it holds a comma,
// a quote or a line break.
std::string csv_field(std::string_view s);

}  // namespace ironlaw::lang
