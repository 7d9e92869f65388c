// `ironlaw run` on a design: check it, compile its filters, requirements and
// objectives, search the space (runtime/search/engine), and report. See
// docs/search.md for the semantics.
#include "design.hpp"

#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <set>

#include "../interp/evaluator.hpp"
#include "../io/file_io.hpp"
#include "../report/report.hpp"
#include "compile.hpp"
#include "engine.hpp"
#include "ironlaw/lang/print.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"

namespace ironlaw::runtime {

namespace search {

bool part_of_design(const lang::program& program, const lang::stmt& st) {
  if (std::holds_alternative<lang::report_stmt>(st.node)) return true;
  const auto* r = std::get_if<lang::require_stmt>(&st.node);
  if (!r) return false;
  for (const auto& other : program.statements)
    if (const auto* d = std::get_if<lang::design_stmt>(&other.node); d && mentions(*r->condition, d->name)) return true;
  return false;
}

namespace {

using lang::span;

// The space's size times one more axis; `overflow` once it no longer fits in
// 64 bits (and from then on).
void grow_space(std::uint64_t& space, bool& overflow, std::size_t axis) {
  if (overflow || space > std::numeric_limits<std::uint64_t>::max() / axis) overflow = true;
  else space *= axis;
}
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct fixed_arg {
  std::optional<std::string> name;
  span name_span;
  value v;
  span where;
};

// A design compiled for the loop: everything a point needs, shared read-only by the threads.
struct compiled_design {
  const builtin* fn = nullptr;
  const registry* reg = nullptr;
  lang::source_ptr source;
  span call_span;
  std::vector<fixed_arg> fixed;
  std::vector<std::string> axis_names;
  std::vector<span> axis_spans;
  std::vector<std::vector<value>> axis_values;
  std::vector<std::vector<double>> axis_numbers;
  std::vector<number_fn> filters;
  std::vector<slack_fn> requirements;
  std::vector<number_fn> objectives;  // minimized (maximized ones negated)
  std::size_t key_slot = std::string::npos;
  std::vector<std::size_t> used_fields;  // result fields the compiled code reads
  std::size_t field_count = 0;
  const compiler* comp = nullptr;
  // The full-CSV row: every axis and result field, in fixed units.
  std::vector<std::pair<double, bool>> csv_units;  // factor, numeric
  std::vector<std::string> requirement_texts;
  std::vector<std::string> objective_texts;
};

// What a refusal says without its particulars, so refusals group into a few
// lines: "serving_fleet: one replica (1 x A100_80GB at batch 8, fp16) is not
// feasible: needs 145 GB of 77.3 GB" -> "one replica is not feasible";
// "context must be at most 8192 tokens, got 9216" -> "... at most N tokens, got N".
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

class design_point final : public point_evaluator {
 public:
  explicit design_point(const compiled_design& d)
      : d_(d), slots_(d.axis_names.size() + d.field_count, nan), axis_(d.axis_names.size(), nullptr) {}

  void evaluate(std::uint64_t index, point_result& out, bool want_row) override {
    value result;
    evaluate_full(index, out, want_row, result);
  }

