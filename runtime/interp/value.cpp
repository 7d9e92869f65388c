#include "ironlaw/runtime/interp/value.hpp"

#include <fmt/format.h>

#include <cmath>

#include "ironlaw/runtime/interp/evaluated.hpp"

namespace ironlaw::runtime {

// Water (a volume) is cooling water for the energy, so a time's product too.
bool only_if_it_fits(const dim& d) {
  using b = base_dim;
  return d[b::time] != 0 || d[b::energy] != 0 || d[b::money] != 0 || d[b::mass] != 0 || d[b::volume] != 0;
}

const field* find_field(const record& r, std::string_view name, bool* hypothetical) {
  if (hypothetical) *hypothetical = false;
  if (const auto* f = r.find(name)) return f;
  // Solver results and design points, not entities (which always "fit").
  if (!name.ends_with(if_it_fit_suffix) || !(r.name.empty() || r.kind == "design")) return nullptr;
  const auto* f = r.find(name.substr(0, name.size() - if_it_fit_suffix.size()));
  if (f && hypothetical) *hypothetical = true;
  return f && f->v.as_quantity() ? f : nullptr;
}

bool refuses_read(const record& r, const field& f, bool hypothetical_read) {
  if (r.infeasible.empty() || r.hypothetical_allowed || hypothetical_read) return false;
  const auto* q = f.v.as_quantity();
  return q && only_if_it_fits(q->d);
}

std::string describe(const value& v) {
  struct visitor {
    std::string operator()(std::monostate) const { return "nothing"; }
    std::string operator()(const quantity& q) const {
      return q.d.dimensionless() ? "a plain number" : "a quantity of " + runtime::describe(q.d);
    }
    std::string operator()(bool) const { return "a boolean"; }
    std::string operator()(const std::string&) const { return "a string"; }
    std::string operator()(const symbol& s) const { return "the word '" + s.name + "'"; }
    std::string operator()(const record_ptr& r) const {
      if (!r->name.empty()) return "the " + r->kind + " " + r->name;
      return "a " + r->kind + " result";
    }
    std::string operator()(const list_ptr&) const { return "a list"; }
  };
  return std::visit(visitor{}, v.v);
}

std::string format_value(const value& v, const unit_table& units) {
  struct visitor {
    const unit_table& units;
    std::string operator()(std::monostate) const { return "nothing"; }
    std::string operator()(const quantity& q) const { return units.format(q); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const symbol& s) const { return s.name; }
    std::string operator()(const list_ptr& l) const {
      std::string out = "[";
      for (std::size_t i = 0; i < l->size(); ++i) out += (i ? ", " : "") + format_value((*l)[i], units);
      return out + "]";
    }
    std::string operator()(const record_ptr& r) const {
      if (!r->name.empty()) return r->name;  // an entity in a list or a string
      std::string out = r->infeasible.empty() ? "{" : "{ " + infeasible_line(*r) + ";";
      for (std::size_t i = 0; i < r->fields.size(); ++i)
        out += (i ? ", " : " ") + r->fields[i].name + " = " + format_field(*r, r->fields[i], units);
      return out + " }";
    }
  };
  return std::visit(visitor{units}, v.v);
}

std::string format_field(const record& r, const field& f, const unit_table& units) {
  if (refuses_read(r, f, false)) return "n/a (does not fit)";
  auto text = format_value(f.v, units);
  if (!r.infeasible.empty() && f.v.as_quantity() && only_if_it_fits(f.v.as_quantity()->d)) text += " if it fit";
  return text;
}

std::string infeasible_line(const record& r) { return "infeasible: " + r.infeasible; }

std::string numeric_defect(const value& result, const unit_table& units, std::string_view path) {
  auto must_not_be_negative = [](const dim& d) {
    using bd = base_dim;
    if (d == dim::of(bd::time) || d == dim::of(bd::money)) return true;
    if (d[bd::time] != -1) return false;
    int others = 0;
    for (std::size_t i = 0; i < base_dim_count; ++i)
      if (static_cast<bd>(i) != bd::time && d.exponents[i] != 0) others += d.exponents[i] == 1 ? 1 : 2;
    return others == 1;
  };
  auto check = [&](const quantity& q, std::string_view name, bool infinite_allowed) -> std::string {
    auto label = name.empty() ? std::string(path) : path.empty() ? std::string(name) : fmt::format("{}.{}", path, name);
    auto shown_as = label.empty() ? std::string() : label + " = ";
    // A rate with no bound (data_pipeline's storage_limit without a storage
    // bandwidth) is an honest +infinity too.
    // (is_throughput only for an infinity: this runs on every field of every search point.)
    if (std::isnan(q.si) || (std::isinf(q.si) && !(q.si > 0 && (infinite_allowed || is_throughput(q.d)))))
      return fmt::format("{}{}{}: a result must be a finite number", shown_as,
                         std::isnan(q.si) ? "nan"
                         : q.si > 0       ? "infinity"
                                          : "-infinity",
                         q.d.dimensionless() ? "" : " " + base_unit_text(q.d));
    if (q.si < 0 && must_not_be_negative(q.d))
      return fmt::format("{}{}: a {} cannot be negative", shown_as, format_value(value{q}, units),
                         describe(q.d));
    return {};
  };
  if (const auto* q = result.as_quantity()) return check(*q, "", false);
  if (const auto* l = std::get_if<list_ptr>(&result.v)) {
    for (std::size_t i = 0; i < (*l)->size(); ++i)
      if (auto bad = numeric_defect((**l)[i], units, fmt::format("{}[{}]", path, i)); !bad.empty()) return bad;
    return {};
  }
  const record* r = result.as_record();
  if (!r) return {};
  const auto* stable = r->find("stable");
  bool unstable = stable && std::get_if<bool>(&stable->v.v) && !std::get<bool>(stable->v.v);
  for (const auto& f : r->fields)
    if (const auto* q = f.v.as_quantity())
      if (auto bad = check(*q, f.name, unstable); !bad.empty()) return bad;
  return {};
}

}  // namespace ironlaw::runtime
