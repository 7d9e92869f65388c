// Go to definition, find references, rename and the document's outline.
#include <nlohmann/json.hpp>

#include "describe.hpp"
#include "features.hpp"
#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/interp/registry.hpp"

namespace ironlaw::runtime::lsp {
namespace {

bool holds(lang::span s, std::uint32_t offset) { return s.begin <= offset && offset <= s.end && s.end > s.begin; }

// The name under the cursor: a use or a definition's own name.
std::string name_at(const document& doc, std::uint32_t offset) {
  for (const auto& use : doc.uses)
    if (holds(use.where, offset)) return use.name;
  for (const auto& def : doc.definitions)
    if (holds(def.name_span, offset)) return def.name;
  return {};
}

json location(const document& in, lang::span s) { return {{"uri", in.uri}, {"range", to_json_range(*in.source, s)}}; }

json line_location(const std::string& path, std::uint32_t line) {
  json start = {{"line", line}, {"character", 0}};
  return {{"uri", path_to_uri(path)}, {"range", {{"start", start}, {"end", start}}}};
}

// The uses of a name that mean the definition (not a registry entry or a
// word of the same spelling): the checker resolved them to a name in scope.
std::vector<lang::span> uses_of(const document& doc, const std::string& name) {
  std::vector<lang::span> out;
  for (const auto& use : doc.uses) {
    if (use.name != name) continue;
    if (use.e) {
      auto it = doc.typed.resolutions.find(use.e);
      if (it != doc.typed.resolutions.end() && it->second.rfind("in scope", 0) != 0 && it->second.rfind("design", 0) != 0)
        continue;
    }
    out.push_back(use.where);
  }
  return out;
}

bool is_identifier(const std::string& name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  for (auto k : lang::keywords())
    if (k == name) return false;
  return true;
}

int symbol_kind(const std::string& kind) {
  // LSP SymbolKind: Class 5, Field 8, Variable 13, Constant 14, Struct 23, Event 24.
  if (kind == "let") return 13;
  if (kind == "design") return 5;
  if (kind == "question") return 8;
  if (kind == "param") return 14;
  if (kind == "workload") return 24;
  return 23;
}

}  // namespace

json definition(const document& doc, const context& ctx, const json& params) {
  auto offset = offset_of(doc, params);
  for (const auto& i : doc.imports)
    if (holds(i.import_span, offset)) return line_location(i.path, 0);
  auto name = name_at(doc, offset);
  if (name.empty()) return nullptr;
  if (auto f = find_anywhere(doc, name); f.def) return location(*f.in, f.def->name_span);
  if (!ctx.registry_root.empty())
    if (const auto* where = ctx.reg.where(name); where && where->layer == 0)  // the embedded set
      return line_location(ctx.registry_root + "/" + where->file, where->line > 0 ? where->line - 1 : 0);
  return nullptr;
}

json references(const document& doc, const context&, const json& params) {
  auto name = name_at(doc, offset_of(doc, params));
  json out = json::array();
  if (name.empty()) return out;
  bool declaration = params.contains("context") && params["context"].value("includeDeclaration", true);
  if (const auto* def = doc.find_definition(name); def && declaration) out.push_back(location(doc, def->name_span));
  for (auto s : uses_of(doc, name)) out.push_back(location(doc, s));
  return out;
}

json rename(const document& doc, const context&, const json& params) {
  auto name = name_at(doc, offset_of(doc, params));
  auto new_name = params.at("newName").get<std::string>();
  const auto* def = name.empty() ? nullptr : doc.find_definition(name);
  if (!def) throw request_error{"only a name this file defines (a let, a declaration, a design) can be renamed"};
  if (!is_identifier(new_name)) throw request_error{"'" + new_name + "' is not a name (letters, digits, _; not a keyword)"};
  json edits = json::array();
  auto edit = [&](lang::span s) { edits.push_back({{"range", to_json_range(*doc.source, s)}, {"newText", new_name}}); };
  edit(def->name_span);
  for (auto s : uses_of(doc, name)) edit(s);
  return {{"changes", {{doc.uri, edits}}}};
}

json document_symbols(const document& doc, const context&, const json&) {
  json out = json::array();
  for (const auto& def : doc.definitions)
    out.push_back({{"name", def.name},
                   {"detail", def.kind},
                   {"kind", symbol_kind(def.kind)},
                   {"range", to_json_range(*doc.source, def.whole)},
                   {"selectionRange", to_json_range(*doc.source, def.name_span)}});
  return out;
}

}  // namespace ironlaw::runtime::lsp
