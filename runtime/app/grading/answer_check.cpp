#include "answer_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace ironlaw::runtime::grading {

namespace {

// A word as compared: lower case, without a trailing "-bound" (`memory-bound`
// and `memory` are the same answer).
std::string normalized(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view suffix : {"-bound", "_bound", " bound"})
    if (text.size() > suffix.size() && text.ends_with(suffix)) text.resize(text.size() - suffix.size());
  return text;
}

// The text a word-like value stands for; empty for quantities and lists.
std::string word_of(const value& v) {
  if (const auto* s = v.as_symbol()) return normalized(s->name);
  if (const auto* t = std::get_if<std::string>(&v.v)) return normalized(*t);
  if (const auto* r = v.as_record()) return normalized(r->name);
  if (const auto* b = std::get_if<bool>(&v.v)) return *b ? "true" : "false";
  return {};
}

// A count (tokens, requests, samples) may be answered as a plain number.
bool plain_count(const dim& d) {
  int total = 0;
  for (auto e : d.exponents) total += std::abs(e);
  return total == 1 && (d[base_dim::token] == 1 || d[base_dim::request] == 1 || d[base_dim::sample] == 1);
}

std::string tolerance_text(const tolerance_spec& t, const unit_table& units) {
  std::vector<std::string> parts;
  if (t.relative) parts.push_back(format_number(*t.relative * 100) + " %");
  if (t.absolute) parts.push_back(units.format(*t.absolute));
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " + " : "") + parts[i];
  if (t.sigfigs) out += fmt::format("{}{} significant figures", out.empty() ? "" : ", or ", *t.sigfigs);
  if (out.empty()) out = format_number(default_relative_tolerance * 100) + " %";
  return out;
}

// A factor a student often slips by, when nothing more specific applies.
std::string generic_hint(double ratio) {
  auto near = [&](double f) { return std::abs(ratio / f - 1) < 0.005; };
  if (near(1000) || near(1e-3) || near(1e6) || near(1e-6)) return "off by a power of 1000: check the unit prefix";
  for (int n = 1; n <= 4; ++n)
    if (near(std::pow(1.024, n)) || near(std::pow(1.024, -n)))
      return "close, but not the same size: decimal (GB = 1e9 B) and binary (GiB = 2^30 B) prefixes differ";
  return {};
}

// The choice nearest to `v` (a numeric question with choices).
std::size_t nearest_choice(const question_instance& q, double v) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < q.choices.size(); ++i)
    if (std::abs(q.choices[i].as_quantity()->si - v) < std::abs(q.choices[best].as_quantity()->si - v)) best = i;
  return best;
}

answer_verdict check_number(const question_instance& q, const value& submitted, const unit_table& units, bool reveal) {
  const auto& ref = *q.answer.as_quantity();
  const auto* s = submitted.as_quantity();
  std::string reference = reveal ? fmt::format(" (reference: {})", units.format(ref)) : "";
  if (!s)
    return {0, fmt::format("expected a number{}, not {}{}", ref.d.dimensionless() ? "" : " with a unit (" + describe(ref.d) + ")",
                           describe(submitted), reference),
            false};
  quantity got = *s;
  if (got.d != ref.d && got.d.dimensionless() && plain_count(ref.d)) got.d = ref.d;
  if (got.d != ref.d) {
    if (got.d.dimensionless())
      return {0, fmt::format("your answer {} has no unit; the question asks for {} (in {} or a multiple){}", units.format(got),
                             describe(ref.d), base_unit_text(ref.d), reference),
              false};
    return {0, fmt::format("your answer {} is {}, but the question asks for {}{}", units.format(got), describe(got.d),
                           describe(ref.d), reference),
            false};
  }
  if (!q.choices.empty()) {
    // Multiple choice: the right choice is the one closest to the engine's value.
    auto right = nearest_choice(q, ref.si);
    const auto& shown = show_answer(q.choices[right], units);
    if (nearest_choice(q, got.si) == right) return {1, fmt::format("correct: {} (the closest choice)", units.format(got))};
    return {0, fmt::format("incorrect: {} is not the closest choice{}", units.format(got),
                           reveal ? fmt::format(" (reference: {}, from {})", shown, units.format(ref)) : "")};
  }
  const auto& t = q.tolerance;
  double diff = std::abs(got.si - ref.si);
  double allowed = 0;
  bool any = t.relative || t.absolute;
  if (t.relative) allowed += *t.relative * std::abs(ref.si);
  if (t.absolute) allowed += t.absolute->si;
  if (!any && !t.sigfigs) allowed = default_relative_tolerance * std::abs(ref.si);
  allowed += 1e-12 * std::abs(ref.si);  // the last bits of a double
  bool ok = (any || !t.sigfigs) && diff <= allowed;
  if (t.sigfigs && ref.si != 0) {
    // Half a unit in the last significant place of the reference.
    double place = std::pow(10.0, std::floor(std::log10(std::abs(ref.si))) - *t.sigfigs + 1);
    ok = ok || diff <= 0.5 * place * (1 + 1e-12);
  } else if (t.sigfigs) {
    ok = ok || diff == 0;
  }
  if (ok) return {1, fmt::format("correct: {} (within {}){}", units.format(got), tolerance_text(t, units), reference)};
  std::string message =
      fmt::format("incorrect: {} is not within {} of the reference{}", units.format(got), tolerance_text(t, units), reference);
  if (ref.si != 0 && got.si != 0)
    if (auto hint = generic_hint(got.si / ref.si); !hint.empty()) message += "; " + hint;
  return {0, message};
}

