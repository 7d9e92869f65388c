// The static checker: one walk over the program with a scope of types. It
// mirrors the evaluator's rules (runtime/interp/evaluator.cpp) on types
// instead of values, so it can look at what evaluation never reaches: every
// option of a `choose`, every value of a design axis, statements after an
// error. See docs/language.md, "Checking".
#include "ironlaw/lang/check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_set>

#include "ironlaw/lang/operator_dims.hpp"
#include "ironlaw/lang/suggest.hpp"

namespace ironlaw::lang {

type_ptr type::unknown() {
  static const auto t = std::make_shared<const type>();
  return t;
}
type_ptr type::quantity(dim d) {
  auto t = std::make_shared<type>();
  t->t = tag::quantity;
  t->d = d;
  return t;
}
type_ptr type::boolean() {
  static const auto t = [] {
    auto b = std::make_shared<type>();
    b->t = tag::boolean;
    return b;
  }();
  return t;
}
type_ptr type::text() {
  static const auto t = [] {
    auto s = std::make_shared<type>();
    s->t = tag::text;
    return s;
  }();
  return t;
}
type_ptr type::of_word(std::string w) {
  auto t = std::make_shared<type>();
  t->t = tag::word;
  t->word = std::move(w);
  return t;
}
type_ptr type::list_of(type_ptr element, bool mixed) {
  auto t = std::make_shared<type>();
  t->t = tag::list;
  t->element = std::move(element);
  t->mixed = mixed;
  return t;
}
const field_type* type::find(std::string_view field) const {
  for (const auto& f : fields)
    if (f.name == field) return &f;
  return nullptr;
}

std::string describe(const type& t) {
  switch (t.t) {
    case type::tag::unknown: return "a value";
    case type::tag::quantity:
      if (!t.dim_known) return "a quantity";
      return t.d.dimensionless() ? "a plain number" : "a quantity of " + describe(t.d);
    case type::tag::boolean: return "a boolean";
    case type::tag::text: return "a string";
    case type::tag::word: return t.word.empty() ? "a word" : "the word '" + t.word + "'";
    case type::tag::record:
      if (t.kind == "design") return "the design " + t.name;
      if (!t.name.empty()) return "the " + t.kind + " " + t.name;
      return "a " + t.kind + " result";
    case type::tag::list:
      if (t.element && t.element->t != type::tag::unknown && !t.mixed) {
        const auto& e = *t.element;
        if (e.t == type::tag::quantity && e.dim_known)
          return "a list of " + (e.d.dimensionless() ? std::string("plain numbers") : describe(e.d));
        if (e.t == type::tag::record) return "a list of " + e.kind + (e.name.empty() ? " results" : " entities");
      }
      return "a list";
    case type::tag::function: return "the function " + t.name;
  }
  return "a value";
}

bool compatible(const type& a, const type& b) {
  using tag = type::tag;
  if (a.t == tag::unknown || b.t == tag::unknown) return true;
  if (a.t != b.t) return false;
  switch (a.t) {
    case tag::quantity: return !a.dim_known || !b.dim_known || a.d == b.d;
    case tag::record: return a.kind == b.kind;
    case tag::list: return !a.element || !b.element || compatible(*a.element, *b.element);
    default: return true;
  }
}

namespace {

using tag = type::tag;

// Names in scope, innermost first: a design's axes, a zoo filter's fields, a
// question's `answer` and `submitted`, then the file's lets and declarations.
struct scope {
  std::map<std::string, type_ptr, std::less<>> names;
  const scope* outer = nullptr;
  const type_ptr* find(std::string_view n) const {
    for (const scope* s = this; s; s = s->outer)
      if (auto it = s->names.find(n); it != s->names.end()) return &it->second;
    return nullptr;
  }
};

class checker {
 public:
  checker(const environment& env, const source_ptr& source, diagnostics& diags)
      : env_(env), source_(source), diags_(diags) {}

  typed_program run(const program& p, const cancel_token* cancel) {
    for (const auto& st : p.statements) {
      if (cancel && cancel->requested()) {
        out_.cancelled = true;
        break;
      }
      if (diags_.full()) {
        diags_.stop();
        break;
      }
      std::visit([&](const auto& node) { statement(node); }, st.node);
    }
    out_.globals = globals_.names;
    return std::move(out_);
  }

 private:
  const environment& env_;
  source_ptr source_;
  diagnostics& diags_;
  typed_program out_;
  scope globals_;
  const scope* locals_ = &globals_;
  std::map<std::string, const design_stmt*, std::less<>> designs_;
  // After an `import`, names the checker has not seen may come from the other
  // file (the checker reads one file): unknown names are then not words.
  bool open_world_ = false;

  diagnostic& error(std::string code, span where, std::string message) {
    return diags_.error(std::move(code), source_, where, std::move(message));
  }
  type_ptr note(const expr& e, type_ptr t) {
    out_.types[&e] = t;
    return t;
  }

  // ---- expressions ----------------------------------------------------

