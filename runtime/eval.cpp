#include "ironlaw/runtime/eval.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ironlaw/lang/parse.hpp"
#include "ironlaw/lang/print.hpp"
#include "ironlaw/runtime/builtins.hpp"
#include "ironlaw/runtime/entity_schema.hpp"
#include "ironlaw/runtime/suggest.hpp"

namespace ironlaw::runtime {
namespace {

using lang::span;

// The words a symbol may legitimately be: every enum value a builtin accepts
// or a result carries.
bool known_word(std::string_view w) {
  static const std::vector<std::string> extra = {"memory", "compute"};
  if (std::find(extra.begin(), extra.end(), w) != extra.end()) return true;
  for (const auto& b : builtins())
    for (const auto& p : b.params)
      if (std::find(p.words.begin(), p.words.end(), w) != p.words.end()) return true;
  return false;
}

}  // namespace

std::string format_value(const value& v, const unit_table& units) {
  struct visitor {
    const unit_table& units;
    std::string operator()(std::monostate) const { return "nothing"; }
    std::string operator()(const quantity& q) const { return units.format(q); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const symbol& s) const { return s.name; }
    std::string operator()(const list_ptr& l) const {
      std::string out = "[";
      for (std::size_t i = 0; i < l->size(); ++i) out += (i ? ", " : "") + format_value((*l)[i], units);
      return out + "]";
    }
    std::string operator()(const record_ptr& r) const {
      if (!r->name.empty()) return r->name;  // an entity in a list or a string
      std::string out = "{";
      for (std::size_t i = 0; i < r->fields.size(); ++i)
        out += (i ? ", " : " ") + r->fields[i].name + " = " + format_value(r->fields[i].v, units);
      return out + " }";
    }
  };
  return std::visit(visitor{units}, v.v);
}

namespace {

class evaluator {
 public:
  using scope = std::map<std::string, value, std::less<>>;

  evaluator(const registry& reg, const scope& globals, const lang::source_ptr& source, lang::diagnostics& diags,
            const scope* locals = nullptr)
      : reg_(reg), globals_(globals), source_(source), diags_(diags), locals_(locals) {}

  std::optional<evaluated> eval(const lang::expr& e) {
    return std::visit([&](const auto& node) { return eval_node(e, node); }, e.node);
  }

  // A value that must be usable as data (not an unknown bare word).
  std::optional<evaluated> eval_value(const lang::expr& e) {
    auto r = eval(e);
    if (r && !check_word(e, r->v)) return std::nullopt;
    return r;
  }

 private:
  const registry& reg_;
  const std::map<std::string, value, std::less<>>& globals_;
  const lang::source_ptr& source_;
  lang::diagnostics& diags_;
  const scope* locals_;  // names visible first (an entry's fields in a `zoo ... where`)

  static constexpr std::size_t max_range_items = 1'000'000;

  lang::diagnostic& error(std::string code, span where, std::string message) {
    lang::diagnostic d;
    d.code = std::move(code);
    d.source = source_;
    d.primary = where;
    d.message = std::move(message);
    return diags_.add(std::move(d));
  }

  std::vector<std::string> all_names() const {
    auto names = reg_.names();
    for (const auto& [n, v] : globals_) names.push_back(n);
    for (const auto& b : builtin_names()) names.push_back(b);
    return names;
  }

  bool check_word(const lang::expr& e, const value& v) {
    const auto* s = v.as_symbol();
    if (!s || known_word(s->name)) return true;
    auto& d = error("E0102", e.where, fmt::format("unknown name '{}'", s->name));
    auto near = suggest(s->name, all_names());
    if (!near.empty()) d.help = fmt::format("did you mean {}?", join_alternatives(near));
    return false;
  }

  // The unit a person would recognise for an operand: as written, else base units.
  static std::string unit_hint(const lang::expr& e, const quantity& q) {
    if (const auto* n = std::get_if<lang::number_literal>(&e.node); n && !n->unit.empty()) return n->unit;
    return base_unit_text(q.d);
  }
  static std::string what(const lang::expr& e, const quantity& q) {
    auto unit = unit_hint(e, q);
    return unit.empty() ? describe(q.d) : fmt::format("{} ({})", describe(q.d), unit);
  }

  std::optional<unit_value> parse_unit(std::string_view text, span where) {
    auto parsed = reg_.units().parse(text);
    if (auto* u = std::get_if<unit_value>(&parsed)) return *u;
    const auto& err = std::get<unit_error>(parsed);
    span s{where.begin + static_cast<std::uint32_t>(err.offset),
           where.begin + static_cast<std::uint32_t>(err.offset + std::max<std::size_t>(err.length, 1))};
    auto& d = error("E0101", s, err.message);
    d.help = err.help;
    return std::nullopt;
  }

