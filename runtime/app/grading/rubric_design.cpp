#include "rubric_design.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

namespace ironlaw::runtime::grading {

namespace {

bool is_money(const dim& d) { return d[base_dim::money] != 0; }

// A money-valued argument that prices something (`price_per_gpu`, `capex`,
// `electricity_price`): lowering it lowers the cost a rubric reads. A `budget`
// is a limit, not a price.
bool is_price(std::string_view argument) {
  return !argument.empty() && argument.find("budget") == std::string_view::npos;
}

// Every number of a record, nested tables (`peak.fp16`) included.
void numeric_fields(const record& r, const std::string& prefix, std::vector<std::pair<std::string, quantity>>& out) {
  for (const auto& f : r.fields) {
    if (const auto* q = f.v.as_quantity()) out.emplace_back(prefix + f.name, *q);
    else if (const auto* t = f.v.as_record(); t && t->name.empty()) numeric_fields(*t, prefix + f.name + ".", out);
  }
}

struct field_range {
  double lowest = 0;   // the lowest value above zero
  double highest = 0;
  std::string lowest_name, highest_name;
  bool has_zero = false;
};

// Each field's range over the registry's entities of one kind.
std::map<std::string, field_range> registry_ranges(const registry& reg, const std::string& kind) {
  std::map<std::string, field_range> out;
  for (const auto& name : reg.names(kind)) {
    auto entity = reg.find(name);
    if (!entity) continue;
    std::vector<std::pair<std::string, quantity>> values;
    numeric_fields(*entity, "", values);
    for (const auto& [path, q] : values) {
      if (!std::isfinite(q.si) || q.si < 0) continue;
      auto& r = out[path];
      if (q.si == 0) {
        r.has_zero = true;
        continue;
      }
      if (r.lowest == 0 || q.si < r.lowest) r.lowest = q.si, r.lowest_name = name;
      if (q.si > r.highest) r.highest = q.si, r.highest_name = name;
    }
  }
  return out;
}

// One value the design is built from (an argument, an axis value): what is
// wrong with it, or nullopt. Registry and assignment entities are trusted.
std::optional<std::string> value_problem(const variant_session& session, const value& v, const std::string& where) {
  const auto& reg = session.interp().reg();
  if (const auto* q = v.as_quantity()) {
    if (!std::isfinite(q->si)) return fmt::format("{} is not a finite number", where);
    return std::nullopt;
  }
  if (const auto* items = std::get_if<list_ptr>(&v.v)) {
    for (const auto& item : **items)
      if (auto p = value_problem(session, item, where)) return p;
    return std::nullopt;
  }
  const auto* r = v.as_record();
  if (!r) return std::nullopt;
  if (r->name.empty()) {  // a result or a table: what it holds
    for (const auto& f : r->fields)
      if (auto p = value_problem(session, f.v, where)) return p;
    return std::nullopt;
  }
  if (reg.find(r->name) || session.is_faculty_name(r->name)) return std::nullopt;
  if (!session.custom_entities())
    return fmt::format("{} is {} {} your file declares; this assignment grades designs built from the registry's "
                       "and the assignment's entities",
                       where, "a", r->kind);
  if (auto p = entity_problem(reg, *r)) return fmt::format("{}: {}", where, *p);
  return std::nullopt;
}

// A price the student sets (a money-valued argument or axis) must be the one
// the assignment's reference design sets, unless custom entities are allowed.
std::optional<std::string> price_problem(variant_session& session, const lang::design_stmt& d, const std::string& name,
                                         const quantity& given) {
  const auto& units = session.interp().reg().units();
  if (given.si <= 0) return fmt::format("{} = {}: a price must be above zero", name, units.format(given));
  if (session.custom_entities()) return std::nullopt;
  const auto* reference = session.reference_design(d.name);
  const lang::expr* fixed = nullptr;
  if (const auto* call = reference ? std::get_if<lang::call_expr>(&reference->solver->node) : nullptr)
    for (const auto& a : call->args)
      if (a.name && *a.name == name) fixed = a.value.get();
  if (fixed) {
    lang::diagnostics quiet;
    auto v = session.interp().evaluate(*fixed, session.file().program.source, quiet);
    const auto* q = v ? v->v.as_quantity() : nullptr;
    if (q && q->d == given.d && std::abs(q->si - given.si) <= 1e-9 * std::abs(q->si)) return std::nullopt;
    if (q)
      return fmt::format("{} = {}: this assignment sets it to {}", name, units.format(given), units.format(*q));
  }
  return fmt::format("{} = {}: prices are the assignment's here; leave {} out (the registry's price is used)", name,
                     units.format(given), name);
}

}  // namespace

std::optional<std::string> entity_problem(const registry& reg, const record& entity) {
  auto ranges = registry_ranges(reg, entity.kind);
  std::vector<std::pair<std::string, quantity>> values;
  numeric_fields(entity, "", values);
  const auto& units = reg.units();
  for (const auto& [path, q] : values) {
    std::string shown = fmt::format("{}.{} = {}", entity.name, path, units.format(q));
    if (!std::isfinite(q.si)) return shown + " is not a finite number";
    if (q.si < 0) return shown + " is negative";
    auto it = ranges.find(path);
    if (it == ranges.end()) continue;  // the registry has nothing to compare it with
    const auto& r = it->second;
    if (q.si == 0 && !r.has_zero && r.lowest > 0) return shown + " is zero; every registry " + entity.kind + " has more";
    if (q.d.dimensionless() && r.highest > 0 && r.highest <= 1 && q.si > 1)
      return shown + " is above 1, and it is a fraction in every registry " + entity.kind;
    if (r.highest > 0 && q.si > custom_entity_range_factor * r.highest)
      return fmt::format("{} is more than {}x the registry's highest ({} on {})", shown,
                         format_number(custom_entity_range_factor), units.format(quantity{r.highest, q.d}), r.highest_name);
    if (r.lowest > 0 && q.si > 0 && q.si < r.lowest / custom_entity_range_factor)
      return fmt::format("{} is less than 1/{} of the registry's lowest ({} on {})", shown,
                         format_number(custom_entity_range_factor), units.format(quantity{r.lowest, q.d}), r.lowest_name);
  }
  return std::nullopt;
}

std::optional<std::string> design_problem(variant_session& session, interpreter& sub, const lang::source_ptr& source,
                                          const lang::design_stmt& d) {
  const auto* call = std::get_if<lang::call_expr>(&d.solver->node);
  if (!call) return std::nullopt;  // not a design the engine searched; the caller never gets here
  auto check = [&](const std::string& name, const lang::expr& e, const std::string& where) -> std::optional<std::string> {
    lang::diagnostics quiet;  // what does not evaluate stopped the search already
    auto v = sub.evaluate(e, source, quiet);
    if (!v) return std::nullopt;
    if (auto p = value_problem(session, v->v, where)) return p;
    std::vector<value> items{v->v};
    if (const auto* l = std::get_if<list_ptr>(&v->v.v)) items.assign((*l)->begin(), (*l)->end());
    for (const auto& item : items)
      if (const auto* q = item.as_quantity(); q && is_money(q->d) && is_price(name))
        if (auto p = price_problem(session, d, name, *q)) return p;
    return std::nullopt;
  };
  std::size_t position = 0;
  for (const auto& a : call->args) {
    std::string where = a.name ? fmt::format("argument {}", *a.name) : fmt::format("argument {}", ++position);
    if (auto p = check(a.name ? *a.name : std::string(), *a.value, where)) return p;
  }
  for (const auto& axis : d.axes)
    if (auto p = check(axis.name, *axis.domain, "axis " + axis.name)) return p;
  return std::nullopt;
}

}  // namespace ironlaw::runtime::grading
