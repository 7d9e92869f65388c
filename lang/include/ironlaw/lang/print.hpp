#pragma once
// Syntax tree -> canonical source text. Parsing the output gives the same tree;
// formatting formatted text changes nothing.
#include <string>

#include "ironlaw/lang/ast.hpp"

namespace ironlaw::lang {

std::string to_source(const expr& e);
// One statement in canonical layout (blocks on their own lines), no comments.
std::string to_source(const stmt& s);
// A whole file in canonical layout, keeping every comment (before the
// statement or block item it precedes, or at the end of its line) and single
// blank lines between statements.
std::string format_program(const program& p);

}  // namespace ironlaw::lang
