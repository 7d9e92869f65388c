#pragma once
// Shared pieces of the solver bindings: common parameters, result fields
// declared from the stdlib's typed quantities, and efficiency defaults from
// the registry. Included only by bind_*.cpp files (it pulls in Boost.Units).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ironlaw/runtime/bind/bind_units.hpp"
#include "ironlaw/runtime/interp/builtins.hpp"
#include "ironlaw/stdlib/precision.hpp"

namespace ironlaw::stdlib {
struct memory_ledger;
}

namespace ironlaw::runtime::bindings {

// ---- parameters -------------------------------------------------------------------
param_spec entity_param(std::string name, std::string kind, std::string doc);
param_spec count_param(std::string name, double fallback, std::string doc);
param_spec fraction_param(std::string name, std::string default_text, std::string doc);
param_spec precision_param(std::string name, std::string fallback, std::string doc);
template <typename Q>
param_spec quantity_param(std::string name, std::string doc) {
  return {.name = std::move(name), .kind = param_kind::quantity, .d = runtime_dim_of<Q>::value(), .required = true,
          .doc = std::move(doc)};
}
template <typename Q>
param_spec quantity_param(std::string name, double fallback_si, std::string default_text, std::string doc) {
  return {.name = std::move(name), .kind = param_kind::quantity, .d = runtime_dim_of<Q>::value(),
          .fallback = value{quantity{fallback_si, runtime_dim_of<Q>::value()}},
          .default_text = std::move(default_text), .doc = std::move(doc)};
}
// A quantity parameter with no fixed default: read only when given, or the
// binding computes one (`default_text` says how).
template <typename Q>
param_spec optional_quantity_param(std::string name, std::string default_text, std::string doc) {
  return {.name = std::move(name), .kind = param_kind::quantity, .d = runtime_dim_of<Q>::value(),
          .default_text = std::move(default_text), .doc = std::move(doc)};
}
const std::vector<std::string>& precision_words();
// The words of a stdlib name table (an array of string_view), for word parameters and results.
template <typename Names>
std::vector<std::string> words_of(const Names& names) {
  return {names.begin(), names.end()};
}

// ---- results ----------------------------------------------------------------------
template <typename Q>
result_field quantity_result(std::string name, std::string doc) {
  return {.name = std::move(name), .kind = result_kind::quantity, .d = runtime_dim_of<Q>::value(), .doc = std::move(doc)};
}
result_field number_result(std::string name, std::string doc);
result_field word_result(std::string name, std::vector<std::string> words, std::string doc);
result_field bool_result(std::string name, std::string doc);

template <typename Q>
field typed_field(std::string name, const Q& q, std::string note = {}) {
  return {std::move(name), value{to_runtime(q)}, std::move(note)};
}
field number_field(std::string name, double x, std::string note = {});
field word_field(std::string name, std::string word, std::string note = {});

// A record of kind `kind` holding `fields`, in the order the builtin declares.
value make_result(std::string kind, std::vector<field> fields);

// ---- fitting in memory --------------------------------------------------------------
// A result whose configuration does not fit in memory keeps its numbers but
// refuses its times, rates and costs (record::infeasible, docs/language.md
// "Results that do not fit"). Every solver with a memory model says so alike.
param_spec allow_infeasible_param();
// What a configuration needs against what it has, largest part first: "needs
// 141 GB of 80 GB per device: weights 141 GB, KV cache 0 B". Empty when it fits.
struct memory_need {
  std::string what;  // "weights", "KV cache", "activations", ...
  double bytes = 0;
};
std::string fit_shortfall(const unit_table& units, const std::vector<memory_need>& needs, double capacity,
                          std::string_view per = "per device");
// The parts of a `memory` ledger (weights, KV cache, activations, gradients,
// optimizer state, runtime reserve), for fit_shortfall.
std::vector<memory_need> ledger_needs(const stdlib::memory_ledger& l);
// `result` marked as not fitting when `shortfall` is not empty; its
// hypothetical fields readable when the call passed `allow_infeasible = true`.
std::optional<value> with_fit(call_args& args, value result, std::string shortfall);

// In a quiet call (call_args::quiet) a shortfall's text is never read, only
// whether there is one: this stands for it there.
inline constexpr std::string_view unworded_shortfall = "does not fit (not worded in a quiet call)";
// fit_shortfall, or unworded_shortfall when `args` is quiet and the needs exceed the capacity.
std::string fit_shortfall(const call_args& args, const std::vector<memory_need>& needs, double capacity,
                          std::string_view per = "per device");

// A note's text: make() outside a quiet call (call_args::quiet), where notes are never read.
template <typename Make>
std::string note_of(const call_args& args, Make make) {
  return args.quiet() ? std::string() : std::string(make());
}

// make() once per design search thread under `key` (call_args::memo), at every
// call outside a search. For what depends on the registry and names only.
template <typename T, typename Make>
T memoized(const call_args& args, std::string_view key, Make make) {
  call_memo* memo = args.memo();
  if (!memo) return make();
  auto it = memo->find(key);
  if (it == memo->end()) it = memo->emplace(std::string(key), std::any(T(make()))).first;
  return std::any_cast<const T&>(it->second);
}

// The share of device memory the runtime keeps (registry efficiency.runtime_reserve); 0 without one.
double runtime_reserve(const registry& reg);

// ---- efficiency defaults ------------------------------------------------------------
// A default from registry/efficiency.toml (table `regime`, key `key`) with the
// title of its source; 1 and "no default" when the registry has none.
struct efficiency_default {
  double value = 1;
  std::string source;
  bool calibrated = false;  // fitted to the user's `measured` statements: `source` says where
};
efficiency_default efficiency_from(const registry& reg, std::string_view regime, std::string_view key);

}  // namespace ironlaw::runtime::bindings