  std::optional<evaluated> eval_node(const lang::expr&, const lang::number_literal& n) {
    if (!std::isfinite(n.value)) {
      error("E0103", {}, "number out of range");
      return std::nullopt;
    }
    if (n.unit.empty()) return evaluated{quantity{n.value, {}}};
    auto u = parse_unit(n.unit, n.unit_span);
    if (!u) return std::nullopt;
    return evaluated{quantity{n.value * u->factor, u->d}};
  }
  std::optional<evaluated> eval_node(const lang::expr&, const lang::string_literal& s) {
    if (s.parts.empty()) return evaluated{value{s.value}};
    std::string text;
    for (const auto& part : s.parts) {
      if (!part.value) {
        text += part.text;
        continue;
      }
      auto v = eval_value(*part.value);
      if (!v) return std::nullopt;
      const auto* q = v->v.as_quantity();
      text += v->shown_in && q ? unit_table::format_in(*q, *v->shown_in, v->shown_in_text) : format_value(v->v, reg_.units());
    }
    return evaluated{value{std::move(text)}};
  }
  std::optional<evaluated> eval_node(const lang::expr&, const lang::bool_literal& b) { return evaluated{value{b.value}}; }
  std::optional<evaluated> eval_node(const lang::expr& e, const lang::name_ref& n) {
    if (locals_)
      if (auto it = locals_->find(n.name); it != locals_->end()) return evaluated{it->second};
    if (auto it = globals_.find(n.name); it != globals_.end()) {
      // A name whose definition failed: its error is already reported.
      if (std::holds_alternative<std::monostate>(it->second.v)) return std::nullopt;
      return evaluated{it->second};
    }
    if (auto r = reg_.find(n.name)) return evaluated{value{r}};
    if (find_builtin(n.name)) {
      auto& d = error("E0105", e.where, fmt::format("'{}' is a function", n.name));
      d.help = fmt::format("call it: {}(...); `:help {}` lists its parameters", n.name, n.name);
      return std::nullopt;
    }
    return evaluated{value{symbol{n.name}}};  // a word; its use decides whether it is known
  }
  std::optional<evaluated> eval_node(const lang::expr&, const lang::list_expr& l) {
    auto items = std::make_shared<list>();
    for (const auto& item : l.items) {
      auto v = eval_value(*item);
      if (!v) return std::nullopt;
      items->push_back(v->v);
    }
    return evaluated{value{list_ptr(items)}};
  }

  std::optional<evaluated> eval_node(const lang::expr& e, const lang::unary_expr& u) {
    auto operand = eval_value(*u.operand);
    if (!operand) return std::nullopt;
    if (u.op == lang::unary_op::logical_not) {
      if (const auto* b = std::get_if<bool>(&operand->v.v)) return evaluated{value{!*b}};
      error("E0203", e.where, fmt::format("'not' needs a boolean, not {}", describe(operand->v)));
      return std::nullopt;
    }
    const auto* q = operand->v.as_quantity();
    if (!q) {
      error("E0203", e.where, fmt::format("cannot apply '{}' to {}", lang::spelling(u.op), describe(operand->v)));
      return std::nullopt;
    }
    return evaluated{quantity{u.op == lang::unary_op::negate ? -q->si : q->si, q->d}};
  }

  std::optional<evaluated> eval_node(const lang::expr& e, const lang::binary_expr& b) {
    using op = lang::binary_op;
    if (b.op == op::logical_and || b.op == op::logical_or) return logical(e, b);
    bool comparison = b.op == op::equal || b.op == op::not_equal;
    auto lhs = comparison ? eval(*b.lhs) : eval_value(*b.lhs);
    auto rhs = comparison ? eval(*b.rhs) : eval_value(*b.rhs);
    if (!lhs || !rhs) return std::nullopt;
    const auto* a = lhs->v.as_quantity();
    const auto* c = rhs->v.as_quantity();
    if (comparison && !(a && c)) return equality(e, b, *lhs, *rhs);
    if (!a || !c) {
      const auto& bad = a ? *b.rhs : *b.lhs;
      const auto& bad_value = a ? rhs->v : lhs->v;
      error("E0203", bad.where,
            fmt::format("'{}' needs quantities, not {}", lang::spelling(b.op), describe(bad_value)));
      return std::nullopt;
    }
    switch (b.op) {
      case op::add:
      case op::subtract: {
        auto r = b.op == op::add ? add(*a, *c) : subtract(*a, *c);
        if (r) return evaluated{*r};
        auto& d = error("E0201", b.lhs->where,
                        fmt::format("cannot {} {} {} {}", b.op == op::add ? "add" : "subtract", what(*b.lhs, *a),
                                    b.op == op::add ? "to" : "from", what(*b.rhs, *c)));
        if (b.op == op::subtract) d.message = fmt::format("cannot subtract {} from {}", what(*b.rhs, *c), what(*b.lhs, *a));
        d.primary_label = describe(a->d);
        d.secondary.push_back({b.rhs->where, describe(c->d)});
        d.help = "only quantities of the same dimension can be added or subtracted";
        return std::nullopt;
      }
      case op::multiply: return evaluated{multiply(*a, *c)};
      case op::divide:
        if (c->si == 0) {
          error("E0204", b.rhs->where, "division by zero");
          return std::nullopt;
        }
        return evaluated{divide(*a, *c)};
      case op::power: {
        auto r = power(*a, *c);
        if (r) return evaluated{*r};
        error("E0205", b.rhs->where,
              c->d.dimensionless() ? "a quantity with a unit can only be raised to a whole power (at most 16)"
                                   : "an exponent must be a plain number");
        return std::nullopt;
      }
      default: return compare(e, b, *a, *c);
    }
  }

