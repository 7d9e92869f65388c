#include "ironlaw/lang/diagnostic.hpp"
#include "ironlaw/lang/text_formats.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ironlaw::lang {

diagnostic& diagnostics::error(std::string code, const source_ptr& source, span where, std::string message) {
  diagnostic d;
  d.code = std::move(code);
  d.source = source;
  d.primary = where;
  d.message = std::move(message);
  return add(std::move(d));
}

diagnostic& diagnostics::add(diagnostic d) {
  if (d.level == severity::error) ++errors_;
  if (items_.size() >= max_errors) {
    ++dropped_;
    return overflow_;
  }
  items_.push_back(std::move(d));
  return items_.back();
}

void diagnostics::clear() {
  items_.clear();
  errors_ = 0;
  dropped_ = 0;
  stopped_ = false;
}

void diagnostics::sort_by_position() {
  std::stable_sort(items_.begin(), items_.end(), [](const diagnostic& a, const diagnostic& b) {
    const auto* na = a.source ? &a.source->name() : nullptr;
    const auto* nb = b.source ? &b.source->name() : nullptr;
    if (na && nb && *na != *nb) return *na < *nb;
    return a.primary.begin < b.primary.begin;
  });
}

namespace {

std::string_view severity_name(severity s) {
  switch (s) {
    case severity::error: return "error";
    case severity::warning: return "warning";
    case severity::note: return "note";
  }
  return "error";
}

// A message quoting a million-character name shows its start and end only.
std::string shortened(const std::string& message) {
  constexpr std::size_t keep = 200, tail = 40;
  if (message.size() <= keep + tail + 3) return message;
  std::size_t head_end = keep, tail_begin = message.size() - tail;
  while (head_end > 0 && (static_cast<unsigned char>(message[head_end]) & 0xC0) == 0x80) --head_end;
  while (tail_begin < message.size() && (static_cast<unsigned char>(message[tail_begin]) & 0xC0) == 0x80) ++tail_begin;
  return message.substr(0, head_end) + "..." + message.substr(tail_begin);
}

std::string header(const diagnostic& d) {
  return d.code.empty() ? fmt::format("{}: {}", severity_name(d.level), shortened(d.message))
                        : fmt::format("{}[{}]: {}", severity_name(d.level), d.code, shortened(d.message));
}

std::string location(const diagnostic& d) {
  if (!d.source) return "ironlaw";
  auto pos = d.source->position(d.primary.begin);
  return fmt::format("{}:{}:{}", d.source->name(), pos.line, pos.column);
}

struct marker {
  std::uint32_t column;  // 0-based within the line
  std::uint32_t width;
  char glyph;            // '^' primary, '-' secondary
  std::string text;
};

// Columns count bytes, but a UTF-8 continuation byte takes no screen column.
std::uint32_t display_width(std::string_view s) {
  std::uint32_t w = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++w;
  return w;
}

// The line as shown: bytes that are not UTF-8 and control characters become
// '?', byte for byte, so byte columns still point at the same place.
std::string printable(std::string_view line) {
  std::string out(line);
  for (std::size_t i = 0; i < out.size();) {
    auto c = static_cast<unsigned char>(out[i]);
    std::size_t n = utf8_sequence_length(out, i);
    if (n == 0 || (c < 0x20 && c != '\t') || c == 0x7F) {
      out[i++] = '?';
      continue;
    }
    i += n;
  }
  return out;
}

// At most this many bytes of a long line are shown, around the first mark:
// a million-character line must not print a million characters per diagnostic.
constexpr std::uint32_t shown_bytes = 120;

// A mark in byte columns of the whole line, before it is placed on screen.
struct byte_mark {
  std::uint32_t begin;
  std::uint32_t end;
  char glyph;
  std::string text;
};

void render_line(std::string& out, std::uint32_t line, std::string_view whole, const std::vector<byte_mark>& bytes,
                 std::size_t gutter) {
  std::string full = printable(whole);
  std::uint32_t size = static_cast<std::uint32_t>(full.size());
  std::uint32_t first = size, from = 0, to = size;
  for (const auto& b : bytes) first = std::min(first, b.begin);
  if (size > shown_bytes) {
    from = first > shown_bytes / 3 ? first - shown_bytes / 3 : 0;
    while (from > 0 && (static_cast<unsigned char>(full[from]) & 0xC0) == 0x80) --from;  // not inside a character
    to = std::min(size, from + shown_bytes);
    while (to < size && (static_cast<unsigned char>(full[to]) & 0xC0) == 0x80) ++to;
  }
  std::string prefix = from > 0 ? "..." : "", suffix = to < size ? "..." : "";
  std::string_view shown(full);
  shown = shown.substr(from, to - from);
  std::vector<marker> marks;
  for (const auto& b : bytes) {
    std::uint32_t begin = std::clamp(b.begin, from, to), end = std::clamp(b.end, from, to);
    auto col = static_cast<std::uint32_t>(prefix.size()) + display_width(shown.substr(0, begin - from));
    marks.push_back({col, display_width(shown.substr(begin - from, end - begin)), b.glyph, b.text});
  }
  std::string text = prefix + std::string(shown) + suffix;
  std::string pad(gutter, ' ');
  out += fmt::format("{:>{}} | {}\n", line, gutter, text);
  std::sort(marks.begin(), marks.end(), [](const marker& a, const marker& b) { return a.column < b.column; });
  std::string carets;
  for (const auto& m : marks) {
    if (carets.size() < m.column) carets.append(m.column - carets.size(), ' ');
    std::string glyphs(std::max<std::uint32_t>(m.width, 1), m.glyph);
    if (carets.size() > m.column) carets.resize(m.column);
    carets += glyphs;
  }
  // The rightmost label goes on the caret line; the others hang below it.
  std::vector<const marker*> pending;
  for (const auto& m : marks)
    if (!m.text.empty()) pending.push_back(&m);
  if (!pending.empty() && pending.back() == &marks.back()) {
    carets += " " + pending.back()->text;
    pending.pop_back();
  }
  out += fmt::format("{} | {}\n", pad, carets);
  while (!pending.empty()) {
    const marker* m = pending.back();
    pending.pop_back();
    std::string connectors;
    for (const auto* p : pending) {
      if (connectors.size() < p->column) connectors.append(p->column - connectors.size(), ' ');
      connectors += '|';
    }
    std::string row = connectors;
    if (row.size() < m->column) row.append(m->column - row.size(), ' ');
    std::string bar_row = row;
    bar_row.resize(m->column);
    bar_row += '|';
    out += fmt::format("{} | {}\n", pad, bar_row);
    row.resize(m->column);
    row += m->text;
    out += fmt::format("{} | {}\n", pad, row);
  }
}

}  // namespace

