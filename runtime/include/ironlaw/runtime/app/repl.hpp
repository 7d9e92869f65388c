#pragma once
// The interactive session: statements and `:commands` fed one line at a time.
// Separate from the terminal (line_editor.hpp) so tests can drive it.
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "ironlaw/runtime/program/interpreter.hpp"
#include "ironlaw/runtime/interp/registry.hpp"

namespace ironlaw::runtime {

class repl_session {
 public:
  enum class status { ready, continues, quit };

  repl_session(const registry& reg, std::ostream& out, std::ostream& err, bool color);

  // One line of input. `continues` while a statement is incomplete (an open
  // bracket, a trailing operator); `quit` after :quit.
  status feed(const std::string& line);
  // Drops a half-typed statement (Ctrl-C).
  void cancel() { buffer_.clear(); }
  [[nodiscard]] bool pending() const { return !buffer_.empty(); }
  // Whether any statement or command failed (the exit code of a piped session).
  [[nodiscard]] bool failed() const { return failed_; }

  // Completion candidates for the word ending at `cursor` in `line`.
  [[nodiscard]] std::vector<std::string> complete(const std::string& line, std::size_t cursor) const;

 private:
  status command(const std::string& line);
  void run_source(const std::string& name, const std::string& text, bool remember);
  void report(const lang::diagnostics& diags);
  void reset();
  void help(const std::string& topic);
  void why(const std::string& text);
  void derivation(const record& r, const std::string& asked);
  void type_of(const std::string& text);
  bool save(const std::string& path, bool force);
  bool read(const std::string& path, std::string& text);
  std::optional<evaluated> evaluate_text(const std::string& text, lang::diagnostics& diags);
  // A design, or a require/objective/report that reads one: searched again.
  bool design_statement(const lang::stmt& st, lang::diagnostics& diags);
  [[nodiscard]] std::string design_of(const lang::stmt& st) const;

  const registry* reg_;
  std::ostream& out_;
  std::ostream& err_;
  bool color_;
  std::unique_ptr<interpreter> interp_;
  std::string buffer_;                    // lines of an incomplete statement
  // What a cheap scan of buffer_ knows (runtime/app/repl.cpp, `scan_line`): the
  // brackets and strings still open, so a long paste is not parsed again on
  // every line; and buffer_'s size when it was last parsed.
  std::string open_;
  bool unbalanced_ = false;
  std::size_t parsed_size_ = 0;
  std::vector<std::string> saved_;        // files :save wrote (replaced without `:save!`)
  std::vector<std::string> definitions_;  // canonical text of what :save writes
  std::vector<std::string> loaded_;       // files loaded, for :reload
  // Each design typed so far, with the statements typed for it since, as text.
  std::map<std::string, std::vector<std::string>, std::less<>> designs_;
  std::vector<std::shared_ptr<const lang::source_file>> sources_;  // kept alive for diagnostics
  int counter_ = 0;
  bool failed_ = false;
};

// Line editing, history and completion on a terminal until :quit or Ctrl-D
// (libedit, runtime/app/repl_terminal.cpp; the browser build has none).
int run_repl_terminal(repl_session& session);

// `ironlaw repl`: on a terminal with line editing, history and completion;
// otherwise statements from `in` without prompts. Returns the exit code.
int run_repl(const registry& reg, std::istream& in, std::ostream& out, std::ostream& err, bool terminal, bool color);

}  // namespace ironlaw::runtime
