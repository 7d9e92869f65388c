#pragma once
// Source text -> syntax tree. Errors become diagnostics; nothing is thrown.
#include <optional>
#include <string_view>
#include <vector>

#include "ironlaw/lang/ast.hpp"
#include "ironlaw/lang/diagnostic.hpp"

namespace ironlaw::lang {

// One limit on how deep an expression may be, the same for files, `eval`, the
// REPL, `zoo --where` and submissions (E0002, docs/errors/E0002.md):
struct parse_limits {
  std::size_t max_bytes = 8u << 20;  // 8 MiB of source
  std::size_t max_depth = 256;       // nesting of brackets and prefix operators while parsing
  std::size_t max_height = 1000;     // levels of the syntax tree: a chain `a + b + ...` or `x.f.f...` counts each link
};

struct parse_status {
  bool ok = true;
  // The input ended inside a construct (an open bracket, a trailing operator):
  // the REPL's signal to read a continuation line.
  bool incomplete = false;
};

// A whole file: every statement; errors recover at the next line.
parse_status parse_program(const source_ptr& source, program& out, diagnostics& diags, const parse_limits& limits = {});

// The reserved words and the declaration kinds (hardware, model, ...), read
// from the grammar's own rules, for an editor's completion.
std::vector<std::string_view> keywords();

// Exactly one expression, nothing else (`ironlaw eval`).
parse_status parse_expression(const source_ptr& source, expr_ptr& out, diagnostics& diags,
                              const parse_limits& limits = {});

}  // namespace ironlaw::lang
