// `ironlaw grade` and `ironlaw assignment`: auto-graded assignments
// (docs/grading.md). The faculty file is trusted and its errors are
// diagnostics; a submission is untrusted and its errors are feedback.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <tuple>

#include "cli_support.hpp"
#include "../io/file_io.hpp"
#include "grading/assignment.hpp"
#include "grading/grader.hpp"
#include "grading/render.hpp"
#include "grading/results.hpp"
#include "grading/sandbox.hpp"
#include "ironlaw/lang/parse.hpp"

namespace ironlaw::runtime::cli {

namespace {

using namespace grading;

// The faculty file, parsed and loaded; false with diagnostics reported.
bool load_faculty(const std::string& path, const registry& reg, assignment_file& file, lang::diagnostics& diags) {
  std::string text;
  if (!read_file(path, text, diags)) return false;
  auto source = std::make_shared<const lang::source_file>(path, std::move(text));
  if (!lang::parse_program(source, file.program, diags).ok) return false;
  return load_assignment(reg, file, diags);
}

std::string student_flag(const options& o, bool required) {
  auto it = o.values.find("--student");
  if (it == o.values.end()) {
    if (required) throw usage_error{"this needs --student ID (the id the variant is drawn from)"};
    return {};
  }
  if (it->second.empty()) throw usage_error{"--student takes a non-empty id"};
  return it->second;
}

double number_flag(const options& o, const std::string& flag, double fallback, double minimum) {
  auto it = o.values.find(flag);
  if (it == o.values.end()) return fallback;
  char* end = nullptr;
  double v = std::strtod(it->second.c_str(), &end);
  if (it->second.empty() || end != it->second.c_str() + it->second.size() || !(v >= minimum) || v > 1e9)
    throw usage_error{fmt::format("{} takes a number of at least {:g}, not '{}'", flag, minimum, it->second)};
  return v;
}

// One submission, isolated in a child process unless --no-sandbox.
grade_report grade_one(variant_session& session, const std::string& path, const std::string& student,
                       const grading_limits& limits, bool sandboxed) {
  std::string text;
  // Bounded (runtime/io/file_io.hpp): a directory, FIFO, device or a file over
  // 8 MiB is a row that says so, never a hang.
  if (auto problem = files::read_regular(path, text)) return failed_report(session, student, "unreadable", problem->message);
  auto source = std::make_shared<const lang::source_file>(std::filesystem::path(path).filename().string(), std::move(text));
  if (!sandboxed) return grade_submission(session, source, student, limits);
  auto outcome = run_sandboxed([&] { return encode(grade_submission(session, source, student, limits)); },
                               {limits.seconds, limits.memory_mb});
  grade_report r;
  if (outcome.st == sandbox_outcome::state::finished && decode(outcome.output, r)) return r;
  bool timed_out = outcome.st == sandbox_outcome::state::timed_out;
  if (timed_out) {
    // Zero for what failed, not for everything: the answers again, without the searches.
    auto without = limits;
    without.run_designs = false;
    auto second = run_sandboxed([&] { return encode(grade_submission(session, source, student, without)); },
                                {limits.seconds, limits.memory_mb});
    if (second.st == sandbox_outcome::state::finished && decode(second.output, r)) {
      r.status = "timed out";
      r.output = fmt::format("the design searches were {}; the answers were graded without them{}", outcome.why,
                             r.output.empty() ? "" : "\n" + r.output);
      r.seconds += limits.seconds;
      return r;
    }
  }
  bool memory = outcome.st == sandbox_outcome::state::out_of_memory;
  r = failed_report(session, student, timed_out ? "timed out" : memory ? "out of memory" : "crashed",
                    outcome.why.empty() ? "the grader returned no result" : outcome.why);
  if (timed_out) r.seconds = limits.seconds;
  return r;
}

std::string formatted(const grade_report& r, const std::string& format, bool reveal) {
  if (format == "prairielearn") return to_prairielearn(r);
  if (format == "text") return to_text(r, reveal);
  return to_gradescope(r);
}

}  // namespace

int cmd_grade(const options& o, cli_streams& io) {
  if (o.positional.size() != 1) throw usage_error{"grade takes one assignment file"};
  bool one = o.values.count("--submission") > 0, many = o.values.count("--submissions") > 0;
  if (one == many) throw usage_error{"grade takes --submission FILE or --submissions DIR"};
  std::string format = o.values.count("--format") ? o.values.at("--format") : "gradescope";
  if (format != "gradescope" && format != "prairielearn" && format != "text")
    throw usage_error{fmt::format("--format takes gradescope, prairielearn or text, not '{}'", format)};
  grading_limits limits;
  limits.seconds = number_flag(o, "--time-limit", limits.seconds, 0.01);
  limits.memory_mb = static_cast<std::size_t>(number_flag(o, "--memory-limit", static_cast<double>(limits.memory_mb), 64));
  limits.max_points = static_cast<std::uint64_t>(number_flag(o, "--max-points", static_cast<double>(limits.max_points), 1));
  limits.reveal = o.flags.count("--reveal") > 0;
  bool sandboxed = o.flags.count("--no-sandbox") == 0;

  registry user(unit_table::builtin());
  const auto& reg = load_registry(o, user, io);
  lang::diagnostics diags;
  assignment_file file;
  if (!load_faculty(o.positional[0], reg, file, diags)) {
    report(diags, o, io);
    return 1;
  }
  std::vector<std::tuple<std::string, std::string, std::string>> jobs;  // (student, path, why it is not graded)
  if (one) {
    const auto& path = o.values.at("--submission");
    auto student = student_flag(o, false);
    jobs.emplace_back(student.empty() ? std::filesystem::path(path).stem().string() : student, path, "");
  } else {
    if (o.values.count("--student")) throw usage_error{"with --submissions, each file's name (without .iron) is the student id"};
    std::error_code ec;
    std::filesystem::directory_iterator it(o.values.at("--submissions"), ec), end;
    if (ec) throw usage_error{fmt::format("cannot list '{}': {}", o.values.at("--submissions"), ec.message())};
    for (; it != end; it.increment(ec)) {
      if (ec) break;
      auto name = it->path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      // A link could point anywhere (another student's file, /dev/zero): a row
      // saying so, as for a directory, FIFO or device.
      auto st = it->symlink_status(ec);
      std::string refused;
      if (ec) refused = "unreadable";
      else if (std::filesystem::is_symlink(st)) refused = "a symbolic link";
      else if (std::filesystem::is_directory(st)) refused = "a directory";
      else if (!std::filesystem::is_regular_file(st)) refused = "not a regular file";
      ec.clear();
      jobs.emplace_back(it->path().stem().string(), it->path().string(), refused);
    }
    std::sort(jobs.begin(), jobs.end());
  }
  bool header = false;
  for (const auto& [student, path, refused] : jobs) {
    variant_session session(reg, file, student_picks(file, student));
    if (!session.prepare(diags)) {
      report(diags, o, io);
      return 1;
    }
    auto r = refused.empty() ? grade_one(session, path, student, limits, sandboxed)
                             : failed_report(session, student, "not graded: " + refused,
                                             fmt::format("'{}' is {}, not graded", path, refused));
    if (one) {
      io.out << formatted(r, format, limits.reveal);
      continue;
    }
    if (!header) io.out << csv_header(r);
    header = true;
    io.out << csv_row(r) << std::flush;
  }
  return 0;
}

int cmd_assignment(const options& o, cli_streams& io) {
  if (o.positional.size() != 2 || (o.positional[0] != "render" && o.positional[0] != "student"))
    throw usage_error{"assignment takes render FILE --student ID [--solutions] | render FILE --all-variants | student FILE"};
  bool render = o.positional[0] == "render";
  bool all = o.flags.count("--all-variants") > 0;
  bool solutions = o.flags.count("--solutions") > 0;
  if (!render && (all || solutions)) throw usage_error{"assignment student takes only --student ID"};
  auto student = student_flag(o, render && !all);
  if (all && !student.empty()) throw usage_error{"--all-variants lists every variant; leave out --student"};

  registry user(unit_table::builtin());
  const auto& reg = load_registry(o, user, io);
  lang::diagnostics diags;
  assignment_file file;
  if (!load_faculty(o.positional[1], reg, file, diags)) {
    report(diags, o, io);
    return 1;
  }
  auto picks = student.empty() ? std::vector<std::size_t>(file.params.size(), 0) : student_picks(file, student);
  if (!render) {
    variant_session session(reg, file, picks);
    if (!session.prepare(diags)) {
      report(diags, o, io);
      return 1;
    }
    io.out << student_copy(session, !student.empty());
    return 0;
  }
  constexpr std::size_t max_listed = 1000;
  auto variants = all ? all_picks(file, max_listed) : std::vector<std::vector<std::size_t>>{picks};
  std::string out = file.title + "\n";  // printed only when every variant computes
  for (std::size_t i = 0; i < variants.size(); ++i) {
    variant_session session(reg, file, variants[i]);
    if (!session.prepare(diags)) {
      report(diags, o, io);
      return 1;
    }
    if (all) out += fmt::format("\n== variant {} of {}: {}\n", i + 1, variants.size(), session.describe_variant());
    else out += fmt::format("student {}; variant: {}\n", student, session.describe_variant());
    out += render_variant(session, solutions);
  }
  if (all && variants.size() == max_listed) out += fmt::format("\n(only the first {} variants are listed)\n", max_listed);
  io.out << out;
  return 0;
}

}  // namespace ironlaw::runtime::cli
