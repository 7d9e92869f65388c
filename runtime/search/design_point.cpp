// One point of a design: bind, call the solver, run the compiled code.
#include "design_point.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "ironlaw/runtime/interp/evaluated.hpp"

namespace ironlaw::runtime::search {

std::string reason_class(std::string_view message, std::string_view solver) {
  if (message.starts_with(solver) && message.substr(solver.size()).starts_with(": ")) message.remove_prefix(solver.size() + 2);
  std::string text;
  int depth = 0;
  for (char c : message) {
    if (c == '(') ++depth;
    else if (c == ')' && depth > 0) --depth;
    else if (depth == 0) text += c;
  }
  if (auto colon = text.find(": "); colon != std::string::npos) text.resize(colon);
  // Numbers become N ("got 9216" and "got 10240" are one reason); names
  // with digits (Llama3_8B) stay.
  std::string squeezed;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool starts_number = std::isdigit(static_cast<unsigned char>(c)) &&
                         (i == 0 || !(std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '_'));
    if (starts_number) {
      while (i + 1 < text.size() && (std::isdigit(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '.' ||
                                     (text[i + 1] == ',' && i + 2 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 2])))))
        ++i;
      squeezed += 'N';
      continue;
    }
    if (!(c == ' ' && (squeezed.empty() || squeezed.back() == ' '))) squeezed += c;  // the spaces parentheses left
  }
  while (!squeezed.empty() && squeezed.back() == ' ') squeezed.pop_back();
  return squeezed.empty() ? std::string(message) : squeezed;
}

bool fits(const record& r) { return r.infeasible.empty() || r.hypothetical_allowed; }

std::size_t binding_requirement(const point_result& r) {
  std::size_t b = std::string::npos;
  for (std::size_t i = 0; i < r.slacks.size(); ++i)
    if (std::isfinite(r.slacks[i]) && (b == std::string::npos || r.slacks[i] < r.slacks[b])) b = i;
  return b;
}

record_ptr design_record(const compiled_design& cd, const std::string& design, const value& result,
                         std::uint64_t index) {
  auto rec = std::make_shared<record>(*result.as_record());
  rec->kind = "design";
  rec->name = design;
  std::uint64_t rest = index;
  std::vector<value> values(cd.axis_names.size());
  for (std::size_t a = cd.axis_names.size(); a-- > 0;) {
    values[a] = cd.axis_values[a].at(static_cast<std::size_t>(rest % cd.axis_values[a].size()));
    rest /= cd.axis_values[a].size();
  }
  for (std::size_t a = 0; a < cd.axis_names.size(); ++a)
    if (!rec->find(cd.axis_names[a])) rec->fields.push_back(field{cd.axis_names[a], values[a], "a design axis", {}});
  return rec;
}

std::string axis_value_text(const value& v, const unit_table& units) {
  const record* r = v.as_record();
  if (!r || !r->name.empty() || !r->infeasible.empty() || r->fields.empty()) return format_value(v, units);
  std::string text;
  for (const auto& f : r->fields) {
    if (f.v.as_record() || std::holds_alternative<list_ptr>(f.v.v)) return format_value(v, units);  // nested: braces
    text += (text.empty() ? "" : ", ") + f.name + " " + format_value(f.v, units);
  }
  return text;
}

std::string point_label(const compiled_design& cd, const record& rec, const unit_table& units) {
  std::vector<std::string> parts;
  bool comma = false;
  for (const auto& a : cd.axis_names) {
    const auto* f = rec.find(a);
    parts.push_back(a + " " + (f ? axis_value_text(f->v, units) : std::string("-")));
    comma = comma || parts.back().find(',') != std::string::npos;
  }
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : comma ? "; " : ", ") + part;
  return text;
}

std::pair<std::string, double> display_unit(const quantity& q, const unit_table& units) {
  if (q.d.dimensionless()) return {"", 1};
  auto text = units.format(q);
  auto space = text.find(' ');
  if (space == std::string::npos) return {"", 1};
  auto unit = text.substr(space + 1);
  auto parsed = units.parse(unit);
  if (const auto* u = std::get_if<unit_value>(&parsed)) return {unit, u->factor};
  return {"", 1};
}