  type_ptr expression(const expr& e) {
    return note(e, std::visit([&](const auto& node) { return node_type(e, node); }, e.node));
  }
  // A value used as data: a bare word must be a known one.
  type_ptr value_of(const expr& e) {
    auto t = expression(e);
    if (t->t == tag::word && !env_.known_word(t->word)) {
      unknown_name(e, t->word);
      return note(e, type::unknown());
    }
    return t;
  }
  void unknown_name(const expr& e, const std::string& name) {
    auto& d = error("E0102", e.where, fmt::format("unknown name '{}'", name));
    auto candidates = env_.entity_names();
    for (const scope* s = locals_; s; s = s->outer)
      for (const auto& [n, t] : s->names) candidates.push_back(n);
    for (auto& f : env_.function_names()) candidates.push_back(std::move(f));
    auto near = suggest(name, candidates);
    if (!near.empty()) d.help = fmt::format("did you mean {}?", join_alternatives(near));
  }

  std::optional<dim> unit_dim(std::string_view text, span where) {
    auto u = env_.unit(text);
    if (u.d) {
      if (!u.d->out_of_range()) return u.d;
      error("E0218", where, fmt::format("unit exponent out of range in '{}'", text));
      return std::nullopt;
    }
    span s{where.begin + static_cast<std::uint32_t>(u.offset),
           where.begin + static_cast<std::uint32_t>(u.offset + std::max<std::size_t>(u.length, 1))};
    error("E0101", s, u.message).help = u.help;
    return std::nullopt;
  }

  type_ptr node_type(const expr& e, const number_literal& n) {
    if (!std::isfinite(n.value)) {
      error("E0103", e.where, "number out of range (the largest is about 1.8e308)");
      return type::unknown();
    }
    if (n.unit.empty()) return type::number();
    auto d = unit_dim(n.unit, n.unit_span);
    return d ? type::quantity(*d) : type::unknown();
  }
  type_ptr node_type(const expr&, const string_literal& s) {
    for (const auto& part : s.parts)
      if (part.value) value_of(*part.value);
    return type::text();
  }
  type_ptr node_type(const expr&, const bool_literal&) { return type::boolean(); }
  type_ptr node_type(const expr& e, const name_ref& n) {
    if (const auto* t = locals_->find(n.name)) {
      out_.resolutions[&e] = (*t)->t == tag::record && (*t)->kind == "design" ? "design " + n.name : "in scope: " + describe(**t);
      return *t;
    }
    if (auto t = env_.entity(n.name)) {
      out_.resolutions[&e] = "registry " + t->kind;
      return t;
    }
    if (env_.function(n.name) || n.name == "choose" || n.name == "sensitivity") {
      // `choose` is the grader's form, not in the function table `help` reads.
      error("E0105", e.where, fmt::format("'{}' is a function", n.name)).help =
          n.name == "choose" ? "call it: choose([...]) in an assignment's `param` (docs/grading.md)"
                             : fmt::format("call it: {}(...); `ironlaw help {}` (`:help {}` in the REPL) lists its parameters",
                                           n.name, n.name, n.name);
      out_.resolutions[&e] = "function " + n.name;
      return type::unknown();
    }
    if (open_world_ && !env_.known_word(n.name)) {
      out_.resolutions[&e] = "not in this file: perhaps from an import";
      return type::unknown();
    }
    out_.resolutions[&e] = "a word (enum value)";
    return type::of_word(n.name);
  }
  type_ptr node_type(const expr&, const list_expr& l) {
    type_ptr first;
    bool mixed = false;
    for (const auto& item : l.items) {
      auto t = expression(*item);  // words are checked by whoever uses the list
      if (!first) first = t;
      else if (!compatible(*first, *t)) mixed = true;
    }
    return type::list_of(first && !mixed ? first : type::unknown(), mixed);
  }
  type_ptr node_type(const expr& e, const unary_expr& u) {
    auto t = value_of(*u.operand);
    if (t->t == tag::unknown) return u.op == unary_op::logical_not ? type::boolean() : type::unknown();
    if (u.op == unary_op::logical_not) {
      if (t->t != tag::boolean) error("E0203", e.where, fmt::format("'not' needs a boolean, not {}", describe(*t)));
      return type::boolean();
    }
    if (t->t != tag::quantity) {
      error("E0203", e.where, fmt::format("cannot apply '{}' to {}", spelling(u.op), describe(*t)));
      return type::unknown();
    }
    return t;
  }

  static std::string what(const expr& e, const type& t) {
    if (const auto* n = std::get_if<number_literal>(&e.node); n && !n->unit.empty())
      return fmt::format("{} ({})", describe(t.d), n->unit);
    return t.d.dimensionless() ? "a plain number" : describe(t.d);
  }

