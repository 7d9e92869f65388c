#include "positions.hpp"

#include <algorithm>
#include <string_view>

namespace ironlaw::runtime::lsp {
namespace {

// UTF-16 code units of one UTF-8 sequence starting with byte `lead`: two for
// a 4-byte sequence (a surrogate pair), one otherwise.
std::uint32_t utf16_units(unsigned char lead) { return lead >= 0xF0 ? 2 : 1; }
bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

position to_position(const lang::source_file& file, std::uint32_t offset) {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(file.text().size()));
  auto lc = file.position(offset);
  auto line = file.line_text(lc.line);
  std::uint32_t units = 0;
  std::size_t bytes = std::min<std::size_t>(lc.column - 1, line.size());
  for (std::size_t i = 0; i < bytes; ++i) {
    auto c = static_cast<unsigned char>(line[i]);
    if (!continuation(c)) units += utf16_units(c);
  }
  return {lc.line - 1, units};
}

range to_range(const lang::source_file& file, lang::span s) { return {to_position(file, s.begin), to_position(file, s.end)}; }

std::uint32_t to_offset(const lang::source_file& file, position p) {
  const auto& text = file.text();
  auto end_of_file = static_cast<std::uint32_t>(text.size());
  auto last = file.position(end_of_file).line;
  if (p.line + 1 > last) return end_of_file;
  auto line = file.line_text(p.line + 1);
  auto start = static_cast<std::uint32_t>(line.data() - text.data());
  std::uint32_t units = 0;
  std::size_t i = 0;
  while (i < line.size() && units < p.character) {
    units += utf16_units(static_cast<unsigned char>(line[i]));
    ++i;
    while (i < line.size() && continuation(static_cast<unsigned char>(line[i]))) ++i;
  }
  return start + static_cast<std::uint32_t>(i);
}

}  // namespace ironlaw::runtime::lsp
