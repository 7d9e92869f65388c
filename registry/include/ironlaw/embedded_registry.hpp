#pragma once
// Files embedded in the binary at build time (cmake/embed.cmake): the
// registry's TOML and the diagnostic pages of docs/errors/.
#include <span>
#include <string_view>

namespace ironlaw {

struct embedded_file {
  std::string_view path;  // relative to the embedded folder, e.g. "hardware/nvidia.toml"
  std::string_view text;
};

namespace registry_data {
using ironlaw::embedded_file;
std::span<const embedded_file> files();  // registry/**/*.toml
}  // namespace registry_data

namespace error_docs {
std::span<const embedded_file> files();  // docs/errors/E*.md
}  // namespace error_docs

}  // namespace ironlaw
