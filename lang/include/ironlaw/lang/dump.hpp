#pragma once
// A debug dump of the syntax tree: one node per line, indented, with spans
// (`ironlaw dump --phase ast FILE`). Later phases annotate each expression's
// line (what a name resolves to, an expression's type): the annotator comes
// from the runtime, so this layer stays ignorant of it.
#include <functional>
#include <string>

#include "ironlaw/lang/ast.hpp"

namespace ironlaw::lang {

// `annotate` returns the text appended to an expression's line ("" for none).
using expr_annotator = std::function<std::string(const expr&)>;
std::string dump_ast(const program& p, const expr_annotator& annotate = {});

}  // namespace ironlaw::lang
