// `min(...)`, `ceil(x in GB)`, ...: the evaluator's side of the math builtins
// (runtime/interp/math_functions.hpp holds what they mean).
#include <fmt/format.h>

#include "evaluator.hpp"
#include "math_functions.hpp"

namespace ironlaw::runtime::detail {

namespace {

std::string_view outcome_code(math::outcome what) {
  switch (what) {
    case math::outcome::empty: return "E0227";
    case math::outcome::outside_domain: return "E0226";
    case math::outcome::overflow: return "E0215";
    case math::outcome::underflow: return "E0216";
    default: return "E0217";
  }
}

}  // namespace

std::optional<evaluated> evaluator::math_call(const lang::call_expr& c, span where, const math::function_info& fn) {
  for (const auto& a : c.args)
    if (a.name) {
      error("E0227", a.name_span, fmt::format("{} takes no named arguments", fn.name)).help =
          fmt::format("write {}", fn.usage);
      return std::nullopt;
    }
  const bool over_values = math::over_values(fn.f);
  if (c.args.empty() || (!over_values && c.args.size() != 1)) {
    auto& d = error("E0227", where,
                    fmt::format("{} takes {}, not {}", fn.name, over_values ? "one or more values" : "one value",
                                c.args.size()));
    d.help = fmt::format("write {}", fn.usage);
    return std::nullopt;
  }
  // The values and where each was written: one list's items, or the arguments.
  std::vector<quantity> values;
  std::vector<span> at;
  std::optional<evaluated> single;  // a rounding's `x in UNIT`, shown in that unit
  const lang::list_expr* literal = nullptr;
  for (const auto& a : c.args) {
    auto v = eval_value(*a.value);
    if (!v) return std::nullopt;
    if (const auto* l = std::get_if<list_ptr>(&v->v.v); l && over_values && c.args.size() == 1) {
      literal = std::get_if<lang::list_expr>(&a.value->node);
      if ((*l)->size() > math::max_values) {
        error("E0227", a.value->where, fmt::format("{} of more than {} values", fn.name, math::max_values));
        return std::nullopt;
      }
      for (std::size_t i = 0; i < (*l)->size(); ++i) {
        const auto* q = (**l)[i].as_quantity();
        auto item_at = literal && i < literal->items.size() ? literal->items[i]->where : a.value->where;
        if (!q) {
          error("E0227", item_at, fmt::format("{} needs numbers or quantities, not {}", fn.name, describe((**l)[i])));
          return std::nullopt;
        }
        values.push_back(*q);
        at.push_back(item_at);
      }
      continue;
    }
    const auto* q = v->v.as_quantity();
    if (!q) {
      auto& d = error("E0227", a.value->where,
                      fmt::format("{} needs {}, not {}", fn.name,
                                  over_values ? "numbers or quantities (or one list of them)" : "a number or a quantity",
                                  describe(v->v)));
      d.help = fmt::format("write {}", fn.usage);
      return std::nullopt;
    }
    values.push_back(*q);
    at.push_back(a.value->where);
    single = *v;
  }
  if (values.empty()) {
    error("E0227", c.args[0].value->where, fmt::format("{} of an empty list", fn.name)).help =
        "give at least one value: an empty list has no smallest, largest or mean value, nor a unit";
    return std::nullopt;
  }
  const auto* rounding_unit = single && math::rounds(fn.f) ? std::get_if<lang::convert_expr>(&c.args[0].value->node)
                                                           : nullptr;
  std::vector<dim> dims;
  for (const auto& q : values) dims.push_back(q.d);
  auto rule = math::result_dim(fn.f, dims, rounding_unit != nullptr);
  if (!rule.d) {
    auto& d = error("E0225", at[rule.culprit], rule.message);
    d.help = rule.help;
    if (rule.culprit > 0) d.secondary.push_back({at[0], describe(dims[0])});
    return std::nullopt;
  }
  std::vector<double> magnitudes;
  magnitudes.reserve(values.size());
  for (const auto& q : values) magnitudes.push_back(q.si);
  double unit = rounding_unit && single->shown_in ? single->shown_in->factor : 1;
  auto result = math::apply(fn.f, magnitudes, unit);
  if (result.what != math::outcome::ok) {
    std::string why;
    switch (result.what) {
      case math::outcome::outside_domain:
        why = fn.f == math::function::sqrt ? fmt::format("sqrt of a negative value, {}", shown(values[0]))
                                           : fmt::format("{} of {}: defined only above 0", fn.name, shown(values[0]));
        break;
      case math::outcome::overflow: why = fmt::format("{} overflows: the result is beyond about 1.8e308", fn.name); break;
      case math::outcome::underflow:
        why = fmt::format("{} underflows: the result is closer to 0 than about 2.2e-308", fn.name);
        break;
      default: why = fmt::format("{} is not a number", fn.name); break;
    }
    error(std::string(outcome_code(result.what)), where, why);
    return std::nullopt;
  }
  evaluated out{value{quantity{result.value, *rule.d}}};
  // A rounded quantity prints in the unit it was rounded in; abs keeps x's unit.
  if (single && (rounding_unit || fn.f == math::function::abs)) {
    out.shown_in = single->shown_in;
    out.shown_in_text = single->shown_in_text;
  }
  return out;
}

}  // namespace ironlaw::runtime::detail
