// Formatting (ironlaw fmt's canonical layout), code actions for did-you-mean
// fixes, and inlay hints naming the unit a bare number lacks.
#include <nlohmann/json.hpp>

#include "features.hpp"
#include "ironlaw/lang/print.hpp"
#include "ironlaw/runtime/interp/builtins.hpp"
#include "positions.hpp"

namespace ironlaw::runtime::lsp {
namespace {

constexpr std::size_t max_hints = 1000;

// "did you mean H100_SXM?" or "did you mean A or B?" -> the names offered.
std::vector<std::string> suggestions(std::string_view help) {
  constexpr std::string_view lead = "did you mean ";
  auto at = help.find(lead);
  if (at == std::string_view::npos) return {};
  auto rest = help.substr(at + lead.size());
  rest = rest.substr(0, rest.find('?'));
  std::vector<std::string> out;
  std::string word;
  auto flush = [&] {
    if (word == "or") word.clear();
    if (!word.empty()) out.push_back(word);
    word.clear();
  };
  for (char c : rest) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') word.push_back(c);
    else flush();
  }
  flush();
  return out;
}

bool identifier_text(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

bool overlaps(lang::span a, std::uint32_t begin, std::uint32_t end) { return a.begin <= end && begin <= a.end; }

const lang::number_literal* bare_number(const lang::expr& e) {
  const auto* n = std::get_if<lang::number_literal>(&e.node);
  return n && n->unit.empty() ? n : nullptr;
}

json hint(const document& doc, const lang::expr& number, const lang::dim& d) {
  auto unit = lang::base_unit_text(d);
  auto p = to_position(*doc.source, number.where.end);
  return {{"position", {{"line", p.line}, {"character", p.character}}},
          {"label", " " + unit},
          {"kind", 1},
          {"paddingLeft", false},
          {"tooltip", "this argument takes " + lang::describe(d) + " (" + unit + "); a bare number is an error"}};
}

void call_hints(const document& doc, const lang::call_expr& call, json& out) {
  const auto* callee = std::get_if<lang::name_ref>(&call.callee->node);
  const auto* fn = callee ? find_builtin(callee->name) : nullptr;
  if (!fn) return;
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const auto& a = call.args[i];
    const param_spec* p = nullptr;
    if (a.name) {
      for (const auto& candidate : fn->params)
        if (candidate.name == *a.name) p = &candidate;
    } else if (i < fn->params.size()) {
      p = &fn->params[i];
    }
    if (p && p->kind == param_kind::quantity && !p->d.dimensionless() && a.value && bare_number(*a.value))
      out.push_back(hint(doc, *a.value, p->d));
  }
}

}  // namespace

json formatting(const document& doc, const context&, const json&) {
  json edits = json::array();
  if (!doc.parsed) return edits;  // a file that does not parse is never rewritten
  auto formatted = lang::format_program(doc.program);
  if (formatted == doc.source->text()) return edits;
  auto all = to_json_range(*doc.source, {0, static_cast<std::uint32_t>(doc.source->text().size())});
  edits.push_back({{"range", all}, {"newText", formatted}});
  return edits;
}

json code_actions(const document& doc, const context&, const json& params) {
  const auto& r = params.at("range");
  auto begin = to_offset(*doc.source, {r["start"]["line"].get<std::uint32_t>(), r["start"]["character"].get<std::uint32_t>()});
  auto end = to_offset(*doc.source, {r["end"]["line"].get<std::uint32_t>(), r["end"]["character"].get<std::uint32_t>()});
  json actions = json::array();
  auto diagnostics = diagnostics_json(doc, doc.uri);
  for (std::size_t i = 0; i < doc.diagnostics.size(); ++i) {
    const auto& d = doc.diagnostics[i];
    if (d.source != doc.source || !overlaps(d.primary, begin, end)) continue;
    auto written = doc.source->slice(d.primary);
    if (!identifier_text(written)) continue;
    bool first = true;
    for (const auto& name : suggestions(d.help)) {
      json edit = {{"range", to_json_range(*doc.source, d.primary)}, {"newText", name}};
      actions.push_back({{"title", "Change '" + std::string(written) + "' to '" + name + "'"},
                         {"kind", "quickfix"},
                         {"isPreferred", first},
                         {"diagnostics", json::array({diagnostics[i]})},
                         {"edit", {{"changes", {{doc.uri, json::array({edit})}}}}}});
      first = false;
    }
  }
  return actions;
}

json inlay_hints(const document& doc, const context& ctx, const json&) {
  json out = json::array();
  for (const auto* e : doc.expressions) {
    if (out.size() >= max_hints) break;
    if (const auto* call = std::get_if<lang::call_expr>(&e->node)) call_hints(doc, *call, out);
  }
  // Declaration fields: `memory = 192` in a hardware block.
  for (const auto& st : doc.program.statements) {
    const auto* d = std::get_if<lang::decl_stmt>(&st.node);
    auto schema = d ? ctx.env.entity_kind(d->kind) : nullptr;
    if (!schema) continue;
    for (const auto& f : d->fields) {
      const auto* field = schema->find(f.name);
      if (out.size() < max_hints && field && field->t && field->t->t == lang::type::tag::quantity &&
          !field->t->d.dimensionless() && f.value && bare_number(*f.value))
        out.push_back(hint(doc, *f.value, field->t->d));
    }
  }
  return out;
}

}  // namespace ironlaw::runtime::lsp
