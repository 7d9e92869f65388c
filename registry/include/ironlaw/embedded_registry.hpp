#pragma once
// The registry's TOML files, embedded at build time (see registry/CMakeLists.txt).
#include <span>
#include <string_view>

namespace ironlaw::registry_data {

struct embedded_file {
  std::string_view path;  // relative to registry/, e.g. "hardware/nvidia.toml"
  std::string_view text;
};

std::span<const embedded_file> files();

}  // namespace ironlaw::registry_data
