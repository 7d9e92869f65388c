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
  [[nodiscard]] interpreter& interp() { return interp_; }
  [[nodiscard]] const interpreter& interp() const { return interp_; }
  [[nodiscard]] const assignment_file& file() const { return *file_; }
  // Binds the parameters into another interpreter (a submission's), where
  // they are not already defined, so rubric conditions may read them.
  void bind_params(interpreter& other) const;

 private:
  bool compute(const lang::question_decl& q, question_instance& out, lang::diagnostics& diags);
  const registry* reg_;
  const assignment_file* file_;
  std::vector<std::size_t> picks_;
  interpreter interp_;
  std::vector<question_instance> questions_;
};

// An answer or a list of choices as written: a bare word that names nothing
// defined stays a word (`memory` is also a function's name; `compute_bound`
// is simply a wrong answer, not an error); everything else evaluates.
std::optional<value> read_answer(interpreter& interp, const lang::expr& e, const lang::source_ptr& source,
                                 lang::diagnostics& diags);

// A value as a student would write it: `400 GB/s`, `memory`, `[A100_80GB, L40S]`.
std::string show_answer(const value& v, const unit_table& units);

}  // namespace ironlaw::runtime::grading