answer_verdict check_word(const question_instance& q, const value& submitted, const unit_table& units, bool reveal) {
  std::string want = word_of(q.answer), got = word_of(submitted);
  std::string reference = reveal ? fmt::format(" (reference: {})", show_answer(q.answer, units)) : "";
  if (got.empty()) return {0, fmt::format("expected a word, not {}{}", describe(submitted), reference), false};
  if (got == want) return {1, fmt::format("correct: {}", show_answer(submitted, units))};
  std::string message = fmt::format("incorrect: {}{}", show_answer(submitted, units), reference);
  if (!q.choices.empty()) {
    bool listed = false;
    std::string names;
    for (const auto& c : q.choices) {
      listed = listed || word_of(c) == got;
      names += (names.empty() ? "" : ", ") + show_answer(c, units);
    }
    if (!listed) message += fmt::format("; the answer is one of {}", names);
  }
  return {0, message};
}

// Select all that apply: (right picks - wrong picks) / picks in the reference, at least 0.
answer_verdict check_set(const question_instance& q, const value& submitted, const unit_table& units, bool reveal) {
  const auto& want_items = **std::get_if<list_ptr>(&q.answer.v);
  std::vector<std::string> want, got;
  for (const auto& w : want_items) want.push_back(word_of(w));
  if (const auto* l = std::get_if<list_ptr>(&submitted.v)) {
    for (const auto& g : **l) got.push_back(word_of(g));
  } else {
    got.push_back(word_of(submitted));
  }
  std::sort(got.begin(), got.end());
  got.erase(std::unique(got.begin(), got.end()), got.end());
  std::size_t right = 0, wrong = 0;
  for (const auto& g : got) {
    if (std::find(want.begin(), want.end(), g) != want.end()) ++right;
    else ++wrong;
  }
  std::string reference = reveal ? fmt::format(" (reference: {})", show_answer(q.answer, units)) : "";
  double credit = want.empty() ? (got.empty() ? 1.0 : 0.0)
                               : std::max(0.0, (static_cast<double>(right) - static_cast<double>(wrong)) /
                                                   static_cast<double>(want.size()));
  if (right == want.size() && wrong == 0) return {1, fmt::format("correct: all {} selected", want.size())};
  return {credit,
          fmt::format("{} of {} right selections, {} wrong{}", right, want.size(), wrong, reference)};
}

}  // namespace

answer_verdict check_answer(const question_instance& q, const value& submitted, const unit_table& units, bool reveal) {
  switch (q.kind) {
    case answer_kind::number: return check_number(q, submitted, units, reveal);
    case answer_kind::word: return check_word(q, submitted, units, reveal);
    case answer_kind::set: return check_set(q, submitted, units, reveal);
    case answer_kind::rubric: break;
  }
  return {0, "a design question is graded on the submission's scenario", false};
}

}  // namespace ironlaw::runtime::grading
