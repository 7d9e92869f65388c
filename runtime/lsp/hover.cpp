// textDocument/hover: what the name or expression under the cursor is, from
// the static check's types and the declarations (never by evaluating it).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "describe.hpp"
#include "features.hpp"
#include "ironlaw/runtime/interp/builtins.hpp"

namespace ironlaw::runtime::lsp {
namespace {

bool holds(lang::span s, std::uint32_t offset) { return s.begin <= offset && offset <= s.end && s.end > s.begin; }

// What a name means: a definition of this file or an import, a registry
// entry, a solver, or a word.
std::string describe_name(const document& doc, const context& ctx, std::string_view name) {
  if (auto f = find_anywhere(doc, name); f.def) return describe_definition(f, ctx);
  if (auto entry = describe_registry_entry(name, ctx); !entry.empty()) return entry;
  if (const auto* fn = find_builtin(name)) return describe_function(*fn);
  if (ctx.env.known_word(name)) return fmt::format("`{}`: a word (an enum value a solver accepts or returns)", name);
  return {};
}

// A named argument: the parameter's documentation.
std::string describe_argument(const lang::call_expr& call, std::uint32_t offset) {
  const auto* callee = std::get_if<lang::name_ref>(&call.callee->node);
  const auto* fn = callee ? find_builtin(callee->name) : nullptr;
  if (!fn) return {};
  for (const auto& a : call.args) {
    if (!a.name || !holds(a.name_span, offset)) continue;
    for (const auto& p : fn->params)
      if (p.name == *a.name) {
        std::string unit = p.kind == param_kind::quantity ? " [" + lang::base_unit_text(p.d) + "]" : "";
        std::string fallback = p.required ? "required" : p.default_text.empty() ? "" : "default " + p.default_text;
        return fmt::format("`{}` of {}: {}{}{}", p.name, fn->name, p.doc, unit,
                           fallback.empty() ? "" : " (" + fallback + ")");
      }
  }
  return {};
}

std::string describe_expression(const document& doc, const lang::expr& e, std::uint32_t offset) {
  if (const auto* call = std::get_if<lang::call_expr>(&e.node))
    if (auto text = describe_argument(*call, offset); !text.empty()) return text;
  auto t = doc.typed.type_of(e);
  if (!t || t->t == lang::type::tag::unknown) return {};
  auto shown = doc.source->slice(e.where);
  if (shown.size() > 200) shown = shown.substr(0, 200);
  return fmt::format("```ironlaw\n{}\n```\n{}", shown, lang::describe(*t));
}

}  // namespace

json hover(const document& doc, const context& ctx, const json& params) {
  auto offset = offset_of(doc, params);
  std::string text;
  lang::span where{};
  for (const auto& use : doc.uses)
    if (holds(use.where, offset)) {
      text = describe_name(doc, ctx, use.name);
      where = use.where;
      break;
    }
  if (text.empty())
    for (const auto& def : doc.definitions)
      if (holds(def.name_span, offset)) {
        text = describe_definition({&def, &doc}, ctx);
        where = def.name_span;
        break;
      }
  if (text.empty())
    if (const auto* e = doc.expression_at(offset)) {
      text = describe_expression(doc, *e, offset);
      where = e->where;
    }
  if (text.empty()) return nullptr;
  return {{"contents", {{"kind", "markdown"}, {"value", text}}}, {"range", to_json_range(*doc.source, where)}};
}

}  // namespace ironlaw::runtime::lsp
