// Reading validation/*.toml: cases and error bounds, every problem a
// diagnostic at the file's line and column (E1201-E1208).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "../io/file_io.hpp"
#include "ironlaw/embedded_registry.hpp"
#include "ironlaw/runtime/interp/suggest.hpp"
#include "validation.hpp"
#include "validation_data.hpp"

namespace ironlaw::runtime::validate {

const std::vector<std::string>& categories() {
  static const std::vector<std::string> all = {"llm_decode", "llm_serving", "cnn",        "training",
                                               "iron_law",   "energy_carbon", "reliability"};
  return all;
}

namespace {

const std::vector<std::string> case_keys = {"id",         "category",   "split", "inputs", "expression", "reported",
                                            "bottleneck", "calibrates", "confidence", "notes", "source", "before"};
const std::vector<std::string> source_keys = {"title", "url", "locator", "as_of"};

struct reader {
  const lang::source_ptr& file;
  lang::diagnostics& diags;

  // toml++ positions are 1-based line and column; spans are byte offsets.
  std::uint32_t offset_of(const toml::source_position& p) const {
    const auto& text = file->text();
    std::uint32_t line = 1, at = 0;
    while (line < p.line && at < text.size()) {
      if (text[at] == '\n') ++line;
      ++at;
    }
    return std::min<std::uint32_t>(at + (p.column > 0 ? p.column - 1 : 0), static_cast<std::uint32_t>(text.size()));
  }

  lang::span span_of(const toml::node& n) const {
    auto begin = offset_of(n.source().begin);
    auto end = offset_of(n.source().end);
    return {begin, std::max(end, begin + 1)};
  }

  // The characters of a string value inside its quotes, when they are the
  // value as written (no escapes); else the whole node.
  lang::span content_span(const toml::node& n, const std::string& value) const {
    auto begin = offset_of(n.source().begin);
    std::string_view text = file->text();
    std::uint32_t skip = text.substr(begin, 3) == "\"\"\"" || text.substr(begin, 3) == "'''" ? 3 : 1;
    auto start = begin + skip;
    if (skip == 3 && start < text.size() && text[start] == '\n') ++start;
    if (text.substr(start, value.size()) == value)
      return {start, start + static_cast<std::uint32_t>(value.size())};
    return span_of(n);
  }

  void error(std::string code, lang::span at, std::string message, std::string label, std::string help) {
    lang::diagnostic d;
    d.code = std::move(code);
    d.message = std::move(message);
    d.source = file;
    d.primary = at;
    d.primary_label = std::move(label);
    d.help = std::move(help);
    diags.add(std::move(d));
  }

  void unknown_keys(const toml::table& t, const std::vector<std::string>& known, std::string_view where) {
    for (const auto& [key, node] : t) {
      std::string name(key.str());
      if (std::find(known.begin(), known.end(), name) != known.end()) continue;
      lang::span at{offset_of(key.source().begin), offset_of(key.source().begin) + static_cast<std::uint32_t>(name.size())};
      if (!key.source().begin) at = span_of(node);  // a key built in code has no position
      error("E1208", at, fmt::format("unknown key '{}' in {}", name, where), "not a key of " + std::string(where),
            did_you_mean(name, known, "the keys are"));
    }
  }

  // A required (or optional) string; nullopt after a diagnostic or when absent and optional.
  std::optional<located_text> text(const toml::table& t, std::string_view key, lang::span owner, bool required,
                                   std::string_view where) {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required)
        error("E1202", owner, fmt::format("{} has no '{}'", where, key), "missing '" + std::string(key) + "'",
              fmt::format("every case states {} (see validation/README.md)",
                          key == "title" || key == "url" || key == "locator" || key == "as_of"
                              ? "its source: title, url, locator (table, figure or submission) and as_of"
                              : "id, category, split, inputs, expression, reported, confidence and source"));
      return std::nullopt;
    }
    const auto* s = n->as_string();
    if (!s) {
      error("E1203", span_of(*n), fmt::format("'{}' must be a string", key), "not a string",
            fmt::format("write {} = \"...\"", key));
      return std::nullopt;
    }
    return located_text{s->get(), content_span(*n, s->get())};
  }

