#include "record_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "ironlaw/runtime/interp/evaluated.hpp"

namespace ironlaw::runtime {

std::optional<std::string> format_record_table(const value& v, const unit_table& units) {
  const auto* l = std::get_if<list_ptr>(&v.v);
  if (!l || (*l)->empty()) return std::nullopt;
  const record* first = (**l)[0].as_record();
  if (!first || !first->name.empty()) return std::nullopt;
  std::vector<std::string> header;
  for (const auto& f : first->fields) header.push_back(f.name);
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : **l) {
    const record* r = item.as_record();
    if (!r || !r->name.empty() || r->fields.size() != header.size()) return std::nullopt;
    std::vector<std::string> cells;
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (r->fields[i].name != header[i]) return std::nullopt;
      cells.push_back(format_field(*r, r->fields[i], units));
    }
    rows.push_back(std::move(cells));
  }
  std::vector<std::size_t> width(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) {
    width[i] = header[i].size();
    for (const auto& row : rows) width[i] = std::max(width[i], row[i].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i)
      out += i + 1 < cells.size() ? fmt::format("{:<{}}  ", cells[i], width[i]) : cells[i];
    return out;
  };
  std::string out = first->kind + " table\n  " + line(header);
  for (const auto& row : rows) out += "\n  " + line(row);
  return out;
}

}  // namespace ironlaw::runtime
