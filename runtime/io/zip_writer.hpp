#pragma once
// A zip archive of stored (uncompressed) files, built in memory: what
// `ironlaw assignment package --gradescope` uploads. PKWARE's APPNOTE.TXT
// (version 6.3.10), sections 4.3.7 (local file header), 4.3.12 (central
// directory header) and 4.3.16 (end of central directory); method 0, no
// ZIP64, so at most 65,535 files and 4 GiB in all. Every entry carries a fixed
// date (1980-01-01) and its Unix mode, so the same inputs give the same bytes
// and `unzip` restores the executable bit.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ironlaw::runtime::files {

// The CRC-32 of ISO 3309 / ITU-T V.42 (reflected polynomial 0xEDB88320), as zip uses.
std::uint32_t crc32(std::string_view data);

class zip_writer {
 public:
  // Adds a file; `name` is a relative path with '/' separators. False (and
  // nothing added) for an empty or absolute name, a '..' part, a repeated
  // name, or when the archive would pass zip's 32-bit limits.
  bool add(const std::string& name, std::string_view data, std::uint32_t mode = 0644);
  // The whole archive.
  [[nodiscard]] std::string finish() const;

 private:
  struct entry {
    std::string name;
    std::uint32_t crc = 0, size = 0, offset = 0, mode = 0;
  };
  std::string body_;  // local headers and data, in order
  std::vector<entry> entries_;
};

}  // namespace ironlaw::runtime::files
