// `ironlaw lsp`: the language server on stdin and stdout (runtime/lsp/).
#include <iostream>

#include "cli_support.hpp"
#include "ironlaw/runtime/lsp/server.hpp"

namespace ironlaw::runtime::cli {

int cmd_lsp(const options& o, cli_streams& io) {
  if (!o.positional.empty()) throw usage_error{"lsp takes no files: the editor sends them"};
  registry user(unit_table::builtin());
  const auto& reg = load_registry(o, user, io);
  lsp::server_options options;
  options.registry_root = lsp::embedded_registry_folder();
  return lsp::serve(reg, std::cin, io.out, options);
}

}  // namespace ironlaw::runtime::cli
