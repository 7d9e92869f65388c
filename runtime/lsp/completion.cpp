// textDocument/completion, from the text before the cursor (an edit in
// progress rarely parses) and the last clean check's types:
//   `NAME.` / `a.b.`   the fields of what the chain names (H100_SXM.bandwidth)
//   `80 G`             units, after a number
//   `decode(... , b`   the solver's parameters first, then everything in scope
//   anywhere else      names in scope, registry entries, functions, words, keywords
#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "describe.hpp"
#include "features.hpp"
#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/interp/builtins.hpp"
#include "ironlaw/runtime/interp/registry.hpp"

namespace ironlaw::runtime::lsp {
namespace {

// LSP CompletionItemKind values.
enum item_kind { function_kind = 3, field_kind = 5, variable_kind = 6, unit_kind = 11, keyword_kind = 14,
                 enum_member_kind = 20, constant_kind = 21, property_kind = 10 };

constexpr std::size_t max_look_back = 4096;  // bytes before the cursor a context is read from

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

json item(std::string label, int kind, std::string detail, std::string sort_group) {
  json out = {{"label", label}, {"kind", kind}, {"sortText", sort_group + label}};
  if (!detail.empty()) out["detail"] = std::move(detail);
  return out;
}

// The type a name has at top level: this file's or an import's, else a registry entry's.
lang::type_ptr type_of_name(const document& doc, const context& ctx, std::string_view name) {
  if (auto it = doc.scope_types.find(name); it != doc.scope_types.end()) return it->second;
  for (const auto& i : doc.imports)
    if (i.doc)
      if (auto t = type_of_name(*i.doc, ctx, name)) return t;
  return ctx.env.entity(name);
}

// `a.b.` before the cursor: the chain of names, or empty when it is not one.
std::vector<std::string> field_chain(std::string_view before) {
  std::vector<std::string> chain;
  while (!before.empty() && before.back() == '.') {
    before.remove_suffix(1);
    auto start = before.size();
    while (start > 0 && word_char(before[start - 1])) --start;
    if (start == before.size()) return {};
    chain.insert(chain.begin(), std::string(before.substr(start)));
    before = before.substr(0, start);
  }
  if (!chain.empty() && std::isdigit(static_cast<unsigned char>(chain.front()[0]))) return {};  // 1.5
  return chain;
}

json field_items(const document& doc, const context& ctx, const std::vector<std::string>& chain) {
  json items = json::array();
  auto t = type_of_name(doc, ctx, chain.front());
  for (std::size_t i = 1; t && i < chain.size(); ++i) {
    const auto* f = t->find(chain[i]);
    t = f ? f->t : nullptr;
  }
  if (!t || t->t != lang::type::tag::record) return items;
  for (const auto& f : t->fields) items.push_back(item(f.name, field_kind, f.t ? lang::describe(*f.t) : "", "0"));
  return items;
}

// The function whose argument list the cursor is in: the name before the
// innermost `(` not yet closed.
std::string enclosing_call(std::string_view before) {
  int depth = 0;
  for (std::size_t i = before.size(); i-- > 0;) {
    char c = before[i];
    if (c == ')' || c == ']' || c == '}') ++depth;
    else if (c == '[' || c == '{') --depth;
    else if (c == '(' && depth-- == 0) {
      auto end = i;
      while (end > 0 && before[end - 1] == ' ') --end;
      auto start = end;
      while (start > 0 && word_char(before[start - 1])) --start;
      return std::string(before.substr(start, end - start));
    }
    if (depth < 0) return {};
  }
  return {};
}

// `80 ` or `3.35 TB/` before the unit being typed.
bool after_number(std::string_view before) {
  while (!before.empty() && (word_char(before.back()) || before.back() == '/')) before.remove_suffix(1);
  if (before.empty() || before.back() != ' ') return false;
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  return !before.empty() && std::isdigit(static_cast<unsigned char>(before.back()));
}

void add_parameters(const std::string& function, std::set<std::string>& seen, json& items) {
  const auto* fn = find_builtin(function);
  if (!fn) return;
  for (const auto& p : fn->params) {
    std::string unit = p.kind == param_kind::quantity ? " [" + lang::base_unit_text(p.d) + "]" : "";
    std::string fallback = p.required ? " (required)" : p.default_text.empty() ? "" : " = " + p.default_text;
    auto entry = item(p.name, property_kind, p.doc + unit + fallback, "0");
    entry["insertText"] = p.name + " = ";
    entry["filterText"] = p.name;
    items.push_back(std::move(entry));
    seen.insert(p.name + " =");
  }
}

void add_scope(const document& doc, std::set<std::string>& seen, json& items, std::size_t depth = 0) {
  for (const auto& [name, t] : doc.scope_types)
    if (seen.insert(name).second) items.push_back(item(name, variable_kind, t ? lang::describe(*t) : "", "1"));
  for (const auto& d : doc.definitions)
    if (seen.insert(d.name).second) items.push_back(item(d.name, variable_kind, d.kind, "1"));
  if (depth < 4)
    for (const auto& i : doc.imports)
      if (i.doc) add_scope(*i.doc, seen, items, depth + 1);
}

void add_everything(const document& doc, const context& ctx, std::set<std::string>& seen, json& items) {
  add_scope(doc, seen, items);
  for (const auto& name : ctx.reg.names()) {
    if (!seen.insert(name).second) continue;
    auto entry = ctx.reg.find(name);
    items.push_back(item(name, constant_kind, entry ? entry->kind : "", "2"));
  }
  for (const auto& fn : builtins())
    if (seen.insert(fn.name).second) items.push_back(item(fn.name, function_kind, fn.summary, "3"));
  for (const auto& name : ctx.env.function_names())
    if (seen.insert(name).second) items.push_back(item(name, function_kind, "", "3"));
  for (const auto& w : builtin_words())
    if (seen.insert(w).second) items.push_back(item(w, enum_member_kind, "word", "4"));
  for (auto k : lang::keywords())
    if (seen.insert(std::string(k)).second) items.push_back(item(std::string(k), keyword_kind, "keyword", "5"));
}

}  // namespace

json completion(const document& doc, const context& ctx, const json& params) {
  auto offset = offset_of(doc, params);
  std::string_view text = doc.source->text();
  auto from = offset > max_look_back ? offset - max_look_back : 0u;
  auto before = text.substr(from, offset - from);
  auto line = before.substr(before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1);
  // The word being typed is the client's to filter; the context is before it.
  auto context_end = line.size();
  while (context_end > 0 && word_char(line[context_end - 1])) --context_end;
  auto head = line.substr(0, context_end);

  json items = json::array();
  if (auto chain = field_chain(head); !chain.empty()) {
    items = field_items(doc, ctx, chain);
    return {{"isIncomplete", false}, {"items", items}};
  }
  if (after_number(line)) {
    for (const auto& u : ctx.reg.units().spellings()) items.push_back(item(u, unit_kind, "unit", "0"));
    return {{"isIncomplete", false}, {"items", items}};
  }
  std::set<std::string> seen;
  if (auto fn = enclosing_call(before); !fn.empty()) add_parameters(fn, seen, items);
  add_everything(doc, ctx, seen, items);
  return {{"isIncomplete", false}, {"items", items}};
}

}  // namespace ironlaw::runtime::lsp
