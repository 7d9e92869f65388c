// The REPL's terminal side (run_repl_terminal): libedit (BSD licence; GNU readline is GPL) for
// line editing, history and completion on a terminal; plain line reading for
// pipes and tests.
#include <editline/readline.h>

#include <csignal>
#include <filesystem>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "ironlaw/runtime/app/repl.hpp"

namespace ironlaw::runtime {
namespace {

constexpr const char* prompt = "ironlaw> ";
constexpr const char* continuation = "   ...> ";

repl_session* active = nullptr;  // for libedit's C callbacks
std::vector<std::string> matches;
volatile std::sig_atomic_t interrupted = 0;

char* next_match(const char*, int state) {
  static std::size_t index;
  if (state == 0) index = 0;
  return index < matches.size() ? strdup(matches[index++].c_str()) : nullptr;
}

char** complete(const char* text, int start, int end) {
  rl_attempted_completion_over = 1;  // never fall back to file names
  std::string line(rl_line_buffer ? rl_line_buffer : "");
  matches = active->complete(line, static_cast<std::size_t>(end));
  (void)start;
  (void)text;
  if (matches.empty()) return nullptr;
  return rl_completion_matches(text, next_match);
}

// Ctrl-C drops the line being typed (and a half-typed statement), not the session.
void on_interrupt(int) {
  interrupted = 1;
  rl_replace_line("", 0);
  std::fputs("\n", stdout);
  rl_on_new_line();
  rl_redisplay();
}

std::string history_path() {
  std::string path;
  if (const char* h = std::getenv("IRONLAW_HISTORY"); h && *h) path = h;
  else if (const char* home = std::getenv("HOME"); home && *home) path = std::string(home) + "/.ironlaw_history";
  if (path.empty()) return {};
  // Read and written only as a regular file of bounded size (or not there
  // yet): a FIFO would block before the prompt, /dev/zero would never end.
  constexpr std::uintmax_t limit = 4u << 20;
  std::error_code ec;
  auto st = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(st)) return path;
  if (std::filesystem::is_regular_file(st) && std::filesystem::file_size(path, ec) <= limit && !ec) return path;
  std::cerr << "ironlaw: history file '" << path << "' is not a regular file of at most 4 MiB; history is not kept\n";
  return {};
}

}  // namespace

int run_repl_terminal(repl_session& session) {
  active = &session;
  rl_attempted_completion_function = complete;
  rl_basic_word_break_characters = " \t\n\"(),=+-*/<>[]{}.";
  rl_catch_signals = 0;
  std::signal(SIGINT, on_interrupt);
  auto history = history_path();
  using_history();
  stifle_history(10000);  // the file stays bounded too
  if (!history.empty()) read_history(history.c_str());
  std::cout << "ironlaw 0.1.0: first-principles models of ML systems. :help for help, :quit to leave.\n";
  while (true) {
    char* raw = readline(session.pending() ? continuation : prompt);
    if (interrupted) {
      interrupted = 0;
      session.cancel();
    }
    if (!raw) {  // Ctrl-D
      std::cout << "\n";
      break;
    }
    std::string line(raw);
    std::free(raw);
    if (!line.empty()) add_history(line.c_str());
    if (session.feed(line) == repl_session::status::quit) break;
    std::cout.flush();
  }
  if (!history.empty()) write_history(history.c_str());
  active = nullptr;
  return 0;
}

}  // namespace ironlaw::runtime
