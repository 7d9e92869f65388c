#pragma once
// Source text and spans. Spans are byte offsets; line and column are computed
// only when a diagnostic is rendered.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ironlaw::lang {

struct span {
  std::uint32_t begin = 0;  // byte offset of the first byte
  std::uint32_t end = 0;    // one past the last byte
  [[nodiscard]] std::uint32_t size() const { return end - begin; }
  friend bool operator==(const span&, const span&) = default;
};

inline span join(span a, span b) { return {a.begin < b.begin ? a.begin : b.begin, a.end > b.end ? a.end : b.end}; }

struct line_col {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, in bytes
};

class source_file {
 public:
  source_file(std::string name, std::string text);

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::string& text() const { return text_; }
  [[nodiscard]] line_col position(std::uint32_t offset) const;
  [[nodiscard]] std::string_view line_text(std::uint32_t line) const;  // without the newline
  [[nodiscard]] std::string_view slice(span s) const;

 private:
  void index_lines() const;
  std::string name_;
  std::string text_;
  mutable std::vector<std::uint32_t> line_starts_;  // built lazily
};

using source_ptr = std::shared_ptr<const source_file>;

}  // namespace ironlaw::lang
