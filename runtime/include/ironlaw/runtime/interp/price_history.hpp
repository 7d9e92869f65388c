#pragma once
// Dated price histories of registry entries (`[[H100_SXM.cloud_price_history]]`):
// each entry a price on a date with its unit, source and whether the figure
// was read in that source (confirmed) or taken from a secondary or remembered
// one (recalled). The current `price` / `cloud_price` is the newest entry;
// `ironlaw registry check` holds the registry to that (docs/registry.md).
#include <optional>
#include <string>
#include <vector>

#include "ironlaw/runtime/interp/entity_schema.hpp"
#include "ironlaw/runtime/interp/units.hpp"
#include "ironlaw/runtime/interp/value.hpp"

namespace ironlaw::runtime {

// The keys of one history entry, and the statuses it may give.
inline constexpr const char* price_history_keys[] = {"as_of", "value", "status", "title", "url", "notes"};
inline constexpr const char* price_history_statuses[] = {"confirmed", "recalled"};

// A date "YYYY-MM" or "YYYY-MM-DD" as year*100+month; nullopt when it is
// neither (or the month or day is out of range).
std::optional<int> month_of(const std::string& date);

// The field a history field dates: "cloud_price" for "cloud_price_history".
std::string priced_field(const field_schema& history);

// What is wrong with entity `r`'s history field `fs` (value `v`), each as
// {the dotted place, the message}: an entry that is not a table, lacks a key,
// has an unknown one, a date that is not YYYY-MM[-DD] or lies in the future, a
// value without the field's unit or not above zero, a status other than
// confirmed or recalled; dates not strictly increasing; no current field, or a
// current value other than the newest entry's. `this_month` is year*100+month.
struct history_problem {
  std::string at;
  std::string message;
};
std::vector<history_problem> check_price_history(const record& r, const field_schema& fs, const value& v,
                                                 const unit_table& units, int this_month);

// The history as a table to print, oldest first: unnamed records with fields
// as_of, value (text, in the field's display unit: "12.29 USD/h"), status and
// source. When the entity's current value is not the newest entry's (a
// declaration that overrides the price), a last row says so.
value price_history_table(const record& r, const field_schema& fs, const unit_table& units);

}  // namespace ironlaw::runtime