std::string render_short(const diagnostic& d) { return fmt::format("{}: {}", location(d), header(d)); }

std::string render_human(const diagnostic& d, bool color) {
  std::string out;
  std::string head = header(d);
  if (color) head = fmt::format("\x1b[1;{}m{}\x1b[0m", d.level == severity::error ? 31 : 33, head);
  out += fmt::format("{}: {}\n", location(d), head);
  if (d.source) {
    // Group the labels by line: each span is shown on the line it starts on,
    // underlined to its end or to the end of that line.
    struct located {
      std::uint32_t line;
      byte_mark m;
    };
    std::vector<located> all;
    auto add = [&](span s, char glyph, const std::string& text) {
      auto start = d.source->position(s.begin);
      auto line = d.source->line_text(start.line);
      std::uint32_t col_bytes = std::min<std::uint32_t>(start.column - 1, static_cast<std::uint32_t>(line.size()));
      std::uint32_t end_bytes = std::min<std::uint32_t>(col_bytes + s.size(), static_cast<std::uint32_t>(line.size()));
      all.push_back({start.line, byte_mark{col_bytes, std::max(col_bytes, end_bytes), glyph, text}});
    };
    add(d.primary, '^', d.primary_label);
    for (const auto& l : d.secondary) add(l.where, '-', l.text);
    std::sort(all.begin(), all.end(), [](const located& a, const located& b) { return a.line < b.line; });
    std::size_t gutter = fmt::format("{}", all.back().line).size();
    out += fmt::format("{} |\n", std::string(gutter, ' '));
    for (std::size_t i = 0; i < all.size();) {
      std::vector<byte_mark> marks;
      std::uint32_t line = all[i].line;
      for (; i < all.size() && all[i].line == line; ++i) marks.push_back(all[i].m);
      render_line(out, line, d.source->line_text(line), marks, gutter);
    }
  }
  for (const auto& n : d.notes) out += fmt::format("  = note: {}\n", n);
  if (!d.help.empty()) out += fmt::format("  = help: {}\n", d.help);
  return out;
}

namespace {

std::string json_span(const diagnostic& d, span s, const std::string& text) {
  if (!d.source) return fmt::format("{{\"message\":{}}}", json_string(text));
  auto b = d.source->position(s.begin);
  auto e = d.source->position(s.end);
  return fmt::format("{{\"line\":{},\"column\":{},\"end_line\":{},\"end_column\":{},\"message\":{}}}", b.line, b.column,
                     e.line, e.column, json_string(text));
}

}  // namespace

std::string render_json(const std::vector<diagnostic>& ds) {
  std::string out = "[";
  for (std::size_t i = 0; i < ds.size(); ++i) {
    const auto& d = ds[i];
    if (i) out += ",";
    std::string file = d.source ? d.source->name() : "";
    std::uint32_t line = 0, column = 0;
    if (d.source) {
      auto p = d.source->position(d.primary.begin);
      line = p.line;
      column = p.column;
    }
    std::string labels = "[" + json_span(d, d.primary, d.primary_label);
    for (const auto& l : d.secondary) labels += "," + json_span(d, l.where, l.text);
    labels += "]";
    std::string notes = "[";
    for (std::size_t n = 0; n < d.notes.size(); ++n) notes += (n ? "," : "") + json_string(d.notes[n]);
    notes += "]";
    out += fmt::format(
        "{{\"code\":{},\"severity\":{},\"message\":{},\"file\":{},\"line\":{},\"column\":{},\"labels\":{},"
        "\"notes\":{},\"help\":{}}}",
        json_string(d.code), json_string(severity_name(d.level)), json_string(d.message), json_string(file), line,
        column, labels, notes, json_string(d.help));
  }
  return out + "]";
}

}  // namespace ironlaw::lang
