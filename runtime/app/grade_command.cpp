// `ironlaw grade` and `ironlaw assignment`: auto-graded assignments
// (docs/grading.md). The faculty file is trusted and its errors are
// diagnostics; a submission is untrusted and its errors are feedback.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <new>
#include <filesystem>
#include <tuple>

#include "cli_support.hpp"
#include "../io/file_io.hpp"
#include "grading/assignment.hpp"
#include "grading/grader.hpp"
#include "grading/render.hpp"
#include "grading/package.hpp"
#include "grading/results.hpp"
#include "grading/sandbox.hpp"
#include "grading/student_id.hpp"
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

// In this process (--no-sandbox): an exception in one submission is its row,
// never the end of the gradebook.
grade_report grade_in_process(variant_session& session, const lang::source_ptr& source, const std::string& student,
                              const grading_limits& limits) {
  std::string why, status;
  try {
    return grade_submission(session, source, student, limits);
  } catch (const std::bad_alloc&) {
    status = "out of memory", why = "the submission needed more memory than there was";
  } catch (const std::exception& e) {
    status = "crashed", why = e.what();
  }
  if (limits.run_designs) {
    auto without = limits;
    without.run_designs = false;
    auto r = grade_in_process(session, source, student, without);
    if (r.status == "graded") {
      r.status = status;
      r.output = fmt::format("grading stopped ({}); the answers were graded without the designs{}", why,
                             r.output.empty() ? "" : "\n" + r.output);
      return r;
    }
  }
  return failed_report(session, student, status, why);
}

// The share of --time-limit the full grading gets; a retry without the
// designs gets what is left, so a submission costs at most one limit.
constexpr double full_share = 0.75;

// One submission, isolated in a child process unless --no-sandbox. A child
// that times out, crashes or runs out of memory is retried once without the
// submission's designs, so its answers still count.
grade_report grade_one(variant_session& session, const std::string& path, const std::string& student,
                       const grading_limits& limits, bool sandboxed) {
  std::string text;
  // Bounded (runtime/io/file_io.hpp), read here before any child exists: a
  // link, directory, FIFO or device, or a file over the limit, is a row that
  // says so, never a hang. The child reads no file (imports are refused).
  if (auto problem = files::read_regular(path, text, files::default_read_limit(), files::links::refuse))
    return failed_report(session, student, "unreadable", problem->message);
  auto source = std::make_shared<const lang::source_file>(std::filesystem::path(path).filename().string(), std::move(text));
  if (!sandboxed) return grade_in_process(session, source, student, limits);
  auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  auto outcome = run_sandboxed([&] { return encode(grade_submission(session, source, student, limits)); },
                               {limits.seconds * full_share, limits.memory_mb});
  grade_report r;
  if (outcome.st == sandbox_outcome::state::finished && decode(outcome.output, r)) return r;
  const char* status = outcome.st == sandbox_outcome::state::timed_out       ? "timed out"
                       : outcome.st == sandbox_outcome::state::out_of_memory ? "out of memory"
                                                                             : "crashed";
  std::string why = outcome.why.empty() ? "the grader returned no result" : outcome.why;
  if (outcome.st == sandbox_outcome::state::timed_out)
    why = fmt::format("stopped after {:g} s, its share of the {:g} s time limit", limits.seconds * full_share, limits.seconds);
  if (double left = limits.seconds - elapsed(); left >= 0.01) {
    // Zero for what failed, not for everything: the answers again, without the designs.
    auto without = limits;
    without.run_designs = false;
    auto second = run_sandboxed([&] { return encode(grade_submission(session, source, student, without)); },
                                {left, limits.memory_mb});
    if (second.st == sandbox_outcome::state::finished && decode(second.output, r)) {
      r.status = status;
      r.output = fmt::format("the full grading {} ({}); the answers were graded without the designs{}",
                             outcome.st == sandbox_outcome::state::timed_out       ? "ran out of time"
                             : outcome.st == sandbox_outcome::state::out_of_memory ? "ran out of memory"
                                                                                   : "crashed",
                             why, r.output.empty() ? "" : "\n" + r.output);
      r.seconds = elapsed();
      return r;
    }
  }
  r = failed_report(session, student, status, why);
  r.seconds = elapsed();
  return r;
}

// Whose variant one submission is graded against: --student, --metadata, or,
// for an assignment without variants, nobody in particular (the file's name
// is shown, and chooses nothing).
std::optional<std::string> single_student(const options& o, const assignment_file& file, const std::string& path,
                                          lang::diagnostics& diags) {
  bool metadata = o.values.count("--metadata") > 0;
  if (metadata && o.values.count("--student")) throw usage_error{"give --student ID or --metadata FILE, not both"};
  if (metadata) return student_from_metadata(o.values.at("--metadata"), diags);
  if (auto id = student_flag(o, false); !id.empty()) return id;
  if (has_variants(file)) {
    missing_student(file, diags);
    return std::nullopt;
  }
  return std::filesystem::path(path).stem().string();
}

