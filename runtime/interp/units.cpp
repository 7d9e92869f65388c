#include "ironlaw/runtime/interp/units.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>
#include <toml++/toml.h>

#include "ironlaw/embedded_registry.hpp"
#include "ironlaw/runtime/interp/suggest.hpp"

namespace ironlaw::runtime {

std::string format_number(double v) {
  if (v == 0) return "0";
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  double a = std::abs(v);
  std::string s;
  if (a >= 1e-3 && a < 999'999.5) {
    int magnitude = static_cast<int>(std::floor(std::log10(a)));
    int decimals = std::max(0, 2 - magnitude);
    s = fmt::format("{:.{}f}", v, decimals);
    if (s.find('.') != std::string::npos) {
      while (s.back() == '0') s.pop_back();
      if (s.back() == '.') s.pop_back();
    }
    return s;
  }
  s = fmt::format("{:.2e}", v);  // d.dde+XX
  auto e = s.find('e');
  std::string mantissa = s.substr(0, e);
  while (mantissa.back() == '0') mantissa.pop_back();
  if (mantissa.back() == '.') mantissa.pop_back();
  int exponent = std::stoi(s.substr(e + 1));
  return fmt::format("{}e{}", mantissa, exponent);
}

namespace {

enum class prefix_set { none, si, si_big, si_binary };

struct prefix {
  std::string_view text;
  double factor;
  bool small;   // a sub-multiple (m, µ, n, ...)
  bool binary;  // Ki, Mi, ...
};

constexpr prefix prefixes[] = {
    {"Ki", 0x1p10, false, true}, {"Mi", 0x1p20, false, true}, {"Gi", 0x1p30, false, true},
    {"Ti", 0x1p40, false, true}, {"Pi", 0x1p50, false, true}, {"Ei", 0x1p60, false, true},
    {"µ", 1e-6, true, false},    {"q", 1e-30, true, false},   {"r", 1e-27, true, false},
    {"y", 1e-24, true, false},   {"z", 1e-21, true, false},   {"a", 1e-18, true, false},
    {"f", 1e-15, true, false},   {"p", 1e-12, true, false},   {"n", 1e-9, true, false},
    {"u", 1e-6, true, false},    {"m", 1e-3, true, false},    {"k", 1e3, false, false},
    {"M", 1e6, false, false},    {"G", 1e9, false, false},    {"T", 1e12, false, false},
    {"P", 1e15, false, false},   {"E", 1e18, false, false},   {"Z", 1e21, false, false},
    {"Y", 1e24, false, false},
};

bool allows(prefix_set set, const prefix& p) {
  switch (set) {
    case prefix_set::none: return false;
    case prefix_set::si: return !p.binary;
    case prefix_set::si_big: return !p.binary && !p.small;
    case prefix_set::si_binary: return !p.small;
  }
  return false;
}

struct unit_def {
  std::string symbol;
  unit_value value;
  prefix_set prefixes = prefix_set::none;
};

struct display_rule {
  dim d;
  std::vector<std::pair<std::string, unit_value>> ladder;  // ascending
  std::string unit;
  unit_value unit_value_;
  bool auto_prefix = false;
  prefix_set first_prefixes = prefix_set::none;
  std::string first_symbol;  // the unprefixed first atom
  std::string rest;          // the text after the first atom ("/s")
};

}  // namespace

struct unit_table::impl {
  std::map<std::string, unit_def, std::less<>> by_spelling;  // symbols and aliases
  std::vector<display_rule> display;

