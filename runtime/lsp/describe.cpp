#include "describe.hpp"

#include <fmt/format.h>

#include <cmath>

#include "../interp/evaluator.hpp"
#include "ironlaw/runtime/interp/builtins.hpp"
#include "ironlaw/runtime/interp/evaluated.hpp"
#include "ironlaw/runtime/interp/registry.hpp"

namespace ironlaw::runtime::lsp {
namespace {

std::string code_block(std::string_view text) { return fmt::format("```ironlaw\n{}\n```\n", text); }

const lang::number_literal* number(const lang::expr_ptr& e) {
  return e ? std::get_if<lang::number_literal>(&e->node) : nullptr;
}

// The values a `from .. to by step` range of plain literals holds.
std::optional<double> range_count(const lang::range_expr& r) {
  const auto* from = number(r.from);
  const auto* to = number(r.to);
  const auto* step = r.step ? number(r.step) : nullptr;
  if (!from || !to || (r.step && !step) || from->unit != to->unit) return std::nullopt;
  double by = step ? step->value : (r.geometric ? 2 : 1);
  if (r.geometric) {
    if (!(by > 1) || !(from->value > 0) || to->value < from->value) return std::nullopt;
    return std::floor(std::log(to->value / from->value) / std::log(by) + 1e-9) + 1;
  }
  if (!(by > 0) || to->value < from->value) return std::nullopt;
  return std::floor((to->value - from->value) / by + 1e-9) + 1;
}

std::optional<double> axis_count(const lang::expr& domain, const context& ctx, bool& upper_bound) {
  if (const auto* u = std::get_if<lang::unit_apply>(&domain.node)) return axis_count(*u->value, ctx, upper_bound);
  if (const auto* l = std::get_if<lang::list_expr>(&domain.node)) return static_cast<double>(l->items.size());
  if (const auto* r = std::get_if<lang::range_expr>(&domain.node)) return range_count(*r);
  if (const auto* z = std::get_if<lang::zoo_query>(&domain.node)) {
    auto kind = ctx.env.zoo_kind(z->kind);
    if (kind.empty()) return std::nullopt;
    upper_bound = upper_bound || z->filter != nullptr;
    return static_cast<double>(ctx.reg.names(kind).size());
  }
  return std::nullopt;
}

std::string describe_type(const document& doc, const defined_name& def) {
  auto it = doc.scope_types.find(def.name);
  if (it != doc.scope_types.end() && it->second && it->second->t != lang::type::tag::unknown)
    return lang::describe(*it->second);
  if (def.value)
    if (auto t = doc.typed.type_of(*def.value); t && t->t != lang::type::tag::unknown) return lang::describe(*t);
  return {};
}

// A registry record's fields, nested records (peak rates, source) indented.
void record_lines(const record& r, const unit_table& units, std::string& out, int depth) {
  for (const auto& f : r.fields) {
    std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
    if (const auto* sub = f.v.as_record(); sub && sub->name.empty()) {
      out += fmt::format("{}- **{}**\n", indent, f.name);
      if (depth < 3) record_lines(*sub, units, out, depth + 1);
      continue;
    }
    out += fmt::format("{}- {}: {}\n", indent, f.name, format_value(f.v, units));
  }
}

// Whether a let's value can be shown without running anything: no call (so no
// solver), no zoo query, no range, and every name a registry entry, a word or
// an earlier let already known to be such a constant (`scope`).
bool constant(const document& doc, const lang::expr& value, const detail::evaluator::scope& scope,
              const context& ctx) {
  for (const auto* e : doc.expressions) {
    if (e->where.begin < value.where.begin || e->where.end > value.where.end) continue;
    if (std::holds_alternative<lang::call_expr>(e->node) || std::holds_alternative<lang::zoo_query>(e->node) ||
        std::holds_alternative<lang::range_expr>(e->node))
      return false;
    if (const auto* n = std::get_if<lang::name_ref>(&e->node))
      if (!scope.count(n->name) && !ctx.reg.find(n->name) && !ctx.env.known_word(n->name)) return false;
  }
  return true;
}

// A let's value, when it is a constant (see `constant`): the lets before it
// that are constants too are evaluated in order, the rest skipped.
std::string constant_value(const document& doc, const defined_name& def, const context& ctx) {
  detail::evaluator::scope scope;
  constexpr std::size_t max_lets = 2000;  // a bound on the work one hover may do
  std::size_t seen = 0;
  for (const auto& d : doc.definitions) {
    if (d.kind != "let" || !d.value || ++seen > max_lets) continue;
    if (d.name_span.begin > def.name_span.begin) break;
    if (!constant(doc, *d.value, scope, ctx)) continue;
    lang::diagnostics scratch;
    detail::evaluator ev(ctx.reg, scope, doc.source, scratch);
    auto v = ev.eval_value(*d.value);
    if (!v) continue;
    if (&d == &def)
      return v->shown_in && v->v.as_quantity() ? unit_table::format_in(*v->v.as_quantity(), *v->shown_in, v->shown_in_text)
                                               : format_value(v->v, ctx.reg.units());
    scope[d.name] = v->v;
  }
  return {};
}

}  // namespace

found_definition find_anywhere(const document& doc, std::string_view name) {
  if (const auto* d = doc.find_definition(name)) return {d, &doc};
  for (const auto& i : doc.imports)
    if (i.doc)
      if (auto f = find_anywhere(*i.doc, name); f.def) return f;
  return {};
}

std::optional<space_size> design_space(const lang::design_stmt& d, const context& ctx) {
  space_size size;
  for (const auto& a : d.axes) {
    if (!a.domain) return std::nullopt;
    auto n = axis_count(*a.domain, ctx, size.upper_bound);
    if (!n) return std::nullopt;
    size.points *= *n;
  }
  return size;
}

std::string describe_definition(const found_definition& f, const context& ctx) {
  const auto& def = *f.def;
  const auto& src = *f.in->source;
  std::string out;
  if (def.kind == "design") {
    const auto& d = std::get<lang::design_stmt>(def.statement->node);
    out = code_block(fmt::format("design {} = {}", d.name, d.solver ? src.slice(d.solver->where) : ""));
    for (const auto& a : d.axes)
      out += fmt::format("- {} in `{}`\n", a.name, a.domain ? src.slice(a.domain->where) : "");
    if (auto size = design_space(d, ctx))
      out += fmt::format("\nspace: {}{} point{}", size->upper_bound ? "at most " : "", format_number(size->points),
                         size->points == 1 ? "" : "s");
    else
      out += "\nspace: computed when the design runs";
    return out;
  }
  if (def.value) {
    std::string keyword = def.kind == "let" ? "let" : def.kind;
    out = code_block(fmt::format("{} {} = {}", keyword, def.name, src.slice(def.value->where)));
  } else {
    auto text = src.slice(def.whole);
    out = code_block(text.substr(0, std::min<std::size_t>(text.size(), 1200)));
  }
  if (def.kind == "let")
    if (auto v = constant_value(*f.in, def, ctx); !v.empty()) out += fmt::format("\n= **{}**\n", v);
  if (auto t = describe_type(*f.in, def); !t.empty()) out += "\n" + t;
  return out;
}

std::string describe_registry_entry(std::string_view name, const context& ctx) {
  auto entry = ctx.reg.find(name);
  if (!entry) return {};
  std::string out = fmt::format("**{}** ({} in the registry", entry->name, entry->kind);
  if (!entry->origin.empty()) out += ", " + entry->origin;
  out += ")\n\n";
  record_lines(*entry, ctx.reg.units(), out, 0);
  return out;
}

std::string describe_function(const builtin& fn) { return code_block(describe_builtin(fn)); }

}  // namespace ironlaw::runtime::lsp
