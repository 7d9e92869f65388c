#include "ironlaw/runtime/interp/price_history.hpp"

#include "ironlaw/runtime/interp/agree.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace ironlaw::runtime {
namespace {

const std::string* text_of(const record& r, std::string_view key) {
  const auto* f = r.find(key);
  return f ? std::get_if<std::string>(&f->v.v) : nullptr;
}

// A price as its source gives it (12.29 USD/h, 4.0966 USD/h: six significant
// digits, not the three a result prints with), in the field's display unit
// (USD/h), else in the unit the unit table picks.
std::string shown(const quantity& q, const field_schema& fs, const unit_table& units) {
  std::string unit = fs.display;
  if (unit.empty()) {
    auto text = units.format(q);
    auto space = text.find(' ');
    if (space == std::string::npos) return text;
    unit = text.substr(space + 1);
  }
  auto parsed = units.parse(unit);
  const auto* u = std::get_if<unit_value>(&parsed);
  if (!u || u->d != q.d) return units.format(q);
  return fmt::format("{:.6g} {}", q.si / u->factor, unit);
}

// The entries that are tables, in order.
std::vector<const record*> entries_of(const value& v) {
  std::vector<const record*> out;
  if (const auto* l = std::get_if<list_ptr>(&v.v))
    for (const auto& item : **l)
      if (const auto* e = item.as_record()) out.push_back(e);
  return out;
}

}  // namespace

