#pragma once
// The editor features, each a function from a document and the request's
// parameters to the result's JSON. All of them read the static analysis
// (document.hpp) and the registry's and function table's declarations; none
// evaluates, calls a solver or searches.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "document.hpp"

namespace ironlaw::runtime {
class registry;
}

namespace ironlaw::runtime::lsp {

using json = nlohmann::json;

// What the features share: the registry and the checker's view of it, and
// where a registry entry's TOML file can be opened.
struct context {
  const registry& reg;
  const lang::environment& env;
  std::string registry_root;  // a folder holding the registry's TOML files; empty: none
};

// file:///a/b.iron <-> /a/b.iron (percent-escapes decoded and encoded).
std::string uri_to_path(std::string_view uri);
std::string path_to_uri(std::string_view path);

json to_json_range(const lang::source_file& file, lang::span s);
// The LSP Diagnostic objects for a document's diagnostics.
json diagnostics_json(const document& doc, const std::string& uri);

json hover(const document& doc, const context& ctx, const json& params);
json completion(const document& doc, const context& ctx, const json& params);
json definition(const document& doc, const context& ctx, const json& params);
json references(const document& doc, const context& ctx, const json& params);
json rename(const document& doc, const context& ctx, const json& params);  // throws request_error
json document_symbols(const document& doc, const context& ctx, const json& params);
json formatting(const document& doc, const context& ctx, const json& params);
json code_actions(const document& doc, const context& ctx, const json& params);
json inlay_hints(const document& doc, const context& ctx, const json& params);

// A request the document cannot answer as asked (rename of a registry name):
// the server replies with a JSON-RPC error carrying the message.
struct request_error {
  std::string message;
};

// The offset of the request's `position` in the document.
std::uint32_t offset_of(const document& doc, const json& params);

}  // namespace ironlaw::runtime::lsp
