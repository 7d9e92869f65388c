// The browser's (and Node's) way into ironlaw: the CLI and the REPL on
// strings. JavaScript writes files into the in-memory file system, calls
// ironlaw_cli with the arguments the command line would get, and reads the
// exit code and the two streams back; the text is exactly the CLI's.
#include <emscripten/emscripten.h>

#include <exception>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "ironlaw/runtime/app/cli.hpp"
#include "ironlaw/runtime/app/repl.hpp"
#include "ironlaw/runtime/interp/registry.hpp"
#include "bind/bindings.hpp"  // runtime/bind: the composition root installs the solvers

namespace {

std::ostringstream captured_out, captured_err;
std::string last_out, last_err;

// std::cin, std::cout and std::cerr read and write the strings while `guard`
// lives: code that prints to them directly lands in the same capture.
struct redirect_guard {
  std::istringstream in;
  std::streambuf* old_in;
  std::streambuf* old_out;
  std::streambuf* old_err;
  explicit redirect_guard(const char* stdin_text)
      : in(stdin_text ? stdin_text : ""),
        old_in(std::cin.rdbuf(in.rdbuf())),
        old_out(std::cout.rdbuf(captured_out.rdbuf())),
        old_err(std::cerr.rdbuf(captured_err.rdbuf())) {
    captured_out.str({});
    captured_err.str({});
  }
  ~redirect_guard() {
    std::cin.rdbuf(old_in);
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    last_out = captured_out.str();
    last_err = captured_err.str();
  }
};

std::vector<std::string> split_arguments(const char* joined) {
  std::vector<std::string> args{"ironlaw"};
  std::string text(joined ? joined : "");
  if (text.empty()) return args;
  std::size_t start = 0;
  while (true) {
    auto end = text.find('\x1f', start);
    args.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return args;
}

// The browser's REPL: one session that lives between calls.
std::unique_ptr<ironlaw::runtime::repl_session> session;

}  // namespace

extern "C" {

// Runs `ironlaw ARGS` (ARGS joined by U+001F) with `stdin_text` on standard
// input; colour and progress are off (no terminal here), as in a pipe.
EMSCRIPTEN_KEEPALIVE int ironlaw_cli(const char* joined_args, const char* stdin_text) {
  redirect_guard guard(stdin_text);
  try {
    // The captures themselves, not std::cout and std::cerr: `run` draws its
    // progress line only on std::cerr at a terminal, and emscripten's isatty
    // says every descriptor is one.
    return ironlaw::runtime::run_cli(split_arguments(joined_args), {captured_out, captured_err, false, false});
  } catch (const std::exception& e) {
    captured_err << "ironlaw: internal error: " << e.what() << "\nplease report this with the input that caused it\n";
    return 70;
  }
}

// One line typed into the REPL: 0 done, 1 the statement continues, 2 :quit
// (the session then starts afresh), 70 an internal error.
EMSCRIPTEN_KEEPALIVE int ironlaw_repl_line(const char* line) {
  redirect_guard guard(nullptr);
  try {
    if (!session) {
      ironlaw::runtime::bindings::install();  // the solvers join the function table, as run_cli does
      session = std::make_unique<ironlaw::runtime::repl_session>(ironlaw::runtime::registry::embedded(), std::cout,
                                                                 std::cerr, false);
    }
    auto status = session->feed(line ? line : "");
    if (status == ironlaw::runtime::repl_session::status::quit) session.reset();
    return status == ironlaw::runtime::repl_session::status::ready ? 0
           : status == ironlaw::runtime::repl_session::status::continues ? 1
                                                                          : 2;
  } catch (const std::exception& e) {
    std::cerr << "ironlaw: internal error: " << e.what() << "\n";
    session.reset();
    return 70;
  }
}

// What the last call printed on standard output and standard error.
EMSCRIPTEN_KEEPALIVE const char* ironlaw_stdout() { return last_out.c_str(); }
EMSCRIPTEN_KEEPALIVE const char* ironlaw_stderr() { return last_err.c_str(); }

}  // extern "C"