  void one_of(const located_text& v, std::string_view key, const std::vector<std::string>& allowed) {
    if (std::find(allowed.begin(), allowed.end(), v.text) != allowed.end()) return;
    auto near = suggest(v.text, allowed);
    error("E1204", v.at, fmt::format("'{}' is not a valid {}", v.text, key), "unknown " + std::string(key),
          near.empty() ? fmt::format("valid values: {}", join_alternatives(allowed))
                       : fmt::format("did you mean {}?", join_alternatives(near)));
  }

  void read_case(const toml::table& t, validation_set& into, std::map<std::string, lang::span>& seen) {
    validation_case c;
    c.file = file;
    c.case_at = span_of(t);
    // The header line `[[case]]` reads better than the whole table.
    auto line_end = file->text().find('\n', c.case_at.begin);
    if (line_end != std::string::npos && line_end > c.case_at.begin)
      c.case_at.end = static_cast<std::uint32_t>(line_end);
    unknown_keys(t, case_keys, "a case");
    bool ok = true;
    auto want = [&](std::string_view key, bool required = true) {
      auto v = text(t, key, c.case_at, required, "this case");
      if (!v && required) ok = false;
      return v;
    };
    auto id = want("id"), category = want("category"), split = want("split"), inputs = want("inputs");
    auto expression = want("expression"), reported = want("reported"), confidence = want("confidence");
    auto bottleneck = want("bottleneck", false), calibrates = want("calibrates", false), notes = want("notes", false);
    auto before = want("before", false);
    if (category) one_of(*category, "category", categories());
    if (split) one_of(*split, "split", {"calibration", "holdout"});
    if (confidence) one_of(*confidence, "confidence", {"read", "uncertain"});
    if (bottleneck) one_of(*bottleneck, "bottleneck", {"memory", "compute", "communication", "bubble"});
    if (calibrates && calibrates->text.find('.') == std::string::npos)
      error("E1204", calibrates->at, fmt::format("'{}' is not an efficiency key", calibrates->text), "not regime.key",
            "name a value of registry/efficiency.toml, as in decode.bandwidth");
    const toml::node* src = t.get("source");
    if (!src) {
      error("E1202", c.case_at, "this case has no 'source'", "missing 'source'",
            "every case cites where its figure was read: source = { title, url, locator, as_of }");
      ok = false;
    } else if (const auto* s = src->as_table()) {
      unknown_keys(*s, source_keys, "a source");
      auto at = span_of(*src);
      auto title = text(*s, "title", at, true, "the source"), url = text(*s, "url", at, true, "the source");
      auto locator = text(*s, "locator", at, true, "the source"), as_of = text(*s, "as_of", at, true, "the source");
      if (!title || !url || !locator || !as_of) ok = false;
      else c.source = {title->text, url->text, locator->text, as_of->text};
    } else {
      error("E1203", span_of(*src), "'source' must be a table", "not a table",
            "write source = { title = \"...\", url = \"...\", locator = \"...\", as_of = \"YYYY-MM\" }");
      ok = false;
    }
    if (id) {
      if (auto it = seen.find(id->text); it != seen.end()) {
        auto where = file->position(it->second.begin);
        error("E1207", id->at, fmt::format("case '{}' is defined twice", id->text), "second definition",
              fmt::format("the first is at line {}; give each case its own id", where.line));
        ok = false;
      } else {
        seen[id->text] = id->at;
      }
    }
    if (!ok || !category || !split || !expression || !reported || !confidence || !inputs) return;
    c.id = id->text;
    c.category = category->text;
    c.split = split->text;
    c.inputs = inputs->text;
    c.expression = *expression;
    c.reported = *reported;
    c.confidence = confidence->text;
    c.bottleneck = bottleneck;
    if (calibrates) c.calibrates = calibrates->text;
    if (notes) c.notes = notes->text;
    c.before = before;
    into.cases.push_back(std::move(c));
  }

