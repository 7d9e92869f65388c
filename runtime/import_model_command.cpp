// `ironlaw import-model config.json`: being written (issue 4).
#include "cli_support.hpp"

namespace ironlaw::runtime::cli {
int cmd_import_model(const options&, cli_streams& io) {
  io.err << "error: import-model is not implemented yet\n";
  return 1;
}
}  // namespace ironlaw::runtime::cli