bool bind_design_call(call_args& args, const compiled_design& cd, const value* const* axis_values) {
  bool ok = true;
  std::size_t position = 0;
  for (const auto& a : cd.fixed)
    ok = (a.name ? args.bind_named(*a.name, a.name_span, a.v, a.where) : args.bind_positional(position++, a.v, a.where)) && ok;
  for (std::size_t a = 0; a < cd.axis_names.size(); ++a)
    ok = args.bind_named(cd.axis_names[a], cd.axis_spans[a], *axis_values[a], cd.axis_spans[a]) && ok;
  return ok;
}

design_point::design_point(const compiled_design& d)
    : d_(d), slots_(d.axis_names.size() + d.field_count, nan), typed_fields_(d.field_count, nan),
      picks_(d.axis_names.size(), 0), typed_scratch_(d.typed ? d.typed->make_scratch() : nullptr),
      axis_(d.axis_names.size(), nullptr), range_values_(d.axis_names.size()) {}

void design_point::evaluate(std::uint64_t index, point_result& out, bool want_row) {
  // A CSV row needs the record: the generic call.
  int typed = typed_solver::declined;
  if (d_.typed && !want_row) {
    if (d_.check_typed) return evaluate_checked(index, out);
    typed = evaluate_typed(index, out);
    if (typed == typed_solver::computed) return;
  }
  value result;
  evaluate_point(index, out, want_row, result, true);
  if (typed > 0) learn(typed, out);
}

void design_point::learn(int refusal, const point_result& generic) {
  // A class whose point the generic call did not refuse is never learnt:
  // its points keep taking the generic call.
  if (generic.st != point_result::state::rejected) return;
  auto k = static_cast<std::size_t>(refusal);
  if (refusals_.size() <= k) refusals_.resize(k + 1);
  refusals_[k] = generic.reason;
}

void design_point::evaluate_full(std::uint64_t index, point_result& out, bool want_row, value& result) {
  evaluate_point(index, out, want_row, result, false);
}

std::string design_point::last_message() const {
  return diags_.items().empty() ? std::string() : diags_.items().front().message;
}

void design_point::bind_axes(std::uint64_t index) {
  for (std::size_t a = d_.axis_names.size(); a-- > 0;) {
    std::size_t n = d_.axis_values[a].size();
    std::size_t k = static_cast<std::size_t>(index % n);
    index /= n;
    const auto& domain = d_.axis_values[a];
    if (domain.is_range()) {
      slots_[a] = domain.number_at(k);
      range_values_[a] = domain.at(k);
      axis_[a] = &range_values_[a];
    } else {
      slots_[a] = d_.axis_numbers[a][k];
      axis_[a] = &domain.listed()[k];
    }
    picks_[a] = k;
  }
}

bool design_point::excluded(point_result& out) {
  frame f{slots_.data(), axis_.data(), nullptr, &diags_};
  for (const auto& filter : d_.filters) {
    double keep = filter(f);
    if (std::isnan(keep) || keep == 0) {
      out.st = point_result::state::excluded;
      return true;
    }
  }
  return false;
}

void design_point::reset(point_result& out) {
  diags_.clear();
  out.reason.clear();
  out.row.clear();
  out.slacks.assign(d_.requirements.size(), nan);
  out.met.assign(d_.requirements.size(), 0);
  out.objectives.assign(d_.objectives.size(), nan);
  out.key.clear();
}

