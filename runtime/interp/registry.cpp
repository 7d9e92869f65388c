#include "ironlaw/runtime/interp/registry.hpp"
#include "../io/file_io.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <sstream>
#include <toml++/toml.h>

#include "ironlaw/embedded_registry.hpp"

namespace ironlaw::runtime {

std::string_view kind_of_folder(std::string_view folder) {
  if (folder == "hardware") return "hardware";
  if (folder == "models") return "model";
  if (folder == "nodes") return "node";
  if (folder == "fabrics") return "fabric";
  if (folder == "regions") return "region";
  return {};
}

std::string_view zoo_kind(std::string_view word) {
  if (auto kind = kind_of_folder(word); !kind.empty()) return kind;
  for (std::string_view folder : {"hardware", "models", "nodes", "fabrics", "regions"})
    if (kind_of_folder(folder) == word) return kind_of_folder(folder);
  return {};
}

namespace {

// "3.35 TB/s": a number, white space, one unit word. Anything else is text.
struct number_and_unit {
  double number;
  std::string unit;
};
std::optional<number_and_unit> split_quantity(const std::string& text) {
  const char* begin = text.c_str();
  char* end = nullptr;
  if (text.empty() || !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-' || text[0] == '+' ||
                        text[0] == '.'))
    return std::nullopt;
  double number = std::strtod(begin, &end);
  if (end == begin || (*end != ' ' && *end != '\t')) return std::nullopt;
  std::string_view rest(end);
  auto first = rest.find_first_not_of(" \t");
  auto last = rest.find_last_not_of(" \t");
  if (first == std::string_view::npos) return std::nullopt;
  rest = rest.substr(first, last - first + 1);
  if (rest.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  return number_and_unit{number, std::string(rest)};
}

struct converter {
  const unit_table& units;
  std::string_view path;
  std::vector<std::string>& problems;
  std::map<std::string, location, std::less<>>& locations;
  int layer;

  void locate(const std::string& dotted, const toml::node& n) {
    auto begin = n.source().begin;
    locations[dotted] = location{std::string(path), begin.line, begin.column, layer};
  }

  void problem(const toml::node& n, const std::string& what) {
    problems.push_back(fmt::format("{}:{}:{}: {}", path, n.source().begin.line, n.source().begin.column, what));
  }

  // toml++ caps bracket nesting, but dotted keys (`a.a.a... = 1`) nest tables
  // without limit; an entry is a few levels deep, so more is a finding, not
  // a recursion that overflows the stack.
  static constexpr int max_depth = 16;
  int depth = 0;

  value convert(const toml::node& node, std::string_view key, const std::string& dotted) {
    if (depth >= max_depth) {
      problem(node, fmt::format("'{}': nested deeper than {} levels", key, max_depth));
      return {};
    }
    ++depth;
    struct leave {
      int& d;
      ~leave() { --d; }
    } guard{depth};
    locate(dotted, node);
    if (auto s = node.as_string()) {
      const std::string& text = s->get();
      auto parts = split_quantity(text);
      if (!parts) return value{text};
      auto unit = units.parse(parts->unit);
      if (auto* e = std::get_if<unit_error>(&unit)) {
        problem(node, fmt::format("'{}': {}{}", key, e->message, e->help.empty() ? "" : " (" + e->help + ")"));
        return value{text};
      }
      auto u = std::get<unit_value>(unit);
      double si = parts->number * u.factor;
      if (!std::isfinite(si)) {
        problem(node, fmt::format("'{}': '{}' is not a finite number", key, text));
        return {};
      }
      return value{quantity{si, u.d}};
    }
    if (auto i = node.as_integer()) return value{quantity{static_cast<double>(i->get()), {}}};
    if (auto f = node.as_floating_point()) {
      if (!std::isfinite(f->get())) {
        problem(node, fmt::format("'{}': {} is not a finite number", key, f->get()));
        return {};
      }
      return value{quantity{f->get(), {}}};
    }
    if (auto b = node.as_boolean()) return value{b->get()};
    if (auto t = node.as_table()) return value{record_ptr(std::make_shared<record>(table(*t, key, "", dotted)))};
    if (auto a = node.as_array()) {
      auto items = std::make_shared<list>();
      for (const auto& item : *a) items->push_back(convert(item, key, dotted));
      return value{list_ptr(items)};
    }
    problem(node, fmt::format("'{}': unsupported TOML value (dates are written as strings)", key));
    return {};
  }

