// Predicting each case: its expression and its reported value are parsed
// where they are written in the TOML file, so the language's own diagnostics
// (unknown name, bad argument) point at the right line and column.
#include <fmt/format.h>

#include <cmath>

#include "ironlaw/lang/parse.hpp"
#include "../interp/evaluator.hpp"
#include "validation.hpp"

namespace ironlaw::runtime::validate {
namespace {

// Parses the text at `t.at` in `file`: the parser reads a copy of the file in
// which everything else is blank, so spans are offsets into the real file.
lang::expr_ptr parse_in_place(const lang::source_ptr& file, const located_text& t, lang::diagnostics& diags) {
  std::string shadow = file->text();
  for (std::size_t i = 0; i < shadow.size(); ++i)
    if ((i < t.at.begin || i >= t.at.end) && shadow[i] != '\n') shadow[i] = ' ';
  auto copy = std::make_shared<const lang::source_file>(file->name(), std::move(shadow));
  lang::diagnostics local;
  lang::expr_ptr e;
  auto status = lang::parse_expression(copy, e, local);
  for (auto d : local.items()) {
    d.source = file;  // show the real line, not the blanked copy
    diags.add(std::move(d));
  }
  return status.ok ? std::move(e) : nullptr;
}

void error(lang::diagnostics& diags, const lang::source_ptr& file, lang::span at, std::string message,
           std::string label, std::string help) {
  lang::diagnostic d;
  d.code = "E1206";
  d.message = std::move(message);
  d.source = file;
  d.primary = at;
  d.primary_label = std::move(label);
  d.help = std::move(help);
  diags.add(std::move(d));
}

// `4.8 ms`: the reported value's unit, to print the prediction in.
std::string unit_text(const lang::expr& e) {
  if (const auto* n = std::get_if<lang::number_literal>(&e.node)) return n->unit;
  return {};
}

}  // namespace

// The first solver field the expression reads (`256 sample / roofline(...).time`
// reads `.time`): operands of arithmetic are searched left to right.
const lang::field_expr* first_field(const lang::expr& e) {
  if (const auto* f = std::get_if<lang::field_expr>(&e.node)) return f;
  if (const auto* b = std::get_if<lang::binary_expr>(&e.node)) {
    const auto* left = first_field(*b->lhs);
    return left ? left : first_field(*b->rhs);
  }
  if (const auto* u = std::get_if<lang::unary_expr>(&e.node)) return first_field(*u->operand);
  if (const auto* c = std::get_if<lang::convert_expr>(&e.node)) return first_field(*c->value);
  return nullptr;
}

namespace {

// One expression in an empty scope: a case reads only the registry and the solvers.
std::optional<evaluated> evaluate_alone(const lang::expr& e, const registry& reg, const lang::source_ptr& file,
                                        lang::diagnostics& diags) {
  const detail::evaluator::scope no_names;
  detail::evaluator ev(reg, no_names, file, diags);
  return ev.eval_value(e);
}

// What the solver says binds: the `bottleneck` (or `binding`) field of the
// record the expression reads its field from.
std::string predicted_bottleneck(const lang::expr& e, const registry& reg, const lang::source_ptr& file) {
  const auto* f = first_field(e);
  if (!f) return {};
  lang::diagnostics ignored;  // the whole expression already evaluated without errors
  auto object = evaluate_alone(*f->object, reg, file, ignored);
  const record* r = object ? object->v.as_record() : nullptr;
  if (!r) return {};
  for (std::string_view name : {"bottleneck", "binding"})
    if (const auto* field = r->find(name))
      if (const auto* s = field->v.as_symbol()) return s->name;
  return {};
}

}  // namespace

std::optional<quantity> predict(const validation_case& c, const registry& reg, lang::diagnostics& diags,
                                std::string* bottleneck) {
  auto e = parse_in_place(c.file, c.expression, diags);
  if (!e) return std::nullopt;
  auto v = evaluate_alone(*e, reg, c.file, diags);
  if (!v) return std::nullopt;
  const auto* q = v->v.as_quantity();
  if (!q) {
    error(diags, c.file, c.expression.at, fmt::format("the prediction of case '{}' is {}, not a number", c.id, describe(v->v)),
          "not a quantity", "read one field of the solver's result, as in decode(...).itl");
    return std::nullopt;
  }
  if (bottleneck) *bottleneck = predicted_bottleneck(*e, reg, c.file);
  return *q;
}

std::vector<outcome> evaluate(const validation_set& set, const registry& reg, lang::diagnostics& diags) {
  std::vector<outcome> out;
  for (const auto& c : set.cases) {
    outcome o;
    o.c = &c;
    auto reported_expr = parse_in_place(c.file, c.reported, diags);
    std::optional<evaluated> reported;
    if (reported_expr) reported = evaluate_alone(*reported_expr, reg, c.file, diags);
    const quantity* r = reported ? reported->v.as_quantity() : nullptr;
    if (reported && (!r || r->si == 0)) {
      lang::diagnostic d;
      d.code = "E1205";
      d.message = fmt::format("the reported value of case '{}' is not a non-zero quantity", c.id);
      d.source = c.file;
      d.primary = c.reported.at;
      d.primary_label = "not a measurement";
      d.help = "write the published figure with its unit, as in reported = \"104.9 token/s\"";
      diags.add(std::move(d));
    }
    if (c.before && r && r->si != 0) {
      auto before_expr = parse_in_place(c.file, *c.before, diags);
      auto before = before_expr ? evaluate_alone(*before_expr, reg, c.file, diags) : std::nullopt;
      const quantity* b = before ? before->v.as_quantity() : nullptr;
      if (before && (!b || !b->same_dim(*r)))
        error(diags, c.file, c.before->at, fmt::format("the earlier prediction of case '{}' is not a {}", c.id, c.reported.text),
              "not comparable with the reported value", "write the earlier prediction with a unit of the same dimension");
      else if (b)
        o.before_error_percent = (b->si - r->si) / r->si * 100;
    }
    std::string bottleneck;
    auto predicted = predict(c, reg, diags, c.bottleneck ? &bottleneck : nullptr);
    if (predicted && r && r->si != 0) {
      const quantity& p = *predicted;
      if (!p.same_dim(*r)) {
        error(diags, c.file, c.expression.at,
              fmt::format("case '{}' predicts {} but reports {}", c.id, reg.units().format(p), c.reported.text),
              "a different dimension from the reported value",
              "read the field that matches the published figure (a time for a latency, a rate for a throughput)");
      } else {
        o.ok = true;
        o.predicted_si = p.si;
        o.reported_si = r->si;
        o.error_percent = (p.si - r->si) / r->si * 100;
        o.predicted_bottleneck = bottleneck;
        o.predicted_text = reg.units().format(p);
        if (auto unit = unit_text(*reported_expr); !unit.empty()) {
          auto parsed = reg.units().parse(unit);
          if (const auto* u = std::get_if<unit_value>(&parsed)) o.predicted_text = unit_table::format_in(p, *u, unit);
        }
      }
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace ironlaw::runtime::validate
