#include "ironlaw/runtime/interp/builtins.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <mutex>

#include "ironlaw/runtime/interp/evaluated.hpp"
#include "ironlaw/runtime/interp/suggest.hpp"

namespace ironlaw::runtime {

namespace {

// The function table: empty until the bind layer installs the solvers
// (bind/table.cpp), so this layer never includes the layer above it.
struct function_table {
  std::vector<builtin> all;
  std::vector<std::string> words;  // every word a parameter accepts or a result holds
};
function_table& table() {
  static function_table t;
  return t;
}
std::once_flag installed;

}  // namespace

void install_builtins(const std::function<std::vector<builtin>()>& make) {
  std::call_once(installed, [&] {
    auto& t = table();
    t.all = make();
    auto add = [&](const std::vector<std::string>& ws) {
      for (const auto& w : ws)
        if (std::find(t.words.begin(), t.words.end(), w) == t.words.end()) t.words.push_back(w);
    };
    for (const auto& b : t.all) {
      for (const auto& p : b.params) add(p.words);
      for (const auto& r : b.results) add(r.words);
    }
  });
}

const std::vector<builtin>& builtins() { return table().all; }

const builtin* find_builtin(std::string_view name) {
  for (const auto& b : builtins())
    if (b.name == name) return &b;
  return nullptr;
}

std::vector<std::string> builtin_names() {
  std::vector<std::string> out;
  for (const auto& b : builtins()) out.push_back(b.name);
  return out;
}

const std::vector<std::string>& builtin_words() { return table().words; }

std::string describe_builtin(const builtin& fn) {
  std::string out = fmt::format("{}: {}\n\nParameters:\n", fn.name, fn.summary);
  for (const auto& p : fn.params) {
    std::string unit = p.kind == param_kind::quantity ? " [" + base_unit_text(p.d) + "]" : "";
    std::string fallback = p.required ? " (required)" : p.default_text.empty() ? "" : " (default: " + p.default_text + ")";
    out += fmt::format("  {:<22} {}{}{}\n", p.name, p.doc, unit, fallback);
  }
  if (!fn.results.empty()) {
    out += "\nResult fields:\n";
    for (const auto& r : fn.results) {
      std::string unit = r.kind == result_kind::quantity && !r.d.dimensionless() ? " [" + base_unit_text(r.d) + "]" : "";
      out += fmt::format("  {:<22} {}{}\n", r.name, r.doc, unit);
    }
  }
  return out;
}

std::string check_result(const builtin& fn, const value& result) {
  // One unnamed list result: a table of records (walls).
  if (fn.results.size() == 1 && fn.results[0].name.empty() && fn.results[0].kind == result_kind::entities) {
    if (std::holds_alternative<list_ptr>(result.v)) return {};
    return fmt::format("{} returned {}, not a list", fn.name, describe(result));
  }
  // One unnamed result: the builtin returns that quantity itself, not a record
  // (training_flops(...) in FLOP).
  if (fn.results.size() == 1 && fn.results[0].name.empty()) {
    const auto* q = result.as_quantity();
    if (q && q->d == fn.results[0].d) return {};
    return fmt::format("{} returned {}, which its declaration does not allow", fn.name, describe(result));
  }
  const record* r = result.as_record();
  if (!r) return fmt::format("{} returned {}, not a record", fn.name, describe(result));
  if (r->fields.size() != fn.results.size())
    return fmt::format("{} returned {} fields, declares {}", fn.name, r->fields.size(), fn.results.size());
  for (std::size_t i = 0; i < fn.results.size(); ++i) {
    const auto& want = fn.results[i];
    const auto& got = r->fields[i];
    if (got.name != want.name) return fmt::format("{}: field {} is '{}', declared '{}'", fn.name, i, got.name, want.name);
    bool ok = false;
    switch (want.kind) {
      case result_kind::quantity: ok = got.v.as_quantity() && got.v.as_quantity()->d == want.d; break;
      case result_kind::word:
        ok = got.v.as_symbol() &&
             std::find(want.words.begin(), want.words.end(), got.v.as_symbol()->name) != want.words.end();
        break;
      case result_kind::boolean: ok = std::holds_alternative<bool>(got.v.v); break;
      case result_kind::text: ok = std::holds_alternative<std::string>(got.v.v); break;
      case result_kind::entities: ok = std::holds_alternative<list_ptr>(got.v.v); break;
      case result_kind::records: ok = got.v.as_record() != nullptr; break;
    }
    if (!ok) return fmt::format("{}: field '{}' holds {}, which its declaration does not allow", fn.name, want.name,
                                describe(got.v));
  }
  return {};
}

call_args::call_args(const builtin& fn, const registry& reg, lang::source_ptr source, lang::span call,
                     lang::diagnostics& diags)
    : fn_(&fn), reg_(&reg), source_(std::move(source)), call_(call), diags_(&diags), slots_(fn.params.size()) {}

std::size_t call_args::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < fn_->params.size(); ++i)
    if (fn_->params[i].name == name) return i;
  return fn_->params.size();
}

