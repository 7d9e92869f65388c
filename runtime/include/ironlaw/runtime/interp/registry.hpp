#pragma once
// The registry of named entities (hardware, models, nodes, fabrics, regions)
// and efficiency defaults, read from TOML: the embedded set, then user files.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ironlaw/runtime/interp/units.hpp"
#include "ironlaw/runtime/interp/value.hpp"

namespace ironlaw::runtime {

// Where an entry or one of its fields is written, for diagnostics.
struct location {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  int layer = 0;  // which load (embedded set, then each user directory)
};

class registry {
 public:
  explicit registry(const unit_table& units);
  // A copy holds every entry: the source's deferred files are read first.
  registry(const registry& other);
  registry& operator=(const registry& other);
  registry(registry&&) noexcept;
  registry& operator=(registry&&) noexcept;
  ~registry();

  // The registry embedded in the binary. Loaded once; problems go to `problems`.
  static const registry& embedded();

  // Adds the entries of one TOML file. `path` is relative to a registry root
  // ("hardware/nvidia.toml"); its folder names the kind. Later files override
  // earlier entries of the same name; a name defined twice within one layer is
  // a problem (the later definition still wins). Problems are appended,
  // prefixed with the file and line.
  void add_file(std::string_view path, std::string_view text);
  // A user directory: a new layer, whose entries override the earlier ones.
  void add_directory(const std::string& root);
  void begin_layer() {
    load_deferred();
    ++layer_;
  }

  // Where "H100_SXM" or "H100_SXM.peak.fp16" is written; null when unknown.
  [[nodiscard]] const location* where(std::string_view dotted_name) const;

  [[nodiscard]] record_ptr find(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> names(std::string_view kind = {}) const;
  [[nodiscard]] const record* efficiency(std::string_view regime) const;
  // Every efficiency regime ("decode", "prefill", ...), sorted.
  [[nodiscard]] std::vector<std::string> efficiency_regimes() const;
  // Sets efficiency `regime.key` to `x` in this registry (a copy, never the
  // embedded one): a user's calibration (runtime/calibrate/). `why` replaces
  // the default's source in the notes of the calls that use it.
  void override_efficiency(std::string_view regime, std::string_view key, double x, std::string why);
  [[nodiscard]] const std::vector<std::string>& problems() const {
    load_deferred();
    return problems_;
  }
  [[nodiscard]] const unit_table& units() const { return *units_; }

 private:
  // The embedded files, read at the first question asked of the registry, so
  // a command that never names an entity (`eval 1`, `help`) never parses them.
  struct deferred_files;
  void load_deferred() const;
  void add_file_now(std::string_view path, std::string_view text);
  std::unique_ptr<deferred_files> deferred_;

  const unit_table* units_;
  std::map<std::string, record_ptr, std::less<>> entries_;
  std::map<std::string, record_ptr, std::less<>> efficiency_;
  std::vector<std::string> problems_;
  std::map<std::string, location, std::less<>> locations_;
  int layer_ = 0;
};

// Folder name -> entity kind: "hardware" -> "hardware", "models" -> "model", ...
std::string_view kind_of_folder(std::string_view folder);
// The entity kind a `zoo` word lists: a folder (`models`) or a kind (`model`);
// empty for any other word.
std::string_view zoo_kind(std::string_view word);

}  // namespace ironlaw::runtime