  type_ptr node_type(const expr& e, const binary_expr& b) {
    using op = binary_op;
    if (b.op == op::logical_and || b.op == op::logical_or) {
      for (const auto* side : {b.lhs.get(), b.rhs.get()}) {
        auto t = value_of(*side);
        if (t->t != tag::unknown && t->t != tag::boolean)
          error("E0203", side->where, fmt::format("'{}' needs booleans, not {}", spelling(b.op), describe(*t)));
      }
      return type::boolean();
    }
    bool equality = b.op == op::equal || b.op == op::not_equal;
    auto lhs = equality ? expression(*b.lhs) : value_of(*b.lhs);
    auto rhs = equality ? expression(*b.rhs) : value_of(*b.rhs);
    if (lhs->t == tag::unknown || rhs->t == tag::unknown) return arithmetic_result(b.op, lhs, rhs);
    if (equality && !(lhs->t == tag::quantity && rhs->t == tag::quantity)) return equality_type(b, lhs, rhs);
    if (lhs->t != tag::quantity || rhs->t != tag::quantity) {
      const auto& bad = lhs->t == tag::quantity ? *b.rhs : *b.lhs;
      error("E0203", bad.where,
            fmt::format("'{}' needs quantities, not {}", spelling(b.op), describe(lhs->t == tag::quantity ? *rhs : *lhs)));
      return type::unknown();
    }
    bool known = lhs->dim_known && rhs->dim_known;
    switch (b.op) {
      case op::add:
      case op::subtract:
        if (known && !result_dim(b.op, lhs->d, rhs->d)) {
          auto& d = error("E0201", b.lhs->where,
                          b.op == op::add ? fmt::format("cannot add {} to {}", what(*b.lhs, *lhs), what(*b.rhs, *rhs))
                                          : fmt::format("cannot subtract {} from {}", what(*b.rhs, *rhs), what(*b.lhs, *lhs)));
          d.primary_label = describe(lhs->d);
          d.secondary.push_back({b.rhs->where, describe(rhs->d)});
          d.help = "only quantities of the same dimension can be added or subtracted";
          return type::unknown();
        }
        return lhs->dim_known ? lhs : rhs;
      case op::multiply:
      case op::divide: {
        if (!known) return unknown_dim();
        auto d = *result_dim(b.op, lhs->d, rhs->d);
        if (d.out_of_range()) {
          error("E0218", e.where, "unit exponent out of range");
          return type::unknown();
        }
        return type::quantity(d);
      }
      case op::power: return power(b, lhs, rhs);
      default:
        if (known && !result_dim(b.op, lhs->d, rhs->d)) {
          auto& d = error("E0202", b.lhs->where,
                          fmt::format("cannot compare {} with {}", what(*b.lhs, *lhs), what(*b.rhs, *rhs)));
          d.primary_label = describe(lhs->d);
          d.secondary.push_back({b.rhs->where, describe(rhs->d)});
        }
        return type::boolean();
    }
  }
  static type_ptr function_named(const std::string& name) {
    auto t = std::make_shared<type>();
    t->t = tag::function;
    t->name = name;
    return t;
  }
  static type_ptr unknown_dim() {
    auto t = std::make_shared<type>();
    t->t = tag::quantity;
    t->dim_known = false;
    return t;
  }
  static type_ptr arithmetic_result(binary_op o, const type_ptr& lhs, const type_ptr& rhs) {
    using op = binary_op;
    switch (o) {
      case op::add:
      case op::subtract: return lhs->t == tag::quantity ? lhs : rhs->t == tag::quantity ? rhs : type::unknown();
      case op::multiply:
      case op::divide:
      case op::power: return type::unknown();
      default: return type::boolean();
    }
  }
  type_ptr power(const binary_expr& b, const type_ptr& base, const type_ptr& exponent) {
    if (exponent->dim_known && !exponent->d.dimensionless()) {
      error("E0205", b.rhs->where, fmt::format("an exponent must be a plain number, not {}", what(*b.rhs, *exponent)));
      return type::unknown();
    }
    if (base->dim_known && base->d.dimensionless()) return base;
    // A unit's power needs the exponent's value: known here only for a literal.
    const auto* n = std::get_if<number_literal>(&b.rhs->node);
    if (!n || !n->unit.empty() || !base->dim_known) return unknown_dim();
    auto d = result_dim(b.op, base->d, dim{}, n->value);
    if (!d) {
      error("E0205", b.rhs->where,
            fmt::format("a quantity with a unit can only be raised to a whole power (at most {}), not {}",
                        max_whole_power, n->text));
      return type::unknown();
    }
    if (d->out_of_range()) {
      error("E0218", b.rhs->where, "unit exponent out of range");
      return type::unknown();
    }
    return type::quantity(*d);
  }
  type_ptr equality_type(const binary_expr& b, const type_ptr& lhs, const type_ptr& rhs) {
    if (lhs->t == rhs->t && lhs->t != tag::list && lhs->t != tag::function) return type::boolean();
    for (const auto& [side, t] : {std::pair{b.lhs.get(), lhs}, std::pair{b.rhs.get(), rhs}})
      if (t->t == tag::word && !env_.known_word(t->word)) {
        unknown_name(*side, t->word);
        return type::boolean();
      }
    auto& d = error("E0202", b.lhs->where, fmt::format("cannot compare {} with {}", describe(*lhs), describe(*rhs)));
    d.secondary.push_back({b.rhs->where, describe(*rhs)});
    return type::boolean();
  }

  type_ptr node_type(const expr&, const convert_expr& c) {
    auto t = value_of(*c.value);
    auto d = unit_dim(c.unit, c.unit_span);
    if (t->t == tag::unknown || !d) return t;
    if (t->t != tag::quantity) {
      error("E0206", c.value->where, fmt::format("only quantities can be converted, not {}", describe(*t)));
      return type::unknown();
    }
    if (t->dim_known && t->d != *d) {
      auto& diag = error("E0206", c.unit_span,
                         fmt::format("cannot convert {} to {} ({})", what(*c.value, *t), describe(*d), c.unit));
      diag.primary_label = describe(*d);
      diag.secondary.push_back({c.value->where, describe(t->d)});
      diag.help = counted_conversion_help(t->d, *d);
      return type::unknown();
    }
    return type::quantity(*d);
  }

