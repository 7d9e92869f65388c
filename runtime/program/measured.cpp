// `measured EXPR = VALUE` in a running scenario: both sides evaluated with the
// registry defaults and checked against each other (E1301-E1303); the
// measurement attributed to an efficiency and added to the session; from the
// next statement on, calls that do not pass that efficiency use the median the
// measurements imply, and their notes say so. `run` prints one line per
// measurement: its residual and what it changes.
#include <fmt/format.h>

#include <cmath>
#include <ostream>

#include "../interp/evaluator.hpp"
#include "../validate/validation.hpp"
#include "../calibrate/calibration.hpp"
#include "../report/run_document.hpp"
#include "ironlaw/lang/print.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"

namespace ironlaw::runtime {
namespace {

lang::diagnostic& error(lang::diagnostics& diags, const lang::source_ptr& source, std::string code, lang::span at,
                        std::string message, std::string help) {
  auto& d = diags.error(std::move(code), source, at, std::move(message));
  d.help = std::move(help);
  return d;
}

// The unit the measurement is written in (`6.1 ms`, `x in GB/s`), to print the prediction in.
std::optional<std::pair<unit_value, std::string>> written_unit(const lang::expr& e, const evaluated& v,
                                                                const unit_table& units) {
  if (v.shown_in) return std::pair{*v.shown_in, v.shown_in_text};
  const auto* n = std::get_if<lang::number_literal>(&e.node);
  if (!n || n->unit.empty()) return std::nullopt;
  auto parsed = units.parse(n->unit);
  if (const auto* u = std::get_if<unit_value>(&parsed)) return std::pair{*u, n->unit};
  return std::nullopt;
}

}  // namespace

bool interpreter::run_measured(const lang::measured_stmt& m, const lang::source_ptr& source, std::ostream& out,
                               lang::diagnostics& diags) {
  if (!calibration_allowed_) {
    error(diags, source, "E1305", lang::join(m.predicted->where, m.measured->where),
          "`measured` statements are not allowed here: they would change the efficiencies answers are checked with",
          "a submission is graded with the registry's defaults; remove the statement")
        .primary_label = "not in a graded submission";
    return false;
  }
  // With the registry defaults: one measurement does not move another's prediction.
  auto eval_with = [&](const registry& against, const lang::expr& e, lang::diagnostics& d) {
    detail::evaluator ev(against, globals_, source, d);
    return ev.eval_value(e);
  };
  auto predicted = eval_with(*defaults_, *m.predicted, diags);
  auto measured = eval_with(*defaults_, *m.measured, diags);
  if (!predicted || !measured) return false;
  const quantity* p = predicted->v.as_quantity();
  const quantity* v = measured->v.as_quantity();
  std::string text = lang::to_source(*m.predicted);
  if (!p) {
    error(diags, source, "E1302", m.predicted->where,
          fmt::format("only a number or a quantity can be measured, and {} is {}", text, describe(predicted->v)),
          "read one field of the solver's result, as in decode(Llama3_8B, H100_SXM).itl")
        .primary_label = "not a quantity";
    return false;
  }
  if (!v) {
    error(diags, source, "E1303", m.measured->where,
          fmt::format("a measured value must be a positive quantity, not {}", describe(measured->v)),
          fmt::format("write the measurement with its unit, as in {}", reg_->units().format(*p)));
    return false;
  }
  if (p->d != v->d) {
    auto& d = error(diags, source, "E1301", m.measured->where,
                    fmt::format("the measured value is {}, but {} is {}", describe(v->d), text, describe(p->d)),
                    fmt::format("write the measurement in a unit of {}, as the prediction {} is", describe(p->d),
                                reg_->units().format(*p)));
    d.primary_label = describe(v->d);
    d.secondary.push_back({m.predicted->where, describe(p->d)});
    return false;
  }
  if (!(v->si > 0) || !std::isfinite(v->si)) {
    error(diags, source, "E1303", m.measured->where,
          fmt::format("a measured value must be positive, not {}", lang::to_source(*m.measured)),
          "a time, a rate or a size measured is above zero")
        .primary_label = "not positive";
    return false;
  }

  calibrate::measurement c;
  c.file = source->name();
  c.line = source->position(m.predicted->where.begin).line;
  c.text = text;
  c.predicted = *p;
  c.measured = *v;
  c.error_percent = (p->si - v->si) / v->si * 100;
  c.measured_text = lang::to_source(*m.measured);
  const auto& units = defaults_->units();
  auto unit = written_unit(*m.measured, *measured, units);
  c.predicted_text = unit ? unit_table::format_in(*p, unit->first, unit->second) : units.format(*p);
  if (const auto* f = validate::first_field(*m.predicted)) {
    lang::diagnostics ignored;  // the whole expression evaluated already
    auto object = eval_with(*defaults_, *f->object, ignored);
    if (const record* r = object ? object->v.as_record() : nullptr)
      for (std::string_view name : {"bottleneck", "binding"})
        if (const auto* field = r->find(name))
          if (const auto* s = field->v.as_symbol()) {
            c.bottleneck = s->name;
            break;
          }
  }
  calibrate::attribute(
      c,
      [&](const registry& against) -> std::optional<quantity> {
        lang::diagnostics ignored;
        auto r = eval_with(against, *m.predicted, ignored);
        const quantity* q = r ? r->v.as_quantity() : nullptr;
        return q ? std::optional<quantity>(*q) : std::nullopt;
      },
      *defaults_);

  if (!calibration_) calibration_ = std::make_shared<calibrate::session>();
  calibration_->add(std::move(c));
  calibrated_ = std::make_shared<const registry>(calibration_->calibrated(*defaults_));
  reg_ = calibrated_.get();
  const auto& added = calibration_->measurements().back();
  auto line = calibrate::run_line(added, *calibration_, *defaults_);
  if (document_)
    document_->measured({added.file, added.line}, added.text, added.predicted, added.measured, added.error_percent, line);
  else out << line << "\n";
  return true;
}

}  // namespace ironlaw::runtime
