// The ironlaw executable: hands the arguments to the CLI and nothing else.
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "ironlaw/runtime/app/cli.hpp"

int main(int argc, char** argv) {
  // Past a file-size limit (ulimit -f) a write fails with EFBIG instead of
  // killing the process, so an atomic write reports E1501 and removes its
  // temporary file rather than leaving it behind.
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    std::vector<std::string> args(argv, argv + argc);
    bool color = isatty(STDERR_FILENO) && std::getenv("NO_COLOR") == nullptr;
    bool interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    return ironlaw::runtime::run_cli(args, {std::cout, std::cerr, color, interactive});
  } catch (const std::exception& e) {
    // A defect, not a user error: say so plainly rather than abort.
    std::cerr << "ironlaw: internal error: " << e.what() << "\nplease report this with the input that caused it\n";
    return 70;
  }
}
