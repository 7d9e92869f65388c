#pragma once
// JSON-RPC's base protocol over a byte stream: `Content-Length: N` headers,
// a blank line, then N bytes of JSON. Framing only; the JSON is the server's.
#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

namespace ironlaw::runtime::lsp {

struct frame {
  enum class status {
    message,      // `body` holds one message
    end,          // the stream ended (between messages)
    bad_header,   // no usable Content-Length: `problem` says why; the next frame is read after it
    too_large,    // Content-Length beyond the limit: the body is skipped unread
  };
  status s = status::end;
  std::string body;
  std::string problem;
};

// Reads the next frame. Never throws, never reads more than `max_body` bytes
// of one body into memory, and holds at most 2 KiB of a header line (a longer
// line that is not Content-Length is ignored, like any unknown header).
frame read_frame(std::istream& in, std::size_t max_body);
// Writes one message with its header and flushes.
void write_frame(std::ostream& out, std::string_view body);

}  // namespace ironlaw::runtime::lsp
