#pragma once
// An assignment as the grader sees it: the faculty file's `assignment` block,
// each parameter's options, and one student's variant with every question's
// prompt and reference answer computed by the engine.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ironlaw/lang/ast.hpp"
#include "ironlaw/lang/diagnostic.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"

namespace ironlaw::runtime::grading {

// One `param`: its options (one when it does not `choose`).
struct param_options {
  std::string name;
  std::vector<value> options;
  // Each option as the faculty wrote it: in the unit the parameter was
  // declared in (`choose([100, 200]) Gb/s` or `choose([200 Gb/s])` shows
  // `200 Gb/s`, never `25 GB/s`, which would answer a bits-vs-bytes question).
  std::vector<std::string> shown;
};

// What a question's `answer` is, which decides how it is graded.
enum class answer_kind {
  number,  // a quantity: tolerance, sigfigs
  word,    // an enum word, a string or an entity: equal ignoring case
  set,     // a list: select all that apply, partial credit
  rubric,  // a list of conditions on the submission's scenario (a design question)
};

struct tolerance_spec {
  std::optional<double> relative;    // `5 %`: a fraction of the reference
  std::optional<quantity> absolute;  // `2 GB/s`: in the answer's dimension
  std::optional<int> sigfigs;        // agree to this many significant figures
};

// One question for one student.
struct question_instance {
  const lang::question_decl* decl = nullptr;
  std::string name;
  double points = 1;
  std::string text;  // with the parameters interpolated
  bool hidden = false;
  answer_kind kind = answer_kind::number;
  value answer;                          // the reference (not for rubric questions)
  std::vector<const lang::expr*> rubric;  // rubric questions: the conditions
  tolerance_spec tolerance;
  std::vector<value> choices;  // shown to students for word questions
};

// The faculty file, parsed, with its one assignment.
struct assignment_file {
  lang::program program;
  const lang::assignment_stmt* stmt = nullptr;
  std::string title;
  std::vector<param_options> params;
};

// Finds the assignment, evaluates its title and every parameter's options.
// False (with diagnostics) when the file has no or several assignments, or a
// parameter does not evaluate.
bool load_assignment(const registry& reg, assignment_file& file, lang::diagnostics& diags);

// The option index of every parameter for a student (docs/grading.md).
std::vector<std::size_t> student_picks(const assignment_file& file, std::string_view student);

// Every distinct combination of options, in order (the last parameter fastest),
// at most `limit` of them.
std::vector<std::vector<std::size_t>> all_picks(const assignment_file& file, std::size_t limit);

// The faculty file's definitions with one variant's parameters bound: the scope
// in which prompts, reference answers and feedback rules are evaluated.
class variant_session {
 public:
  variant_session(const registry& reg, const assignment_file& file, std::vector<std::size_t> picks);

  // Runs the faculty file's definitions, binds the parameters and computes
  // every question. False (with diagnostics) on an error in the faculty file.
  bool prepare(lang::diagnostics& diags);

  [[nodiscard]] const std::vector<question_instance>& questions() const { return questions_; }
  [[nodiscard]] const std::vector<std::size_t>& picks() const { return picks_; }
  // `ctx = 4096 tokens, gpu = H100_SXM`
  [[nodiscard]] std::string describe_variant() const;
  // A parameter's value for this variant as declared, or null for another name.
  [[nodiscard]] const std::string* shown_param(std::string_view name) const;
  [[nodiscard]] interpreter& interp() { return interp_; }
  [[nodiscard]] const interpreter& interp() const { return interp_; }
  [[nodiscard]] const assignment_file& file() const { return *file_; }
  // Binds the parameters and the faculty file's definitions into another
  // interpreter (a submission's, a rubric's scope) as reserved names: they
  // always win, and a submission that defines one again gets E1006.
  void reserve_names(interpreter& other) const;
  // A parameter or a name the faculty file defines.
  [[nodiscard]] bool is_faculty_name(std::string_view name) const;
  // `param custom_entities = true`: the student may declare hardware, models
  // and prices for design questions (checked against the registry's range).
  [[nodiscard]] bool custom_entities() const { return custom_entities_; }
  // The faculty file's reference design of that name, or null.
  [[nodiscard]] const lang::design_stmt* reference_design(std::string_view name) const;

 private:
  bool compute(const lang::question_decl& q, question_instance& out, lang::diagnostics& diags);
  // A prompt with `{param}` shown in the parameter's declared unit.
  std::optional<std::string> prompt(const lang::expr& text, lang::diagnostics& diags);
  const registry* reg_;
  const assignment_file* file_;
  std::vector<std::size_t> picks_;
  interpreter interp_;
  std::vector<question_instance> questions_;
  std::vector<std::string> faculty_names_;  // sorted
  bool custom_entities_ = false;
};

// The assignment-level switch that lets students declare their own entities.
inline constexpr std::string_view custom_entities_param = "custom_entities";

// An answer or a list of choices as written: a bare word that names nothing
// defined stays a word (`memory` is also a function's name; `compute_bound`
// is simply a wrong answer, not an error); everything else evaluates.
std::optional<value> read_answer(interpreter& interp, const lang::expr& e, const lang::source_ptr& source,
                                 lang::diagnostics& diags);

// A value as a student would write it: `400 GB/s`, `memory`, `[A100_80GB, L40S]`.
std::string show_answer(const value& v, const unit_table& units);

}  // namespace ironlaw::runtime::grading
