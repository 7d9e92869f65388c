#pragma once
// `ironlaw lsp`: a Language Server Protocol server over a byte stream
// (stdin/stdout). Diagnostics, hover, completion, definitions, references,
// rename, formatting, symbols, code actions and inlay hints, all from the
// static front end (parse, resolve, check): nothing it answers runs a solver
// or a search. docs/editors.md.
#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>

namespace ironlaw::runtime {
class registry;
}

namespace ironlaw::runtime::lsp {

struct server_options {
  // Diagnostics wait this long after the last change before the check runs.
  std::chrono::milliseconds debounce{200};
  // A message larger than this is skipped unread and answered with an error.
  std::size_t max_message_bytes = 16u << 20;
  // Where go-to-definition opens registry entries: the embedded TOML files are
  // written here on start (empty: no registry definitions).
  std::string registry_root;
};

// Serves until `exit`; returns the process exit code (0 after `shutdown`,
// 1 when the stream ended or `exit` came without it). The function table must
// be installed (bindings::install()).
int serve(const registry& reg, std::istream& in, std::ostream& out, const server_options& options = {});

// The folder holding the embedded registry's TOML files on disk, written on
// first use under $XDG_CACHE_HOME (or ~/.cache)/ironlaw/; empty when it cannot be.
std::string embedded_registry_folder();

}  // namespace ironlaw::runtime::lsp
