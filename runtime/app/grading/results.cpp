#include "results.hpp"
#include "ironlaw/lang/text_formats.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

namespace ironlaw::runtime::grading {

double grade_report::score() const {
  double total = 0;
  for (const auto& t : tests) total += t.score;
  return total;
}

double grade_report::max_score() const {
  double total = 0;
  for (const auto& t : tests) total += t.max_score;
  return total;
}

double grade_report::visible_score() const {
  double total = 0;
  for (const auto& t : tests) total += t.hidden ? 0 : t.score;
  return total;
}

double grade_report::visible_max_score() const {
  double total = 0;
  for (const auto& t : tests) total += t.hidden ? 0 : t.max_score;
  return total;
}

namespace {

// Scores with at most 4 decimals, no trailing zeros: 1, 0.6667.
std::string number(double v) {
  double rounded = std::round(v * 1e4) / 1e4;
  if (rounded == 0) rounded = 0;  // no "-0"
  auto text = fmt::format("{:.4f}", rounded);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

// Whole seconds: Gradescope's execution_time is an integer count of seconds.
std::string whole_seconds(double s) { return fmt::format("{}", static_cast<long long>(std::floor(s))); }

}  // namespace

std::string json_quote(const std::string& s) { return lang::json_string(s); }

std::string visible_summary(const grade_report& r, std::string_view hidden_fate) {
  std::size_t hidden = 0;
  for (const auto& t : r.tests) hidden += t.hidden ? 1 : 0;
  std::string out = fmt::format("{} of {} points", number(r.visible_score()), number(r.visible_max_score()));
  if (hidden == 0) return out;
  double hidden_points = r.max_score() - r.visible_max_score();
  return out + fmt::format(" on the visible questions; {} hidden question{} ({} point{}) {} {}", hidden,
                           hidden == 1 ? "" : "s", number(hidden_points), hidden_points == 1 ? "" : "s",
                           hidden == 1 ? "is" : "are", hidden_fate);
}

std::string to_gradescope(const grade_report& r) {
  std::string out = "{\n";
  out += fmt::format("  \"score\": {},\n", number(r.score()));
  out += fmt::format("  \"max_score\": {},\n", number(r.max_score()));
  out += fmt::format("  \"execution_time\": {},\n", whole_seconds(r.seconds));
  std::string summary = fmt::format("{}: {} (variant: {})", r.title, visible_summary(r), r.variant.empty() ? "none" : r.variant);
  if (!r.output.empty()) summary += "\n" + r.output;
  out += fmt::format("  \"output\": {},\n", json_quote(summary));
  out += "  \"visibility\": \"visible\",\n";
  out += "  \"stdout_visibility\": \"hidden\",\n";
  out += "  \"tests\": [";
  for (std::size_t i = 0; i < r.tests.size(); ++i) {
    const auto& t = r.tests[i];
    out += i ? ",\n" : "\n";
    out += fmt::format(
        "    {{\"name\": {}, \"number\": \"{}\", \"score\": {}, \"max_score\": {}, \"status\": \"{}\", \"output\": {}, "
        "\"visibility\": \"{}\"}}",
        json_quote(t.name), i + 1, number(t.score), number(t.max_score), t.passed() ? "passed" : "failed",
        json_quote(t.output), t.hidden ? "after_published" : "visible");
  }
  out += r.tests.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

// PrairieLearn shows a question's score to the student and has no hidden tests, so
// the score here counts the visible questions only: a whole-grade score would let a
// student subtract the visible points and learn the hidden ones. The instructor's
// gradebook (`assignment grade --submissions`) holds the whole grade.
std::string to_prairielearn(const grade_report& r) {
  double visible_max = r.visible_max_score();
  std::string out = "{\n";
  out += "  \"gradable\": true,\n";
  out += fmt::format("  \"score\": {},\n", number(visible_max > 0 ? r.visible_score() / visible_max : 0));
  out += fmt::format("  \"message\": {},\n",
                     json_quote(visible_summary(r, "graded by your instructor and not counted in this score")));
  out += fmt::format("  \"output\": {},\n", json_quote(r.output));
  out += "  \"tests\": [";
  std::size_t listed = 0;
  for (const auto& t : r.tests) {
    if (t.hidden) continue;  // PrairieLearn shows every test: a hidden question is only in the score
    out += listed++ ? ",\n" : "\n";
    out += fmt::format("    {{\"name\": {}, \"points\": {}, \"max_points\": {}, \"message\": {}}}", json_quote(t.name),
                       number(t.score), number(t.max_score), json_quote(t.output));
  }
  out += listed == 0 ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

std::string to_text(const grade_report& r, bool reveal) {
  std::string out = fmt::format("{}\nstudent {}; variant: {}\n", r.title, r.student, r.variant.empty() ? "none" : r.variant);
  if (r.status != "graded") out += fmt::format("status: {}\n", r.status);
  if (!r.output.empty()) out += r.output + "\n";
  std::size_t width = 0;
  for (const auto& t : r.tests) width = std::max(width, t.name.size());
  // Continuation lines of a message line up under its first line.
  std::string indent(width + 16, ' ');
  for (const auto& t : r.tests) {
    std::string message;
    for (char c : t.output) message += c == '\n' ? "\n" + indent : std::string(1, c);
    if (t.hidden && !reveal) {
      out += fmt::format("  {:<{}}  {:>5} / {:<3}  [hidden] graded; shown after grades are published\n", t.name, width, "?",
                         number(t.max_score));
      continue;
    }
    out += fmt::format("  {:<{}}  {:>5} / {:<3}  {}{}\n", t.name, width, number(t.score), number(t.max_score),
                       t.hidden ? "[hidden] " : "", message);
  }
  if (reveal || r.visible_max_score() == r.max_score())
    out += fmt::format("total: {} of {} points\n", number(r.score()), number(r.max_score()));
  else
    out += "total: " + visible_summary(r) + "\n";
  return out;
}

std::string spreadsheet_text(std::string_view s) {
  // OWASP, "CSV Injection": a cell starting with = + - @, a tab or a carriage
  // return is a formula to a spreadsheet; a leading ' makes it text. Only
  // text columns: scores stay numbers.
  bool formula = !s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos;
  std::string text = formula ? "'" : "";
  // A file name need not be UTF-8; the gradebook always is (U+FFFD, as in JSON).
  for (std::size_t i = 0; i < s.size();) {
    auto n = lang::utf8_sequence_length(s, i);
    text += n ? s.substr(i, n) : std::string_view("\xEF\xBF\xBD");
    i += n ? n : 1;
  }
  return lang::csv_field(text);
}

std::string csv_header(const grade_report& r) {
  std::string out = "student,score,max_score";
  for (const auto& t : r.tests) out += "," + spreadsheet_text(t.name);
  return out + ",status\n";
}

std::string csv_row(const grade_report& r) {
  std::string out = fmt::format("{},{},{}", spreadsheet_text(r.student), number(r.score()), number(r.max_score()));
  for (const auto& t : r.tests) out += "," + number(t.score);
  return out + "," + spreadsheet_text(r.status) + "\n";
}

// Each field as `<length>:<bytes>`; numbers as exact decimal text.
namespace {

void put(std::string& out, const std::string& s) { out += std::to_string(s.size()) + ":" + s; }
void put(std::string& out, double v) { put(out, fmt::format("{:.17g}", v)); }

bool take(const std::string& in, std::size_t& at, std::string& s) {
  auto colon = in.find(':', at);
  if (colon == std::string::npos || colon == at || colon - at > 12) return false;
  char* end = nullptr;
  auto n = std::strtoull(in.c_str() + at, &end, 10);
  if (end != in.c_str() + colon || n > in.size() - colon - 1) return false;
  s = in.substr(colon + 1, n);
  at = colon + 1 + n;
  return true;
}
bool take(const std::string& in, std::size_t& at, double& v) {
  std::string s;
  if (!take(in, at, s)) return false;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size();
}

}  // namespace

std::string encode(const grade_report& r) {
  std::string out;
  put(out, r.title);
  put(out, r.student);
  put(out, r.variant);
  put(out, r.status);
  put(out, r.output);
  put(out, r.seconds);
  put(out, static_cast<double>(r.tests.size()));
  for (const auto& t : r.tests) {
    put(out, t.name);
    put(out, t.score);
    put(out, t.max_score);
    put(out, t.output);
    put(out, t.hidden ? 1.0 : 0.0);
  }
  return out;
}

bool decode(const std::string& text, grade_report& r) {
  std::size_t at = 0;
  double count = 0;
  if (!take(text, at, r.title) || !take(text, at, r.student) || !take(text, at, r.variant) || !take(text, at, r.status) ||
      !take(text, at, r.output) || !take(text, at, r.seconds) || !take(text, at, count) || count < 0 || count > 1e6)
    return false;
  r.tests.clear();
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
    test_result t;
    double hidden = 0;
    if (!take(text, at, t.name) || !take(text, at, t.score) || !take(text, at, t.max_score) || !take(text, at, t.output) ||
        !take(text, at, hidden))
      return false;
    t.hidden = hidden != 0;
    r.tests.push_back(std::move(t));
  }
  return at == text.size();
}

}  // namespace ironlaw::runtime::grading
