// What every feature shares: URIs, ranges, positions and diagnostics as LSP JSON.
#include <nlohmann/json.hpp>

#include "features.hpp"
#include "positions.hpp"

namespace ironlaw::runtime::lsp {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

json position_json(position p) { return {{"line", p.line}, {"character", p.character}}; }

}  // namespace

std::string uri_to_path(std::string_view uri) {
  constexpr std::string_view scheme = "file://";
  if (uri.substr(0, scheme.size()) != scheme) return {};  // untitled:, and other schemes: no file on disk
  uri.remove_prefix(scheme.size());
  std::string path;
  for (std::size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && hex_digit(uri[i + 1]) >= 0 && hex_digit(uri[i + 2]) >= 0) {
      path.push_back(static_cast<char>(hex_digit(uri[i + 1]) * 16 + hex_digit(uri[i + 2])));
      i += 2;
    } else {
      path.push_back(uri[i]);
    }
  }
  return path;
}

std::string path_to_uri(std::string_view path) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string uri = "file://";
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      uri.push_back(c);
    } else {
      uri.push_back('%');
      uri.push_back(digits[u >> 4]);
      uri.push_back(digits[u & 15]);
    }
  }
  return uri;
}

json to_json_range(const lang::source_file& file, lang::span s) {
  auto r = to_range(file, s);
  return {{"start", position_json(r.start)}, {"end", position_json(r.end)}};
}

std::uint32_t offset_of(const document& doc, const json& params) {
  const auto& p = params.at("position");
  return to_offset(*doc.source, {p.at("line").get<std::uint32_t>(), p.at("character").get<std::uint32_t>()});
}

json diagnostics_json(const document& doc, const std::string& uri) {
  json out = json::array();
  for (const auto& d : doc.diagnostics) {
    std::string message = d.message;
    if (!d.primary_label.empty()) message += " (" + d.primary_label + ")";
    for (const auto& note : d.notes) message += "\nnote: " + note;
    if (!d.help.empty()) message += "\nhelp: " + d.help;
    json item = {
        {"range", d.source ? to_json_range(*d.source, d.primary) : to_json_range(*doc.source, {})},
        {"severity", d.level == lang::severity::error ? 1 : d.level == lang::severity::warning ? 2 : 3},
        {"source", "ironlaw"},
        {"message", message},
    };
    if (!d.code.empty()) item["code"] = d.code;
    if (!d.help.empty()) item["data"] = {{"help", d.help}};
    json related = json::array();
    for (const auto& l : d.secondary)
      related.push_back({{"location", {{"uri", uri}, {"range", to_json_range(*doc.source, l.where)}}},
                         {"message", l.text.empty() ? std::string("related") : l.text}});
    if (!related.empty()) item["relatedInformation"] = related;
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace ironlaw::runtime::lsp
