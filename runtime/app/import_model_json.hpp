#pragma once
// JSON for `import-model` and the LMS metadata files: parsed by nlohmann-json,
// with every value's span in the text kept beside it, so a wrong type or a
// missing key is a diagnostic at file:line:col.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ironlaw/lang/diagnostic.hpp"

namespace ironlaw::runtime::json {

struct member;

struct value {
  enum class type { null, boolean, number, string, array, object };
  type t = type::null;
  lang::span where;
  bool flag = false;
  double number = 0;
  bool integer = false;  // written without a fraction or exponent
  std::string text;
  std::vector<value> items;                           // array
  std::vector<member> members;                        // object, in order

  // The member `key` of an object (the last when repeated); null if absent.
  [[nodiscard]] const value* find(std::string_view key) const;
};

// A key and its value. Not std::pair: a pair of an incomplete type inside
// `value` is accepted by GCC but not by clang's stricter checks.
struct member {
  std::string first;
  value second;
};

// "a number", "a string", "an object", ... for diagnostics.
std::string describe(value::type t);

// A JSON string literal for `s` (also a valid TOML basic string).
std::string quote(std::string_view s);

// Parses the whole text; a syntax error is a diagnostic (code E0801) at the
// offending character and the result is nullopt.
std::optional<value> parse(const lang::source_ptr& source, lang::diagnostics& diags);

}  // namespace ironlaw::runtime::json
