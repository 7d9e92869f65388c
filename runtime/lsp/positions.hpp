#pragma once
// LSP positions (0-based line, UTF-16 code units) and byte offsets into a
// source file (the front end's spans).
#include <cstdint>

#include "ironlaw/lang/source.hpp"

namespace ironlaw::runtime::lsp {

struct position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;  // UTF-16 code units
};

struct range {
  position start, end;
};

position to_position(const lang::source_file& file, std::uint32_t offset);
range to_range(const lang::source_file& file, lang::span s);
// The byte offset of a position; clamped to the end of its line and of the file.
std::uint32_t to_offset(const lang::source_file& file, position p);

}  // namespace ironlaw::runtime::lsp