std::optional<int> month_of(const std::string& s) {
  auto digits = [&](std::size_t at, std::size_t n) {
    if (s.size() < at + n) return false;
    for (std::size_t i = at; i < at + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
  };
  bool month = s.size() == 7 && digits(0, 4) && s[4] == '-' && digits(5, 2);
  bool day = s.size() == 10 && digits(0, 4) && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2);
  if (!month && !day) return std::nullopt;
  int y = std::stoi(s.substr(0, 4));
  int m = std::stoi(s.substr(5, 2));
  if (m < 1 || m > 12) return std::nullopt;
  if (day) {
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    static constexpr int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int d = std::stoi(s.substr(8, 2));
    if (d < 1 || d > days_in[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;  // 2023-02-30 is no date
  }
  return y * 100 + m;
}

std::string priced_field(const field_schema& history) {
  constexpr std::string_view suffix = "_history";
  const auto& n = history.name;
  return n.ends_with(suffix) ? n.substr(0, n.size() - suffix.size()) : n;
}

std::vector<history_problem> check_price_history(const record& r, const field_schema& fs, const value& v,
                                                 const unit_table& units, int this_month) {
  std::vector<history_problem> out;
  const std::string at = r.name + "." + fs.name;
  const auto* l = std::get_if<list_ptr>(&v.v);
  if (!l || (*l)->empty()) {
    out.push_back({at, fmt::format("{} must be a list of dated prices ([[{}]] tables with as_of, value, status, "
                                   "title, url)",
                                   at, at)});
    return out;
  }
  const std::string priced = priced_field(fs);
  const auto* current = r.quantity_of(priced);
  if (!current) out.push_back({at, fmt::format("{}: the entry has no {} for its newest price to equal", at, priced)});
  std::optional<int> previous;
  std::string previous_date;
  for (std::size_t i = 0; i < (*l)->size(); ++i) {
    const std::string here = fmt::format("{}[{}]", at, i);
    const record* e = (**l)[i].as_record();
    if (!e) {
      out.push_back({at, fmt::format("{} must be a table (as_of, value, status, title, url, notes)", here)});
      continue;
    }
    for (const char* key : {"as_of", "value", "status", "title", "url"})
      if (!e->find(key)) out.push_back({at, fmt::format("{}: missing '{}'", here, key)});
    for (const auto& f : e->fields)
      if (std::find_if(std::begin(price_history_keys), std::end(price_history_keys),
                       [&](const char* k) { return f.name == k; }) == std::end(price_history_keys))
        out.push_back({at, fmt::format("{}.{}: a price history entry has as_of, value, status, title, url and notes",
                                       here, f.name)});
    for (const char* key : {"status", "title", "url", "notes"})
      if (const auto* f = e->find(key); f && !text_of(*e, key))
        out.push_back({at, fmt::format("{}.{} must be a string", here, key)});
    if (const auto* status = text_of(*e, "status");
        status && *status != price_history_statuses[0] && *status != price_history_statuses[1])
      out.push_back({at, fmt::format("{}.status must be confirmed (read in the source) or recalled (taken from a "
                                     "secondary or remembered source), not '{}'",
                                     here, *status)});
    if (const auto* f = e->find("value")) {
      const auto* q = f->v.as_quantity();
      if (!q || q->d != fs.d)
        out.push_back({at, fmt::format("{}.value must be {} with its unit, e.g. \"{}\"; not {}", here,
                                       describe(fs.d), fs.display.empty() ? "30000 USD" : "6.88 " + fs.display,
                                       describe(f->v))});
      else if (!(q->si > 0))
        out.push_back({at, fmt::format("{}.value must be above zero, got {}", here, shown(*q, fs, units))});
    }
    const auto* date = text_of(*e, "as_of");
    if (!date) continue;
    auto month = month_of(*date);
    if (!month) {
      out.push_back({at, fmt::format("{}.as_of must be a date YYYY-MM or YYYY-MM-DD, not '{}'", here, *date)});
      continue;
    }
    if (*month > this_month) out.push_back({at, fmt::format("{}.as_of '{}' is in the future", here, *date)});
    // Oldest first, one price per date: compare whole dates (a day refines a month).
    if (previous && (*month < *previous || *date <= previous_date))
      out.push_back({at, fmt::format("{}.as_of '{}' is not after the entry before it ('{}'): oldest first", here,
                                     *date, previous_date)});
    previous = month;
    previous_date = *date;
  }
  const record* newest = (**l).back().as_record();
  const auto* last = newest ? newest->quantity_of("value") : nullptr;
  if (current && last && last->d == current->d && !agree(last->si, current->si))
    out.push_back({at, fmt::format("{}: the newest entry is {}, but {}.{} is {}: the current price is the newest "
                                   "dated one",
                                   at, shown(*last, fs, units), r.name, priced, shown(*current, fs, units))});
  return out;
}

value price_history_table(const record& r, const field_schema& fs, const unit_table& units) {
  const auto* f = r.find(fs.name);
  auto rows = std::make_shared<list>();
  if (!f) return value{list_ptr(rows)};
  auto text = [](const record& e, std::string_view key) {
    const auto* s = text_of(e, key);
    return s ? *s : std::string("-");
  };
  const quantity* newest = nullptr;
  for (const record* e : entries_of(f->v)) {
    const auto* q = e->quantity_of("value");
    auto row = std::make_shared<record>();
    row->kind = fs.name;
    row->fields = {field{"as_of", value{text(*e, "as_of")}, {}, {}},
                   field{"value", value{q ? shown(*q, fs, units) : std::string("-")}, {}, {}},
                   field{"status", value{text(*e, "status")}, {}, {}},
                   field{"source", value{text(*e, "title")}, {}, {}}};
    rows->push_back(value{record_ptr(row)});
    newest = q;
  }
  // A declaration that sets its own price (`hardware Cheap extends H100_SXM`)
  // inherits the dated history; its own price is no dated one.
  const auto* current = r.quantity_of(priced_field(fs));
  if (current && (!newest || newest->d != current->d || !agree(newest->si, current->si))) {
    auto row = std::make_shared<record>();
    row->kind = fs.name;
    row->fields = {field{"as_of", value{std::string("-")}, {}, {}},
                   field{"value", value{shown(*current, fs, units)}, {}, {}},
                   field{"status", value{std::string("declared")}, {}, {}},
                   field{"source", value{fmt::format("{}.{} as declared (not in the registry's history)", r.name,
                                                     priced_field(fs))},
                         {},
                         {}}};
    rows->push_back(value{record_ptr(row)});
  }
  return value{list_ptr(rows)};
}

}  // namespace ironlaw::runtime
