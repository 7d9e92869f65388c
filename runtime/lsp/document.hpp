#pragma once
// One open document as the language server sees it: its text, the syntax
// tree, the static check's types and diagnostics (parse, resolve, check:
// never evaluation or search), and an index of the names it defines and uses.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ironlaw/lang/ast.hpp"
#include "ironlaw/lang/check.hpp"
#include "ironlaw/lang/diagnostic.hpp"

namespace ironlaw::runtime::lsp {

// A name the file defines: a let, a declaration, a design, an axis, an
// assignment's param or question.
struct defined_name {
  std::string name;
  std::string kind;  // "let", "hardware", "model", ..., "design", "param", "question"
  lang::span name_span;
  lang::span whole;               // the statement (or item) that defines it
  const lang::expr* value = nullptr;    // let and param: the value; design: the solver call
  const lang::stmt* statement = nullptr;
};

// A name used in an expression (or a `report`'s design name).
struct name_use {
  std::string name;
  lang::span where;
  const lang::expr* e = nullptr;  // null for a report's design name
};

// A file the document imports, checked statically like the document.
struct imported_file {
  std::string path;  // as resolved on disk
  lang::span import_span;  // the import's path string in the importing file
  std::shared_ptr<struct document> doc;  // null when it could not be read
};

struct document {
  std::string uri;   // as the client names it (file:// for imports)
  std::string path;  // on disk; empty for an unsaved buffer
  lang::source_ptr source;
  lang::program program;
  bool parsed = false;
  // The analysis stopped early (its cancel_token asked): it describes a text
  // that has since changed, and nothing of it should be shown.
  bool cancelled = false;
  lang::typed_program typed;
  std::vector<lang::diagnostic> diagnostics;  // of this file only
  std::vector<defined_name> definitions;
  std::vector<name_use> uses;
  std::vector<const lang::expr*> expressions;  // every node, parents before children
  std::vector<imported_file> imports;
  // The types of the top-level names (lets, declarations, designs) at the last
  // clean check, kept while an edit does not parse (completion after `x.`).
  std::map<std::string, lang::type_ptr, std::less<>> scope_types;

  [[nodiscard]] const defined_name* find_definition(std::string_view name) const;
  // The smallest expression whose span holds `offset`, or null.
  [[nodiscard]] const lang::expr* expression_at(std::uint32_t offset) const;
};

struct analysis_limits {
  std::size_t max_import_depth = 4;
  std::size_t max_imported_files = 32;
};

// Parses and statically checks `text`, then each file it imports (their
// top-level names become known to the document's check). `previous`, when
// given, supplies scope types if this text does not parse. `cancel`, when
// given, is asked before each file and between statements.
std::shared_ptr<document> analyze(const std::string& path, std::string text, const lang::environment& env,
                                  const document* previous = nullptr, const analysis_limits& limits = {},
                                  const lang::cancel_token* cancel = nullptr);

}  // namespace ironlaw::runtime::lsp
