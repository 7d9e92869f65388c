#include "helpers.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ironlaw/runtime/interp/evaluated.hpp"
#include "ironlaw/stdlib/memory.hpp"

namespace ironlaw::runtime::bindings {

param_spec entity_param(std::string name, std::string kind, std::string doc) {
  return {.name = std::move(name), .kind = param_kind::entity, .entity_kind = std::move(kind), .required = true,
          .doc = std::move(doc)};
}

param_spec count_param(std::string name, double fallback, std::string doc) {
  auto text = format_number(fallback);
  return {.name = std::move(name), .kind = param_kind::count, .fallback = value{quantity{fallback, {}}},
          .default_text = text, .doc = std::move(doc)};
}

param_spec fraction_param(std::string name, std::string default_text, std::string doc) {
  return {.name = std::move(name), .kind = param_kind::fraction, .default_text = std::move(default_text),
          .doc = std::move(doc)};
}

const std::vector<std::string>& precision_words() {
  static const std::vector<std::string> words(stdlib::precision_names.begin(), stdlib::precision_names.end());
  return words;
}

param_spec precision_param(std::string name, std::string fallback, std::string doc) {
  param_spec p{.name = std::move(name), .kind = param_kind::word, .words = precision_words(), .doc = std::move(doc)};
  if (!fallback.empty()) {
    p.fallback = value{symbol{fallback}};
    p.default_text = fallback;
  }
  return p;
}

result_field number_result(std::string name, std::string doc) {
  return {.name = std::move(name), .kind = result_kind::quantity, .doc = std::move(doc)};
}

result_field word_result(std::string name, std::vector<std::string> words, std::string doc) {
  return {.name = std::move(name), .kind = result_kind::word, .words = std::move(words), .doc = std::move(doc)};
}

result_field bool_result(std::string name, std::string doc) {
  return {.name = std::move(name), .kind = result_kind::boolean, .doc = std::move(doc)};
}

field number_field(std::string name, double x, std::string note) {
  return {std::move(name), value{quantity{x, {}}}, std::move(note)};
}

field word_field(std::string name, std::string word, std::string note) {
  return {std::move(name), value{symbol{std::move(word)}}, std::move(note)};
}

value make_result(std::string kind, std::vector<field> fields) {
  auto r = std::make_shared<record>();
  r->kind = std::move(kind);
  r->fields = std::move(fields);
  return value{record_ptr(std::move(r))};
}

param_spec allow_infeasible_param() {
  return {.name = "allow_infeasible", .kind = param_kind::word, .words = {"false", "true"}, .fallback = value{false},
          .default_text = "false",
          .doc = "true: a configuration that does not fit in memory still gives its times, rates and costs, "
                 "marked hypothetical"};
}

std::string fit_shortfall(const unit_table& units, const std::vector<memory_need>& needs, double capacity,
                          std::string_view per) {
  double total = 0;
  for (const auto& n : needs) total += n.bytes;
  if (total <= capacity) return {};
  auto parts = needs;
  std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.bytes > b.bytes; });
  std::string listed;
  for (const auto& n : parts)
    if (n.bytes > 0) listed += fmt::format("{}{} {}", listed.empty() ? "" : ", ", n.what, units.format({n.bytes, dim::of(base_dim::data)}));
  auto bytes = [&](double b) { return units.format({b, dim::of(base_dim::data)}); };
  return fmt::format("needs {} of {}{}{}: {}", bytes(total), bytes(capacity), per.empty() ? "" : " ", per, listed);
}

std::string fit_shortfall(const call_args& args, const std::vector<memory_need>& needs, double capacity,
                          std::string_view per) {
  if (!args.quiet()) return fit_shortfall(args.reg().units(), needs, capacity, per);
  double total = 0;
  for (const auto& n : needs) total += n.bytes;
  return total <= capacity ? std::string() : std::string(unworded_shortfall);
}

std::vector<memory_need> ledger_needs(const stdlib::memory_ledger& l) {
  return {{"weights", l.weights.value()},         {"KV cache", l.kv_cache.value()},
          {"activations", l.activations.value()}, {"gradients", l.gradients.value()},
          {"optimizer state", l.optimizer_state.value()}, {"runtime reserve", l.reserve.value()}};
}

double runtime_reserve(const registry& reg) {
  const record* r = reg.efficiency("runtime_reserve");
  const quantity* q = r ? r->quantity_of("fraction") : nullptr;
  return q ? q->si : 0;
}

std::optional<value> with_fit(call_args& args, value result, std::string shortfall) {
  auto allowed = args.word("allow_infeasible");
  if (!allowed) return std::nullopt;
  if (shortfall.empty()) return result;
  auto r = std::make_shared<record>(*result.as_record());
  r->infeasible = std::move(shortfall);
  r->hypothetical_allowed = *allowed == "true";
  return value{record_ptr(std::move(r))};
}

efficiency_default efficiency_from(const registry& reg, std::string_view regime, std::string_view key) {
  const record* r = reg.efficiency(regime);
  const quantity* q = r ? r->quantity_of(key) : nullptr;
  if (!q) return {1, "no default in the registry: the ideal bound"};
  if (const auto* c = r->find("calibrated"); c && c->v.as_record())  // registry::override_efficiency
    if (const auto* why = c->v.as_record()->find(key); why && std::get_if<std::string>(&why->v.v))
      return {q->si, std::get<std::string>(why->v.v), true};
  // The source of this key (`[decode.sources.compute]`) when the table has
  // one, else the table's (`[decode.source]`): decode's compute default is not
  // the gpt-fast bandwidth measurement.
  auto title_of = [](const field* s) -> std::string {
    const auto* t = s && s->v.as_record() ? s->v.as_record()->find("title") : nullptr;
    return t && std::get_if<std::string>(&t->v.v) ? std::get<std::string>(t->v.v) : std::string();
  };
  std::string source;
  if (const auto* all = r->find("sources"); all && all->v.as_record()) source = title_of(all->v.as_record()->find(key));
  if (source.empty()) source = title_of(r->find("source"));
  return {q->si, source};
}

}  // namespace ironlaw::runtime::bindings
