#pragma once
// What the static checker (lang/check.hpp) sees of the runtime: units from the
// unit table, registry entries, the solvers' parameters and result fields, and
// entity schemas, all as types. Built from the tables the evaluator uses, so
// the two cannot disagree about a name.
#include <map>
#include <memory>

#include "ironlaw/lang/check.hpp"
#include "ironlaw/runtime/interp/registry.hpp"

namespace ironlaw::runtime {

class check_environment final : public lang::environment {
 public:
  // The function table must be installed (bindings::install()) before.
  explicit check_environment(const registry& reg);

  lang::unit_check unit(std::string_view text) const override;
  lang::type_ptr entity(std::string_view name) const override;
  const lang::function_signature* function(std::string_view name) const override;
  std::vector<std::string> function_names() const override;
  const lang::math_signature* math_function(std::string_view name) const override;
  lang::math_check math_result(std::string_view name, const std::vector<lang::dim>& values,
                               bool unit_given) const override;
  lang::type_ptr entity_kind(std::string_view kind) const override;
  std::string_view zoo_kind(std::string_view word) const override;
  bool known_word(std::string_view word) const override;
  std::vector<std::string> entity_names() const override;

 private:
  const registry& reg_;
  std::map<std::string, lang::function_signature, std::less<>> functions_;
  std::map<std::string, lang::math_signature, std::less<>> math_;
  std::map<std::string, lang::type_ptr, std::less<>> kinds_;
  mutable std::map<std::string, lang::type_ptr, std::less<>> entities_;  // filled as names are looked up
  mutable std::vector<std::string> entity_names_;
};

// A run-time value's type (a registry entry's fields, a let's value).
lang::type_ptr type_of_value(const value& v);

}  // namespace ironlaw::runtime