  record table(const toml::table& t, std::string_view kind, std::string_view name, const std::string& dotted) {
    record r;
    r.kind = std::string(kind);
    r.name = std::string(name);
    r.origin = std::string(path);
    for (const auto& [k, node] : t)
      r.fields.push_back(field{std::string(k.str()), convert(node, k.str(), dotted + "." + std::string(k.str())), {}});
    return r;
  }
};

}  // namespace

namespace {

// toml++ recurses once per part of a dotted key (`a.a.a... = 1`, `[a.a.a...]`)
// and crashes on millions of them, so keys are measured before parsing: the
// parts before a line's '=' (or inside its table header), outside quotes.
// An entry is a few levels deep; past 64 parts the file is refused.
constexpr std::size_t max_key_parts = 64;

std::optional<std::size_t> line_with_deep_key(std::string_view text) {
  std::size_t line = 1;
  for (std::size_t begin = 0; begin < text.size(); ++line) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(begin, end - begin);
    std::size_t dots = 0;
    char quote = 0;
    for (char c : l) {
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '=' || c == '#') {
        break;
      } else if (c == '.') {
        ++dots;
      }
    }
    if (dots >= max_key_parts) return line;
    begin = end + 1;
  }
  return std::nullopt;
}

}  // namespace

void registry::add_file(std::string_view path, std::string_view text) {
  load_deferred();
  add_file_now(path, text);
}

void registry::add_file_now(std::string_view path, std::string_view text) {
  if (auto line = line_with_deep_key(text)) {
    problems_.push_back(fmt::format("{}:{}:1: a dotted key of more than {} parts (an entry is a few levels deep)", path,
                                    *line, max_key_parts));
    return;
  }
  toml::table doc;
  try {
    doc = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    problems_.push_back(
        fmt::format("{}:{}:{}: {}", path, e.source().begin.line, e.source().begin.column, e.description()));
    return;
  }
  auto slash = path.find('/');
  std::string_view folder = slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
  std::string_view kind = kind_of_folder(folder);
  bool is_efficiency = path == "efficiency.toml";
  if (kind.empty() && !is_efficiency) return;  // units.toml and other non-entity files
  converter c{*units_, path, problems_, locations_, layer_};
  for (const auto& [key, node] : doc) {
    const auto* t = node.as_table();
    if (!t) {
      c.problem(node, fmt::format("'{}' must be a table of fields", key.str()));
      continue;
    }
    std::string name(key.str());
    auto at = locations_.find(name);  // not where(): that would wait for this very load
    if (const auto* before = at == locations_.end() ? nullptr : &at->second; before && !is_efficiency && entries_.count(name) && before->layer == layer_)
      c.problem(node, fmt::format("'{}' is defined twice: also at {}:{} (a name is unique across all kinds)", name,
                                  before->file, before->line));
    auto dotted = is_efficiency ? "efficiency." + name : name;
    auto r = std::make_shared<record>(c.table(*t, is_efficiency ? "efficiency" : kind, name, dotted));
    if (!is_efficiency) c.locate(name, node);
    (is_efficiency ? efficiency_ : entries_)[name] = std::move(r);
  }
}

void registry::add_directory(const std::string& root) {
  load_deferred();
  namespace fs = std::filesystem;
  begin_layer();
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
    // Not only regular files: a FIFO or device named *.toml is reported below, not skipped.
    if (std::error_code kind; !it->is_directory(kind) && it->path().extension() == ".toml") files.push_back(it->path());
  if (ec) problems_.push_back(fmt::format("{}: {}", root, ec.message()));
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    // The same bounds as any file ironlaw reads: a regular file of at most 8 MiB.
    std::string text;
    if (auto p = files::read_regular(f.string(), text)) {
      problems_.push_back(fmt::format("{}: {}", f.generic_string(), p->message));
      continue;
    }
    add_file(fs::relative(f, root).generic_string(), text);
  }
}