  std::optional<evaluated> logical(const lang::expr&, const lang::binary_expr& b) {
    auto lhs = eval_value(*b.lhs);
    if (!lhs) return std::nullopt;
    const auto* l = std::get_if<bool>(&lhs->v.v);
    if (!l) {
      error("E0203", b.lhs->where, fmt::format("'{}' needs booleans, not {}", lang::spelling(b.op), describe(lhs->v)));
      return std::nullopt;
    }
    auto rhs = eval_value(*b.rhs);
    if (!rhs) return std::nullopt;
    const auto* r = std::get_if<bool>(&rhs->v.v);
    if (!r) {
      error("E0203", b.rhs->where, fmt::format("'{}' needs booleans, not {}", lang::spelling(b.op), describe(rhs->v)));
      return std::nullopt;
    }
    return evaluated{value{b.op == lang::binary_op::logical_and ? (*l && *r) : (*l || *r)}};
  }

  std::optional<evaluated> compare(const lang::expr&, const lang::binary_expr& b, const quantity& a,
                                   const quantity& c) {
    using op = lang::binary_op;
    if (!a.same_dim(c)) {
      auto& d = error("E0202", b.lhs->where,
                      fmt::format("cannot compare {} with {}", what(*b.lhs, a), what(*b.rhs, c)));
      d.primary_label = describe(a.d);
      d.secondary.push_back({b.rhs->where, describe(c.d)});
      return std::nullopt;
    }
    bool r = false;
    switch (b.op) {
      case op::equal: r = a.si == c.si; break;
      case op::not_equal: r = a.si != c.si; break;
      case op::less: r = a.si < c.si; break;
      case op::less_equal: r = a.si <= c.si; break;
      case op::greater: r = a.si > c.si; break;
      case op::greater_equal: r = a.si >= c.si; break;
      // `~`: equal within 1 % of the larger magnitude.
      case op::approx: r = std::abs(a.si - c.si) <= 0.01 * std::max(std::abs(a.si), std::abs(c.si)); break;
      default: break;
    }
    return evaluated{value{r}};
  }

  std::optional<evaluated> equality(const lang::expr&, const lang::binary_expr& b, const evaluated& lhs,
                                    const evaluated& rhs) {
    bool same_kind = lhs.v.v.index() == rhs.v.v.index();
    if (!same_kind) {
      // A word against anything else: the word must be a name the user meant.
      if (!check_word(*b.lhs, lhs.v) || !check_word(*b.rhs, rhs.v)) return std::nullopt;
      auto& d = error("E0202", b.lhs->where, fmt::format("cannot compare {} with {}", describe(lhs.v), describe(rhs.v)));
      d.secondary.push_back({b.rhs->where, describe(rhs.v)});
      return std::nullopt;
    }
    bool equal = false;
    if (const auto* s = lhs.v.as_symbol()) equal = *s == *rhs.v.as_symbol();
    else if (const auto* t = std::get_if<std::string>(&lhs.v.v)) equal = *t == std::get<std::string>(rhs.v.v);
    else if (const auto* x = std::get_if<bool>(&lhs.v.v)) equal = *x == std::get<bool>(rhs.v.v);
    else if (const auto* r = lhs.v.as_record()) equal = r == rhs.v.as_record();
    else {
      error("E0202", b.lhs->where, fmt::format("cannot compare {} with '{}'", describe(lhs.v), lang::spelling(b.op)));
      return std::nullopt;
    }
    return evaluated{value{b.op == lang::binary_op::equal ? equal : !equal}};
  }

