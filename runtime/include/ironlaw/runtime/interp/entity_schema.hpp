#pragma once
// What fields each kind of entity has, and what they hold: the contract
// between the registry's TOML, declarations in scenario files, and the solver
// bindings. Templates (`model Tiny = transformer { ... }`) name required
// fields and defaults.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ironlaw/runtime/interp/dim.hpp"
#include "ironlaw/runtime/interp/value.hpp"

namespace ironlaw::runtime {

enum class field_kind {
  quantity,  // of dimension `d`
  count,     // a plain number
  flag,      // true or false
  text,      // a string
  word,      // one of `words`
  entity,    // a name of kind `entity_kind`
  table,     // a table of quantities of dimension `d` keyed by word (peak.fp16)
  history,   // dated values of dimension `d`, oldest first (price_history.hpp)
};

struct field_schema {
  std::string name;
  field_kind kind = field_kind::quantity;
  dim d;
  std::vector<std::string> words;
  std::string entity_kind;
  std::string doc;
  bool capacity = false;  // a device's memory: printed with binary prefixes (80 GiB), as vendors state it
  std::string display;  // quantity: the unit it prints in when none is asked for ("USD/h"); empty: the dimension's
  // The least value that describes something real. Zero is refused for the sizes
  // a model or device cannot lack (a model of 0 layers would decode in
  // microseconds); PUE, facility over IT energy, is at least 1.
  enum class least { zero, above_zero, one } at_least = least::zero;
  bool at_least_one = false;  // count: 0 is refused where it is written (E0232: a pool of no devices)
};

struct template_schema {
  std::string name;                   // transformer, serving, ...
  std::vector<std::string> required;  // fields that must be given
  std::vector<field> defaults;        // fields set when not given
};

struct kind_schema {
  std::string kind;  // hardware, model, node, fleet, fabric, region, workload
  std::vector<field_schema> fields;
  std::vector<template_schema> templates;
  std::vector<std::string> required;  // for a declaration with no base and no template
};

const std::vector<kind_schema>& entity_kinds();
// "above zero" or "at least 1" when a number (or a table entry) is below the
// field's least value; nothing when it is fine or not a number.
std::optional<std::string> field_below_least(const field_schema& fs, const value& v);
const kind_schema* find_kind(std::string_view kind);
const field_schema* find_field(const kind_schema& k, std::string_view name);
const template_schema* find_template(const kind_schema& k, std::string_view name);

// Whether `v` fits the field: nullopt when it does, else what it should be
// ("a bandwidth (B/s)").
std::optional<std::string> field_mismatch(const field_schema& f, const value& v);

}  // namespace ironlaw::runtime