  // As evaluate, keeping the solver's record (for the rows a report shows).
  void evaluate_full(std::uint64_t index, point_result& out, bool want_row, value& result) {
    diags_.clear();
    out.reason.clear();
    out.row.clear();
    out.slacks.assign(d_.requirements.size(), nan);
    out.met.assign(d_.requirements.size(), 0);
    out.objectives.assign(d_.objectives.size(), nan);
    out.key.clear();
    std::size_t axes = d_.axis_names.size();
    for (std::size_t a = axes; a-- > 0;) {
      std::size_t n = d_.axis_values[a].size();
      std::size_t k = static_cast<std::size_t>(index % n);
      index /= n;
      slots_[a] = d_.axis_numbers[a][k];
      axis_[a] = &d_.axis_values[a][k];
    }
    frame f{slots_.data(), axis_.data(), nullptr, &diags_};
    for (const auto& filter : d_.filters) {
      double keep = filter(f);
      if (std::isnan(keep) || keep == 0) {
        out.st = point_result::state::excluded;
        return;
      }
    }
    call_args args(*d_.fn, *d_.reg, d_.source, d_.call_span, diags_);
    bool ok = true;
    std::size_t position = 0;
    for (const auto& a : d_.fixed)
      ok = (a.name ? args.bind_named(*a.name, a.name_span, a.v, a.where) : args.bind_positional(position++, a.v, a.where)) && ok;
    for (std::size_t a = 0; a < axes; ++a) ok = args.bind_named(d_.axis_names[a], d_.axis_spans[a], *axis_[a], d_.axis_spans[a]) && ok;
    std::optional<value> r;
    if (ok && args.finish()) r = d_.fn->invoke(args);
    if (r) {
      if (auto defect = check_result(*d_.fn, *r); !defect.empty()) {
        out.st = point_result::state::rejected;
        out.reason = "internal error (a bug in ironlaw): " + defect;
        return;
      }
    }
    if (!r) {
      out.st = point_result::state::rejected;
      out.reason = diags_.items().empty() ? "no result" : reason_class(diags_.items().front().message, d_.fn->name);
      return;
    }
    result = std::move(*r);
    out.st = point_result::state::evaluated;
    const record* rec = result.as_record();
    for (std::size_t i : d_.used_fields) slots_[axes + i] = d_.comp->to_number(rec->fields[i].v);
    f.result = &result;
    for (std::size_t i = 0; i < d_.requirements.size(); ++i) {
      bool met = false;
      d_.requirements[i](f, out.slacks[i], met);
      out.met[i] = met ? 1 : 0;
    }
    for (std::size_t i = 0; i < d_.objectives.size(); ++i) {
      out.objectives[i] = d_.objectives[i](f);
      // An objective that is not a finite number cannot be ranked: the point is
      // refused with the reason, never dropped or tied silently.
      if (!std::isfinite(out.objectives[i])) {
        out.st = point_result::state::rejected;
        out.reason = fmt::format("objective {} is {} here", d_.objective_texts[i],
                                 std::isnan(out.objectives[i]) ? "not a number (0/0 or the like)" : "infinite");
        return;
      }
    }
    if (!d_.objectives.empty()) out.key = out.objectives;
    else if (d_.key_slot != std::string::npos) out.key.push_back(slots_[d_.key_slot]);
    if (want_row && out.feasible()) out.row = csv_row(*rec, out);
  }

 private:
  std::string csv_row(const record& rec, const point_result& out) const {
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
    std::size_t binding = std::string::npos;
    for (std::size_t i = 0; i < out.slacks.size(); ++i)
      if (std::isfinite(out.slacks[i]) && (binding == std::string::npos || out.slacks[i] < out.slacks[binding])) binding = i;
    line += "," + (binding == std::string::npos ? std::string() : "\"" + d_.requirement_texts[binding] + "\"");
    return line + "\n";
  }



 public:
  // The solver's message for the last point it refused.
  [[nodiscard]] std::string last_message() const {
    return diags_.items().empty() ? std::string() : diags_.items().front().message;
  }