  type_ptr node_type(const expr& e, const range_expr& r) {
    auto from = value_of(*r.from);
    auto to = value_of(*r.to);
    auto step = r.step ? value_of(*r.step) : type::number();
    for (const auto& t : {from, to, step})
      if (t->t == tag::unknown) return type::list_of(type::unknown());
    if (from->t != tag::quantity || to->t != tag::quantity || step->t != tag::quantity) {
      error("E0207", e.where, "a range's ends and step must be numbers or quantities");
      return type::list_of(type::unknown());
    }
    if (from->dim_known && to->dim_known && from->d != to->d) {
      error("E0207", r.to->where,
            fmt::format("a range cannot go from {} to {}", what(*r.from, *from), what(*r.to, *to)))
          .secondary.push_back({r.from->where, describe(from->d)});
      return type::list_of(type::unknown());
    }
    if (from->dim_known && step->dim_known) {
      bool fits = r.geometric ? step->d.dimensionless() : step->d == from->d;
      if (!fits) {
        auto& d = error("E0207", r.step ? r.step->where : e.where,
                        r.geometric ? "a geometric step (`by *k`) must be a plain number above 1"
                        : r.step    ? fmt::format("the step must be positive and in the range's unit ({})", describe(from->d))
                                    : fmt::format("a range of {} needs a step with a unit", describe(from->d)));
        if (!r.step) d.help = fmt::format("as in `by 1 {}`", base_unit_text(from->d));
      }
    }
    return type::list_of(from);
  }

  type_ptr node_type(const expr&, const unit_apply& u) {
    auto t = value_of(*u.value);
    auto d = unit_dim(u.unit, u.unit_span);
    if (!d || t->t == tag::unknown) return type::unknown();
    auto plain = [](const type& x) { return x.t == tag::unknown || (x.t == tag::quantity && x.dim_known && x.d.dimensionless()); };
    if (t->t == tag::list) {
      if (t->mixed || (t->element && !plain(*t->element))) {
        error("E0209", u.unit_span,
              fmt::format("a unit applies to plain numbers; the list holds {}",
                          t->element && !t->mixed ? describe(*t->element) : std::string("other values")));
        return type::unknown();
      }
      return type::list_of(type::quantity(*d));
    }
    if (!plain(*t)) {
      error("E0209", u.unit_span, fmt::format("a unit applies to plain numbers, not {}", describe(*t)));
      return type::unknown();
    }
    return type::quantity(*d);
  }

  type_ptr node_type(const expr&, const record_expr& r) {
    auto out = std::make_shared<type>();
    out->t = tag::record;
    out->kind = "record";
    std::unordered_set<std::string_view> seen;
    for (const auto& f : r.fields) {
      if (!seen.insert(f.name).second) error("E0210", f.name_span, fmt::format("field '{}' is given twice", f.name));
      out->fields.push_back({f.name, value_of(*f.value)});
    }
    return out;
  }

  type_ptr node_type(const expr&, const zoo_query& z) {
    auto kind = env_.zoo_kind(z.kind);
    auto schema = kind.empty() ? nullptr : env_.entity_kind(kind);
    if (!schema) {
      error("E0211", z.kind_span, fmt::format("zoo lists hardware, models, nodes, fabrics or regions, not '{}'", z.kind));
      return type::list_of(type::unknown());
    }
    if (z.filter) {
      scope fields{{}, locals_};
      for (const auto& f : schema->fields) fields.names[f.name] = f.t;
      const scope* saved = locals_;
      locals_ = &fields;
      auto keep = value_of(*z.filter);
      locals_ = saved;
      if (keep->t != tag::unknown && keep->t != tag::boolean)
        error("E0212", z.filter->where, fmt::format("a `where` condition must be true or false, not {}", describe(*keep)));
    }
    return type::list_of(schema);
  }

  type_ptr node_type(const expr&, const field_expr& f) {
    auto object = value_of(*f.object);
    if (object->t == tag::unknown) return type::unknown();
    if (object->t != tag::record) {
      error("E0402", f.field_span, fmt::format("{} has no fields", describe(*object)));
      return type::unknown();
    }
    if (const auto* field = object->find(f.field)) return field->t;
    if (object->open) return type::unknown();
    for (const auto& r : object->retired)
      if (r.name == f.field) {
        error("E0230", f.field_span, fmt::format("{} has no field '{}': {}", describe(*object), f.field, r.message)).help =
            r.help;
        return type::unknown();
      }
    // `r.itl_if_it_fit`: a solver result's quantity, asked for even if the
    // configuration does not fit (docs/language.md, "Results that do not fit").
    constexpr std::string_view if_it_fit = "_if_it_fit";
    if ((object->name.empty() || object->kind == "design") && f.field.ends_with(if_it_fit))
      if (const auto* field = object->find(std::string_view(f.field).substr(0, f.field.size() - if_it_fit.size()));
          field && field->t->t == tag::quantity)
        return field->t;
    std::vector<std::string> names;
    for (const auto& field : object->fields) names.push_back(field.name);
    auto& d = error("E0401", f.field_span, fmt::format("{} has no field '{}'", describe(*object), f.field));
    d.help = did_you_mean(f.field, names, "its fields are");
    return type::unknown();
  }

  // ---- calls ----------------------------------------------------------

  type_ptr node_type(const expr& e, const call_expr& c) { return call(e, c, {}); }

