#pragma once
// The registry of named entities (hardware, models, nodes, fabrics, regions)
// and efficiency defaults, read from TOML: the embedded set, then user files.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ironlaw/runtime/units.hpp"
#include "ironlaw/runtime/value.hpp"

namespace ironlaw::runtime {

class registry {
 public:
  explicit registry(const unit_table& units) : units_(&units) {}

  // The registry embedded in the binary. Loaded once; problems go to `problems`.
  static const registry& embedded();

  // Adds the entries of one TOML file. `path` is relative to a registry root
  // ("hardware/nvidia.toml"); its folder names the kind. Later files override
  // earlier entries of the same name. Problems are appended, prefixed with the
  // file and line.
  void add_file(std::string_view path, std::string_view text);
  void add_directory(const std::string& root);

  [[nodiscard]] record_ptr find(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> names(std::string_view kind = {}) const;
  [[nodiscard]] const record* efficiency(std::string_view regime) const;
  [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }
  [[nodiscard]] const unit_table& units() const { return *units_; }

 private:
  const unit_table* units_;
  std::map<std::string, record_ptr, std::less<>> entries_;
  std::map<std::string, record_ptr, std::less<>> efficiency_;
  std::vector<std::string> problems_;
};

// Folder name -> entity kind: "hardware" -> "hardware", "models" -> "model", ...
std::string_view kind_of_folder(std::string_view folder);

}  // namespace ironlaw::runtime
