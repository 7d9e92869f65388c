#include "package.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <tuple>
#include <cstring>
#include <map>

#include "render.hpp"
#include "variant.hpp"
#include "../../io/zip_writer.hpp"
#include "ironlaw/lang/text_formats.hpp"

namespace ironlaw::runtime::grading {

namespace {

// Gradescope copies run_autograder to /autograder/ and runs it once per
// submission; the submission is in /autograder/submission/, the metadata in
// /autograder/submission_metadata.json, and results.json goes to
// /autograder/results/ (gradescope-autograders.readthedocs.io, "Autograder
// specifications" and "Submission metadata"). Student ids: docs/grading.md.
constexpr const char* gradescope_run = R"script(#!/bin/sh
# Gradescope runs this once per submission. Written by `ironlaw assignment package`.
# IRONLAW_AUTOGRADER_ROOT stands for /autograder (tests run the layout elsewhere).
root="${IRONLAW_AUTOGRADER_ROOT:-/autograder}"
here="$root/source"
mkdir -p "$root/results"
submission="$root/submission/answers.iron"
if [ ! -e "$submission" ] && [ ! -L "$submission" ]; then
  # Not named answers.iron: the one .iron file uploaded, when there is exactly one.
  set -- "$root"/submission/*.iron
  if [ "$#" -eq 1 ] && { [ -e "$1" ] || [ -L "$1" ]; }; then submission="$1"; fi
fi
if "$here/ironlaw" grade "$here/assignment.iron" --submission "$submission" \
     --metadata "$root/submission_metadata.json" --format gradescope --time-limit @SECONDS@ \
     --out "$root/results/results.json"; then
  exit 0
fi
# ironlaw could not grade at all (its diagnostic is above, in the autograder's
# output, which only staff see): a zero that says so, and a normal exit, so
# Gradescope shows this result rather than a failed autograder.
printf '%s\n' '{"score": 0, "output": "The autograder could not grade this submission; your instructor can see why in the autograder output.", "visibility": "visible", "stdout_visibility": "hidden", "tests": []}' \
  > "$root/results/results.json.tmp" && mv "$root/results/results.json.tmp" "$root/results/results.json"
)script";

constexpr const char* gradescope_setup = R"script(#!/bin/sh
# Gradescope runs this once, in /autograder/source, when it builds the image.
# Written by `ironlaw assignment package`: the ironlaw binary beside it is
# statically linked, so there is nothing to install; this checks that it runs
# here and that every variant of the assignment computes.
set -e
cd "$(dirname "$0")"
chmod 755 ironlaw run_autograder
./ironlaw version
./ironlaw assignment render assignment.iron --all-variants > /dev/null
)script";

// PrairieLearn's external grader: the question's tests/ folder is copied to
// /grade/tests, the student's files to /grade/student, the question's data to
// /grade/data/data.json; results go to /grade/results/results.json
// (PrairieLearn's docs/externalGrading.md, "The Grading Process").
constexpr const char* prairielearn_run = R"script(#!/bin/sh
# PrairieLearn's external grader runs this. Written by `ironlaw assignment package`.
# IRONLAW_GRADE_ROOT stands for /grade (tests run the layout elsewhere).
root="${IRONLAW_GRADE_ROOT:-/grade}"
mkdir -p "$root/results"
ironlaw="$root/tests/ironlaw"
if [ ! -x "$ironlaw" ]; then
  # Copied without its executable bit: run a copy that has it.
  cp "$ironlaw" "${TMPDIR:-/tmp}/ironlaw-grader" && chmod 755 "${TMPDIR:-/tmp}/ironlaw-grader"
  ironlaw="${TMPDIR:-/tmp}/ironlaw-grader"
fi
if "$ironlaw" grade "$root/tests/assignment.iron" --submission "$root/student/answers.iron" \
     --metadata "$root/data/data.json" --format prairielearn --time-limit @SECONDS@ \
     --out "$root/results/results.json"; then
  exit 0
fi
printf '%s\n' '{"gradable": false, "score": 0, "message": "The grader could not grade this submission; your instructor can see why in the grading job log.", "format_errors": ["not graded"], "tests": []}' \
  > "$root/results/results.json.tmp" && mv "$root/results/results.json.tmp" "$root/results/results.json"
)script";

constexpr const char* prairielearn_server = R"script(# PrairieLearn calls generate() for each new variant of this question.
# Written by `ironlaw assignment package`: one entry per distinct variant of the
# assignment, each with a student id that draws it; the external grader
# (tests/run_grader) grades against params["ironlaw_student"].
import json
import random

VARIANTS = json.loads(@VARIANTS@)


def generate(data):
    # PrairieLearn seeds `random` with the variant's seed.
    chosen = random.choice(VARIANTS)
    for key in ("ironlaw_student", "variant", "title", "prompts", "copy"):
        data["params"][key] = chosen[key]
)script";

constexpr const char* prairielearn_html = R"script(<pl-question-panel>
  <p><strong>{{params.title}}</strong></p>
  <pre>{{params.prompts}}</pre>
  <p>Fill in the answers block below (<code>answers { q1 = ... }</code>, with units) and submit.</p>
</pl-question-panel>

<pl-file-editor file-name="answers.iron" ace-mode="ace/mode/text">{{params.copy}}</pl-file-editor>

<pl-submission-panel>
  <pl-external-grader-results></pl-external-grader-results>
  <pl-file-preview></pl-file-preview>
</pl-submission-panel>
)script";

std::string replaced(std::string text, std::string_view key, const std::string& value) {
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
    text.replace(at, key.size(), value);
  return text;
}

std::string seconds_text(double s) { return fmt::format("{:g}", s); }

// A stable UUID (version 4 layout) from the title: packaging the same
// assignment again keeps PrairieLearn's question identity.
std::string question_uuid(const std::string& title) {
  auto a = fnv1a_64(title), b = fnv1a_64("ironlaw question", a);
  auto hex = fmt::format("{:016x}{:016x}", a, b);
  hex[12] = '4';
  hex[16] = "89ab"[(hex[16] - '0') & 3];
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4), hex.substr(16, 4),
                     hex.substr(20, 12));
}

// One id per distinct variant: "pl-0", "pl-1", ... tried in order, each kept
// when it draws a variant not yet covered (at most 1000 variants, as render
// --all-variants lists).
std::vector<std::pair<std::string, std::vector<std::size_t>>> variant_ids(const assignment_file& file) {
  auto wanted = all_picks(file, 1000);
  std::map<std::vector<std::size_t>, std::string> found;
  for (std::size_t i = 0; found.size() < wanted.size() && i < 200 * wanted.size() + 1000; ++i) {
    auto id = fmt::format("pl-{}", i);
    auto picks = student_picks(file, id);
    if (std::find(wanted.begin(), wanted.end(), picks) != wanted.end()) found.emplace(picks, id);
  }
  std::vector<std::pair<std::string, std::vector<std::size_t>>> out;
  for (const auto& picks : wanted)
    if (auto it = found.find(picks); it != found.end()) out.emplace_back(it->second, picks);
  return out;
}

std::optional<files::problem> write_into(files::output_dir& dir, const std::string& name, std::string_view text) {
  if (auto p = dir.may_write(name)) return p;
  if (auto p = files::write_atomic(dir.path_of(name), text, files::existing::replace)) return p;
  return dir.record({name});
}

}  // namespace

bool check_self_contained(const assignment_file& file, lang::diagnostics& diags) {
  for (const auto& st : file.program.statements) {
    if (!std::holds_alternative<lang::import_stmt>(st.node)) continue;
    auto& d = diags.error("E1015", file.program.source, st.where,
                          "a packaged assignment is one file, and this one imports another");
    d.help = "copy what the imported file declares into the assignment file, then package it again";
    return false;
  }
  return true;
}

bool is_static_elf(std::string_view b) {
  auto u16 = [&](std::size_t at) { return static_cast<unsigned>(static_cast<unsigned char>(b[at])) | static_cast<unsigned>(static_cast<unsigned char>(b[at + 1])) << 8; };
  if (b.size() < 64 || b.substr(0, 4) != "\x7f" "ELF" || b[4] != 2 || b[5] != 1) return false;  // 64-bit little-endian
  std::uint64_t phoff = 0;
  for (int i = 7; i >= 0; --i) phoff = phoff << 8 | static_cast<unsigned char>(b[0x20 + i]);
  std::size_t size = u16(0x36), count = u16(0x38);
  if (size < 4 || phoff > b.size() || count * size > b.size() - phoff) return false;
  for (std::size_t i = 0; i < count; ++i)
    if (u16(phoff + i * size) == 3 && u16(phoff + i * size + 2) == 0) return false;  // PT_INTERP: a dynamic loader
  return true;
}

std::optional<files::problem> write_gradescope(const package_inputs& in, const std::string& out) {
  files::zip_writer zip;
  bool ok = zip.add("setup.sh", gradescope_setup, 0755) &&
            zip.add("run_autograder", replaced(gradescope_run, "@SECONDS@", seconds_text(in.seconds)), 0755) &&
            zip.add("ironlaw", in.binary, 0755) && zip.add("assignment.iron", in.faculty_text, 0644);
  if (!ok) return files::problem{"E1501", fmt::format("cannot write '{}': the archive would pass zip's 4 GiB limit", out), {}};
  return files::write_atomic(out, zip.finish(), files::existing::replace);
}

std::optional<files::problem> write_prairielearn(const package_inputs& in, const registry& reg, const std::string& dir,
                                                 bool force, lang::diagnostics& diags) {
  const auto& file = *in.file;
  std::string variants = "[";
  for (const auto& [id, picks] : variant_ids(file)) {
    variant_session session(reg, file, picks);
    if (!session.prepare(diags)) return files::problem{};
    variants += fmt::format("{}\n {{\"ironlaw_student\": {}, \"variant\": {}, \"title\": {}, \"prompts\": {}, \"copy\": {}}}",
                            variants.size() > 1 ? "," : "", lang::json_string(id),
                            lang::json_string(session.describe_variant()), lang::json_string(file.title),
                            lang::json_string(render_variant(session, false)),
                            lang::json_string(student_copy(session, true)));
  }
  variants += "\n]";
  double timeout = std::min(600.0, std::ceil(in.seconds) + 20);  // PrairieLearn's cap is 600 s
  auto info = fmt::format(
      "{{\n  \"uuid\": \"{}\",\n  \"title\": {},\n  \"topic\": \"ironlaw\",\n  \"tags\": [\"ironlaw\"],\n"
      "  \"type\": \"v3\",\n  \"singleVariant\": false,\n  \"gradingMethod\": \"External\",\n"
      "  \"externalGradingOptions\": {{\n    \"enabled\": true,\n    \"image\": \"prairielearn/grader-python\",\n"
      "    \"entrypoint\": \"/grade/tests/run_grader\",\n    \"timeout\": {:g}\n  }}\n}}\n",
      question_uuid(file.title), lang::json_string(file.title), timeout);
  files::output_dir question, tests;
  if (auto p = question.open(dir, force)) return p;
  if (auto p = tests.open(question.path_of("tests"), force)) return p;
  const std::tuple<files::output_dir*, const char*, std::string> outputs[] = {
      {&question, "info.json", info},
      {&question, "question.html", prairielearn_html},
      {&question, "server.py", replaced(prairielearn_server, "@VARIANTS@", lang::json_string(variants))},
      {&tests, "run_grader", replaced(prairielearn_run, "@SECONDS@", seconds_text(in.seconds))},
      {&tests, "assignment.iron", in.faculty_text},
      {&tests, "ironlaw", in.binary}};
  // Every target checked before any is written: a refusal leaves the folder as it was.
  for (const auto& [folder, name, text] : outputs)
    if (auto p = folder->may_write(name)) return p;
  for (const auto& [folder, name, text] : outputs)
    if (auto p = write_into(*folder, name, text)) return p;
  for (const char* executable : {"run_grader", "ironlaw"})
  {
    std::error_code ec;  // a folder that keeps no modes: run_grader copies the binary and sets it
    std::filesystem::permissions(tests.path_of(executable), std::filesystem::perms(0755),
                                 std::filesystem::perm_options::replace, ec);
  }
  return std::nullopt;
}

}  // namespace ironlaw::runtime::grading
