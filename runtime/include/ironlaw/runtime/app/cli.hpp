#pragma once
// The command line: `ironlaw eval|run|check|help|version`. Separate from main()
// so tests can drive it with argument vectors and string streams.
#include <iosfwd>
#include <string>
#include <vector>

namespace ironlaw::runtime {

struct cli_streams {
  std::ostream& out;
  std::ostream& err;
  bool color = false;        // colour diagnostics (a terminal, NO_COLOR unset)
  bool interactive = false;  // stdin and stdout are terminals (the REPL edits lines)
};

// Returns the process exit code: 0 success, 1 a diagnostic or bad usage.
int run_cli(const std::vector<std::string>& args, cli_streams io);

}  // namespace ironlaw::runtime