void call_args::error(std::string_view name, std::string message, std::string help) {
  lang::diagnostic d;
  d.code = "E0301";
  d.source = source_;
  d.primary = name.empty() ? call_ : where(name);
  d.message = fmt::format("{}: {}", fn_->name, message);
  d.help = std::move(help);
  diags_->add(std::move(d));
}

bool call_args::bind_positional(std::size_t index, value v, lang::span at) {
  if (index >= slots_.size()) {
    lang::diagnostic d;
    d.code = "E0302";
    d.source = source_;
    d.primary = at;
    d.primary_label = "extra argument";
    d.message = fmt::format("{} takes at most {} positional arguments", fn_->name, slots_.size());
    d.help = fmt::format("see `ironlaw help {}` (`:help {}` in the REPL) for its parameters", fn_->name, fn_->name);
    diags_->add(std::move(d));
    return false;
  }
  slots_[index] = {std::move(v), at, true};
  return true;
}

bool call_args::bind_named(const std::string& name, lang::span name_span, value v, lang::span at) {
  std::size_t i = index_of(name);
  lang::diagnostic d;
  d.source = source_;
  d.primary = name_span;
  if (i == slots_.size()) {
    std::vector<std::string> names;
    for (const auto& p : fn_->params) names.push_back(p.name);
    d.code = "E0303";
    d.message = fmt::format("{} has no parameter '{}'", fn_->name, name);
    d.help = did_you_mean(name, names, "its parameters are");
    diags_->add(std::move(d));
    return false;
  }
  if (slots_[i].given) {
    d.code = "E0304";
    d.message = fmt::format("{}: argument '{}' is given twice", fn_->name, name);
    d.secondary.push_back({slots_[i].where, "first given here"});
    diags_->add(std::move(d));
    return false;
  }
  slots_[i] = {std::move(v), at, true};
  return true;
}

bool call_args::finish() {
  bool ok = true;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const auto& p = fn_->params[i];
    if (slots_[i].given) continue;
    if (p.required) {
      error("", fmt::format("missing argument '{}' ({})", p.name, p.doc),
            fmt::format("pass it by position or as `{} = ...`", p.name));
      ok = false;
    } else if (p.fallback) {
      slots_[i].v = *p.fallback;
    }
  }
  return ok;
}

void call_args::scale(std::string name, double factor, double* seen) {
  scales_.push_back({std::move(name), factor, seen});
}

double call_args::scaled(std::string_view name, double x) const {
  for (const auto& s : scales_) {
    if (s.name != name) continue;
    if (s.seen) *s.seen = x;
    x *= s.factor;
  }
  return x;
}

bool call_args::given(std::string_view name) const {
  auto i = index_of(name);
  return i < slots_.size() && slots_[i].given;
}

lang::span call_args::where(std::string_view name) const {
  auto i = index_of(name);
  return i < slots_.size() && slots_[i].given ? slots_[i].where : call_;
}

record_ptr call_args::entity(std::string_view name) {
  const auto& spec = fn_->params[index_of(name)];
  const auto& v = slots_[index_of(name)].v;
  if (const auto* r = std::get_if<record_ptr>(&v.v); r && (*r)->kind == spec.entity_kind) return *r;
  if (const auto* s = v.as_symbol()) {
    auto near = suggest(s->name, reg_->names(spec.entity_kind));
    error(name, fmt::format("unknown {} '{}'", spec.entity_kind, s->name),
          near.empty() ? fmt::format("`ironlaw zoo {}` lists them", spec.entity_kind == "model" ? "models" : spec.entity_kind)
                       : fmt::format("did you mean {}?", join_alternatives(near)));
    return nullptr;
  }
  error(name, fmt::format("argument '{}' must be a {}, not {}", name, spec.entity_kind, describe(v)));
  return nullptr;
}

