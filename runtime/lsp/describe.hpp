#pragma once
// Markdown descriptions of what a name means, for hover and completion's
// documentation: a let, a declaration, a design (with its space size), a
// registry entry (fields and sources), a solver (parameters and defaults).
#include <optional>
#include <string>

#include "document.hpp"
#include "features.hpp"

namespace ironlaw::runtime {
struct builtin;
}

namespace ironlaw::runtime::lsp {

// A definition in `doc` (or one of its imports) of `name`, and the document it is in.
struct found_definition {
  const defined_name* def = nullptr;
  const document* in = nullptr;
};
found_definition find_anywhere(const document& doc, std::string_view name);

// The points a design's space holds when every axis is a literal list, a
// range of plain literals or a zoo query (counted without its filter: an
// upper bound); nullopt when an axis is computed.
struct space_size {
  double points = 1;
  bool upper_bound = false;
};
std::optional<space_size> design_space(const lang::design_stmt& d, const context& ctx);

std::string describe_definition(const found_definition& f, const context& ctx);
std::string describe_registry_entry(std::string_view name, const context& ctx);  // empty when not an entry
std::string describe_function(const builtin& fn);

}  // namespace ironlaw::runtime::lsp