struct registry::deferred_files {
  std::once_flag once;
  std::span<const embedded_file> files;
};

registry::registry(const unit_table& units) : units_(&units) {}

registry::registry(const registry& other) : units_(other.units_) {
  other.load_deferred();
  entries_ = other.entries_;
  efficiency_ = other.efficiency_;
  problems_ = other.problems_;
  locations_ = other.locations_;
  layer_ = other.layer_;
}

registry& registry::operator=(const registry& other) {
  if (this != &other) {
    registry copy(other);
    *this = std::move(copy);
  }
  return *this;
}

registry::registry(registry&&) noexcept = default;
registry& registry::operator=(registry&&) noexcept = default;
registry::~registry() = default;

// Thread-safe: searches ask the registry from several threads. The object is
// never const itself (embedded() owns a mutable one), so filling it is defined.
void registry::load_deferred() const {
  if (!deferred_) return;
  std::call_once(deferred_->once, [this] {
    auto* self = const_cast<registry*>(this);
    for (const auto& f : deferred_->files) self->add_file_now(f.path, f.text);
  });
}

const registry& registry::embedded() {
  // Never destroyed: tearing ~130 records down at exit cost more than all of
  // `eval 1`; the pointer keeps it reachable for leak checkers.
  static registry* const r = [] {
    auto* reg = new registry(unit_table::builtin());
    reg->deferred_ = std::make_unique<deferred_files>();
    reg->deferred_->files = registry_data::files();
    return reg;
  }();
  return *r;
}

const location* registry::where(std::string_view dotted_name) const {
  load_deferred();
  auto it = locations_.find(dotted_name);
  return it == locations_.end() ? nullptr : &it->second;
}

record_ptr registry::find(std::string_view name) const {
  load_deferred();
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : it->second;
}

std::vector<std::string> registry::names(std::string_view kind) const {
  load_deferred();
  std::vector<std::string> out;
  for (const auto& [name, r] : entries_)
    if (kind.empty() || r->kind == kind) out.push_back(name);
  return out;
}

const record* registry::efficiency(std::string_view regime) const {
  load_deferred();
  auto it = efficiency_.find(regime);
  return it == efficiency_.end() ? nullptr : it->second.get();
}

std::vector<std::string> registry::efficiency_regimes() const {
  load_deferred();
  std::vector<std::string> out;
  for (const auto& [name, r] : efficiency_) out.push_back(name);
  return out;
}

// The regime's record is copied, never edited: other registries share it.
// The reason goes in a `calibrated` sub-record, one entry per key, so a
// regime's other efficiencies keep their own source.
void registry::override_efficiency(std::string_view regime, std::string_view key, double x, std::string why) {
  load_deferred();
  auto it = efficiency_.find(regime);
  auto copy = it == efficiency_.end() ? std::make_shared<record>() : std::make_shared<record>(*it->second);
  if (it == efficiency_.end()) {
    copy->kind = "efficiency";
    copy->name = std::string(regime);
  }
  auto set = [](record& r, std::string_view name, value v) {
    for (auto& f : r.fields)
      if (f.name == name) {
        f.v = std::move(v);
        return;
      }
    r.fields.push_back(field{std::string(name), std::move(v), {}});
  };
  set(*copy, key, value{quantity{x, {}}});
  const field* old = copy->find("calibrated");
  auto notes = old && old->v.as_record() ? std::make_shared<record>(*old->v.as_record()) : std::make_shared<record>();
  notes->kind = "calibrated";
  set(*notes, key, value{std::move(why)});
  set(*copy, "calibrated", value{record_ptr(std::move(notes))});
  efficiency_[std::string(regime)] = std::move(copy);
}

}  // namespace ironlaw::runtime