  std::optional<evaluated> eval_node(const lang::expr&, const lang::convert_expr& c) {
    auto v = eval_value(*c.value);
    auto u = parse_unit(c.unit, c.unit_span);
    if (!v || !u) return std::nullopt;
    const auto* q = v->v.as_quantity();
    if (!q) {
      error("E0206", c.value->where, fmt::format("only quantities can be converted, not {}", describe(v->v)));
      return std::nullopt;
    }
    if (q->d != u->d) {
      auto& d = error("E0206", c.unit_span,
                      fmt::format("cannot convert {} to {} ({})", what(*c.value, *q), describe(u->d), c.unit));
      d.primary_label = describe(u->d);
      d.secondary.push_back({c.value->where, describe(q->d)});
      return std::nullopt;
    }
    evaluated out{v->v};
    out.shown_in = *u;
    out.shown_in_text = c.unit;
    return out;
  }

  std::optional<evaluated> eval_node(const lang::expr& e, const lang::range_expr& r) {
    auto from = eval_value(*r.from);
    auto to = eval_value(*r.to);
    std::optional<evaluated> step = r.step ? eval_value(*r.step) : std::nullopt;
    if (!from || !to || (r.step && !step)) return std::nullopt;
    const auto* a = from->v.as_quantity();
    const auto* b = to->v.as_quantity();
    const auto* s = step ? step->v.as_quantity() : nullptr;
    if (!a || !b || (r.step && !s)) {
      error("E0207", e.where, "a range's ends and step must be numbers or quantities");
      return std::nullopt;
    }
    if (!a->same_dim(*b)) {
      auto& d = error("E0207", r.to->where, fmt::format("a range cannot go from {} to {}", what(*r.from, *a), what(*r.to, *b)));
      d.secondary.push_back({r.from->where, describe(a->d)});
      return std::nullopt;
    }
    quantity increment = s ? *s : quantity{1, {}};
    bool valid = r.geometric ? increment.d.dimensionless() && increment.si > 1
                             : increment.d == a->d && increment.si > 0;
    if (!valid) {
      auto& d = error("E0207", r.step ? r.step->where : e.where,
                      r.geometric ? "a geometric step (`by *k`) must be a plain number above 1"
                                  : fmt::format("the step must be a positive {} like the range's ends", describe(a->d)));
      if (!r.step) d.help = fmt::format("give a step with a unit: `by 1 {}`", base_unit_text(a->d));
      return std::nullopt;
    }
    auto items = std::make_shared<list>();
    // A small tolerance keeps `0 % .. 100 % by 25 %` from losing its end to rounding.
    double limit = b->si + std::abs(b->si) * 1e-9;
    for (double x = a->si; x <= limit; x = r.geometric ? x * increment.si : x + increment.si) {
      if (items->size() >= max_range_items) {
        error("E0208", e.where, fmt::format("the range has more than {} values", max_range_items));
        return std::nullopt;
      }
      items->push_back(value{quantity{x, a->d}});
      if (r.geometric && x <= 0) break;
    }
    return evaluated{value{list_ptr(items)}};
  }

  std::optional<evaluated> eval_node(const lang::expr&, const lang::unit_apply& u) {
    auto v = eval_value(*u.value);
    auto unit = parse_unit(u.unit, u.unit_span);
    if (!v || !unit) return std::nullopt;
    auto scale = [&](const value& item) -> std::optional<value> {
      const auto* q = item.as_quantity();
      if (!q || !q->d.dimensionless()) return std::nullopt;
      return value{quantity{q->si * unit->factor, unit->d}};
    };
    if (const auto* l = std::get_if<list_ptr>(&v->v.v)) {
      auto items = std::make_shared<list>();
      for (const auto& item : **l) {
        auto scaled = scale(item);
        if (!scaled) {
          error("E0209", u.unit_span, fmt::format("a unit applies to plain numbers; the list holds {}", describe(item)));
          return std::nullopt;
        }
        items->push_back(*scaled);
      }
      return evaluated{value{list_ptr(items)}};
    }
    auto scaled = scale(v->v);
    if (!scaled) {
      error("E0209", u.unit_span, fmt::format("a unit applies to plain numbers, not {}", describe(v->v)));
      return std::nullopt;
    }
    return evaluated{*scaled};
  }