bool design_point::call_solver(std::uint64_t index, point_result& out, value& result, bool quiet) {
  bind_axes(index);
  if (excluded(out)) return false;
  call_args args(*d_.fn, *d_.reg, d_.source, d_.call_span, diags_);
  args.set_quiet(quiet, &memo_);
  std::optional<value> r;
  if (bind_design_call(args, d_, axis_.data()) && args.finish()) r = d_.fn->invoke(args);
  if (r) {
    if (auto defect = check_result(*d_.fn, *r); !defect.empty()) {
      out.st = point_result::state::rejected;
      out.reason = "internal error (a bug in ironlaw): " + defect;
      return false;
    }
  }
  // A result `print` would refuse (E0220: NaN, infinite, a negative time)
  // is refused here too, so a design axis cannot slip one into a report.
  if (r) {
    if (auto defect = numeric_defect(*r, d_.reg->units()); !defect.empty()) {
      out.st = point_result::state::rejected;
      out.reason = reason_class(defect, d_.fn->name);
      lang::diagnostic why;
      why.code = "E0220";
      why.message = fmt::format("{} returned {}", d_.fn->name, defect);
      diags_.add(std::move(why));
      return false;
    }
  }
  // A configuration that does not fit is evaluated, but its times, rates and
  // costs are not computable (evaluate_full), as `print` refuses them (E0221);
  // the message is for the report (last_message), never read from a quiet call.
  if (r && !quiet && !fits(*r->as_record())) {
    lang::diagnostic why;
    why.code = "E0221";
    why.message = fmt::format("{}: {}: {}", d_.fn->name, does_not_fit_reason, r->as_record()->infeasible);
    diags_.add(std::move(why));
  }
  if (!r) {
    out.st = point_result::state::rejected;
    out.reason = diags_.items().empty() ? "no result" : reason_class(diags_.items().front().message, d_.fn->name);
    return false;
  }
  result = std::move(*r);
  return true;
}

void design_point::evaluate_point(std::uint64_t index, point_result& out, bool want_row, value& result, bool quiet) {
  reset(out);
  if (!call_solver(index, out, result, quiet)) return;
  out.st = point_result::state::evaluated;
  const record* rec = result.as_record();
  std::size_t axes = d_.axis_names.size();
  bool fit = fits(*rec);
  if (!fit) out.reason = does_not_fit_reason;
  for (std::size_t i : d_.used_fields)
    slots_[axes + i] = fit || !refuses_read(*rec, rec->fields[i], false) ? d_.comp->to_number(rec->fields[i].v) : nan;
  judge(out, fit, &result);
  if (want_row && out.feasible()) out.row = csv_row(*rec, out);
}

int design_point::evaluate_typed(std::uint64_t index, point_result& out) {
  reset(out);
  bind_axes(index);
  if (excluded(out)) return typed_solver::computed;
  bool fits_memory = true;
  int outcome = d_.typed->eval({slots_.data(), picks_.data(), typed_scratch_.get()}, typed_fields_.data(), fits_memory);
  if (outcome > 0) {
    auto k = static_cast<std::size_t>(outcome);
    if (k >= refusals_.size() || !refusals_[k]) return outcome;
    out.st = point_result::state::rejected;
    out.reason = *refusals_[k];
    return typed_solver::computed;
  }
  if (outcome != typed_solver::computed) return typed_solver::declined;
  for (std::size_t i = 0; i < typed_fields_.size(); ++i)
    if (d_.checked[i] && !(std::isfinite(typed_fields_[i]) && typed_fields_[i] >= 0)) return typed_solver::declined;
  out.st = point_result::state::evaluated;
  bool fit = fits_memory || d_.typed->hypothetical_allowed;
  if (!fit) out.reason = does_not_fit_reason;
  std::size_t axes = d_.axis_names.size();
  for (std::size_t i : d_.used_fields) {
    double x = typed_fields_[i];
    if (!d_.word_ids[i].empty()) x = x >= 0 && x < static_cast<double>(d_.word_ids[i].size()) ? d_.word_ids[i][static_cast<std::size_t>(x)] : nan;
    slots_[axes + i] = fit || !d_.fit_only[i] ? x : nan;
  }
  judge(out, fit, nullptr);
  return typed_solver::computed;
}

