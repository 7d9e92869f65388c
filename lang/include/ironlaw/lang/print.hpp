#pragma once
// Syntax tree -> canonical source text. Parsing the output gives the same tree.
#include <string>

#include "ironlaw/lang/ast.hpp"

namespace ironlaw::lang {

std::string to_source(const expr& e);
std::string to_source(const stmt& s);

}  // namespace ironlaw::lang
