#pragma once
// The language's units: parsing unit text (`TB/s`, `GiB`, `g/kWh`) and
// printing quantities with a readable unit and prefix. The table is data,
// loaded from registry/units.toml.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ironlaw/runtime/interp/quantity.hpp"

namespace ironlaw::runtime {

// A parsed unit: its size in base units and its dimension.
struct unit_value {
  double factor = 1;
  dim d;
};

struct unit_error {
  std::size_t offset = 0;  // within the unit text
  std::size_t length = 0;
  std::string message;
  std::string help;
};

// Three significant digits, fixed notation from 0.001 to 999,999, scientific
// (`3.15e23`) outside; trailing zeros dropped.
std::string format_number(double v);

class unit_table {
 public:
  // Loads a table from units.toml text; on failure returns null and sets error.
  static std::unique_ptr<unit_table> load(std::string_view toml_text, std::string& error);
  // The table embedded in the binary. Loaded once.
  static const unit_table& builtin();

  ~unit_table();
  [[nodiscard]] std::variant<unit_value, unit_error> parse(std::string_view text) const;
  // A value with its display unit: `4.79 ms`, `400 GB/s`, `1.64`.
  [[nodiscard]] std::string format(const quantity& q) const;
  // A value in a unit the user asked for; the unit is printed as written.
  [[nodiscard]] static std::string format_in(const quantity& q, const unit_value& u, std::string_view text);
  // A device capacity's unit: the binary one (KiB ... EiB) that states it in
  // fewer digits than the decimal one, as vendors do (an H100 holds 80 GiB =
  // 85.89934592 GB); nullopt when the decimal figure is the shorter (a
  // wafer's 44 GB of SRAM). `text` receives the unit's spelling.
  [[nodiscard]] static std::optional<unit_value> capacity_unit(double bytes, std::string& text);
  // Every unit spelling without prefixes, for completion and suggestions.
  [[nodiscard]] std::vector<std::string> spellings() const;

  struct impl;

 private:
  explicit unit_table(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace ironlaw::runtime
