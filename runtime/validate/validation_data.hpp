#pragma once
// validation/*.toml, embedded at build time (cmake/embed.cmake) so that
// `ironlaw validate` works from any directory.
#include "ironlaw/embedded_registry.hpp"

namespace ironlaw::validation_data {
std::span<const embedded_file> files();
}  // namespace ironlaw::validation_data