  const function_signature* callee(const call_expr& c) {
    const auto* name = std::get_if<name_ref>(&c.callee->node);
    if (!name) {
      error("E0106", c.callee->where, "only built-in functions can be called");
      return nullptr;
    }
    note(*c.callee, function_named(name->name));
    out_.resolutions[c.callee.get()] = "function " + name->name;
    const auto* fn = env_.function(name->name);
    if (!fn) {
      auto& d = error("E0104", c.callee->where, fmt::format("unknown function '{}'", name->name));
      auto names = env_.function_names();
      d.help = did_you_mean(name->name, names, "the functions are");
    }
    return fn;
  }

  // `extra`: parameters a design's axes supply, with their types.
  type_ptr call(const expr& e, const call_expr& c, const std::vector<std::pair<std::string, type_ptr>>& extra) {
    if (const auto* name = std::get_if<name_ref>(&c.callee->node)) {
      if (name->name == "choose") return choose(e, c);
      if (name->name == "sensitivity") return sensitivity(c);
      if (const auto* m = env_.math_function(name->name)) return math_call(e, c, *m);
    }
    const auto* fn = callee(c);
    if (!fn) {
      for (const auto& a : c.args) expression(*a.value);
      return type::unknown();
    }
    std::vector<bool> given(fn->params.size(), false);
    std::vector<span> given_at(fn->params.size());
    std::size_t position = 0;
    for (const auto& a : c.args) {
      auto t = expression(*a.value);
      std::size_t i = fn->params.size();
      if (a.name) {
        i = index_of(*fn, *a.name);
        if (i == fn->params.size()) {
          unknown_parameter(*fn, *a.name, a.name_span);
          continue;
        }
        if (given[i]) {
          error("E0304", a.name_span, fmt::format("{}: argument '{}' is given twice", fn->name, *a.name))
              .secondary.push_back({given_at[i], "first given here"});
          continue;
        }
      } else {
        i = position++;
        if (i >= fn->params.size()) {
          auto& d = error("E0302", a.value->where,
                          fmt::format("{} takes at most {} positional arguments", fn->name, fn->params.size()));
          d.primary_label = "extra argument";
          continue;
        }
      }
      given[i] = true;
      given_at[i] = a.value->where;
      argument(*fn, fn->params[i], *t, a.value->where);
    }
    for (const auto& [name, t] : extra)
      if (auto i = index_of(*fn, name); i < fn->params.size()) given[i] = true;
    for (std::size_t i = 0; i < fn->params.size(); ++i)
      if (fn->params[i].required && !given[i])
        error("E0301", e.where, fmt::format("{}: missing argument '{}'", fn->name, fn->params[i].name)).help =
            fmt::format("pass it by position or as `{} = ...`", fn->params[i].name);
    auto result = std::make_shared<type>();
    result->t = tag::record;
    result->kind = fn->name;
    result->fields = fn->results;
    result->retired = fn->retired;
    return result;
  }
  static std::size_t index_of(const function_signature& fn, std::string_view name) {
    for (std::size_t i = 0; i < fn.params.size(); ++i)
      if (fn.params[i].name == name) return i;
    return fn.params.size();
  }
  void unknown_parameter(const function_signature& fn, const std::string& name, span where) {
    std::vector<std::string> names;
    for (const auto& p : fn.params) names.push_back(p.name);
    error("E0303", where, fmt::format("{} has no parameter '{}'", fn.name, name)).help =
        did_you_mean(name, names, "its parameters are");
  }

  // Whether a value of type `t` can be the parameter; reports when not.
  bool argument(const function_signature& fn, const parameter_signature& p, const type& t, span where) {
    if (t.t == tag::unknown) return true;
    auto fail = [&](std::string message, std::string help = {}) {
      error("E0301", where, fmt::format("{}: {}", fn.name, message)).help = std::move(help);
      return false;
    };
    using k = parameter_signature::kind;
    switch (p.k) {
      case k::value: return true;
      case k::entity:
        if (t.t == tag::record && t.kind == p.entity_kind) return true;
        if (t.t == tag::word) {
          auto near = suggest(t.word, env_.entity_names());
          return fail(fmt::format("unknown {} '{}'", p.entity_kind, t.word),
                      near.empty() ? std::string() : fmt::format("did you mean {}?", join_alternatives(near)));
        }
        return fail(fmt::format("argument '{}' must be a {}, not {}", p.name, p.entity_kind, describe(t)));
      case k::count:
      case k::fraction:
        if (t.t == tag::quantity && (!t.dim_known || t.d.dimensionless())) return true;
        return fail(fmt::format("argument '{}' must be a plain number, not {}", p.name, describe(t)));
      case k::quantity:
        if (t.t == tag::quantity && (!t.dim_known || t.d == p.d)) return true;
        return fail(fmt::format("argument '{}' must be {} ({}), not {}", p.name, describe(p.d), base_unit_text(p.d),
                                describe(t)));
      case k::word: {
        std::string w = t.t == tag::word ? t.word : "";
        if (t.t == tag::boolean || t.t == tag::text) return true;  // yes/no words, quoted words: values decide
        if (std::find(p.words.begin(), p.words.end(), w) != p.words.end()) return true;
        if (w.empty())
          return fail(fmt::format("argument '{}' must be one of {}, not {}", p.name, join_alternatives(p.words), describe(t)));
        auto near = suggest(w, p.words);
        return fail(fmt::format("unknown {} '{}'", p.name, w),
                    fmt::format("valid {} values: {}{}", p.name, join_alternatives(p.words),
                                near.empty() ? "" : fmt::format(" (did you mean {}?)", join_alternatives(near))));
      }
    }
    return true;
  }