void design_point::judge(point_result& out, bool fit, const value* result) {
  frame f{slots_.data(), axis_.data(), result, &diags_};
  for (std::size_t i = 0; i < d_.requirements.size(); ++i) {
    bool met = false;
    d_.requirements[i](f, out.slacks[i], met);
    out.met[i] = met ? 1 : 0;
  }
  for (std::size_t i = 0; i < d_.objectives.size(); ++i) {
    out.objectives[i] = d_.objectives[i](f);
    // An objective that is not a finite number cannot be ranked: the point is
    // refused with the reason, never dropped or tied silently.
    if (!std::isfinite(out.objectives[i]) && fit) {
      out.st = point_result::state::rejected;
      out.reason = fmt::format("objective {} is {} here", d_.objective_texts[i],
                               std::isnan(out.objectives[i]) ? "not a number (0/0 or the like)" : "infinite");
      return;
    }
  }
  if (!d_.objectives.empty()) out.key = out.objectives;
  else if (d_.key_slot != std::string::npos) out.key.push_back(slots_[d_.key_slot]);
}

namespace {

bool same_numbers(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

}  // namespace

typed_check_counts::~typed_check_counts() {
  std::fprintf(stderr, "ironlaw: IRONLAW_SEARCH_PATH=check: %s: %llu points agreed, %llu declined\n", solver.c_str(),
               static_cast<unsigned long long>(agreed.load()), static_cast<unsigned long long>(declined.load()));
}

void design_point::evaluate_checked(std::uint64_t index, point_result& out) {
  value result;
  evaluate_point(index, out, false, result, true);
  point_result typed;
  int outcome = evaluate_typed(index, typed);
  if (outcome > 0) {  // a refusal class not learnt yet: learnt now, then compared
    learn(outcome, out);
    outcome = evaluate_typed(index, typed);
  }
  if (outcome != typed_solver::computed) {  // declined: the generic outcome stands
    ++d_.check_counts->declined;
    return;
  }
  if (typed.st == out.st && typed.reason == out.reason && same_numbers(typed.slacks, out.slacks) &&
      typed.met == out.met && same_numbers(typed.objectives, out.objectives) && same_numbers(typed.key, out.key)) {
    ++d_.check_counts->agreed;
    return;
  }
  auto numbers = [](const std::vector<double>& v) { return fmt::format("{}", fmt::join(v, ", ")); };
  std::fprintf(stderr,
               "ironlaw: IRONLAW_SEARCH_PATH=check: %s's typed path differs from its generic call at point %llu:\n"
               "  generic: state %d, reason '%s', slacks [%s], objectives [%s]\n"
               "  typed:   state %d, reason '%s', slacks [%s], objectives [%s]\n",
               d_.fn->name.c_str(), static_cast<unsigned long long>(index), static_cast<int>(out.st), out.reason.c_str(),
               numbers(out.slacks).c_str(), numbers(out.objectives).c_str(), static_cast<int>(typed.st),
               typed.reason.c_str(), numbers(typed.slacks).c_str(), numbers(typed.objectives).c_str());
  std::abort();
}

std::string design_point::csv_row(const record& rec, const point_result& out) const {
  std::string line;
  std::size_t col = 0;
  auto cell = [&](const value& v) {
    const auto& [factor, numeric] = d_.csv_units[col++];
    const auto* q = v.as_quantity();
    std::string text = numeric && q ? fmt::format("{:.6g}", q->si / factor) : format_value(v, d_.reg->units());
    if (text.find_first_of(",\"") != std::string::npos) text = "\"" + text + "\"";
    line += (line.empty() ? "" : ",") + text;
  };
  for (const auto* a : axis_) cell(*a);
  for (const auto& fl : rec.fields)
    if (col < d_.csv_units.size()) cell(fl.v);
  std::size_t binding = binding_requirement(out);
  line += "," + (binding == std::string::npos ? std::string() : "\"" + d_.requirement_texts[binding] + "\"");
  return line + "\n";
}

}  // namespace ironlaw::runtime::search
