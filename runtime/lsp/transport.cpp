#include "transport.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <istream>
#include <ostream>

namespace ironlaw::runtime::lsp {
namespace {

constexpr std::size_t max_header_line = 1024;

// One header line without its CR LF; false at the end of the stream. A line
// over 1 KiB sets `too_long` and keeps only its last 1-2 KiB: after a bad
// header the body that follows is read as header text, and the next frame's
// `Content-Length:` sits at the end of it (see read_frame).
bool read_header_line(std::istream& in, std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  for (int c = in.get(); c != std::char_traits<char>::eof(); c = in.get()) {
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return true;
    }
    line.push_back(static_cast<char>(c));
    if (line.size() >= 2 * max_header_line) {
      line.erase(0, max_header_line);
      too_long = true;
    }
  }
  return !line.empty();
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

// Where the last lower-case `key` in `text` starts, ignoring case; npos if nowhere.
std::size_t ifind_last(std::string_view text, std::string_view key) {
  for (std::size_t i = text.size() + 1; i-- > 0;)
    if (iequals_prefix(text.substr(i), key)) return i;
  return std::string_view::npos;
}

// Reads and drops `length` bytes in pieces, never holding them: a client
// cannot make the server allocate a body it refuses.
void skip(std::istream& in, std::size_t length) {
  char sink[4096];
  std::size_t left = length;
  while (left > 0 && in) {
    in.read(sink, static_cast<std::streamsize>(std::min(left, sizeof sink)));
    left -= static_cast<std::size_t>(in.gcount());
  }
}

}  // namespace

frame read_frame(std::istream& in, std::size_t max_body) {
  frame f;
  std::string line;
  bool too_long = false;
  bool any_header = false;
  bool have_length = false;
  std::size_t length = 0;
  // Headers up to the blank line; blank lines before any header are skipped
  // (some clients send a stray CR LF after a body).
  while (true) {
    if (!read_header_line(in, line, too_long)) {
      if (!any_header) return f;  // a clean end between messages
      f.problem = "the stream ended inside a message's headers";
      return f;
    }
    if (line.empty()) {
      if (!any_header) continue;
      break;
    }
    constexpr std::string_view key = "content-length:";
    // Resynchronise: text before a `Content-Length:` on the line is the
    // unread body of an earlier bad frame; the header starts where the last
    // key does (the body may hold the words itself, in a JSON string).
    if (auto at = ifind_last(line, key); at != std::string::npos && (at != 0 || too_long)) {
      line.erase(0, at);
      too_long = false;
      f.problem.clear();
      have_length = false;
    }
    any_header = true;
    if (too_long) {
      // Not a Content-Length (its tail would have held the key): an unknown
      // header, ignored like any other, never held beyond 2 KiB.
    } else if (iequals_prefix(line, key)) {
      std::string_view digits(line);
      digits.remove_prefix(key.size());
      while (!digits.empty() && digits.front() == ' ') digits.remove_prefix(1);
      while (!digits.empty() && digits.back() == ' ') digits.remove_suffix(1);
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
      if (ec != std::errc{} || end != digits.data() + digits.size() || digits.empty())
        f.problem = "Content-Length is not a whole number: '" + std::string(digits) + "'";
      else
        have_length = true;
    }
  }
  if (!f.problem.empty() || !have_length) {
    if (f.problem.empty()) f.problem = "a message without a Content-Length header";
    // The length is known but unusable with this header: its body is
    // skipped, so the next message is read from its own header.
    if (have_length) skip(in, length);
    f.s = frame::status::bad_header;
    return f;
  }
  if (length > max_body) {
    skip(in, length);
    f.s = frame::status::too_large;
    f.problem = "a message of " + std::to_string(length) + " bytes (the limit is " + std::to_string(max_body) + ")";
    return f;
  }
  f.body.resize(length);
  in.read(f.body.data(), static_cast<std::streamsize>(length));
  if (static_cast<std::size_t>(in.gcount()) != length) {
    f.s = frame::status::end;
    f.problem = "the stream ended inside a message's body";
    f.body.clear();
    return f;
  }
  f.s = frame::status::message;
  return f;
}

void write_frame(std::ostream& out, std::string_view body) {
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

}  // namespace ironlaw::runtime::lsp