  // `min(a, b)`, `sum(list)`, `ceil(x in GB)`: the values' dimensions must
  // obey the function's rule (the environment's); values are the evaluator's.
  type_ptr math_call(const expr& e, const call_expr& c, const math_signature& fn) {
    note(*c.callee, function_named(fn.name));
    out_.resolutions[c.callee.get()] = "function " + fn.name;
    std::vector<dim> dims;
    std::vector<span> at;
    bool known = true;
    for (const auto& a : c.args) {
      auto t = value_of(*a.value);
      if (a.name) {
        error("E0227", a.name_span, fmt::format("{} takes no named arguments", fn.name)).help =
            fmt::format("write {}", fn.usage);
        return type::unknown();
      }
      const auto* items = std::get_if<list_expr>(&a.value->node);
      if (t->t == tag::list && fn.over_values && c.args.size() == 1) {
        if (items) {
          for (const auto& item : items->items) {
            auto it = out_.type_of(*item);
            if (!it || it->t == tag::unknown || (it->t == tag::quantity && !it->dim_known)) known = false;
            else if (it->t != tag::quantity) return not_a_number(fn, *it, item->where);
            else {
              dims.push_back(it->d);
              at.push_back(item->where);
            }
          }
          if (items->items.empty()) {
            error("E0227", a.value->where, fmt::format("{} of an empty list", fn.name)).help =
                "give at least one value: an empty list has no smallest, largest or mean value, nor a unit";
            return type::unknown();
          }
        } else if (t->element && !t->mixed && t->element->t == tag::quantity && t->element->dim_known) {
          dims.push_back(t->element->d);
          at.push_back(a.value->where);
        } else if (t->element && !t->mixed && t->element->t != tag::quantity && t->element->t != tag::unknown) {
          return not_a_number(fn, *t->element, a.value->where);
        } else {
          known = false;
        }
        continue;
      }
      if (t->t == tag::unknown || (t->t == tag::quantity && !t->dim_known)) known = false;
      else if (t->t != tag::quantity) return not_a_number(fn, *t, a.value->where);
      else {
        dims.push_back(t->d);
        at.push_back(a.value->where);
      }
    }
    if (c.args.empty() || (!fn.over_values && c.args.size() != 1)) {
      error("E0227", e.where,
            fmt::format("{} takes {}, not {}", fn.name, fn.over_values ? "one or more values" : "one value",
                        c.args.size()))
          .help = fmt::format("write {}", fn.usage);
      return type::unknown();
    }
    if (!known || dims.empty()) return unknown_dim();
    bool unit_given = std::holds_alternative<convert_expr>(c.args[0].value->node);
    auto rule = env_.math_result(fn.name, dims, unit_given);
    if (!rule.d) {
      auto& d = error("E0225", at[rule.culprit], rule.message);
      d.help = rule.help;
      if (rule.culprit > 0) d.secondary.push_back({at[0], describe(dims[0])});
      return type::unknown();
    }
    return type::quantity(*rule.d);
  }
  type_ptr not_a_number(const math_signature& fn, const type& t, span where) {
    error("E0227", where, fmt::format("{} needs numbers or quantities, not {}", fn.name, describe(t))).help =
        fmt::format("write {}", fn.usage);
    return type::unknown();
  }

  // `choose([a, b, c])`: every option is checked, and all must be alike.
  type_ptr choose(const expr& e, const call_expr& c) {
    note(*c.callee, function_named("choose"));
    out_.resolutions[c.callee.get()] = "function choose";
    if (c.args.size() != 1 || c.args[0].name) {
      for (const auto& a : c.args) expression(*a.value);
      error("E0213", e.where, "choose takes one list of options, as in choose([2048, 4096, 8192])");
      return type::unknown();
    }
    auto options = expression(*c.args[0].value);
    if (options->t == tag::unknown) return type::unknown();
    const auto* l = std::get_if<list_expr>(&c.args[0].value->node);
    if (options->t != tag::list || (l && l->items.empty())) {
      error("E0213", c.args[0].value->where, "choose needs a non-empty list of options");
      return type::unknown();
    }
    if (options->mixed && l) {
      auto first = out_.type_of(*l->items.front());
      for (const auto& item : l->items)
        if (auto t = out_.type_of(*item); first && t && !compatible(*first, *t)) {
          error("E0213", item->where,
                fmt::format("choose's options must be alike: {} beside {}", describe(*t), describe(*first)))
              .secondary.push_back({l->items.front()->where, "the first option"});
          break;
        }
      return type::unknown();
    }
    auto element = options->element ? options->element : type::unknown();
    if (element->t == tag::word && !env_.known_word(element->word) && l)
      for (const auto& item : l->items) value_of(*item);
    return element;
  }

  // `sensitivity(EXPR, wrt = [...], step = 10 %)`: EXPR is checked as written.
  type_ptr sensitivity(const call_expr& c) {
    note(*c.callee, function_named("sensitivity"));
    out_.resolutions[c.callee.get()] = "function sensitivity";
    for (const auto& a : c.args)
      if (!a.name || *a.name != "wrt") value_of(*a.value);  // `wrt` names parameters: words
    const auto* fn = env_.function("sensitivity");
    if (!fn) return type::unknown();
    auto result = std::make_shared<type>();
    result->t = tag::record;
    result->kind = fn->name;
    result->fields = fn->results;
    result->retired = fn->retired;
    return result;
  }

