#pragma once
// A debug dump of the syntax tree: one node per line, indented, with spans
// (`ironlaw dump --phase ast FILE`).
#include <string>

#include "ironlaw/lang/ast.hpp"

namespace ironlaw::lang {

std::string dump_ast(const program& p);

}  // namespace ironlaw::lang