  std::optional<evaluated> eval_node(const lang::expr&, const lang::record_expr& r) {
    auto out = std::make_shared<record>();
    out->kind = "record";
    for (const auto& f : r.fields) {
      if (out->find(f.name)) {
        error("E0210", f.name_span, fmt::format("field '{}' is given twice", f.name));
        return std::nullopt;
      }
      auto v = eval_value(*f.value);
      if (!v) return std::nullopt;
      out->fields.push_back(field{f.name, v->v, {}});
    }
    return evaluated{value{record_ptr(out)}};
  }

  std::optional<evaluated> eval_node(const lang::expr&, const lang::zoo_query& z) {
    std::string_view kind = kind_of_folder(z.kind);
    for (std::string_view folder : {"hardware", "models", "nodes", "fabrics", "regions"})
      if (kind.empty() && kind_of_folder(folder) == z.kind) kind = z.kind;
    if (kind.empty()) {
      error("E0211", z.kind_span, fmt::format("zoo lists hardware, models, nodes, fabrics or regions, not '{}'", z.kind));
      return std::nullopt;
    }
    auto items = std::make_shared<list>();
    for (const auto& name : reg_.names(kind)) {
      auto entry = reg_.find(name);
      if (z.filter) {
        scope fields;
        for (const auto& f : entry->fields) fields[f.name] = f.v;
        // An entry without a field the filter reads simply does not match.
        lang::diagnostics quiet;
        evaluator inner(reg_, globals_, source_, quiet, &fields);
        auto keep = inner.eval_value(*z.filter);
        if (quiet.has_errors()) {
          bool missing_field = false;
          for (const auto& d : quiet.items()) missing_field = missing_field || d.code == "E0102";
          if (!missing_field) {
            for (const auto& d : quiet.items()) diags_.add(d);
            return std::nullopt;
          }
          continue;
        }
        const bool* yes = keep ? std::get_if<bool>(&keep->v.v) : nullptr;
        if (!yes) {
          error("E0212", z.filter->where, fmt::format("a `where` condition must be true or false, not {}",
                                                      keep ? describe(keep->v) : "nothing"));
          return std::nullopt;
        }
        if (!*yes) continue;
      }
      items->push_back(value{entry});
    }
    return evaluated{value{list_ptr(items)}};
  }

  std::optional<evaluated> eval_node(const lang::expr& e, const lang::call_expr& c) {
    const auto* callee = std::get_if<lang::name_ref>(&c.callee->node);
    if (!callee) {
      error("E0106", c.callee->where, "only built-in functions can be called");
      return std::nullopt;
    }
    const builtin* fn = find_builtin(callee->name);
    if (!fn) {
      auto& d = error("E0104", c.callee->where, fmt::format("unknown function '{}'", callee->name));
      auto near = suggest(callee->name, builtin_names());
      d.help = near.empty() ? fmt::format("the functions are {}", join_alternatives(builtin_names()))
                            : fmt::format("did you mean {}?", join_alternatives(near));
      return std::nullopt;
    }
    call_args args(*fn, reg_, source_, e.where, diags_);
    bool ok = true;
    std::size_t position = 0;
    for (const auto& a : c.args) {
      auto v = eval(*a.value);
      if (!v) {
        ok = false;
        continue;
      }
      if (a.name) ok = args.bind_named(*a.name, a.name_span, v->v, a.value->where) && ok;
      else ok = args.bind_positional(position++, v->v, a.value->where) && ok;
    }
    if (!ok || !args.finish()) return std::nullopt;
    auto result = fn->invoke(args);
    if (!result) return std::nullopt;
    if (auto defect = check_result(*fn, *result); !defect.empty()) {
      error("E0900", e.where, "internal error: " + defect).help = "this is a bug in ironlaw; please report it";
      return std::nullopt;
    }
    return evaluated{*result};
  }

