// `ironlaw zoo [KIND] [--where EXPR] [--format table|csv|json]` and
// `ironlaw zoo show NAME`: browse the registry.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <ostream>

#include "cli_support.hpp"
#include "import_model_json.hpp"
#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"
#include "ironlaw/runtime/interp/entity_schema.hpp"
#include "ironlaw/runtime/interp/price_history.hpp"
#include "ironlaw/runtime/interp/suggest.hpp"

namespace ironlaw::runtime::cli {
namespace {

// `zoo models` and `zoo model` both work; the folder names are the plurals.
std::string_view kind_from_word(std::string_view word) {
  for (std::string_view folder : {"hardware", "models", "nodes", "fabrics", "regions"}) {
    auto kind = kind_of_folder(folder);
    if (word == folder || word == kind) return kind;
  }
  return {};
}

// The key fields of a kind: `path` into the record ("peak.fp16"), and the
// fixed unit CSV and JSON use (tables pick a readable unit per value).
struct column {
  std::string header;
  std::string path;
  std::string unit;  // empty: a plain number or text
  std::string key{};  // the JSON key when not `path`
};

const std::vector<column>& columns_of(std::string_view kind) {
  static const std::map<std::string, std::vector<column>, std::less<>> all = {
      {"hardware",
       {{"memory", "memory", "GB"}, {"bandwidth", "bandwidth", "GB/s"}, {"peak 16-bit dense", "peak.fp16|peak.bf16", "TFLOP/s", "peak_16bit"},
        {"tdp", "tdp", "W"}, {"year", "year", ""}}},
      {"model",
       {{"family", "family", ""}, {"params", "params", ""}, {"active", "active_params", ""}, {"layers", "layers", ""},
        {"context", "context", ""}}},
      {"region",
       {{"carbon_intensity", "carbon_intensity", "g/kWh"}, {"pue", "pue", ""}, {"wue", "wue", "L/kWh"},
        {"electricity_price", "electricity_price", "USD/kWh"}}},
      {"node",
       {{"accelerator", "accelerator", ""}, {"accelerators", "accelerators", ""}, {"scaleup", "scaleup", ""},
        {"scaleout", "scaleout", ""}, {"power", "power", "kW"}}},
      {"fabric", {{"kind", "kind", ""}, {"bandwidth", "bandwidth", "GB/s"}, {"latency", "latency", "us"}}},
      // The entry's name is the first column (and JSON's "name"), so its full
      // name is another: one key per JSON object.
      {"", {{"kind", "", ""}, {"full name", "name", "", "full_name"}}},
  };
  auto it = all.find(kind);
  return it == all.end() ? all.at("") : it->second;
}

// "peak.fp16": a field of a sub-table; "a|b": the first that exists.
const value* lookup(const record& r, std::string_view path) {
  if (auto bar = path.find('|'); bar != std::string_view::npos) {
    const auto* first = lookup(r, path.substr(0, bar));
    return first ? first : lookup(r, path.substr(bar + 1));
  }
  auto dot = path.find('.');
  const auto* f = r.find(path.substr(0, dot));
  if (!f || dot == std::string_view::npos) return f ? &f->v : nullptr;
  const auto* inner = f->v.as_record();
  return inner ? lookup(*inner, path.substr(dot + 1)) : nullptr;
}

// `digits` significant digits, no trailing zeros: datasheet figures as
// written (989.4 TFLOP/s, 2.039 TB/s), not rounded to three.
std::string precise_number(double v, int digits = 6) {
  if (v == std::round(v) && std::abs(v) < 1e7) return fmt::format("{:.0f}", v);
  auto s = fmt::format("{:.{}g}", v, digits);
  if (auto e = s.find("e+"); e != std::string::npos) s.erase(e + 1, s[e + 2] == '0' ? 2 : 1);
  return s;
}

// In the unit the unit table picks for display. A capacity is shown in
// binary units when that is the shorter exact figure (an H100 holds 80 GiB,
// its label says 80 GB), with the decimal figure beside it when `both`.
std::string precise(const quantity& q, const unit_table& units, int digits, bool both) {
  if (q.d.dimensionless()) return precise_number(q.si, digits);
  auto shown = units.format(q);
  auto space = shown.find(' ');
  if (space == std::string::npos) return shown;
  auto unit_text = shown.substr(space + 1);
  auto parsed = units.parse(unit_text);
  const auto* u = std::get_if<unit_value>(&parsed);
  if (!u) return shown;
  auto decimal = precise_number(q.si / u->factor, digits) + " " + unit_text;
  if (q.d != dim::of(base_dim::data)) return decimal;
  std::string name;
  auto binary_unit = unit_table::capacity_unit(q.si, name);
  if (!binary_unit) return decimal;
  auto binary = precise_number(q.si / binary_unit->factor, digits) + " " + name;
  return both ? fmt::format("{} (= {})", binary, shown) : binary;
}

// A table column's one unit: the one most of its values print in alone
// (binary for capacities, as vendors state them), the larger on a tie. Empty
// when the column holds no quantity with a unit.
std::string column_unit(const std::vector<record_ptr>& rows, const column& c, const unit_table& units) {
  std::map<std::string, std::pair<int, double>> seen;  // unit -> (values, its size)
  for (const auto& r : rows) {
    const auto* v = c.path.empty() ? nullptr : lookup(*r, c.path);
    const auto* q = v ? v->as_quantity() : nullptr;
    if (!q || q->d.dimensionless() || !std::isfinite(q->si) || q->si == 0) continue;
    std::string name;
    auto binary = q->d == dim::of(base_dim::data) ? unit_table::capacity_unit(q->si, name) : std::nullopt;
    if (!binary) {
      auto shown = units.format(*q);
      auto space = shown.find(' ');
      if (space == std::string::npos) continue;
      name = shown.substr(space + 1);
    }
    auto parsed = units.parse(name);
    const auto* u = std::get_if<unit_value>(&parsed);
    if (!u) continue;
    auto& entry = seen[name];
    ++entry.first;
    entry.second = u->factor;
  }
  std::string best;
  std::pair<int, double> most{0, 0};
  for (const auto& [name, count] : seen)
    if (count > most) {
      most = count;
      best = name;
    }
  return best;
}

// Tables: four digits; `zoo show`: six, and binary capacities in both units.
std::string cell_text(const value* v, const unit_table& units, bool detailed = false) {
  if (!v) return "-";
  if (const auto* q = v->as_quantity()) return precise(*q, units, detailed ? 6 : 4, detailed);
  if (const auto* s = std::get_if<std::string>(&v->v)) return *s;
  if (const auto* b = std::get_if<bool>(&v->v)) return *b ? "true" : "false";
  return describe(*v);
}

// A field whose schema names a display unit (a cloud price in USD/h), in it;
// nullopt when it has none.
std::optional<std::string> in_schema_unit(const record& r, const field& f, const unit_table& units) {
  const auto* kind = find_kind(r.kind);
  const auto* schema = kind ? find_field(*kind, f.name) : nullptr;
  const auto* q = f.v.as_quantity();
  if (!schema || schema->display.empty() || !q) return std::nullopt;
  auto parsed = units.parse(schema->display);
  const auto* u = std::get_if<unit_value>(&parsed);
  if (!u || u->d != q->d) return std::nullopt;
  return unit_table::format_in(*q, *u, schema->display);
}

// CSV and JSON: a number in the column's fixed unit.
std::optional<double> in_unit(const value* v, const column& c, const unit_table& units) {
  const auto* q = v ? v->as_quantity() : nullptr;
  if (!q) return std::nullopt;
  if (c.unit.empty()) return q->d.dimensionless() ? std::optional<double>(q->si) : std::nullopt;
  auto parsed = units.parse(c.unit);
  const auto* u = std::get_if<unit_value>(&parsed);
  if (!u || u->d != q->d) return std::nullopt;
  return q->si / u->factor;
}

std::string csv_quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string header_of(const column& c) { return c.unit.empty() ? c.header : fmt::format("{} ({})", c.header, c.unit); }

void print_table(const std::vector<record_ptr>& rows, std::string_view kind, const unit_table& units, std::ostream& out) {
  const auto& cols = columns_of(kind);
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> head = {"name"};
  // Each column in one unit, named in its header: `memory (GiB)`.
  std::vector<std::optional<unit_value>> in(cols.size());
  for (std::size_t i = 0; i < cols.size(); ++i) {
    auto unit = column_unit(rows, cols[i], units);
    auto parsed = unit.empty() ? std::variant<unit_value, unit_error>(unit_error{}) : units.parse(unit);
    if (const auto* u = std::get_if<unit_value>(&parsed)) in[i] = *u;
    head.push_back(in[i] ? fmt::format("{} ({})", cols[i].header, unit) : cols[i].header);
  }
  cells.push_back(head);
  for (const auto& r : rows) {
    std::vector<std::string> line = {r->name};
    for (std::size_t i = 0; i < cols.size(); ++i) {
      const auto& c = cols[i];
      const auto* v = c.path.empty() ? nullptr : lookup(*r, c.path);
      const auto* q = v ? v->as_quantity() : nullptr;
      if (c.path.empty()) line.push_back(r->kind);
      else if (q && in[i] && q->d == in[i]->d) line.push_back(precise_number(q->si / in[i]->factor, 4));
      else line.push_back(cell_text(v, units));
    }
    cells.push_back(std::move(line));
  }
  std::vector<std::size_t> width(head.size(), 0);
  for (const auto& line : cells)
    for (std::size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
  for (const auto& line : cells) {
    std::string text;
    for (std::size_t i = 0; i < line.size(); ++i)
      text += i + 1 == line.size() ? line[i] : fmt::format("{:<{}}  ", line[i], width[i]);
    out << text << "\n";
  }
}

void print_csv(const std::vector<record_ptr>& rows, std::string_view kind, const unit_table& units, std::ostream& out) {
  const auto& cols = columns_of(kind);
  std::string head = "name";
  for (const auto& c : cols) head += "," + csv_quote(header_of(c));
  out << head << "\n";
  for (const auto& r : rows) {
    std::string line = csv_quote(r->name);
    for (const auto& c : cols) {
      const auto* v = lookup(*r, c.path);
      auto n = in_unit(v, c, units);
      line += ",";
      if (c.path.empty()) line += r->kind;
      else if (n) line += precise_number(*n);
      else if (v && std::holds_alternative<std::string>(v->v)) line += csv_quote(std::get<std::string>(v->v));
    }
    out << line << "\n";
  }
}

void print_json(const std::vector<record_ptr>& rows, std::string_view kind, const unit_table& units, std::ostream& out) {
  const auto& cols = columns_of(kind);
  out << "[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    out << (i ? ",\n " : "") << "{\"name\":" << json::quote(r->name) << ",\"entity\":" << json::quote(r->kind);
    for (const auto& c : cols) {
      if (c.path.empty()) continue;
      const auto* v = lookup(*r, c.path);
      auto n = in_unit(v, c, units);
      out << "," << json::quote(c.key.empty() ? c.path : c.key) << ":";
      if (n && c.unit.empty()) out << precise_number(*n);
      else if (n) out << "{\"value\":" << precise_number(*n) << ",\"unit\":" << json::quote(c.unit) << "}";
      else if (v && std::holds_alternative<std::string>(v->v)) out << json::quote(std::get<std::string>(v->v));
      else out << "null";
    }
    out << "}";
  }
  out << "]\n";
}

// The quoted name in "unknown name 'tdp'" / "... has no field 'fp8'".
std::string quoted_name(const std::string& message) {
  auto end = message.rfind('\'');
  auto begin = end == std::string::npos || end == 0 ? std::string::npos : message.rfind('\'', end - 1);
  return begin == std::string::npos ? message : message.substr(begin + 1, end - begin - 1);
}

bool is_missing_field(const lang::diagnostic& d) { return d.code == "E0102" || d.code == "E0401"; }

// Keeps the entries for which `--where` holds; the condition sees each entry's
// fields as names. An entry lacking a field it reads does not match (a note
// says which); a condition no entry can answer is an error.
bool filter(std::vector<record_ptr>& rows, const std::string& where, const registry& reg, const options& o,
            cli_streams& io) {
  auto source = std::make_shared<const lang::source_file>("--where", where);
  lang::diagnostics diags;
  lang::expr_ptr condition;
  if (!lang::parse_expression(source, condition, diags).ok) {
    report(diags, o, io);
    return false;
  }
  std::vector<record_ptr> kept;
  std::vector<std::string> lacking;
  std::optional<lang::diagnostic> first_missing;
  bool any_answered = false;
  for (const auto& r : rows) {
    interpreter interp(reg);
    for (const auto& f : r->fields) interp.define(f.name, f.v);
    lang::diagnostics entry_diags;
    auto result = interp.evaluate(*condition, source, entry_diags);
    if (entry_diags.has_errors()) {
      const auto& d = entry_diags.items().front();
      if (!is_missing_field(d)) {
        report(entry_diags, o, io);
        return false;
      }
      if (!first_missing) first_missing = d;
      lacking.push_back(fmt::format("{} (no {})", r->name, quoted_name(d.message)));
      continue;
    }
    any_answered = true;
    const bool* yes = result ? std::get_if<bool>(&result->v.v) : nullptr;
    if (!yes) {
      lang::diagnostic d;
      d.code = "E0212";
      d.source = source;
      d.primary = condition->where;
      d.message = fmt::format("--where must be true or false, not {}", result ? describe(result->v) : "nothing");
      d.help = "compare fields with units: --where 'bandwidth >= 400 GB/s and memory >= 16 GB'";
      diags.add(std::move(d));
      report(diags, o, io);
      return false;
    }
    if (*yes) kept.push_back(r);
  }
  if (!any_answered && first_missing) {
    std::vector<std::string> fields;
    for (const auto& r : rows)
      for (const auto& f : r->fields)
        if (std::find(fields.begin(), fields.end(), f.name) == fields.end()) fields.push_back(f.name);
    auto near = suggest(quoted_name(first_missing->message), fields);
    first_missing->message = fmt::format("no entry has a field '{}'", quoted_name(first_missing->message));
    first_missing->help = near.empty() ? "`ironlaw zoo show NAME` lists an entry's fields"
                                       : fmt::format("did you mean {}?", join_alternatives(near));
    diags.add(std::move(*first_missing));
    report(diags, o, io);
    return false;
  }
  if (!lacking.empty())
    io.err << fmt::format("note: {} {} lack a field the condition reads and do not match: {}\n", lacking.size(),
                          lacking.size() == 1 ? "entry" : "entries", join_all(lacking));
  rows = std::move(kept);
  return true;
}

// A dated price history: one line per date (as the language prints it), then
// each entry's url and notes.
void print_history(const record& r, const field_schema& fs, const unit_table& units, std::ostream& out) {
  out << fmt::format("{}:\n", fs.name);
  auto table = price_history_table(r, fs, units);
  const auto& rows = *std::get<list_ptr>(table.v);
  std::vector<std::size_t> width(3, 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < width.size(); ++i)
      width[i] = std::max(width[i], cell_text(&row.as_record()->fields[i].v, units).size());
  const auto* given = r.find(fs.name);
  const auto* entries = given ? std::get_if<list_ptr>(&given->v.v) : nullptr;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& cells = rows[i].as_record()->fields;
    std::string line;
    for (std::size_t c = 0; c < cells.size(); ++c)
      line += c < width.size() ? fmt::format("{:<{}}  ", cell_text(&cells[c].v, units), width[c]) : cell_text(&cells[c].v, units);
    out << "  " << line << "\n";
    const record* e = entries && i < (*entries)->size() ? (**entries)[i].as_record() : nullptr;
    for (const char* key : {"url", "notes"})
      if (const auto* v = e ? lookup(*e, key) : nullptr) out << fmt::format("    {:<5} {}\n", key, cell_text(v, units));
  }
}

// `zoo show NAME`: every field with its unit, its dated prices, then every source.
int show(const registry& reg, const std::string& name, cli_streams& io) {
  auto r = reg.find(name);
  if (!r) {
    auto near = suggest(name, reg.names());
    io.err << fmt::format("error: no registry entry '{}'{}\n", name,
                          near.empty() ? "; `ironlaw zoo` lists them" : "; did you mean " + join_alternatives(near) + "?");
    return 1;
  }
  const auto& units = reg.units();
  std::string where;
  if (const auto* l = reg.where(name)) where = fmt::format(", {}:{}", l->file, l->line);
  io.out << fmt::format("{}  ({}{})\n", r->name, r->kind, where);
  std::vector<std::pair<std::string, const record*>> sources;
  std::vector<const field_schema*> histories;
  const auto* kind = find_kind(r->kind);
  for (const auto& f : r->fields) {
    const auto* inner = f.v.as_record();
    if (const auto* fs = kind ? find_field(*kind, f.name) : nullptr; fs && fs->kind == field_kind::history) {
      histories.push_back(fs);
    } else if (f.name == "source" && inner) {
      sources.emplace_back("source", inner);
    } else if (f.name == "sources" && inner) {
      for (const auto& s : inner->fields)
        if (const auto* t = s.v.as_record()) sources.emplace_back("sources." + s.name, t);
    } else if (inner) {
      for (const auto& sub : inner->fields)
        io.out << fmt::format("  {:<22} {}\n", f.name + "." + sub.name, cell_text(&sub.v, units, true));
    } else {
      io.out << fmt::format("  {:<22} {}\n", f.name, in_schema_unit(*r, f, units).value_or(cell_text(&f.v, units, true)));
    }
  }
  for (const auto* fs : histories) print_history(*r, *fs, units, io.out);
  for (const auto& [label, src] : sources) {
    io.out << fmt::format("{}:\n", label);
    for (const char* key : {"title", "url", "as_of", "notes"})
      if (const auto* v = lookup(*src, key)) io.out << fmt::format("  {:<6} {}\n", key, cell_text(v, units));
  }
  return 0;
}

}  // namespace

int cmd_zoo(const options& o, cli_streams& io) {
  registry user(unit_table::builtin());
  const auto& reg = load_registry(o, user, io);
  if (!o.positional.empty() && o.positional[0] == "show") {
    if (o.positional.size() != 2) throw usage_error{"zoo show takes one name: ironlaw zoo show H100_SXM"};
    return show(reg, o.positional[1], io);
  }
  if (o.positional.size() > 1) throw usage_error{"zoo takes one kind: ironlaw zoo hardware --where '...'"};
  std::string_view kind;
  if (!o.positional.empty()) {
    kind = kind_from_word(o.positional[0]);
    if (kind.empty())
      throw usage_error{fmt::format("zoo lists hardware, models, nodes, fabrics or regions, not '{}'", o.positional[0])};
  }
  std::string format = o.values.count("--format") ? o.values.at("--format") : "table";
  if (format != "table" && format != "csv" && format != "json")
    throw usage_error{fmt::format("--format takes table, csv or json, not '{}'", format)};
  std::vector<record_ptr> rows;
  for (const auto& name : reg.names(kind)) rows.push_back(reg.find(name));
  if (o.values.count("--where") && !filter(rows, o.values.at("--where"), reg, o, io)) return 1;
  if (format == "csv") print_csv(rows, kind, reg.units(), io.out);
  else if (format == "json") print_json(rows, kind, reg.units(), io.out);
  else print_table(rows, kind, reg.units(), io.out);
  return 0;
}

}  // namespace ironlaw::runtime::cli