  void read_bounds(const toml::table& t, validation_set& into) {
    for (const auto& [key, node] : t) {
      located_text name{std::string(key.str()), span_of(node)};
      one_of(name, "category", categories());
      const auto* b = node.as_table();
      if (!b) {
        error("E1203", span_of(node), fmt::format("bounds.{} must be a table", name.text), "not a table",
                "write [bounds.CATEGORY] with median = PERCENT and worst = PERCENT");
        continue;
      }
      unknown_keys(*b, {"median", "worst"}, "a bound");
      error_bound bound{name.text};
      bool ok = true;
      for (auto [field, target] : {std::pair{"median", &bound.median}, std::pair{"worst", &bound.worst}}) {
        const auto* v = b->get(field);
        auto number = v ? v->value<double>() : std::nullopt;
        if (!number) {
          error(v ? "E1203" : "E1202", v ? span_of(*v) : span_of(node),
                fmt::format("bounds.{} needs '{}' as a number of percent", name.text, field),
                v ? "not a number" : "missing", "write median = 15 and worst = 40 (percent of |error|)");
          ok = false;
        } else {
          *target = *number;
        }
      }
      if (ok) into.bounds.push_back(bound);
    }
  }
};

}  // namespace

void load_file(const lang::source_ptr& file, validation_set& into, lang::diagnostics& diags) {
  reader r{file, diags};
  toml::table doc;
  try {
    doc = toml::parse(file->text(), file->name());
  } catch (const toml::parse_error& e) {
    auto at = r.offset_of(e.source().begin);
    r.error("E1201", {at, at + 1}, fmt::format("malformed TOML: {}", e.description()), "here",
            "a validation file is TOML: [[case]] tables of key = \"value\" lines (see validation/README.md)");
    return;
  }
  std::map<std::string, lang::span> seen;
  for (const auto& c : into.cases)
    if (c.file == file) seen[c.id] = c.expression.at;
  for (const auto& [key, node] : doc) {
    std::string name(key.str());
    if (name == "case") {
      const auto* cases = node.as_array();
      if (!cases || !cases->is_array_of_tables()) {
        r.error("E1203", r.span_of(node), "'case' must be an array of tables", "not [[case]] tables",
                "write each case under its own [[case]] header");
        continue;
      }
      for (const auto& c : *cases) r.read_case(*c.as_table(), into, seen);
    } else if (name == "bounds") {
      if (const auto* t = node.as_table()) r.read_bounds(*t, into);
      else r.error("E1203", r.span_of(node), "'bounds' must be a table", "not a table", "write [bounds.CATEGORY]");
    } else {
      r.error("E1208", r.span_of(node), fmt::format("unknown key '{}' in a validation file", name), "not case or bounds",
              "a validation file holds [[case]] tables and [bounds.CATEGORY] tables");
    }
  }
}

validation_set load_embedded(lang::diagnostics& diags) {
  validation_set set;
  for (const auto& f : validation_data::files())
    load_file(std::make_shared<const lang::source_file>("validation/" + std::string(f.path), std::string(f.text)), set,
              diags);
  return set;
}

validation_set load_directory(const std::string& dir, lang::diagnostics& diags) {
  namespace fs = std::filesystem;
  validation_set set;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".toml") files.push_back(it->path());
  if (ec || files.empty()) {
    lang::diagnostic d;
    d.code = "E0004";
    d.message = ec ? fmt::format("cannot read '{}': {}", dir, ec.message())
                   : fmt::format("'{}' holds no validation files (*.toml)", dir);
    diags.add(std::move(d));
    return set;
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::string text;  // bounded (runtime/io/file_io.hpp): 8 MiB, regular files only
    if (auto problem = files::read_regular(f.generic_string(), text)) {
      diags.add(files::to_diagnostic(*problem));
      continue;
    }
    load_file(std::make_shared<const lang::source_file>(f.generic_string(), std::move(text)), set, diags);
  }
  return set;
}

}  // namespace ironlaw::runtime::validate