std::string formatted(const grade_report& r, const std::string& format, bool reveal) {
  if (format == "prairielearn") return to_prairielearn(r);
  if (format == "text") return to_text(r, reveal);
  return to_gradescope(r);
}

// `assignment package FILE --gradescope OUT.zip | --prairielearn DIR`.
int package_assignment(const options& o, cli_streams& io) {
  bool gradescope = o.values.count("--gradescope") > 0, prairielearn = o.values.count("--prairielearn") > 0;
  if (gradescope == prairielearn) throw usage_error{"assignment package takes --gradescope OUT.zip or --prairielearn DIR"};
  if (o.values.count("--student") || o.flags.count("--solutions") || o.flags.count("--all-variants"))
    throw usage_error{"assignment package takes --gradescope OUT.zip | --prairielearn DIR [--binary PATH] [--time-limit S]"};
  registry user(unit_table::builtin());
  const auto& reg = load_registry(o, user, io);
  lang::diagnostics diags;
  assignment_file file;
  const auto& path = o.positional[1];
  if (!load_faculty(path, reg, file, diags) || !check_self_contained(file, diags)) {
    report(diags, o, io);
    return 1;
  }
  package_inputs in;
  in.file = &file;
  in.faculty_text = std::string(file.program.source->text());
  in.seconds = number_flag(o, "--time-limit", in.seconds, 0.01);
  // The binary that runs on the LMS: this one unless --binary names another.
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  std::string binary = o.values.count("--binary") ? o.values.at("--binary") : ec ? std::string("/proc/self/exe") : self;
  if (auto problem = files::read_regular(binary, in.binary, std::uintmax_t{1} << 30)) {
    diags.add(files::to_diagnostic(*problem));
    report(diags, o, io);
    return 1;
  }
  if (!is_static_elf(in.binary))
    io.err << fmt::format("note: '{}' is dynamically linked; the LMS's image may lack its libraries. For a live "
                          "course, package a static build (cmake -DIRONLAW_STATIC=ON; docs/grading.md)\n",
                          binary);
  auto problem = gradescope ? write_gradescope(in, o.values.at("--gradescope"))
                            : write_prairielearn(in, reg, o.values.at("--prairielearn"), o.flags.count("--force") > 0, diags);
  if (problem && !problem->code.empty()) diags.add(files::to_diagnostic(*problem));
  if (problem || diags.has_errors()) {
    report(diags, o, io);
    return 1;
  }
  io.out << fmt::format("wrote {}\n", gradescope ? o.values.at("--gradescope") : o.values.at("--prairielearn"));
  return 0;
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
    auto student = single_student(o, file, path, diags);
    if (!student) {
      report(diags, o, io);
      return 1;
    }
    jobs.emplace_back(*student, path, "");
  } else {
    if (o.values.count("--student") || o.values.count("--metadata"))
      throw usage_error{"with --submissions, each file's name (without .iron) is the student id"};
    if (o.values.count("--out")) throw usage_error{"--out takes one submission's results; the gradebook goes to stdout"};
    std::error_code ec;
    std::filesystem::directory_iterator it(o.values.at("--submissions"), ec), end;
    if (ec) throw usage_error{fmt::format("cannot list '{}': {}", o.values.at("--submissions"), ec.message())};
    for (; it != end; it.increment(ec)) {
      if (ec) break;
      auto name = it->path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      // A link could point anywhere (another student's file, /dev/zero): a row
      // saying so, as for a directory, FIFO or device. The read checks again.
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
      auto text = formatted(r, format, limits.reveal);
      if (!o.values.count("--out")) {
        io.out << text;
        continue;
      }
      // The LMS reads the file while it may still be written: atomically.
      if (auto problem = files::write_atomic(o.values.at("--out"), text, files::existing::replace)) {
        diags.add(files::to_diagnostic(*problem));
        report(diags, o, io);
        return 1;
      }
      continue;
    }
    if (!header) io.out << csv_header(r);
    header = true;
    io.out << csv_row(r) << std::flush;
  }
  return 0;
}

int cmd_assignment(const options& o, cli_streams& io) {
  if (o.positional.size() == 2 && o.positional[0] == "package") return package_assignment(o, io);
  if (o.positional.size() != 2 || (o.positional[0] != "render" && o.positional[0] != "student"))
    throw usage_error{"assignment takes render FILE --student ID [--solutions] | render FILE --all-variants | student FILE"
                      " | package FILE --gradescope OUT.zip | package FILE --prairielearn DIR"};
  for (const char* flag : {"--gradescope", "--prairielearn", "--binary", "--time-limit"})
    if (o.values.count(flag)) throw usage_error{fmt::format("{} belongs to assignment package", flag)};
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