std::optional<double> call_args::count(std::string_view name, double minimum, bool whole) {
  const auto& v = slots_[index_of(name)].v;
  const auto* q = v.as_quantity();
  if (!q || !q->d.dimensionless()) {
    error(name, fmt::format("argument '{}' must be a plain number, not {}", name, describe(v)));
    return std::nullopt;
  }
  if (!std::isfinite(q->si) || q->si < minimum || (whole && q->si != std::round(q->si))) {
    error(name, fmt::format("argument '{}' must be {}{} {}, got {}", name, whole ? "a whole number " : "",
                            minimum > 0 ? ">=" : ">=", format_number(minimum), format_number(q->si)));
    return std::nullopt;
  }
  return q->si;
}

std::optional<double> call_args::fraction(std::string_view name, double fallback) {
  const auto& s = slots_[index_of(name)];
  if (!s.given) return scaled(name, fallback);
  const auto* q = s.v.as_quantity();
  if (!q || !q->d.dimensionless() || !(q->si > 0 && q->si <= 1)) {
    error(name, fmt::format("argument '{}' must be a fraction in (0, 1], got {}", name,
                            q && q->d.dimensionless() ? format_number(q->si) : describe(s.v)),
          "write 0.8 or 80 %");
    return std::nullopt;
  }
  return scaled(name, q->si);
}

std::optional<quantity> call_args::quantity_of(std::string_view name) {
  const auto& spec = fn_->params[index_of(name)];
  const auto& v = slots_[index_of(name)].v;
  const auto* q = v.as_quantity();
  if (!q || q->d != spec.d) {
    auto want = describe(spec.d);
    auto unit = base_unit_text(spec.d);
    error(name, fmt::format("argument '{}' must be {}{}, not {}", name, want, unit.empty() ? "" : " (" + unit + ")",
                            describe(v)),
          unit.empty() ? "" : fmt::format("write it with a unit, e.g. `{} = 4096 {}`", name, unit));
    return std::nullopt;
  }
  // One check for every solver's quantity arguments: a value at the numeric
  // edge is refused at the argument, naming it (docs/language.md, "Numbers at
  // the edges"). A default is the binding's own and is not checked here.
  if (slots_[index_of(name)].given) {
    std::string wrong = !std::isfinite(q->si)               ? "must be a finite number"
                        : q->si < 0                         ? "must be >= 0"
                        : q->si == 0 && is_throughput(q->d) ? "must be more than 0 " + base_unit_text(q->d)
                                                            : "";
    if (!wrong.empty()) {
      error(name, fmt::format("argument '{}' {}, got {}", name, wrong, format_value(v, reg_->units())),
            q->si == 0 ? fmt::format("a solver divides by a {}; give a positive one", describe(q->d))
                       : fmt::format("'{}' is {}, which is never negative or infinite", name, describe(q->d)));
      return std::nullopt;
    }
  }
  if (scales_.empty()) return *q;
  return quantity{scaled(name, q->si), q->d};
}

std::optional<std::string> call_args::word(std::string_view name) {
  const auto& spec = fn_->params[index_of(name)];
  const auto& v = slots_[index_of(name)].v;
  const auto* s = v.as_symbol();
  std::string text = s ? s->name : std::get_if<std::string>(&v.v) ? std::get<std::string>(v.v) : "";
  if (const auto* b = std::get_if<bool>(&v.v)) text = *b ? "true" : "false";  // yes/no parameters
  for (const auto& w : spec.words)
    if (w == text) return text;
  auto valid = join_alternatives(spec.words);
  if (text.empty()) error(name, fmt::format("argument '{}' must be one of {}, not {}", name, valid, describe(v)));
  else {
    auto near = suggest(text, spec.words);
    error(name, fmt::format("unknown {} '{}'", name, text),
          fmt::format("valid {} values: {}{}", name, valid,
                      near.empty() ? "" : fmt::format(" (did you mean {}?)", join_alternatives(near))));
  }
  return std::nullopt;
}

}  // namespace ironlaw::runtime
