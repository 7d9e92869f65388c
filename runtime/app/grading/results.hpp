#pragma once
// One submission's grade and the formats it is written in: Gradescope's
// results.json, PrairieLearn's external-grader JSON, a readable summary, a CSV
// gradebook row; plus a flat encoding that carries it out of the sandbox.
#include <string>
#include <string_view>
#include <vector>

namespace ironlaw::runtime::grading {

struct test_result {
  std::string name;
  double score = 0;
  double max_score = 0;
  std::string output;
  bool hidden = false;  // graded, shown to students only after grades are published
  [[nodiscard]] bool passed() const { return score >= max_score - 1e-9; }
};

struct grade_report {
  std::string title;
  std::string student;
  std::string variant;   // `ctx = 4096 tokens, gpu = H100_SXM`
  std::string status = "graded";  // graded, or why not: "timed out", "crashed", ...
  std::string output;    // about the whole submission (its diagnostics, limits hit)
  std::vector<test_result> tests;
  double seconds = 0;
  [[nodiscard]] double score() const;
  [[nodiscard]] double max_score() const;
  // The same over the questions a student sees before grades are published.
  [[nodiscard]] double visible_score() const;
  [[nodiscard]] double visible_max_score() const;
};

// What a student may read about the whole submission: the visible questions'
// points, and only how many hidden questions there are, never how they went.
// "N of M points" on the visible questions; with hidden questions, how many and
// `hidden_fate` (what happens to them on this platform).
std::string visible_summary(const grade_report& r,
                            std::string_view hidden_fate = "graded and shown after grades are published");

// Gradescope's results.json (docs/grading.md lists the fields and the source).
std::string to_gradescope(const grade_report& r);
// PrairieLearn's external grading results: score in [0, 1], tests with points.
std::string to_prairielearn(const grade_report& r);
// For people: one line per question, then the total. Hidden questions'
// results only with `reveal` (for TAs).
std::string to_text(const grade_report& r, bool reveal = false);
// The gradebook: a header from the first report's questions, then one row each.
std::string csv_header(const grade_report& r);
std::string csv_row(const grade_report& r);
// A text cell of the gradebook: RFC 4180 quoting, a leading ' before a
// formula's first character (= + - @, tab, carriage return), so a student's
// file name cannot run in the faculty's spreadsheet, and bytes that are not
// UTF-8 as U+FFFD.
std::string spreadsheet_text(std::string_view s);

// A flat, length-prefixed encoding (the sandbox's pipe); decode is false on
// malformed input.
std::string encode(const grade_report& r);
bool decode(const std::string& text, grade_report& r);

// A JSON string literal, with the escapes JSON requires.
std::string json_quote(const std::string& s);

}  // namespace ironlaw::runtime::grading
