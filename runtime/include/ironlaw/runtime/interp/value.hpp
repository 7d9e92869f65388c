#pragma once
// Language values: quantities, booleans, strings, enum symbols, records
// (registry entities and solver results) and lists.
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ironlaw/runtime/interp/quantity.hpp"

namespace ironlaw::runtime {

struct record;
struct value;
using record_ptr = std::shared_ptr<const record>;
using list = std::vector<value>;
using list_ptr = std::shared_ptr<const list>;

// A bare word such as `fp16` or `memory`: an enum value.
struct symbol {
  std::string name;
  friend bool operator==(const symbol&, const symbol&) = default;
};

struct value {
  std::variant<std::monostate, quantity, bool, std::string, symbol, record_ptr, list_ptr> v;

  value() = default;
  value(quantity q) : v(q) {}
  value(bool b) : v(b) {}
  value(std::string s) : v(std::move(s)) {}
  value(symbol s) : v(std::move(s)) {}
  value(record_ptr r) : v(std::move(r)) {}
  value(list_ptr l) : v(std::move(l)) {}

  [[nodiscard]] const quantity* as_quantity() const { return std::get_if<quantity>(&v); }
  [[nodiscard]] const record* as_record() const {
    auto* r = std::get_if<record_ptr>(&v);
    return r ? r->get() : nullptr;
  }
  [[nodiscard]] const symbol* as_symbol() const { return std::get_if<symbol>(&v); }
};

struct field {
  std::string name;
  value v;
  std::string note;  // a one-line explanation shown beside the value
  std::string why;   // the derivation, with the values substituted (`:why`); may be empty
};

struct record {
  std::string kind;    // "hardware", "model", "region", "decode", "peak", ...
  std::string name;    // the entity's name; empty for results
  std::string origin;  // where it was defined ("hardware/nvidia.toml")
  std::vector<field> fields;
  // A solver result whose configuration does not fit in memory says why here
  // ("needs 141 GB of 80 GB per device: weights 141 GB"); empty when it fits.
  // Its fields that hold only if it runs (only_if_it_fits) are then
  // hypothetical: reading one is E0221 unless the call passed
  // `allow_infeasible = true` (`hypothetical_allowed`) or the field is read as
  // `<name>_if_it_fit` (docs/language.md, "Results that do not fit").
  std::string infeasible;
  bool hypothetical_allowed = false;

  [[nodiscard]] const field* find(std::string_view n) const {
    for (const auto& f : fields)
      if (f.name == n) return &f;
    return nullptr;
  }
  [[nodiscard]] const quantity* quantity_of(std::string_view n) const {
    const auto* f = find(n);
    return f ? f->v.as_quantity() : nullptr;
  }
};

// Whether a result field of dimension `d` means something only if the
// configuration runs: a time, a rate (anything per time), or what a time
// produces (energy, cost, carbon mass). Bytes, FLOPs and counts do not.
bool only_if_it_fits(const dim& d);
// `r.itl_if_it_fit` reads `itl` of a result that does not fit, on purpose.
inline constexpr std::string_view if_it_fit_suffix = "_if_it_fit";
// The field `name` names: itself, or `itl` for `itl_if_it_fit`; null if none.
const field* find_field(const record& r, std::string_view name, bool* hypothetical = nullptr);
// Whether reading `f` of `r` must be refused: `r` does not fit, `f` holds only
// if it runs, and neither `allow_infeasible` nor `_if_it_fit` asked for it.
bool refuses_read(const record& r, const field& f, bool hypothetical_read);

// "a bandwidth", "a model", "a string", ... for diagnostics.
std::string describe(const value& v);

}  // namespace ironlaw::runtime