  // ---- statements -----------------------------------------------------


 public:
  void define(const std::string& name, type_ptr t) { globals_.names[name] = std::move(t); }

 private:

  void statement(const let_stmt& s) { define(s.name, value_of(*s.value)); }
  void statement(const print_stmt& s) {
    for (const auto& v : s.values) value_of(*v);
  }
  void statement(const expr_stmt& s) { value_of(*s.value); }
  void statement(const scenario_stmt& s) { value_of(*s.title); }
  void statement(const import_stmt& s) {
    expression(*s.path);
    open_world_ = true;
  }
  void statement(const measured_stmt& m) {
    auto predicted = value_of(*m.predicted);
    auto measured = value_of(*m.measured);
    if (predicted->t != tag::unknown && predicted->t != tag::quantity)
      error("E1302", m.predicted->where,
            fmt::format("only a number or a quantity can be measured, not {}", describe(*predicted)));
    else if (predicted->t == tag::quantity && measured->t == tag::quantity && !compatible(*predicted, *measured))
      error("E1301", m.measured->where,
            fmt::format("the measurement is {} but the prediction is {}", describe(*measured), describe(*predicted)));
  }
  void statement(const answers_stmt& a) {
    for (const auto& f : a.answers) expression(*f.value);  // words are answers here (memory-bound)
  }

  void statement(const decl_stmt& d) {
    auto schema = env_.entity_kind(d.kind);
    auto out = std::make_shared<type>();
    out->t = tag::record;
    out->kind = d.kind;
    out->name = d.name;
    if (schema) out->fields = schema->fields;
    out->open = !schema;
    if (!d.from_template && !d.base.empty())
      if (auto base = env_.entity(d.base); base && base->kind != d.kind)
        error("E0504", d.base_span, fmt::format("{} '{}' cannot extend {}: it is a {}", d.kind, d.name, d.base, base->kind));
    for (const auto& f : d.fields) {
      const auto* field = schema ? schema->find(f.name) : nullptr;
      // A word field takes a bare word even where a solver has that name
      // (a pool's `role = prefill`, `role = decode`).
      const auto* bare = std::get_if<name_ref>(&f.value->node);
      if (field && field->t->t == tag::word && bare && env_.function(bare->name) && !locals_->find(bare->name)) {
        out_.types[f.value.get()] = type::of_word(bare->name);
        continue;
      }
      auto t = expression(*f.value);
      if (schema && !field) {
        std::vector<std::string> names;
        for (const auto& s : schema->fields) names.push_back(s.name);
        error("E0506", f.name_span, fmt::format("{} has no field '{}'", d.kind, f.name)).help =
            did_you_mean(f.name, names, "its fields are");
        continue;
      }
      if (field && field->t->t == tag::quantity && t->t == tag::quantity && !compatible(*field->t, *t))
        error("E0507", f.value->where,
              fmt::format("field '{}' of a {} is {}, not {}", f.name, d.kind, describe(*field->t), describe(*t)));
    }
    define(d.name, out);
  }

  void statement(const design_stmt& d) {
    designs_[d.name] = &d;
    const auto* call_node = std::get_if<call_expr>(&d.solver->node);
    if (!call_node) {
      expression(*d.solver);
      error("E0603", d.solver->where, "a design's solver must be a call, as in serving_fleet(chat)");
      define(d.name, type::unknown());
      return;
    }
    const auto* fn = callee(*call_node);
    scope axes{{}, &globals_};
    std::vector<std::pair<std::string, type_ptr>> supplied;
    for (const auto& a : d.axes) {
      auto domain = expression(*a.domain);
      auto element = domain->t == tag::list && domain->element ? domain->element : type::unknown();
      if (domain->t != tag::unknown && domain->t != tag::list)
        error("E0602", a.domain->where,
              fmt::format("axis '{}' takes a list, a range or a zoo query, not {}", a.name, describe(*domain)));
      else if (domain->mixed)
        error("E0604", a.domain->where, fmt::format("axis '{}' mixes values of different kinds", a.name));
      axes.names[a.name] = element;
      supplied.emplace_back(a.name, element);
      if (!fn) continue;
      auto i = index_of(*fn, a.name);
      if (i == fn->params.size()) {
        std::vector<std::string> names;
        for (const auto& p : fn->params) names.push_back(p.name);
        error("E0605", a.name_span, fmt::format("{} has no parameter '{}' to vary", fn->name, a.name)).help =
            did_you_mean(a.name, names, "its parameters are");
        continue;
      }
      // Every value of the axis, not just the first: a list's items one by one.
      if (const auto* l = std::get_if<list_expr>(&a.domain->node)) {
        for (const auto& item : l->items)
          if (auto t = out_.type_of(*item)) argument(*fn, fn->params[i], *t, item->where);
      } else {
        argument(*fn, fn->params[i], *element, a.domain->where);
      }
    }
    type_ptr result = type::unknown();
    if (fn) {
      const scope* saved = locals_;
      locals_ = &globals_;
      result = note(*d.solver, call(*d.solver, *call_node, supplied));
      locals_ = saved;
    }
    const scope* saved = locals_;
    locals_ = &axes;
    for (const auto& f : d.filters) {
      auto t = value_of(*f);
      if (t->t != tag::unknown && t->t != tag::boolean)
        error("E0212", f->where, fmt::format("a `where` condition must be true or false, not {}", describe(*t)));
    }
    locals_ = saved;
    auto design = std::make_shared<type>(result->t == tag::record ? *result : type{});
    design->t = tag::record;
    design->kind = "design";
    design->name = d.name;
    design->open = result->t != tag::record;
    for (const auto& [name, t] : supplied)
      if (!design->find(name)) design->fields.push_back({name, t});
    define(d.name, design);
  }