  std::optional<evaluated> eval_node(const lang::expr&, const lang::field_expr& f) {
    auto object = eval_value(*f.object);
    if (!object) return std::nullopt;
    const record* r = object->v.as_record();
    if (!r) {
      error("E0402", f.field_span, fmt::format("{} has no fields", describe(object->v)));
      return std::nullopt;
    }
    if (const auto* fl = r->find(f.field)) return evaluated{fl->v, fl->note};
    std::vector<std::string> names;
    for (const auto& fl : r->fields) names.push_back(fl.name);
    auto& d = error("E0401", f.field_span, fmt::format("{} has no field '{}'", describe(object->v), f.field));
    auto near = suggest(f.field, names);
    d.help = near.empty() ? fmt::format("its fields are {}", join_alternatives(names))
                          : fmt::format("did you mean {}?", join_alternatives(near));
    return std::nullopt;
  }
};

}  // namespace

std::optional<evaluated> interpreter::evaluate(const lang::expr& e, const lang::source_ptr& source,
                                               lang::diagnostics& diags) {
  evaluator ev(*reg_, globals_, source, diags);
  return ev.eval_value(e);
}

bool interpreter::run(const lang::program& program, std::ostream& out, lang::diagnostics& diags) {
  bool ok = true;
  // A design is a search (`ironlaw run` does not search yet): say so once,
  // rather than run its requirements as if they were plain checks.
  for (const auto& st : program.statements) {
    if (const auto* d = std::get_if<lang::design_stmt>(&st.node)) {
      lang::diagnostic diag;
      diag.code = "E0601";
      diag.source = program.source;
      diag.primary = d->name_span;
      diag.message = fmt::format("design '{}': the design-space search is not implemented yet", d->name);
      diag.help = "`ironlaw check` checks the file; evaluate single points with the solver call";
      diags.add(std::move(diag));
      return false;
    }
  }
  for (const auto& st : program.statements) ok = run_statement(st, program.source, out, diags) && ok;
  return ok;
}

bool interpreter::run_statement(const lang::stmt& st, const lang::source_ptr& source, std::ostream& out,
                                lang::diagnostics& diags) {
  if (const auto* l = std::get_if<lang::let_stmt>(&st.node)) {
    if (declared_at_.count(l->name) || reg_->find(l->name)) {
      lang::diagnostic d;
      d.code = "E0503";
      d.source = source;
      d.primary = l->name_span;
      d.message = fmt::format("'{}' is already defined", l->name);
      if (auto it = declared_at_.find(l->name); it != declared_at_.end()) d.secondary.push_back({it->second, "defined here"});
      else d.notes.push_back(fmt::format("{} is a registry {}", l->name, reg_->find(l->name)->kind));
      diags.add(std::move(d));
      return false;
    }
    auto v = evaluate(*l->value, source, diags);
    globals_[l->name] = v ? v->v : value{};  // a failed definition poisons the name, silently
    declared_at_[l->name] = l->name_span;
    return v.has_value();
  }
  if (const auto* p = std::get_if<lang::print_stmt>(&st.node)) {
    std::string line;
    for (const auto& e : p->values) {
      auto v = evaluate(*e, source, diags);
      if (!v) return false;
      line += (line.empty() ? "" : ", ") + show(*v);
    }
    out << line << "\n";
    return true;
  }
  if (const auto* e = std::get_if<lang::expr_stmt>(&st.node)) {
    auto v = evaluate(*e->value, source, diags);
    if (v) out << show(*v) << "\n";
    return v.has_value();
  }
  if (const auto* s = std::get_if<lang::scenario_stmt>(&st.node)) {
    auto v = evaluate(*s->title, source, diags);
    if (!v) return false;
    title_ = format_value(v->v, reg_->units());
    out << title_ << "\n\n";
    return true;
  }
  if (const auto* d = std::get_if<lang::decl_stmt>(&st.node)) return declare(*d, source, diags);
  if (const auto* i = std::get_if<lang::import_stmt>(&st.node)) return import_file(*i, source, out, diags);
  if (const auto* r = std::get_if<lang::require_stmt>(&st.node)) return check_requirement(*r, source, out, diags);
  // Objectives and reports belong to a design; assignments and answers to the grader.
  return true;
}

bool interpreter::check_requirement(const lang::require_stmt& r, const lang::source_ptr& source, std::ostream& out,
                                    lang::diagnostics& diags) {
  auto v = evaluate(*r.condition, source, diags);
  if (!v) return false;
  const bool* holds = std::get_if<bool>(&v->v.v);
  if (!holds) {
    lang::diagnostic d;
    d.code = "E0212";
    d.source = source;
    d.primary = r.condition->where;
    d.message = fmt::format("a requirement must be true or false, not {}", describe(v->v));
    diags.add(std::move(d));
    return false;
  }
  std::string shown = lang::to_source(*r.condition);
  // Show the two sides' values when the requirement is a comparison.
  if (const auto* b = std::get_if<lang::binary_expr>(&r.condition->node)) {
    lang::diagnostics quiet;
    auto lhs = evaluate(*b->lhs, source, quiet);
    auto rhs = evaluate(*b->rhs, source, quiet);
    if (lhs && rhs) shown += fmt::format("  ({} {} {})", show(*lhs), lang::spelling(b->op), show(*rhs));
  }
  out << (*holds ? "requirement met: " : "REQUIREMENT NOT MET: ") << shown << "\n";
  if (!*holds) ++violations_;
  return true;
}

bool interpreter::import_file(const lang::import_stmt& i, const lang::source_ptr& source, std::ostream& out,
                              lang::diagnostics& diags) {
  auto fail = [&](std::string code, std::string message, std::string help = {}) {
    lang::diagnostic d;
    d.code = std::move(code);
    d.source = source;
    d.primary = i.path->where;
    d.message = std::move(message);
    d.help = std::move(help);
    diags.add(std::move(d));
    return false;
  };
  const auto* literal = std::get_if<lang::string_literal>(&i.path->node);
  if (!literal || !literal->parts.empty()) return fail("E0701", "an import path must be a plain string");
  if (!imports_allowed_) return fail("E0702", "imports are not allowed here", "a submission must be a single file");
  namespace fs = std::filesystem;
  fs::path base = fs::path(source->name()).parent_path();
  fs::path target = base / literal->value;
  std::error_code ec;
  auto canonical = fs::weakly_canonical(target, ec).string();
  if (std::find(import_stack_.begin(), import_stack_.end(), canonical) != import_stack_.end()) {
    std::string chain;
    for (const auto& f : import_stack_) chain += fs::path(f).filename().string() + " -> ";
    return fail("E0703", fmt::format("import cycle: {}{}", chain, fs::path(canonical).filename().string()));
  }
  std::ifstream in(target, std::ios::binary);
  if (!in) return fail("E0704", fmt::format("cannot read '{}'", target.string()));
  std::stringstream text;
  text << in.rdbuf();
  auto imported = std::make_shared<const lang::source_file>(target.string(), text.str());
  lang::program program;
  if (!lang::parse_program(imported, program, diags).ok) return false;
  if (import_stack_.empty()) import_stack_.push_back(fs::weakly_canonical(source->name(), ec).string());
  import_stack_.push_back(canonical);
  bool ok = true;
  for (const auto& st : program.statements) ok = run_statement(st, imported, out, diags) && ok;
  import_stack_.pop_back();
  return ok;
}

bool interpreter::declare(const lang::decl_stmt& d, const lang::source_ptr& source, lang::diagnostics& diags) {
  bool declared = declare_entity(d, source, diags);
  if (!declared && !globals_.count(d.name) && !reg_->find(d.name)) {
    globals_[d.name] = value{};  // poisoned: later uses stay silent
    declared_at_[d.name] = d.name_span;
  }
  return declared;
}

bool interpreter::declare_entity(const lang::decl_stmt& d, const lang::source_ptr& source, lang::diagnostics& diags) {
  auto error = [&](std::string code, lang::span where, std::string message) -> lang::diagnostic& {
    lang::diagnostic diag;
    diag.code = std::move(code);
    diag.source = source;
    diag.primary = where;
    diag.message = std::move(message);
    return diags.add(std::move(diag));
  };
  const kind_schema* kind = find_kind(d.kind);
  if (auto existing = reg_->find(d.name)) {
    error("E0501", d.name_span, fmt::format("'{}' is already a registry {}", d.name, existing->kind)).help =
        fmt::format("choose another name, or write `{} My{} extends {} {{ ... }}`", d.kind, d.name, d.name);
    return false;
  }
  if (auto it = declared_at_.find(d.name); it != declared_at_.end()) {
    error("E0503", d.name_span, fmt::format("'{}' is already defined", d.name)).secondary.push_back({it->second, "defined here"});
    return false;
  }
  auto entity = std::make_shared<record>();
  entity->kind = d.kind;
  entity->name = d.name;
  entity->origin = source->name();
  const template_schema* tmpl = nullptr;
  if (d.from_template) {
    tmpl = find_template(*kind, d.base);
    if (!tmpl) {
      std::vector<std::string> names;
      for (const auto& t : kind->templates) names.push_back(t.name);
      auto& diag = error("E0505", d.base_span, fmt::format("{} has no template '{}'", d.kind, d.base));
      diag.help = names.empty() ? fmt::format("declare it with `extends` an existing {}", d.kind)
                                : fmt::format("the {} templates are {}", d.kind, join_alternatives(names));
      return false;
    }
    entity->fields = tmpl->defaults;
  } else if (!d.base.empty()) {
    const value* declared = lookup(d.base);
    record_ptr base = declared && declared->as_record() ? std::get<record_ptr>(declared->v) : reg_->find(d.base);
    if (!base) {
      std::vector<std::string> candidates = reg_->names(d.kind);
      for (const auto& [n, v] : globals_)
        if (v.as_record() && v.as_record()->kind == d.kind) candidates.push_back(n);
      auto near = suggest(d.base, candidates);
      auto& diag = error("E0102", d.base_span, fmt::format("unknown {} '{}'", d.kind, d.base));
      if (!near.empty()) diag.help = fmt::format("did you mean {}?", join_alternatives(near));
      return false;
    }
    if (base->kind != d.kind) {
      error("E0504", d.base_span, fmt::format("{} '{}' cannot extend {}: it is a {}", d.kind, d.name, d.base, base->kind));
      return false;
    }
    entity->fields = base->fields;
  }
  bool ok = true;
  std::vector<std::string> given;
  for (const auto& f : d.fields) {
    const field_schema* fs = find_field(*kind, f.name);
    if (!fs) {
      std::vector<std::string> names;
      for (const auto& candidate : kind->fields) names.push_back(candidate.name);
      auto near = suggest(f.name, names);
      auto& diag = error("E0506", f.name_span, fmt::format("{} has no field '{}'", d.kind, f.name));
      diag.help = near.empty() ? fmt::format("its fields are {}", join_alternatives(names))
                               : fmt::format("did you mean {}?", join_alternatives(near));
      ok = false;
      continue;
    }
    if (std::find(given.begin(), given.end(), f.name) != given.end()) {
      error("E0210", f.name_span, fmt::format("field '{}' is given twice", f.name));
      ok = false;
      continue;
    }
    given.push_back(f.name);
    evaluator ev(*reg_, globals_, source, diags);
    auto v = fs->kind == field_kind::word || fs->kind == field_kind::entity ? ev.eval(*f.value) : ev.eval_value(*f.value);
    if (!v) {
      ok = false;
      continue;
    }
    if (fs->kind == field_kind::entity && v->v.as_symbol()) {
      auto near = suggest(v->v.as_symbol()->name, reg_->names(fs->entity_kind));
      auto& diag = error("E0102", f.value->where, fmt::format("unknown {} '{}'", fs->entity_kind, v->v.as_symbol()->name));
      if (!near.empty()) diag.help = fmt::format("did you mean {}?", join_alternatives(near));
      ok = false;
      continue;
    }
    if (auto want = field_mismatch(*fs, v->v)) {
      auto& diag = error("E0507", f.value->where,
                         fmt::format("{} {}: field '{}' must be {}, not {}", d.kind, d.name, f.name, *want, describe(v->v)));
      diag.primary_label = fs->doc;
      ok = false;
      continue;
    }
    // Words are stored as text, as the registry's TOML stores them.
    value stored = v->v.as_symbol() ? value{v->v.as_symbol()->name} : v->v;
    auto existing = std::find_if(entity->fields.begin(), entity->fields.end(), [&](const field& x) { return x.name == f.name; });
    if (existing != entity->fields.end()) existing->v = stored;
    else entity->fields.push_back(field{f.name, stored, {}});
  }
  if (!ok) return false;
  const auto& required = tmpl ? tmpl->required : (d.base.empty() ? kind->required : std::vector<std::string>{});
  std::vector<std::string> missing;
  for (const auto& r : required)
    if (!entity->find(r)) missing.push_back(r);
  if (!missing.empty()) {
    auto& diag = error("E0508", d.name_span,
                       fmt::format("{} '{}' is missing {} {}", d.kind, d.name, missing.size() == 1 ? "field" : "fields",
                                   join_all(missing)));
    diag.help = tmpl ? fmt::format("a {} {} needs {}", d.base, d.kind, join_all(tmpl->required))
                     : fmt::format("or declare it with `extends` an existing {}", d.kind);
    return false;
  }
  globals_[d.name] = value{record_ptr(entity)};
  declared_at_[d.name] = d.name_span;
  return true;
}

std::string interpreter::show_value(const value& v) const {
  const record* r = v.as_record();
  if (!r) return format_value(v, reg_->units());
  // A record prints as a table of its fields; nested tables inline.
  std::size_t width = 0;
  for (const auto& f : r->fields) width = std::max(width, f.name.size());
  std::string out = r->name.empty() ? r->kind + " result" : r->kind + " " + r->name;
  for (const auto& f : r->fields) {
    std::string shown;
    if (const auto* sub = f.v.as_record(); sub && sub->name.empty()) {
      for (const auto& g : sub->fields) shown += (shown.empty() ? "" : ", ") + g.name + " " + format_value(g.v, reg_->units());
    } else {
      shown = format_value(f.v, reg_->units());
    }
    out += fmt::format("\n  {:<{}}  {}", f.name, width, shown);
  }
  return out;
}

std::string interpreter::show(const evaluated& e) const {
  if (e.shown_in) {
    if (const auto* q = e.v.as_quantity()) return unit_table::format_in(*q, *e.shown_in, e.shown_in_text);
  }
  auto text = show_value(e.v);
  if (!e.note.empty() && !e.v.as_record()) text += "  (" + e.note + ")";
  return text;
}

}  // namespace ironlaw::runtime
