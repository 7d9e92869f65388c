#pragma once
// A diagnostic: what went wrong, where, and what would fix it. Collected, never
// thrown across a layer's API; rendered three ways (human, one-line, JSON).
#include <string>
#include <vector>

#include "ironlaw/lang/source.hpp"

namespace ironlaw::lang {

enum class severity { error, warning, note };

struct label {
  span where;
  std::string text;
};

struct diagnostic {
  severity level = severity::error;
  std::string code;  // stable, e.g. "E0201"; documented in docs/errors/
  std::string message;
  source_ptr source;  // null for errors with no source (command line)
  span primary;
  std::string primary_label;
  std::vector<label> secondary;
  std::vector<std::string> notes;
  std::string help;
};

// The sink every phase reports into. Capped so a pathological input cannot
// produce unbounded output.
class diagnostics {
 public:
  static constexpr std::size_t max_errors = 50;

  diagnostic& add(diagnostic d);
  // An error with its code, file and span; the caller adds help or labels.
  diagnostic& error(std::string code, const source_ptr& source, span where, std::string message);
  [[nodiscard]] bool has_errors() const { return errors_ > 0; }
  [[nodiscard]] std::size_t error_count() const { return errors_; }
  [[nodiscard]] const std::vector<diagnostic>& items() const { return items_; }
  [[nodiscard]] bool truncated() const { return dropped_ > 0; }
  // The cap is reached: a phase stops here rather than spend time (did-you-mean
  // searches, evaluation) on errors nobody will see. `stopped` records that it did.
  [[nodiscard]] bool full() const { return errors_ >= max_errors; }
  void stop() { stopped_ = true; }
  [[nodiscard]] bool stopped() const { return stopped_; }
  void clear();
  void sort_by_position();

 private:
  std::vector<diagnostic> items_;
  std::size_t errors_ = 0;
  std::size_t dropped_ = 0;
  bool stopped_ = false;
  diagnostic overflow_;
};

// rustc-style: header, source line, carets under every span, labels, help.
std::string render_human(const diagnostic& d, bool color = false);
// `file:line:col: error[E0201]: message`
std::string render_short(const diagnostic& d);
// One JSON array of objects with code, severity, message, file, line, column,
// end_line, end_column, labels, notes, help.
std::string render_json(const std::vector<diagnostic>& ds);

}  // namespace ironlaw::lang
