#include "ironlaw/runtime/interp/check_environment.hpp"

#include <algorithm>

#include "ironlaw/runtime/interp/builtins.hpp"
#include "ironlaw/runtime/interp/entity_schema.hpp"
#include "math_functions.hpp"

namespace ironlaw::runtime {
namespace {

using lang::type;
using lang::type_ptr;

type_ptr any_word() { return type::of_word(""); }

type_ptr record_type(std::string kind, std::string name, std::vector<lang::field_type> fields, bool open) {
  auto t = std::make_shared<type>();
  t->t = type::tag::record;
  t->kind = std::move(kind);
  t->name = std::move(name);
  t->fields = std::move(fields);
  t->open = open;
  return t;
}

type_ptr result_type(const result_field& f) {
  switch (f.kind) {
    case result_kind::quantity: return type::quantity(f.d);
    case result_kind::word: return any_word();
    case result_kind::boolean: return type::boolean();
    case result_kind::text: return type::text();
    case result_kind::entities: return type::list_of(type::unknown());
    case result_kind::records: return record_type("record", "", {}, true);
  }
  return type::unknown();
}

type_ptr schema_type(const field_schema& f) {
  switch (f.kind) {
    case field_kind::quantity: return type::quantity(f.d);
    case field_kind::count: return type::number();
    case field_kind::flag: return type::boolean();
    case field_kind::text: return type::text();
    case field_kind::word: return any_word();
    case field_kind::entity: return record_type(f.entity_kind, "", {}, true);
    case field_kind::table: return record_type("table", "", {}, true);
    case field_kind::history: return type::list_of(record_type(f.name, "", {}, true));
  }
  return type::unknown();
}

lang::parameter_signature parameter(const param_spec& p) {
  lang::parameter_signature s;
  s.name = p.name;
  s.entity_kind = p.entity_kind;
  s.d = p.d;
  s.words = p.words;
  s.required = p.required;
  switch (p.kind) {
    case param_kind::entity: s.k = lang::parameter_signature::kind::entity; break;
    case param_kind::count: s.k = lang::parameter_signature::kind::count; break;
    case param_kind::fraction: s.k = lang::parameter_signature::kind::fraction; break;
    case param_kind::quantity: s.k = lang::parameter_signature::kind::quantity; break;
    case param_kind::word: s.k = lang::parameter_signature::kind::word; break;
    case param_kind::value: s.k = lang::parameter_signature::kind::value; break;
  }
  return s;
}

type_ptr type_of_value(const value& v, int depth) {
  struct visitor {
    int depth;
    type_ptr operator()(std::monostate) const { return type::unknown(); }
    type_ptr operator()(const quantity& q) const { return type::quantity(q.d); }
    type_ptr operator()(bool) const { return type::boolean(); }
    type_ptr operator()(const std::string&) const { return type::text(); }
    type_ptr operator()(const symbol& s) const { return type::of_word(s.name); }
    type_ptr operator()(const list_ptr& l) const {
      return type::list_of(l->empty() || depth > 8 ? type::unknown() : type_of_value(l->front(), depth + 1));
    }
    type_ptr operator()(const record_ptr& r) const {
      std::vector<lang::field_type> fields;
      if (depth <= 8)
        for (const auto& f : r->fields) fields.push_back({f.name, type_of_value(f.v, depth + 1)});
      return record_type(r->kind, r->name, std::move(fields), depth > 8);
    }
  };
  return std::visit(visitor{depth}, v.v);
}

}  // namespace

type_ptr type_of_value(const value& v) { return type_of_value(v, 0); }

check_environment::check_environment(const registry& reg) : reg_(reg) {
  for (const auto& fn : builtins()) {
    lang::function_signature s;
    s.name = fn.name;
    for (const auto& p : fn.params) s.params.push_back(parameter(p));
    for (const auto& r : fn.results) s.results.push_back({r.name, result_type(r)});
    for (const auto& r : fn.retired) s.retired.push_back({r.name, r.message, r.help});
    functions_.emplace(fn.name, std::move(s));
  }
  for (const auto& fn : math::functions())
    math_.emplace(std::string(fn.name), lang::math_signature{std::string(fn.name), std::string(fn.usage),
                                                             math::over_values(fn.f)});
  for (const auto& k : entity_kinds()) {
    std::vector<lang::field_type> fields;
    for (const auto& f : k.fields) fields.push_back({f.name, schema_type(f)});
    kinds_.emplace(k.kind, record_type(k.kind, "", std::move(fields), false));
  }
}

lang::unit_check check_environment::unit(std::string_view text) const {
  lang::unit_check out;
  auto parsed = reg_.units().parse(text);
  if (const auto* u = std::get_if<unit_value>(&parsed)) {
    out.d = u->d;
    return out;
  }
  const auto& e = std::get<unit_error>(parsed);
  out.message = e.message;
  out.help = e.help;
  out.offset = e.offset;
  out.length = e.length;
  return out;
}

type_ptr check_environment::entity(std::string_view name) const {
  if (auto it = entities_.find(name); it != entities_.end()) return it->second;
  auto r = reg_.find(name);
  type_ptr t = r ? type_of_value(value{r}) : nullptr;
  entities_.emplace(std::string(name), t);
  return t;
}

const lang::function_signature* check_environment::function(std::string_view name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : &it->second;
}

std::vector<std::string> check_environment::function_names() const {
  auto names = builtin_names();
  for (auto& m : math::names()) names.push_back(std::move(m));
  return names;
}

const lang::math_signature* check_environment::math_function(std::string_view name) const {
  auto it = math_.find(name);
  return it == math_.end() ? nullptr : &it->second;
}

lang::math_check check_environment::math_result(std::string_view name, const std::vector<lang::dim>& values,
                                                bool unit_given) const {
  const auto* fn = math::find(name);
  if (!fn) return {};
  auto rule = math::result_dim(fn->f, values, unit_given);
  return {rule.d, rule.message, rule.help, rule.culprit};
}

std::string_view check_environment::zoo_kind(std::string_view word) const { return runtime::zoo_kind(word); }

type_ptr check_environment::entity_kind(std::string_view kind) const {
  auto it = kinds_.find(kind);
  return it == kinds_.end() ? nullptr : it->second;
}

bool check_environment::known_word(std::string_view word) const {
  if (word.empty()) return true;  // a word field's type: some word, already checked where it was made
  const auto& words = builtin_words();
  return std::find(words.begin(), words.end(), word) != words.end();
}

std::vector<std::string> check_environment::entity_names() const {
  if (entity_names_.empty()) entity_names_ = reg_.names();
  return entity_names_;
}

}  // namespace ironlaw::runtime
