// Go-to-definition on a registry name opens its TOML line, so the embedded
// registry's files need a place on disk: a cache folder named after the
// version, each file rewritten (atomically) only when its text differs.
#include <cstdlib>
#include <filesystem>

#include "../io/file_io.hpp"
#include "ironlaw/embedded_registry.hpp"
#include "ironlaw/runtime/lsp/server.hpp"

namespace ironlaw::runtime::lsp {

std::string embedded_registry_folder() {
  namespace fs = std::filesystem;
  fs::path cache;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) cache = xdg;
  else if (const char* home = std::getenv("HOME"); home && *home) cache = fs::path(home) / ".cache";
  else return {};
  auto root = cache / "ironlaw" / "registry-0.1.0";
  for (const auto& f : registry_data::files()) {
    auto target = root / std::string(f.path);
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) return {};
    std::string existing;
    if (!files::read_regular(target.string(), existing) && existing == f.text) continue;
    if (files::write_atomic(target.string(), f.text, files::existing::replace)) return {};
  }
  return root.string();
}

}  // namespace ironlaw::runtime::lsp
