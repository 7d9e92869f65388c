#include "render.hpp"

#include <fmt/format.h>

#include "answer_check.hpp"
#include "ironlaw/lang/print.hpp"

namespace ironlaw::runtime::grading {

namespace {

std::string points_text(double points) {
  return fmt::format("{} point{}", format_number(points), points == 1 ? "" : "s");
}

// What a student writes, as a sentence.
std::string how_to_answer(const question_instance& q, const unit_table& units) {
  switch (q.kind) {
    case answer_kind::number: {
      const auto* ref = q.answer.as_quantity();
      if (!q.choices.empty()) {
        std::string names;
        for (const auto& c : q.choices) names += (names.empty() ? "" : ", ") + show_answer(c, units);
        return "answer with the closest of " + names;
      }
      return ref && !ref->d.dimensionless() ? fmt::format("answer with a quantity and its unit ({})", describe(ref->d))
                                            : "answer with a number";
    }
    case answer_kind::word: {
      if (q.choices.empty()) return "answer with a word";
      std::string names;
      for (const auto& c : q.choices) names += (names.empty() ? "" : ", ") + show_answer(c, units);
      return "answer with one of " + names;
    }
    case answer_kind::set: return "answer with a list of all that apply, as in [a, b]";
    case answer_kind::rubric: return "graded on the design your scenario declares";
  }
  return {};
}

std::string tolerance_line(const question_instance& q, const unit_table& units) {
  const auto& t = q.tolerance;
  std::vector<std::string> parts;
  if (t.relative) parts.push_back(format_number(*t.relative * 100) + " %");
  if (t.absolute) parts.push_back(units.format(*t.absolute));
  if (t.sigfigs) parts.push_back(fmt::format("{} significant figures", *t.sigfigs));
  if (parts.empty()) return fmt::format("{} % (the default)", format_number(default_relative_tolerance * 100));
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? (i + 1 == parts.size() && t.sigfigs ? " or " : " + ") : "") + parts[i];
  return out;
}

// A prompt as written, placeholders kept: "How many {ctx} requests ...".
std::string template_text(const lang::question_decl& q) {
  if (!q.text) return {};
  const auto* s = std::get_if<lang::string_literal>(&q.text->node);
  if (!s) return lang::to_source(*q.text);
  if (s->parts.empty()) return s->value;
  std::string out;
  for (const auto& p : s->parts) out += p.value ? "{" + lang::to_source(*p.value) + "}" : p.text;
  return out;
}

// A comment block: each line prefixed with "# ".
std::string commented(const std::string& text, std::string_view indent = "") {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += fmt::format("#{}{}{}\n", indent.empty() ? " " : "", indent, text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string render_variant(const variant_session& session, bool solutions) {
  const auto& units = session.interp().reg().units();
  std::string out;
  for (const auto& q : session.questions()) {
    if (q.hidden && !solutions) continue;
    out += fmt::format("\n{} ({}){}\n", q.name, points_text(q.points), q.hidden ? " [hidden]" : "");
    if (!q.text.empty()) out += "  " + q.text + "\n";
    out += "  " + how_to_answer(q, units) + "\n";
    if (!solutions) continue;
    if (q.kind == answer_kind::rubric) {
      out += fmt::format("  rubric ({} each):\n", points_text(q.points / static_cast<double>(q.rubric.size())));
      for (const auto* c : q.rubric) out += "    " + lang::to_source(*c) + "\n";
    } else {
      out += "  answer: " + show_answer(q.answer, units);
      if (q.kind == answer_kind::number && q.choices.empty()) out += "  (tolerance " + tolerance_line(q, units) + ")";
      if (q.kind == answer_kind::number && !q.choices.empty()) out += "  (the closest choice is right)";
      out += "\n";
    }
    for (const auto& rule : q.decl->feedback)
      out += fmt::format("  feedback when {}: {}\n", lang::to_source(*rule.condition), lang::to_source(*rule.message));
  }
  return out;
}

std::string student_copy(const variant_session& session, bool personal) {
  const auto& file = session.file();
  const auto& units = session.interp().reg().units();
  std::string out = commented(file.title + " (student copy)");
  if (personal) {
    out += commented("Your variant: " + session.describe_variant());
  } else {
    for (const auto& p : file.params) {
      if (p.options.size() < 2) continue;
      std::string names;
      for (const auto& o : p.shown) names += (names.empty() ? "" : ", ") + o;
      out += commented(fmt::format("{{{}}} is one of {}", p.name, names));
    }
    // Never a command on the faculty file: the student does not have it.
    out += commented("Your values are drawn from your student id; your personal copy or the course page lists them.");
  }
  out += commented("Fill in the answers block below and submit this file. Answers take units: 400 GB/s.");
  // A design question's file must run on its own: the faculty file's
  // declarations (the workload, a custom accelerator), word for word. The
  // grader uses its own copy and ignores these; a changed one is an error.
  std::string provided;
  bool design = false;
  for (const auto& q : session.questions()) design = design || q.kind == answer_kind::rubric;
  for (const auto& st : file.program.statements)
    if (design && std::holds_alternative<lang::decl_stmt>(st.node)) provided += lang::to_source(st) + "\n";
  if (!provided.empty())
    out += commented("Defined by the assignment; keep as it is (a changed copy is an error when graded):") + provided;
  out += "\n";
  std::vector<std::string> names;
  for (const auto& q : session.questions()) {
    if (q.hidden) continue;
    out += commented(fmt::format("{} ({}): {}", q.name, points_text(q.points), personal ? q.text : template_text(*q.decl)));
    out += commented(how_to_answer(q, units), "   ");
    if (q.kind == answer_kind::rubric) {
      out += commented("your scenario (in this file) is graded on:", "   ");
      for (const auto* c : q.rubric) out += commented(lang::to_source(*c), "     ");
    } else {
      names.push_back(q.name);
    }
    out += "\n";
  }
  out += "answers {\n";
  for (const auto& n : names) out += fmt::format("  # {} =\n", n);
  out += "}\n";
  return out;
}

}  // namespace ironlaw::runtime::grading
