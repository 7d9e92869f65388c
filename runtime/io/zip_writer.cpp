#include "zip_writer.hpp"

#include <array>
#include <limits>

namespace ironlaw::runtime::files {

namespace {

constexpr std::array<std::uint32_t, 256> crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

constexpr auto table = crc_table();

// Little-endian fields, as every zip header is.
void u16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
void u32(std::string& out, std::uint32_t v) {
  u16(out, v & 0xFFFF);
  u16(out, v >> 16);
}

constexpr std::uint32_t dos_time = 0;                    // 00:00:00
constexpr std::uint32_t dos_date = (0 << 9) | (1 << 5) | 1;  // 1980-01-01
constexpr std::uint32_t utf8_names = 1u << 11;           // general purpose bit 11
constexpr std::uint32_t version_needed = 10;             // 1.0: stored files
constexpr std::uint32_t made_by_unix = (3u << 8) | 63;   // host 3 (Unix), spec 6.3

bool safe_name(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.back() == '/' || name.find('\\') != std::string::npos) return false;
  std::size_t at = 0;
  while (at <= name.size()) {
    auto slash = name.find('/', at);
    auto part = name.substr(at, slash == std::string::npos ? std::string::npos : slash - at);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string::npos) break;
    at = slash + 1;
  }
  return true;
}

}  // namespace

std::uint32_t crc32(std::string_view data) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

bool zip_writer::add(const std::string& name, std::string_view data, std::uint32_t mode) {
  if (!safe_name(name) || name.size() > 0xFFFF || entries_.size() >= 0xFFFF) return false;
  for (const auto& e : entries_)
    if (e.name == name) return false;
  constexpr auto limit = std::numeric_limits<std::uint32_t>::max();
  // The central directory must also fit below 4 GiB: leave room for it.
  if (data.size() > limit || body_.size() + 30 + name.size() + data.size() > limit - (1u << 24)) return false;
  entry e{name, crc32(data), static_cast<std::uint32_t>(data.size()), static_cast<std::uint32_t>(body_.size()), mode & 07777};
  u32(body_, 0x04034b50);
  u16(body_, version_needed);
  u16(body_, utf8_names);
  u16(body_, 0);  // method: stored
  u16(body_, dos_time);
  u16(body_, dos_date);
  u32(body_, e.crc);
  u32(body_, e.size);  // compressed size = size
  u32(body_, e.size);
  u16(body_, static_cast<std::uint32_t>(name.size()));
  u16(body_, 0);  // extra field length
  body_ += name;
  body_.append(data.data(), data.size());
  entries_.push_back(std::move(e));
  return true;
}

std::string zip_writer::finish() const {
  std::string out = body_;
  auto directory_start = static_cast<std::uint32_t>(out.size());
  for (const auto& e : entries_) {
    u32(out, 0x02014b50);
    u16(out, made_by_unix);
    u16(out, version_needed);
    u16(out, utf8_names);
    u16(out, 0);
    u16(out, dos_time);
    u16(out, dos_date);
    u32(out, e.crc);
    u32(out, e.size);
    u32(out, e.size);
    u16(out, static_cast<std::uint32_t>(e.name.size()));
    u16(out, 0);  // extra
    u16(out, 0);  // comment
    u16(out, 0);  // disk number
    u16(out, 0);  // internal attributes
    u32(out, (0100000u | e.mode) << 16);  // external: a regular file's st_mode in the high half
    u32(out, e.offset);
    out += e.name;
  }
  auto directory_size = static_cast<std::uint32_t>(out.size() - directory_start);
  u32(out, 0x06054b50);
  u16(out, 0);
  u16(out, 0);
  u16(out, static_cast<std::uint32_t>(entries_.size()));
  u16(out, static_cast<std::uint32_t>(entries_.size()));
  u32(out, directory_size);
  u32(out, directory_start);
  u16(out, 0);  // comment length
  return out;
}

}  // namespace ironlaw::runtime::files