  void statement(const require_stmt& r) {
    auto t = value_of(*r.condition);
    if (t->t != tag::unknown && t->t != tag::boolean)
      error("E0212", r.condition->where, fmt::format("a requirement must be true or false, not {}", describe(*t)))
          .help = "compare a metric with a limit, as in fleet.itl <= 50 ms";
  }
  void statement(const objective_stmt& o) {
    auto t = value_of(*o.value);
    if (t->t != tag::unknown && t->t != tag::quantity)
      error("E0608", o.value->where,
            fmt::format("only a number or a quantity can be {}, not {}", o.maximize ? "maximized" : "minimized",
                        describe(*t)));
  }
  void statement(const report_stmt& r) {
    auto it = designs_.find(r.design);
    if (it == designs_.end()) {
      if (open_world_) return;
      std::vector<std::string> names;
      for (const auto& [n, d] : designs_) names.push_back(n);
      auto near = suggest(r.design, names);
      error("E0609", r.design_span, fmt::format("no design named '{}' to report", r.design)).help =
          near.empty() ? "declare it first: design NAME = solver(...) over { ... }"
                       : fmt::format("did you mean {}?", join_alternatives(near));
      return;
    }
    if (!r.mode.empty() && r.mode != "pareto" && r.mode != "all" && r.mode != "feasible")
      error("E0610", r.mode_span, fmt::format("unknown report '{}'", r.mode)).help =
          "a report is pareto (the ranked non-dominated designs), feasible, or all";
    if (r.top) {
      auto t = value_of(*r.top);
      if (t->t != tag::unknown && !(t->t == tag::quantity && t->dim_known && t->d.dimensionless()))
        error("E0610", r.top->where, "`top` takes a whole number >= 1");
    }
    const auto* design = globals_.find(r.design);
    if (!design || (*design)->open) return;
    for (const auto& c : r.show) {
      if ((*design)->find(c.name) || c.name == "binding" || c.name == "binding_requirement" || c.name == "rank") continue;
      std::vector<std::string> names;
      for (const auto& f : (*design)->fields) names.push_back(f.name);
      error("E0401", c.where, fmt::format("design '{}' has no field '{}' to show", r.design, c.name)).help =
          did_you_mean(c.name, names, "its fields are");
    }
  }

  void statement(const assignment_stmt& a) {
    value_of(*a.title);
    for (const auto& p : a.params) define(p.name, value_of(*p.value));
    for (const auto& q : a.questions) question(q);
    for (const auto& p : a.params) globals_.names.erase(p.name);  // parameters are the assignment's own
  }
  void question(const question_decl& q) {
    if (q.points) {
      auto t = value_of(*q.points);
      if (t->t != tag::unknown && !(t->t == tag::quantity && t->dim_known && t->d.dimensionless()))
        error("E0611", q.points->where, "points must be a number above 0");
    }
    if (q.text) value_of(*q.text);
    type_ptr answer;
    for (const auto& f : q.fields) {
      if (f.name == "answer") answer = value_of(*f.value);
      else if (f.name == "choices") expression(*f.value);
      else value_of(*f.value);
    }
    if (!answer) return;  // the evaluator reports a question without an answer (E0612)
    for (const auto& f : q.fields) {
      if (f.name != "tolerance") continue;
      auto t = out_.type_of(*f.value);
      if (!t || t->t == tag::unknown || answer->t == tag::unknown) continue;
      if (answer->t != tag::quantity) error("E0613", f.value->where, "a tolerance applies to numeric answers only");
      else if (t->t != tag::quantity || (t->dim_known && !t->d.dimensionless() && !compatible(*t, *answer)))
        error("E0613", f.value->where,
              fmt::format("a tolerance is relative (5 %) or absolute in the answer's unit ({}), not {}",
                          describe(*answer), describe(*t)));
    }
    // Feedback rules see the reference as `answer` and the student's value as `submitted`.
    scope rule_scope{{{"answer", answer}, {"submitted", answer}}, &globals_};
    const scope* saved = locals_;
    locals_ = &rule_scope;
    for (const auto& rule : q.feedback) {
      auto t = value_of(*rule.condition);
      if (t->t != tag::unknown && t->t != tag::boolean)
        error("E0212", rule.condition->where,
              fmt::format("a feedback condition must be true or false, not {}", describe(*t)));
      value_of(*rule.message);
    }
    locals_ = saved;
  }
};

}  // namespace

typed_program check(const program& p, const environment& env, diagnostics& diags,
                    const std::vector<field_type>& predefined, const cancel_token* cancel) {
  checker c(env, p.source, diags);
  for (const auto& [name, t] : predefined) c.define(name, t);
  return c.run(p, cancel);
}

}  // namespace ironlaw::lang