  [[nodiscard]] std::variant<unit_value, unit_error> atom(std::string_view text, std::size_t offset) const;
  [[nodiscard]] std::variant<unit_value, unit_error> parse(std::string_view text) const;
};

std::variant<unit_value, unit_error> unit_table::impl::atom(std::string_view text, std::size_t offset) const {
  std::string_view name = text;
  int exponent = 1;
  if (auto caret = text.find('^'); caret != std::string_view::npos) {
    name = text.substr(0, caret);
    auto digits = text.substr(caret + 1);
    try {
      exponent = std::stoi(std::string(digits));
    } catch (const std::exception&) {
      return unit_error{offset, text.size(), fmt::format("bad exponent in unit '{}'", text), ""};
    }
  }
  auto with_exponent = [&](unit_value u) {
    return unit_value{std::pow(u.factor, exponent), u.d.pow(exponent)};
  };
  if (auto it = by_spelling.find(name); it != by_spelling.end()) return with_exponent(it->second.value);
  for (const auto& p : prefixes) {
    if (name.size() <= p.text.size() || name.substr(0, p.text.size()) != p.text) continue;
    auto it = by_spelling.find(name.substr(p.text.size()));
    if (it == by_spelling.end()) continue;
    if (!allows(it->second.prefixes, p)) {
      return unit_error{offset, name.size(),
                        fmt::format("unit '{}' does not take the prefix '{}'", it->second.symbol, p.text),
                        p.binary ? "binary prefixes (Ki, Mi, Gi, ...) are for data only: bytes and bits" : ""};
    }
    unit_value u = it->second.value;
    u.factor *= p.factor;
    return with_exponent(u);
  }
  unit_error e{offset, name.size(), fmt::format("unknown unit '{}'", name), ""};
  if (name.size() >= 2 && name[0] == 'K' && (name.substr(1) == "B" || name.substr(1) == "b"))
    e.help = fmt::format("write k{0} (1000 bytes) or Ki{0} (1024 bytes)", name.substr(1));
  else if (name.ends_with("ps") && by_spelling.count(name.substr(0, name.size() - 2)) == 0 && name.size() > 2)
    e.help = fmt::format("rates are written with a slash: {}/s", name.substr(0, name.size() - 2));
  else {
    std::vector<std::string> candidates;
    for (const auto& [spelling, def] : by_spelling) {
      candidates.push_back(spelling);
      if (def.prefixes != prefix_set::none)
        for (std::string_view p : {"k", "M", "G", "T", "P", "m", "µ", "n", "Ki", "Mi", "Gi", "Ti"}) {
          const prefix* pre = nullptr;
          for (const auto& candidate : prefixes)
            if (candidate.text == p) pre = &candidate;
          if (pre && allows(def.prefixes, *pre)) candidates.push_back(std::string(p) + spelling);
        }
    }
    auto near = suggest(name, candidates);
    if (!near.empty()) e.help = "did you mean " + join_alternatives(near) + "?";
  }
  return e;
}

namespace {

// ` per ` (blanks around the word) at `pos`: its length, else 0.
std::size_t per_at(std::string_view text, std::size_t pos) {
  auto blanks = [&](std::size_t at) {
    std::size_t n = 0;
    while (at + n < text.size() && (text[at + n] == ' ' || text[at + n] == '\t')) ++n;
    return n;
  };
  std::size_t before = blanks(pos);
  if (text.substr(pos + before, 3) != "per") return 0;
  std::size_t after = blanks(pos + before + 3);
  return (before > 0 || pos == 0) && after > 0 ? before + 3 + after : 0;
}

}  // namespace

std::variant<unit_value, unit_error> unit_table::impl::parse(std::string_view text) const {
  unit_value total;
  std::size_t pos = 0;
  char op = '*';
  // `per s` (after a plain number) and `1/s` (after `in`): nothing above the slash.
  if (auto n = per_at(text, 0)) {
    op = '/';
    pos = n;
  } else if (text.starts_with("1/")) {
    op = '/';
    pos = 2;
  }
  while (pos <= text.size()) {
    auto next = text.find_first_of("/* \t", pos);
    auto piece = text.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
    if (piece.empty()) return unit_error{pos, 1, fmt::format("malformed unit '{}'", text), "write units like GB/s or g/kWh"};
    auto parsed = atom(piece, pos);
    if (auto* err = std::get_if<unit_error>(&parsed)) return *err;
    auto u = std::get<unit_value>(parsed);
    if (op == '*') {
      total.factor *= u.factor;
      total.d = total.d * u.d;
    } else {
      total.factor /= u.factor;
      total.d = total.d / u.d;
    }
    if (next == std::string_view::npos) break;
    if (auto n = per_at(text, next)) {
      op = '/';
      pos = next + n;
      continue;
    }
    if (text[next] == ' ' || text[next] == '\t')
      return unit_error{next, 1, fmt::format("malformed unit '{}'", text), "parts of a unit are joined by /, * or per"};
    op = text[next];
    pos = next + 1;
  }
  return total;
}

unit_table::unit_table(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
unit_table::~unit_table() = default;

namespace {

std::optional<dim> read_dim(const toml::table* t, std::string& error) {
  dim d;
  if (!t) return d;
  for (const auto& [key, node] : *t) {
    auto b = base_dim_from_name(key.str());
    auto e = node.value<std::int64_t>();
    if (!b || !e) {
      error = fmt::format("units.toml: bad dimension '{}'", key.str());
      return std::nullopt;
    }
    d.exponents[static_cast<std::size_t>(*b)] = static_cast<std::int8_t>(*e);
  }
  return d;
}

prefix_set read_prefixes(std::string_view s) {
  if (s == "si") return prefix_set::si;
  if (s == "si_big") return prefix_set::si_big;
  if (s == "si_binary") return prefix_set::si_binary;
  return prefix_set::none;
}

}  // namespace

std::unique_ptr<unit_table> unit_table::load(std::string_view toml_text, std::string& error) {
  toml::table doc;
  try {
    doc = toml::parse(toml_text, std::string_view{"units.toml"});
  } catch (const toml::parse_error& e) {
    error = fmt::format("units.toml:{}:{}: {}", e.source().begin.line, e.source().begin.column, e.description());
    return nullptr;
  }
  auto p = std::make_unique<impl>();
  if (auto* units = doc["unit"].as_array()) {
    for (const auto& node : *units) {
      const auto* t = node.as_table();
      if (!t) continue;
      unit_def def;
      def.symbol = (*t)["symbol"].value_or(std::string{});
      auto d = read_dim((*t)["dim"].as_table(), error);
      if (!d || def.symbol.empty()) {
        if (error.empty()) error = "units.toml: a unit without a symbol";
        return nullptr;
      }
      def.value = {(*t)["factor"].value_or(1.0), *d};
      def.prefixes = read_prefixes((*t)["prefixes"].value_or(std::string_view{"none"}));
      p->by_spelling[def.symbol] = def;
      if (auto* aliases = (*t)["aliases"].as_array())
        for (const auto& a : *aliases)
          if (auto s = a.value<std::string>()) p->by_spelling[*s] = def;
    }
  }
  if (auto* rules = doc["display"].as_array()) {
    for (const auto& node : *rules) {
      const auto* t = node.as_table();
      if (!t) continue;
      display_rule r;
      auto d = read_dim((*t)["dim"].as_table(), error);
      if (!d) return nullptr;
      r.d = *d;
      auto parse_or_fail = [&](std::string_view text) -> std::optional<unit_value> {
        auto u = p->parse(text);
        if (auto* e = std::get_if<unit_error>(&u)) {
          error = fmt::format("units.toml: display unit '{}': {}", text, e->message);
          return std::nullopt;
        }
        return std::get<unit_value>(u);
      };
      if (auto* ladder = (*t)["ladder"].as_array()) {
        for (const auto& step : *ladder) {
          auto text = step.value_or(std::string{});
          auto u = parse_or_fail(text);
          if (!u) return nullptr;
          r.ladder.emplace_back(text, *u);
        }
      } else {
        r.unit = (*t)["unit"].value_or(std::string{});
        auto u = parse_or_fail(r.unit);
        if (!u) return nullptr;
        r.unit_value_ = *u;
        r.auto_prefix = (*t)["auto_prefix"].value_or(false);
        auto cut = r.unit.find_first_of("/*");
        r.first_symbol = r.unit.substr(0, cut);
        r.rest = cut == std::string::npos ? "" : r.unit.substr(cut);
        if (auto it = p->by_spelling.find(r.first_symbol); it != p->by_spelling.end())
          r.first_prefixes = it->second.prefixes;
      }
      if (r.d != (r.ladder.empty() ? r.unit_value_.d : r.ladder.front().second.d)) {
        error = fmt::format("units.toml: display rule for '{}' has the wrong dimension", r.unit);
        return nullptr;
      }
      p->display.push_back(std::move(r));
    }
  }
  return std::unique_ptr<unit_table>(new unit_table(std::move(p)));
}

const unit_table& unit_table::builtin() {
  static const std::unique_ptr<unit_table> table = [] {
    for (const auto& f : registry_data::files()) {
      if (f.path != "units.toml") continue;
      std::string error;
      auto t = load(f.text, error);
      if (!t) throw std::logic_error("embedded " + error);  // a build defect, caught by the tests
      return t;
    }
    throw std::logic_error("units.toml is not embedded");
  }();
  return *table;
}

std::variant<unit_value, unit_error> unit_table::parse(std::string_view text) const { return impl_->parse(text); }

std::string unit_table::format_in(const quantity& q, const unit_value& u, std::string_view text) {
  return format_number(q.si / u.factor) + " " + std::string(text);
}

std::optional<unit_value> unit_table::capacity_unit(double bytes, std::string& text) {
  if (!(bytes >= 1024) || !std::isfinite(bytes)) return std::nullopt;
  // Twelve significant digits: the figure as exact as a double states it.
  auto exact = [](double x) { return fmt::format("{:.12g}", x).size(); };
  int group = std::min(6, static_cast<int>(std::floor(std::log10(bytes) / 3)));
  std::size_t decimal = exact(bytes / std::pow(1000.0, group));
  static constexpr std::array<std::string_view, 7> binary = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int step = std::min(6, static_cast<int>(std::floor(std::log2(bytes) / 10)));
  double factor = std::ldexp(1.0, 10 * step);
  if (exact(bytes / factor) > decimal) return std::nullopt;
  text = binary[static_cast<std::size_t>(step)];
  return unit_value{factor, dim::of(base_dim::data)};
}

std::string unit_table::format(const quantity& q) const {
  if (q.d.dimensionless()) {
    double v = q.si;
    if (std::abs(v) < 1e6 && v == std::round(v)) return fmt::format("{}", static_cast<long long>(v));
    return format_number(v);
  }
  for (const auto& r : impl_->display) {
    if (r.d != q.d) continue;
    if (!r.ladder.empty()) {
      const auto* pick = &r.ladder.front();
      for (const auto& step : r.ladder)
        if (std::abs(q.si) >= step.second.factor * (1 - 1e-12)) pick = &step;
      return format_in(q, pick->second, pick->first);
    }
    double x = q.si / r.unit_value_.factor;
    if (r.auto_prefix && x != 0 && std::isfinite(x)) {
      int group = static_cast<int>(std::floor(std::log10(std::abs(x)) / 3));
      if (group != 0) {
        double wanted = std::pow(10.0, group * 3);
        for (const auto& p : prefixes) {
          if (p.binary || !allows(r.first_prefixes, p) || p.text == "u") continue;
          if (p.factor == wanted && std::abs(group) <= 6) {
            return format_number(x / p.factor) + " " + std::string(p.text) + r.first_symbol + r.rest;
          }
        }
      }
    }
    return format_number(x) + " " + r.unit;
  }
  return format_number(q.si) + " " + base_unit_text(q.d);
}

std::vector<std::string> unit_table::spellings() const {
  std::vector<std::string> out;
  for (const auto& [spelling, def] : impl_->by_spelling) out.push_back(spelling);
  return out;
}

}  // namespace ironlaw::runtime
