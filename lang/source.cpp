#include "ironlaw/lang/source.hpp"

#include <algorithm>

namespace ironlaw::lang {

source_file::source_file(std::string name, std::string text) : name_(std::move(name)), text_(std::move(text)) {}

void source_file::index_lines() const {
  if (!line_starts_.empty()) return;
  line_starts_.push_back(0);
  for (std::uint32_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

line_col source_file::position(std::uint32_t offset) const {
  index_lines();
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
  return {line, offset - line_starts_[line - 1] + 1};
}

std::string_view source_file::line_text(std::uint32_t line) const {
  index_lines();
  if (line == 0 || line > line_starts_.size()) return {};
  std::uint32_t begin = line_starts_[line - 1];
  std::uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1 : static_cast<std::uint32_t>(text_.size());
  std::string_view view(text_);
  auto text = view.substr(begin, end - begin);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

std::string_view source_file::slice(span s) const {
  std::string_view view(text_);
  if (s.begin >= view.size()) return {};
  return view.substr(s.begin, std::min<std::size_t>(s.size(), view.size() - s.begin));
}

}  // namespace ironlaw::lang