 private:
  const compiled_design& d_;
  std::vector<double> slots_;
  std::vector<const value*> axis_;
  lang::diagnostics diags_;
};

// The unit a column prints in: the one the first shown value would print with.
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

std::string percent(double slack) {
  return fmt::format("{}%", format_number(std::abs(slack) * 100));
}

}  // namespace
}  // namespace search

using detail::evaluator;

// A space beyond --max-points is refused before its axis values are checked
// one by one or a representative point is searched for: a million-value axis
// times another costs seconds there, and the answer is no anyway.
bool interpreter::too_large(const lang::design_stmt& d, const lang::source_ptr& source, lang::diagnostics& diags) {
  if (search_.sample > 0) return false;
  lang::diagnostics quiet;  // a bad domain is reported by check_design
  detail::evaluator ev(*reg_, globals_, source, quiet);
  std::uint64_t space = 1;
  bool overflow = false;
  for (const auto& a : d.axes) {
    auto v = ev.eval(*a.domain);
    const auto* items = v ? std::get_if<list_ptr>(&v->v.v) : nullptr;
    if (!items || (*items)->empty()) return false;
    search::grow_space(space, overflow, (*items)->size());
  }
  if (!overflow && space <= search_.max_points) return false;
  auto& diag = diags.error("E0601", source, d.name_span,
                           fmt::format("design '{}' has {} points, more than the limit of {}", d.name,
                                       overflow ? "more than 1.8e19" : report::with_commas(space),
                                       report::with_commas(search_.max_points)));
  diag.help = "narrow an axis, raise the limit with `--max-points N`, or search a random sample with "
              "`--sample N --seed S` (approximate)";
  return true;
}

bool interpreter::run_design(const lang::program& program, const lang::design_stmt& d, std::ostream& out,
                             lang::diagnostics& diags) {
  using namespace search;
  const auto& source = program.source;
  if (too_large(d, source, diags)) {
    // Known, so later statements that read it stay silent rather than unknown.
    designs_[d.name] = d.name_span;
    globals_[d.name] = value{};
    return false;
  }
  if (!check_design(d, source, diags)) return false;
  const record* representative = lookup(d.name)->as_record();

  // The statements that read this design.
  std::vector<const lang::expr*> requires_;
  std::vector<std::pair<const lang::expr*, bool>> objectives;
  std::vector<const lang::report_stmt*> reports;
  for (const auto& st : program.statements) {
    if (const auto* r = std::get_if<lang::require_stmt>(&st.node); r && mentions(*r->condition, d.name))
      requires_.push_back(r->condition.get());
    if (const auto* o = std::get_if<lang::objective_stmt>(&st.node); o && mentions(*o->value, d.name))
      objectives.emplace_back(o->value.get(), o->maximize);
    if (const auto* r = std::get_if<lang::report_stmt>(&st.node); r && r->design == d.name) reports.push_back(r);
  }
  // Checked at the representative point, so a wrong metric is an error at its span.
  bool ok = true;
  std::vector<dim> objective_dims;
  for (const auto* r : requires_) {
    auto v = evaluate(*r, source, diags);
    if (v && !std::holds_alternative<bool>(v->v.v)) {
      diags.error("E0212", source, r->where, fmt::format("a requirement must be true or false, not {}", describe(v->v)))
          .help = "compare a metric with a limit, as in fleet.itl <= 50 ms";
      v.reset();
    }
    ok = v.has_value() && ok;
  }
  for (const auto& [o, maximize] : objectives) {
    auto v = evaluate(*o, source, diags);
    const auto* q = v ? v->v.as_quantity() : nullptr;
    if (v && !q)
      diags.error("E0608", source, o->where,
                  fmt::format("only a number or a quantity can be {}, not {}", maximize ? "maximized" : "minimized",
                              describe(v->v)));
    objective_dims.push_back(q ? q->d : dim{});
    ok = q && ok;
  }
  for (const auto* r : reports) ok = check_report(*r, source, diags) && ok;
  if (!ok) return false;

  compiled_design cd;
  cd.fn = find_builtin(std::get<lang::name_ref>(std::get<lang::call_expr>(d.solver->node).callee->node).name);
  cd.reg = reg_;
  cd.source = source;
  cd.call_span = d.solver->where;
  evaluator ev(*reg_, globals_, source, diags);
  for (const auto& a : std::get<lang::call_expr>(d.solver->node).args) {
    auto v = ev.eval(*a.value);
    if (!v) return false;
    cd.fixed.push_back({a.name, a.name_span, v->v, a.value->where});
  }
  std::uint64_t space = 1;
  bool overflow = false;
  for (const auto& a : d.axes) {
    auto v = ev.eval(*a.domain);
    if (!v) return false;
    const auto& items = *std::get<list_ptr>(v->v.v);
    cd.axis_names.push_back(a.name);
    cd.axis_spans.push_back(a.domain->where);
    cd.axis_values.emplace_back(items.begin(), items.end());
    search::grow_space(space, overflow, items.size());
  }
  // Compile once.
  std::vector<std::string> fields;
  for (const auto& r : cd.fn->results) fields.push_back(r.name);
  cd.field_count = fields.size();
  compiler comp(*reg_, globals_, source, d.name, cd.axis_names, fields);
  for (const auto& values : cd.axis_values) {
    std::vector<double> numbers;
    for (const auto& v : values) numbers.push_back(v.as_quantity() || std::holds_alternative<bool>(v.v) ? comp.to_number(v) : comp.intern(v));
    cd.axis_numbers.push_back(std::move(numbers));
  }
  comp.reading_axes(true);
  for (const auto& f : d.filters) cd.filters.push_back(comp.number(*f));
  comp.reading_axes(false);
  for (const auto* r : requires_) {
    cd.requirements.push_back(comp.requirement(*r));
    cd.requirement_texts.push_back(lang::to_source(*r));
  }
  for (const auto& [o, maximize] : objectives) {
    auto f = comp.number(*o);
    cd.objectives.push_back(maximize ? number_fn([f](const frame& fr) { return -f(fr); }) : f);
    cd.objective_texts.push_back(lang::to_source(*o));
  }

  // What to report: the first report statement, or every axis and the metrics read.
  const lang::report_stmt* rep = reports.empty() ? nullptr : reports.front();
  std::string mode = rep && !rep->mode.empty() ? rep->mode : "pareto";
  std::uint64_t top = 0;
  if (rep && rep->top) {
    auto v = evaluate(*rep->top, source, diags);
    top = static_cast<std::uint64_t>(v->v.as_quantity()->si);
  }
  // `binding` is the report's column (the requirement with the least slack)
  // unless the solver has a field of that name (train's largest step term);
  // `binding_requirement` is the report's column always.
  bool solver_has_binding = representative->find("binding") != nullptr;
  auto requirement_column = [&](const std::string& name) {
    return name == "binding_requirement" || (name == "binding" && !solver_has_binding);
  };
  std::vector<std::string> shown;
  if (rep && !rep->show.empty()) {
    for (const auto& c : rep->show) shown.push_back(c.name);
  } else {
    shown = cd.axis_names;
    auto add_fields = [&](const lang::expr& e) {
      for (const auto& name : fields)
        if (std::find(shown.begin(), shown.end(), name) == shown.end()) {
          // A field the expression reads as `d.name`.
          std::string needle = d.name + "." + name;
          auto text = lang::to_source(e);
          auto at = text.find(needle);
          if (at != std::string::npos &&
              (at + needle.size() == text.size() || !(std::isalnum(static_cast<unsigned char>(text[at + needle.size()])) || text[at + needle.size()] == '_')))
            shown.push_back(name);
        }
    };
    for (const auto& [o, m] : objectives) add_fields(*o);
    for (const auto* r : requires_) add_fields(*r);
    if (!requires_.empty()) shown.push_back(solver_has_binding ? "binding_requirement" : "binding");
  }
  if (objectives.empty())
    for (const auto& s : shown)
      if (!requirement_column(s) && s != "rank") {
        const field* fl = representative->find(s);
        if (fl && fl->v.as_quantity()) cd.key_slot = comp.slot_of(s);
        break;
      }
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (comp.used()[cd.axis_names.size() + i]) cd.used_fields.push_back(i);
  cd.comp = &comp;

  // The full feasible set's CSV: every axis and result field, in the units the
  // representative point prints them.
  std::string csv_header;
  auto csv_column = [&](const std::string& name, const value& v) {
    const auto* q = v.as_quantity();
    auto [unit, factor] = q ? display_unit(*q, reg_->units()) : std::pair<std::string, double>{"", 1};
    cd.csv_units.emplace_back(factor, q != nullptr);
    csv_header += (csv_header.empty() ? "" : ",") + (unit.empty() ? name : fmt::format("{} ({})", name, unit));
  };
  for (std::size_t a = 0; a < cd.axis_names.size(); ++a) csv_column(cd.axis_names[a], cd.axis_values[a].front());
  for (const auto& fl : representative->fields)
    if (cd.csv_units.size() < cd.axis_names.size() + fields.size()) csv_column(fl.name, fl.v);
  csv_header += solver_has_binding ? ",binding_requirement\n" : ",binding\n";

  // Sampling: that many distinct points, uniformly at random, in enumeration order.
  std::vector<std::uint64_t> sample;
  bool sampled = search_.sample > 0 && (overflow || search_.sample < space);
  if (sampled) {
    std::mt19937_64 rng(search_.seed);
    std::uniform_int_distribution<std::uint64_t> pick(0, (overflow ? std::numeric_limits<std::uint64_t>::max() : space) - 1);
    std::set<std::uint64_t> chosen;
    while (chosen.size() < search_.sample) chosen.insert(pick(rng));
    sample.assign(chosen.begin(), chosen.end());
  }

  engine_config config;
  config.positions = sampled ? sample.size() : space;
  config.sample = sampled ? &sample : nullptr;
  config.requirements = cd.requirements.size();
  std::size_t depth = mode == "pareto" ? static_cast<std::size_t>(top ? top : 1) : static_cast<std::size_t>(top);
  config.depth = depth;
  // Without objectives every feasible design is a row; without `top`, the
  // first 1,000 in shown order (the CSV of --out has every one).
  constexpr std::size_t listed = 1000;
  config.keep = objectives.empty() ? (top ? depth : listed) : 0;
  config.track_relax = !objectives.empty() && !requires_.empty();
  config.threads = search_.threads ? search_.threads : default_threads();
  config.make_evaluator = [&cd] { return std::make_unique<design_point>(cd); };
  // --out DIR (runtime/io/file_io.hpp): every file checked before the search, each
  // written to a temporary and renamed over its name only when complete.
  files::output_dir out_dir;
  files::atomic_file csv_file;
  const std::set<std::string> out_names = {d.name + ".csv", d.name + ".txt", d.name + ".json", d.name + ".svg"};
  auto out_failed = [&](const files::problem& p) {
    diags.error(p.code, source, d.name_span, p.message).help = p.help;
    globals_[d.name] = value{};  // as after E0601: later reads stay silent, not the representative point
    return false;
  };
  if (!search_.out_dir.empty()) {
    if (auto p = out_dir.open(search_.out_dir, search_.force)) return out_failed(*p);
    for (const auto& name : out_names)
      if (auto p = out_dir.may_write(name)) return out_failed(*p);
    if (auto p = out_dir.record(out_names)) return out_failed(*p);
    if (auto p = csv_file.open(out_dir.path_of(d.name + ".csv"), files::existing::replace)) return out_failed(*p);
    csv_file.stream() << csv_header;
    config.rows = &csv_file.stream();
  }
  auto started = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  if (search_.progress)
    config.progress = [&](std::uint64_t done, std::uint64_t total) { search_.progress(d.name, done, total, seconds()); };
  tally t = run_search(config);
  double elapsed = seconds();
  if (search_.progress) search_.progress(d.name, config.positions, config.positions, -1);  // done: clear the line

  // The report.
  report::design_report rep_out;
  rep_out.design = d.name;
  rep_out.solver = cd.fn->name;
  rep_out.title = title_;
  for (std::size_t a = 0; a < cd.axis_names.size(); ++a) rep_out.axes.emplace_back(cd.axis_names[a], cd.axis_values[a].size());
  rep_out.space = overflow ? std::numeric_limits<std::uint64_t>::max() : space;
  rep_out.visited = t.points;
  rep_out.excluded = t.excluded;
  rep_out.rejected = t.rejected;
  rep_out.evaluated = t.evaluated;
  rep_out.feasible = t.feasible;
  rep_out.sampled = sampled;
  rep_out.seed = search_.seed;
  rep_out.mode = mode;
  rep_out.top = objectives.empty() && !top && t.feasible > listed ? listed : top;
  rep_out.requirements = cd.requirement_texts;
  rep_out.failed = t.failed;
  rep_out.seconds = elapsed;
  rep_out.threads = config.threads;
  for (const auto& [o, maximize] : objectives) rep_out.objectives.push_back({lang::to_source(*o), maximize});
  std::vector<std::pair<std::string, reason_count>> reasons(t.reasons.begin(), t.reasons.end());
  std::sort(reasons.begin(), reasons.end(), [](const auto& a, const auto& b) {
    return a.second.count != b.second.count ? a.second.count > b.second.count : a.second.first < b.second.first;
  });
  for (const auto& [reason, c] : reasons) {
    // The first refused point's whole message, as the example.
    design_point first(cd);
    point_result pr;
    value ignored;
    first.evaluate_full(c.first, pr, false, ignored);
    std::string example = first.last_message();
    if (example.starts_with(cd.fn->name + ": ")) example.erase(0, cd.fn->name.size() + 2);
    rep_out.rejections.push_back({c.count, fmt::format("rejected by {}: {}", cd.fn->name, reason),
                                  example == reason ? std::string() : example});
  }
  if (!objectives.empty()) {
    std::string order = "rank";
    for (const auto& o : rep_out.objectives) order += fmt::format(", then {} ({})", o.text, o.maximize ? "highest first" : "lowest first");
    rep_out.order = order + ", then enumeration order";
  } else {
    rep_out.order = cd.key_slot != std::string::npos ? fmt::format("{} (lowest first), then enumeration order", shown.front())
                                                     : "enumeration order";
  }

  design_point point(cd);
  const auto& units = reg_->units();
  auto design_record = [&](const value& result, std::uint64_t index) {
    auto rec = std::make_shared<record>(*result.as_record());
    rec->kind = "design";
    rec->name = d.name;
    std::uint64_t rest = index;
    std::vector<const value*> values(cd.axis_names.size());
    for (std::size_t a = cd.axis_names.size(); a-- > 0;) {
      values[a] = &cd.axis_values[a][rest % cd.axis_values[a].size()];
      rest /= cd.axis_values[a].size();
    }
    for (std::size_t a = 0; a < cd.axis_names.size(); ++a)
      if (!rec->find(cd.axis_names[a])) rec->fields.push_back(field{cd.axis_names[a], *values[a], "a design axis", {}});
    return rec;
  };
  auto label = [&](const record& rec) {
    std::string text;
    for (const auto& a : cd.axis_names) text += (text.empty() ? "" : ", ") + a + " " + format_value(rec.find(a)->v, units);
    return text;
  };
  auto binding_of = [](const point_result& r) {
    std::size_t b = std::string::npos;
    for (std::size_t i = 0; i < r.slacks.size(); ++i)
      if (std::isfinite(r.slacks[i]) && (b == std::string::npos || r.slacks[i] < r.slacks[b])) b = i;
    return b;
  };
  // The varying side of a comparison, evaluated at a point: what the design reaches.
  auto reached = [&](std::size_t req, const record_ptr& rec) -> std::string {
    const auto* b = std::get_if<lang::binary_expr>(&requires_[req]->node);
    if (!b) return {};
    const auto& side = mentions(*b->lhs, d.name) ? *b->lhs : *b->rhs;
    evaluator::scope locals{{d.name, value{rec}}};
    lang::diagnostics quiet;
    evaluator e(*reg_, globals_, source, quiet, &locals);
    auto v = e.eval_value(side);
    if (!v) return {};
    const auto* q = v->v.as_quantity();
    return fmt::format("{} = {}", lang::to_source(side),
                       v->shown_in && q ? unit_table::format_in(*q, *v->shown_in, v->shown_in_text) : format_value(v->v, units));
  };

  // Rows: the ranked feasible designs, then (for `all`) the closest misses.
  auto ranked = t.front.ranked();
  std::size_t limit = top ? static_cast<std::size_t>(top) : ranked.size();
  if (mode == "pareto" && !top && !objectives.empty())
    limit = static_cast<std::size_t>(std::count_if(ranked.begin(), ranked.end(), [](const entry& e) { return e.rank == 1; }));
  if (ranked.size() > limit) ranked.resize(limit);
  std::vector<std::pair<std::uint64_t, std::size_t>> shown_points;
  for (const auto& e : ranked) shown_points.emplace_back(e.index, e.rank);
  if (mode == "all")
    for (const auto& m : t.closest)
      if (!top || shown_points.size() < top) shown_points.emplace_back(m.index, 0);

  std::vector<std::pair<std::string, double>> column_units(shown.size(), {"", 1});
  std::vector<std::pair<std::string, double>> objective_units(objectives.size(), {"", 1});
  std::vector<record_ptr> shown_records;
  std::vector<point_result> shown_results;
  for (const auto& [index, rank] : shown_points) {
    point_result r;
    value result;
    point.evaluate_full(index, r, false, result);
    shown_records.push_back(design_record(result, index));
    shown_results.push_back(std::move(r));
  }
  for (std::size_t c = 0; c < shown.size(); ++c) {
    rep_out.columns.push_back({shown[c], "", false});
    if (shown_records.empty() || requirement_column(shown[c]) || shown[c] == "rank") continue;
    // The unit of the first non-zero value shown: a first row of 0 ns must
    // not put a column of seconds in nanoseconds.
    const quantity* q = nullptr;
    for (const auto& rec : shown_records) {
      const auto* fl = rec->find(shown[c]);
      const auto* v = fl ? fl->v.as_quantity() : nullptr;
      if (!v || !std::isfinite(v->si)) continue;
      if (!q || q->si == 0) q = v;
    }
    if (!q) continue;
    column_units[c] = display_unit(*q, units);
    rep_out.columns[c].unit = column_units[c].first;
    rep_out.columns[c].numeric = true;
  }
  for (std::size_t o = 0; o < objectives.size(); ++o) {
    double best = ranked.empty() ? 1 : (objectives[o].second ? -ranked.front().objectives[o] : ranked.front().objectives[o]);
    objective_units[o] = display_unit(quantity{best, objective_dims[o]}, units);
    rep_out.objective_units.push_back(objective_units[o].first);
  }
  auto objective_values = [&](const std::vector<double>& minimized) {
    std::vector<double> v;
    for (std::size_t o = 0; o < minimized.size() && o < objectives.size(); ++o)
      v.push_back((objectives[o].second ? -minimized[o] : minimized[o]) / objective_units[o].second);
    return v;
  };
  for (std::size_t i = 0; i < shown_points.size(); ++i) {
    report::row row;
    row.index = shown_points[i].first;
    row.rank = shown_points[i].second;
    const auto& rec = *shown_records[i];
    const auto& r = shown_results[i];
    for (std::size_t c = 0; c < shown.size(); ++c) {
      if (requirement_column(shown[c])) {
        auto b = binding_of(r);
        row.cells.push_back(b == std::string::npos ? "-"
                                                   : fmt::format("{} ({} {})", cd.requirement_texts[b], r.slacks[b] < 0 ? "missed by" : "slack", percent(r.slacks[b])));
        row.numbers.push_back(nan);
        continue;
      }
      if (shown[c] == "rank") {
        row.cells.push_back(row.rank ? std::to_string(row.rank) : "-");
        row.numbers.push_back(static_cast<double>(row.rank));
        continue;
      }
      const auto* fl = rec.find(shown[c]);
      const auto* q = fl ? fl->v.as_quantity() : nullptr;
      if (q && rep_out.columns[c].numeric && q->d != dim{} ) {
        double x = q->si / column_units[c].second;
        row.cells.push_back(report::readable_number(x));
        row.numbers.push_back(x);
      } else if (q) {
        row.cells.push_back(units.format(*q));
        row.numbers.push_back(q->si);
      } else {
        row.cells.push_back(fl ? format_value(fl->v, units) : "-");
        row.numbers.push_back(nan);
      }
    }
    row.objectives = objective_values(r.objectives);
    rep_out.rows.push_back(std::move(row));
  }
  for (const auto& e : t.front.ranked()) rep_out.cloud.emplace_back(e.rank, objective_values(e.objectives));

  // The best design's binding constraint, and what relaxing it would admit.
  if (!ranked.empty() && !requires_.empty()) {
    const auto& r = shown_results.front();
    auto b = binding_of(r);
    rep_out.best.push_back(fmt::format("best: {}", label(*shown_records.front())));
    if (b == std::string::npos) {
      rep_out.best.push_back("  no requirement has a measurable slack (none is a comparison)");
    } else {
      auto at = reached(b, shown_records.front());
      rep_out.best.push_back(fmt::format("  binding: {} (slack {}{})", cd.requirement_texts[b], percent(r.slacks[b]),
                                         at.empty() ? "" : ", " + at));
      if (config.track_relax) {
        const auto& best_obj = ranked.front().objectives;
        const entry* pick = nullptr;
        const auto relaxed = t.relax[b].ranked();  // kept alive: `pick` points into it
        for (const auto& e : relaxed) {
          std::vector<double> obj(e.objectives.begin(), e.objectives.end() - 1);
          if (!dominates(obj, best_obj)) continue;
          if (!pick || e.objectives.back() < pick->objectives.back() ||
              (e.objectives.back() == pick->objectives.back() && e.index < pick->index))
            pick = &e;
        }
        if (!pick) {
          rep_out.best.push_back("  relaxing it alone admits no design better in every objective");
        } else {
          point_result pr;
          value result;
          point.evaluate_full(pick->index, pr, false, result);
          auto rec = design_record(result, pick->index);
          auto gain = objective_values(std::vector<double>(pick->objectives.begin(), pick->objectives.end() - 1));
          std::string what;
          for (std::size_t o = 0; o < gain.size(); ++o)
            what += fmt::format("{}{} {}{}", what.empty() ? "" : ", ", rep_out.objectives[o].text, format_number(gain[o]),
                                objective_units[o].first.empty() ? "" : " " + objective_units[o].first);
          auto needs = reached(b, rec);
          rep_out.best.push_back(fmt::format("  relaxing it by {}{} would admit {} ({})", percent(pick->objectives.back()),
                                             needs.empty() ? "" : " (to " + needs + ")", label(*rec), what));
        }
      }
    }
  }
  if (t.feasible == 0) {
    for (const auto& m : t.closest) {
      point_result pr;
      value result;
      point.evaluate_full(m.index, pr, false, result);
      auto rec = design_record(result, m.index);
      std::size_t failing = static_cast<std::size_t>(std::count(pr.met.begin(), pr.met.end(), 0));
      auto at = reached(m.requirement, rec);
      rep_out.closest.push_back(fmt::format("{}: misses {} by {}{}{}", label(*rec), cd.requirement_texts[m.requirement],
                                            percent(m.worst), at.empty() ? "" : " (" + at + ")",
                                            failing > 1 ? fmt::format("; fails {} requirements", failing) : ""));
    }
  }

  const auto& f = search_.format;
  out << (f == "csv" ? report::to_csv(rep_out) : f == "json" ? report::to_json(rep_out) : f == "md" ? report::to_markdown(rep_out) : report::to_table(rep_out));
  if (!search_.out_dir.empty()) {
    if (auto p = csv_file.commit()) return out_failed(*p);
    auto write = [&](const std::string& ext, const std::string& text) {
      auto p = files::write_atomic(out_dir.path_of(d.name + ext), text, files::existing::replace);
      return !p || out_failed(*p);
    };
    if (!write(".txt", report::to_table(rep_out)) || !write(".json", report::to_json(rep_out)) ||
        !write(".svg", report::to_svg(rep_out)))
      return false;
  }
  // After the search the design reads as its best design.
  if (!shown_records.empty() && shown_points.front().second > 0) globals_[d.name] = value{record_ptr(shown_records.front())};
  return true;
}

}  // namespace ironlaw::runtime
