#include "evaluator.hpp"

#include "ironlaw/runtime/interp/entity_schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "ironlaw/runtime/interp/entity_schema.hpp"
#include "ironlaw/runtime/interp/price_history.hpp"
#include "operators.hpp"

namespace ironlaw::runtime::detail {

namespace {

// The words a symbol may legitimately be: every enum value a builtin accepts
// or a result carries.
bool known_word(std::string_view w) {
  const auto& words = builtin_words();
  return std::find(words.begin(), words.end(), w) != words.end();
}

// The unit a person would recognise for an operand: as written, else base units.
std::string unit_hint(const lang::expr& e, const quantity& q) {
  if (const auto* n = std::get_if<lang::number_literal>(&e.node); n && !n->unit.empty()) return n->unit;
  return base_unit_text(q.d);
}

std::string what(const lang::expr& e, const quantity& q) {
  auto unit = unit_hint(e, q);
  return unit.empty() ? describe(q.d) : fmt::format("{} ({})", describe(q.d), unit);
}

// A literal's digits before any exponent hold a non-zero digit: a 0 value is an underflow.
bool nonzero_mantissa(std::string_view text) {
  for (char ch : text) {
    if (ch == 'e' || ch == 'E') break;
    if (ch >= '1' && ch <= '9') return true;
  }
  return false;
}

std::string literal_text(const lang::number_literal& n) {
  return n.unit.empty() ? n.text : fmt::format("{} {}", n.text, n.unit);
}

}  // namespace

std::optional<evaluated> evaluator::eval(const lang::expr& e) {
  return std::visit([&](const auto& node) { return eval_node(e, node); }, e.node);
}

std::optional<evaluated> evaluator::eval_value(const lang::expr& e) {
  auto r = eval(e);
  if (r && !check_word(e, r->v)) return std::nullopt;
  return r;
}

lang::diagnostic& evaluator::error(std::string code, span where, std::string message) {
  lang::diagnostic d;
  d.code = std::move(code);
  d.source = source_;
  d.primary = where;
  d.message = std::move(message);
  return diags_.add(std::move(d));
}

std::vector<std::string> evaluator::all_names() const {
  auto names = reg_.names();
  for (const auto& [n, v] : globals_) names.push_back(n);
  for (const auto& b : builtin_names()) names.push_back(b);
  return names;
}

bool evaluator::check_word(const lang::expr& e, const value& v) {
  const auto* s = v.as_symbol();
  if (!s || known_word(s->name)) return true;
  auto& d = error("E0102", e.where, fmt::format("unknown name '{}'", s->name));
  auto near = suggest(s->name, all_names());
  if (!near.empty()) d.help = fmt::format("did you mean {}?", join_alternatives(near));
  return false;
}

std::optional<unit_value> evaluator::parse_unit(std::string_view text, span where) {
  auto parsed = reg_.units().parse(text);
  if (auto* u = std::get_if<unit_value>(&parsed)) {
    if (!u->d.out_of_range()) return *u;
    auto& d = error("E0218", where, fmt::format("unit exponent out of range in '{}'", text));
    d.help = fmt::format("a unit's power of each base dimension (s, B, FLOP, ...) lies within -{} and {}", max_exponent,
                         max_exponent);
    return std::nullopt;
  }
  const auto& err = std::get<unit_error>(parsed);
  span s{where.begin + static_cast<std::uint32_t>(err.offset),
         where.begin + static_cast<std::uint32_t>(err.offset + std::max<std::size_t>(err.length, 1))};
  auto& d = error("E0101", s, err.message);
  d.help = err.help;
  return std::nullopt;
}

std::optional<evaluated> evaluator::eval_node(const lang::expr& e, const lang::number_literal& n) {
  // The parser rounds a literal beyond the doubles to infinity or 0 (lang/parse.cpp).
  if (!std::isfinite(n.value)) {
    error("E0103", e.where, "number out of range (the largest is about 1.8e308)");
    return std::nullopt;
  }
  if (edge_of(n.value, nonzero_mantissa(n.text)) == numeric_edge::underflow) {
    literal_too_small(e, n);
    return std::nullopt;
  }
  if (n.unit.empty()) return evaluated{quantity{n.value, {}}};
  auto u = parse_unit(n.unit, n.unit_span);
  if (!u) return std::nullopt;
  quantity q{n.value * u->factor, u->d};
  switch (edge_of(q, n.value != 0)) {
    case numeric_edge::ok:
      return evaluated{q};
    case numeric_edge::underflow:
      literal_too_small(e, n);
      return std::nullopt;
    default:
      error("E0103", e.where,
            fmt::format("number out of range: {} is beyond about 1.8e308 {}", literal_text(n), base_unit_text(u->d)));
      return std::nullopt;
  }
}

std::optional<evaluated> evaluator::eval_node(const lang::expr&, const lang::string_literal& s) {
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
    text +=
        v->shown_in && q ? unit_table::format_in(*q, *v->shown_in, v->shown_in_text) : format_value(v->v, reg_.units());
  }
  return evaluated{value{std::move(text)}};
}

std::optional<evaluated> evaluator::eval_node(const lang::expr&, const lang::bool_literal& b) {
  return evaluated{value{b.value}};
}

std::optional<evaluated> evaluator::eval_node(const lang::expr& e, const lang::name_ref& n) {
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
    d.help = fmt::format("call it: {}(...); `ironlaw help {}` (`:help {}` in the REPL) lists its parameters", n.name, n.name, n.name);
    return std::nullopt;
  }
  return evaluated{value{symbol{n.name}}};  // a word; its use decides whether it is known
}

std::optional<evaluated> evaluator::eval_node(const lang::expr&, const lang::list_expr& l) {
  auto items = std::make_shared<list>();
  // Items may be words (`[fp16, int4]`): whoever uses the list checks them.
  for (const auto& item : l.items) {
    auto v = eval(*item);
    if (!v) return std::nullopt;
    items->push_back(v->v);
  }
  return evaluated{value{list_ptr(items)}};
}

std::optional<evaluated> evaluator::eval_node(const lang::expr& e, const lang::unary_expr& u) {
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
  return evaluated{quantity{operators::sign(u.op, q->si), q->d}};
}

std::optional<evaluated> evaluator::eval_node(const lang::expr& e, const lang::binary_expr& b) {
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
    error("E0203", bad.where, fmt::format("'{}' needs quantities, not {}", lang::spelling(b.op), describe(bad_value)));
    return std::nullopt;
  }
  if (operators::kind_of(b.op) == operators::kind::comparison) return compare(e, b, *a, *c);
  return arithmetic(e, b, *a, *c);
}

// `+ - * / ^` on two quantities: operators.cpp computes; every outcome that is
// not ok is a diagnostic here, never a silent inf, nan, lost magnitude or
// wrapped unit exponent (docs/language.md, "Numbers at the edges").
std::optional<evaluated> evaluator::arithmetic(const lang::expr& e, const lang::binary_expr& b, const quantity& a,
                                               const quantity& c) {
  using op = lang::binary_op;
  using operators::outcome;
  auto r = operators::arithmetic(b.op, a.si, c.si);
  // Before the dimensions: `0 ^ -1` is a division by zero, a unit or not.
  if (r.what == outcome::division_by_zero && (b.op == op::divide || c.d.dimensionless())) {
    if (b.op == op::divide)
      error("E0204", b.rhs->where,
            a.si == 0 ? fmt::format("division by zero: {} has no value", operation(b, a, c))
                      : fmt::format("division by zero: {}", operation(b, a, c)));
    else
      error("E0204", e.where, fmt::format("division by zero: {} is 1 / 0", operation(b, a, c)));
    return std::nullopt;
  }
  auto d = operators::result_dim(b.op, a.d, c.d, c.si);
  if (!d && b.op == op::power) {
    error("E0205", b.rhs->where,
          c.d.dimensionless()
              ? fmt::format("a quantity with a unit can only be raised to a whole power (at most {}), not {}",
                            operators::max_whole_power, shown(*b.rhs, c))
              : fmt::format("an exponent must be a plain number, not {}", what(*b.rhs, c)));
    return std::nullopt;
  }
  if (!d) {
    bool adding = b.op == op::add;
    auto& diag = error("E0201", b.lhs->where,
                       adding ? fmt::format("cannot add {} to {}", what(*b.lhs, a), what(*b.rhs, c))
                              : fmt::format("cannot subtract {} from {}", what(*b.rhs, c), what(*b.lhs, a)));
    diag.primary_label = describe(a.d);
    diag.secondary.push_back({b.rhs->where, describe(c.d)});
    diag.help = "only quantities of the same dimension can be added or subtracted";
    return std::nullopt;
  }
  if (d->out_of_range()) {
    auto& diag = error("E0218", e.where, fmt::format("unit exponent out of range: {}", operation(b, a, c)));
    diag.help = fmt::format("a unit's power of each base dimension (s, B, FLOP, ...) lies within -{} and {}",
                            max_exponent, max_exponent);
    return std::nullopt;
  }
  switch (r.what) {
    case outcome::ok:
      return evaluated{quantity{r.value, *d}};
    case outcome::overflow:
      error("E0215", e.where,
            fmt::format("overflow: {} is beyond the largest number, about 1.8e308", operation(b, a, c)))
          .help =
          "magnitudes are kept in base units (s, B, FLOP, ...), so another unit does not help; rescale the "
          "computation";
      break;
    case outcome::underflow:
      error("E0216", e.where,
            fmt::format("underflow: {} is closer to 0 than about 2.2e-308, below what a number keeps exactly",
                        operation(b, a, c)))
          .help = "magnitudes are kept in base units (s, B, FLOP, ...); rescale the computation";
      break;
    default:  // not a number (a division by zero with a unit in the exponent was refused above)
      error("E0217", e.where, fmt::format("{} is not a number", operation(b, a, c))).help =
          "a negative number raised to a fractional power has no real value";
      break;
  }
  return std::nullopt;
}

std::optional<evaluated> evaluator::eval_node(const lang::expr&, const lang::convert_expr& c) {
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
    d.help = lang::counted_conversion_help(q->d, u->d);
    return std::nullopt;
  }
  evaluated out{v->v};
  out.shown_in = *u;
  out.shown_in_text = c.unit;
  return out;
}

std::optional<evaluator::range_parts> evaluator::parts_of(const lang::expr& e, const lang::range_expr& r) {
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
    auto& d =
        error("E0207", r.to->where, fmt::format("a range cannot go from {} to {}", what(*r.from, *a), what(*r.to, *b)));
    d.secondary.push_back({r.from->where, describe(a->d)});
    return std::nullopt;
  }
  quantity increment = s ? *s : quantity{1, {}};
  bool valid = r.geometric ? increment.d.dimensionless() && increment.si > 1 : increment.d == a->d && increment.si > 0;
  if (!valid) {
    std::string unit = base_unit_text(a->d);
    auto& d = error("E0207", r.step ? r.step->where : e.where,
                    r.geometric ? "a geometric step (`by *k`) must be a plain number above 1"
                    : r.step    ? fmt::format("the step must be positive and in the range's unit ({})", describe(a->d))
                                : fmt::format("a range of {} needs a step with a unit", describe(a->d)));
    if (!r.step) d.help = fmt::format("as in `by 1 {}`", unit);
    return std::nullopt;
  }
  // A small tolerance keeps `0 % .. 100 % by 25 %` from losing its end to rounding.
  return range_parts{*a, increment, b->si + std::abs(b->si) * 1e-9, r.geometric};
}

bool evaluator::count_range_item(const lang::expr& e, std::size_t made_so_far) {
  if (made_so_far >= max_range_items) {
    error("E0208", e.where, fmt::format("the range has more than {} values", max_range_items));
    return false;
  }
  if (++range_items_made_ > max_range_items_per_statement) {
    error("E0208", e.where,
          fmt::format("the ranges of this statement have more than {} values together", max_range_items_per_statement))
        .help = "bind a range to a name with `let` once and reuse the name";
    return false;
  }
  return true;
}

std::optional<evaluated> evaluator::eval_node(const lang::expr& e, const lang::range_expr& r) {
  auto parts = parts_of(e, r);
  if (!parts) return std::nullopt;
  auto items = std::make_shared<list>();
  for (double x = parts->from.si; x <= parts->limit; x = parts->geometric ? x * parts->increment.si : x + parts->increment.si) {
    if (!count_range_item(e, items->size())) return std::nullopt;
    items->push_back(value{quantity{x, parts->from.d}});
    if (parts->geometric && x <= 0) break;
  }
  return evaluated{value{list_ptr(items)}};
}

std::optional<axis_domain> evaluator::eval_axis(const lang::expr& e, value& not_list) {
  if (const auto* r = std::get_if<lang::range_expr>(&e.node); r && !r->geometric) {
    auto parts = parts_of(e, *r);
    if (!parts) return std::nullopt;
    double first = parts->from.si, step = parts->increment.si, limit = parts->limit;
    // Whole numbers below 2^53 add exactly: first + k x step is then the
    // running sum eval_node makes, and the range need not be materialized.
    constexpr double exact = 9007199254740992.0;  // 2^53
    bool whole = first == std::floor(first) && step == std::floor(step) && std::abs(first) < exact &&
                 std::abs(limit) + step < exact;
    if (whole) {
      double span = std::floor((limit - first) / step);
      std::size_t count = limit < first ? 0 : static_cast<std::size_t>(std::min(span, 2.0 * max_range_items)) + 1;
      while (count > 0 && first + static_cast<double>(count - 1) * step > limit) --count;
      while (count <= 2 * max_range_items && first + static_cast<double>(count) * step <= limit) ++count;
      if (count > lazy_range_items) {
        // The limits eval_node applies value by value, in its order.
        std::size_t room = range_items_made_ >= max_range_items_per_statement
                               ? 0 : max_range_items_per_statement - range_items_made_;
        std::size_t reached = std::min({count, max_range_items, room});
        range_items_made_ += reached;
        if (reached < count && !count_range_item(e, reached)) return std::nullopt;
        return axis_domain::whole_range(first, step, count, parts->from.d);
      }
    }
  }
  auto v = eval(e);
  if (!v) return std::nullopt;
  const auto* items = std::get_if<list_ptr>(&v->v.v);
  if (!items) {
    not_list = v->v;
    return axis_domain{};
  }
  return axis_domain{std::vector<value>((*items)->begin(), (*items)->end())};
}

std::optional<evaluated> evaluator::eval_node(const lang::expr& e, const lang::unit_apply& u) {
  auto v = eval_value(*u.value);
  auto unit = parse_unit(u.unit, u.unit_span);
  if (!v || !unit) return std::nullopt;
  bool at_edge = false;
  auto scale = [&](const value& item) -> std::optional<value> {
    const auto* q = item.as_quantity();
    if (!q || !q->d.dimensionless()) return std::nullopt;
    quantity out{q->si * unit->factor, unit->d};
    // `[1e300] EB` overflows, `(1e-300) ns` underflows: as for `1e300 EB` (numbers at the edges).
    if (auto edge = edge_of(out, q->si != 0); edge != numeric_edge::ok) {
      at_edge = true;
      bool over = edge == numeric_edge::overflow;
      error(over ? "E0215" : "E0216", e.where,
            fmt::format("{}: {} {} is {}", over ? "overflow" : "underflow", shown(*q), u.unit,
                        over ? "beyond the largest number, about 1.8e308"
                             : "closer to 0 than about 2.2e-308, below what a number keeps exactly"))
          .help = "magnitudes are kept in base units (s, B, FLOP, ...); rescale the computation";
      return std::nullopt;
    }
    return value{out};
  };
  if (const auto* l = std::get_if<list_ptr>(&v->v.v)) {
    auto items = std::make_shared<list>();
    for (const auto& item : **l) {
      auto scaled = scale(item);
      if (at_edge) return std::nullopt;
      if (!scaled) {
        error("E0209", u.unit_span, fmt::format("a unit applies to plain numbers; the list holds {}", describe(item)));
        return std::nullopt;
      }
      items->push_back(*scaled);
    }
    return evaluated{value{list_ptr(items)}};
  }
  auto scaled = scale(v->v);
  if (at_edge) return std::nullopt;
  if (!scaled) {
    error("E0209", u.unit_span, fmt::format("a unit applies to plain numbers, not {}", describe(v->v)));
    return std::nullopt;
  }
  return evaluated{*scaled};
}

std::optional<evaluated> evaluator::eval_node(const lang::expr&, const lang::record_expr& r) {
  auto out = std::make_shared<record>();
  out->kind = "record";
  out->fields.reserve(r.fields.size());
  // A set, not record::find per field: 80,000 fields took 17 s that way.
  std::unordered_set<std::string_view> seen;
  for (const auto& f : r.fields) {
    if (!seen.insert(f.name).second) {
      error("E0210", f.name_span, fmt::format("field '{}' is given twice", f.name));
      return std::nullopt;
    }
    auto v = eval_value(*f.value);
    if (!v) return std::nullopt;
    out->fields.push_back(field{f.name, v->v, {}});
  }
  return evaluated{value{record_ptr(out)}};
}

std::optional<evaluated> evaluator::eval_node(const lang::expr&, const lang::zoo_query& z) {
  std::string_view kind = zoo_kind(z.kind);
  if (kind.empty()) {
    error("E0211", z.kind_span, fmt::format("zoo lists hardware, models, nodes, fabrics or regions, not '{}'", z.kind));
    return std::nullopt;
  }
  auto items = std::make_shared<list>();
  // An entry without a field the filter reads (A100 has no fp8 peak) does not
  // match; a field no entry has is a typo, reported as the first entry's error.
  std::optional<lang::diagnostics> first_missing;
  bool any_read = false;
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
        for (const auto& d : quiet.items()) missing_field = missing_field || d.code == "E0102" || d.code == "E0401";
        if (!missing_field) {
          for (const auto& d : quiet.items()) diags_.add(d);
          return std::nullopt;
        }
        if (!first_missing) first_missing = quiet;
        continue;
      }
      any_read = true;
      const bool* yes = keep ? std::get_if<bool>(&keep->v.v) : nullptr;
      if (!yes) {
        error("E0212", z.filter->where,
              fmt::format("a `where` condition must be true or false, not {}", keep ? describe(keep->v) : "nothing"));
        return std::nullopt;
      }
      if (!*yes) continue;
    }
    items->push_back(value{entry});
  }
  if (!any_read && first_missing) {
    for (const auto& d : first_missing->items()) diags_.add(d);
    return std::nullopt;
  }
  return evaluated{value{list_ptr(items)}};
}

std::optional<evaluated> evaluator::eval_node(const lang::expr& e, const lang::call_expr& c) {
  return call(c, e.where, {});
}

// An entity's field, printed in its schema's display unit where it has one
// (a cloud price per hour, not the money rate's default per year).
evaluated evaluator::shown_as_schema(const record& r, const field& fl) const {
  evaluated out{fl.v, fl.note};
  const auto* kind = r.name.empty() ? nullptr : find_kind(r.kind);
  const auto* schema = kind ? find_field(*kind, fl.name) : nullptr;
  // A dated price history reads as a table of its dates and prices.
  if (schema && schema->kind == field_kind::history) {
    out.v = price_history_table(r, *schema, reg_.units());
    return out;
  }
  const auto* q = fl.v.as_quantity();
  if (!schema || !q) return out;
  // A device's capacity prints as its vendor states it: H100_SXM.memory is 80 GiB.
  if (schema->capacity) {
    if (std::string text; auto u = unit_table::capacity_unit(q->si, text)) {
      out.shown_in = *u;
      out.shown_in_text = text;
    }
    return out;
  }
  if (schema->display.empty()) return out;
  auto parsed = reg_.units().parse(schema->display);
  if (const auto* u = std::get_if<unit_value>(&parsed)) {
    if (u->d != q->d) return out;
    out.shown_in = *u;
    out.shown_in_text = schema->display;
  }
  return out;
}

std::optional<evaluated> evaluator::eval_node(const lang::expr&, const lang::field_expr& f) {
  auto object = eval_value(*f.object);
  if (!object) return std::nullopt;
  const record* r = object->v.as_record();
  if (!r) {
    error("E0402", f.field_span, fmt::format("{} has no fields", describe(object->v)));
    return std::nullopt;
  }
  bool hypothetical = false;
  if (const auto* fl = find_field(*r, f.field, &hypothetical)) {
    if (refuses_read(*r, *fl, hypothetical)) {
      does_not_fit(*r, *fl, f.field_span);
      return std::nullopt;
    }
    evaluated out = shown_as_schema(*r, *fl);
    if (!r->infeasible.empty() && only_if_it_fits(fl->v.as_quantity() ? fl->v.as_quantity()->d : dim{}))
      out.note = fmt::format("if it fit; it does not: {}{}", r->infeasible, fl->note.empty() ? "" : "; " + fl->note);
    return out;
  }
  if (const auto* fn = r->name.empty() ? find_builtin(r->kind) : nullptr)
    for (const auto& gone : fn->retired)
      if (gone.name == f.field) {
        error("E0230", f.field_span, fmt::format("{} has no field '{}': {}", describe(object->v), f.field, gone.message))
            .help = gone.help;
        return std::nullopt;
      }
  std::vector<std::string> names;
  for (const auto& fl : r->fields) names.push_back(fl.name);
  auto& d = error("E0401", f.field_span, fmt::format("{} has no field '{}'", describe(object->v), f.field));
  d.help = did_you_mean(f.field, names, "its fields are");
  return std::nullopt;
}

// A time, rate or cost read from a result that does not fit (E0221).
void evaluator::does_not_fit(const record& r, const field& f, span at) {
  auto& d = error("E0221", at,
                  fmt::format("the {} does not fit ({}), so it has no {}",
                              r.kind == "design" ? "design point" : r.kind + " configuration", r.infeasible, f.name));
  d.primary_label = "does not fit";
  d.help = fmt::format("for what it would be if it fit, read `.{}{}`, or pass `allow_infeasible = true` to {}",
                       f.name, if_it_fit_suffix, r.kind == "design" ? "the design's solver call" : r.kind);
}

void evaluator::literal_too_small(const lang::expr& e, const lang::number_literal& n) {
  auto& d = error("E0214", e.where,
                  fmt::format("number too small: {} underflows (nothing between 0 and about 2.2e-308 of a base "
                              "unit is kept exactly)",
                              literal_text(n)));
  d.help = "write 0 if you mean zero; magnitudes are stored in base units (s, B, FLOP, ...), whatever unit is written";
}

// An operand as a diagnostic names it: a literal as written, else its value.
std::string evaluator::shown(const quantity& q) const {
  if (q.si == 0) return q.d.dimensionless() ? "0" : "0 " + base_unit_text(q.d);
  return format_value(value{q}, reg_.units());
}

std::string evaluator::shown(const lang::expr& e, const quantity& q) const {
  const auto* n = std::get_if<lang::number_literal>(&e.node);
  return n ? literal_text(*n) : shown(q);
}

// `a op c` for a message; a power's base in brackets when it is negative or has a unit.
std::string evaluator::operation(const lang::binary_expr& b, const quantity& a, const quantity& c) const {
  auto lhs = shown(*b.lhs, a);
  if (b.op == lang::binary_op::power && (a.si < 0 || !a.d.dimensionless())) lhs = "(" + lhs + ")";
  auto rhs = shown(*b.rhs, c);
  if (c.si < 0) rhs = "(" + rhs + ")";
  return fmt::format("{} {} {}", lhs, lang::spelling(b.op), rhs);
}

std::optional<evaluated> evaluator::logical(const lang::expr&, const lang::binary_expr& b) {
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
  return evaluated{value{operators::logical(b.op, *l, *r)}};
}

std::optional<evaluated> evaluator::compare(const lang::expr&, const lang::binary_expr& b, const quantity& a,
                                            const quantity& c) {
  if (!operators::result_dim(b.op, a.d, c.d)) {
    auto& d = error("E0202", b.lhs->where, fmt::format("cannot compare {} with {}", what(*b.lhs, a), what(*b.rhs, c)));
    d.primary_label = describe(a.d);
    d.secondary.push_back({b.rhs->where, describe(c.d)});
    return std::nullopt;
  }
  return evaluated{value{operators::compare(b.op, a.si, c.si)}};
}

std::optional<evaluated> evaluator::equality(const lang::expr&, const lang::binary_expr& b, const evaluated& lhs,
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
  if (const auto* s = lhs.v.as_symbol())
    equal = *s == *rhs.v.as_symbol();
  else if (const auto* t = std::get_if<std::string>(&lhs.v.v))
    equal = *t == std::get<std::string>(rhs.v.v);
  else if (const auto* x = std::get_if<bool>(&lhs.v.v))
    equal = *x == std::get<bool>(rhs.v.v);
  else if (const auto* r = lhs.v.as_record())
    equal = r == rhs.v.as_record();
  else {
    error("E0202", b.lhs->where, fmt::format("cannot compare {} with '{}'", describe(lhs.v), lang::spelling(b.op)));
    return std::nullopt;
  }
  return evaluated{value{b.op == lang::binary_op::equal ? equal : !equal}};
}

const builtin* evaluator::callee(const lang::call_expr& c) {
  const auto* name = std::get_if<lang::name_ref>(&c.callee->node);
  if (!name) {
    error("E0106", c.callee->where, "only built-in functions can be called");
    return nullptr;
  }
  const builtin* fn = find_builtin(name->name);
  if (!fn) {
    auto& d = error("E0104", c.callee->where, fmt::format("unknown function '{}'", name->name));
    auto names = builtin_names();
    for (auto& m : math::names()) names.push_back(std::move(m));
    d.help = did_you_mean(name->name, names, "the functions are");
  }
  return fn;
}

std::optional<evaluated> evaluator::call(const lang::call_expr& c, span where, const std::vector<extra_arg>& extra) {
  if (const auto* name = std::get_if<lang::name_ref>(&c.callee->node); name && name->name == "choose")
    return choose(c, where);
  if (const auto* name = std::get_if<lang::name_ref>(&c.callee->node); name && name->name == "sensitivity")
    return sensitivity(c, where);
  if (const auto* name = std::get_if<lang::name_ref>(&c.callee->node))
    if (const auto* math_fn = math::find(name->name)) return math_call(c, where, *math_fn);
  const builtin* fn = callee(c);
  if (!fn) return std::nullopt;
  call_args args(*fn, reg_, source_, where, diags_);
  for (const auto& s : scales_) args.scale(s.name, s.factor, s.seen);
  bool ok = true;
  std::size_t position = 0;
  for (const auto& a : c.args) {
    auto v = eval(*a.value);
    if (!v) {
      ok = false;
      continue;
    }
    if (a.name)
      ok = args.bind_named(*a.name, a.name_span, v->v, a.value->where) && ok;
    else
      ok = args.bind_positional(position++, v->v, a.value->where) && ok;
  }
  for (const auto& x : extra) ok = args.bind_named(x.name, x.where, x.v, x.where) && ok;
  if (!ok || !args.finish()) return std::nullopt;
  auto result = fn->invoke(args);
  if (!result) return std::nullopt;
  if (auto defect = check_result(*fn, *result); !defect.empty()) {
    error("E0900", where, "internal error: " + defect).help = "this is a bug in ironlaw; please report it";
    return std::nullopt;
  }
  if (auto defect = numeric_defect(*result, reg_.units()); !defect.empty()) {
    error("E0220", where, fmt::format("{} returned {}", fn->name, defect)).help =
        "an input lies where the solver's model breaks down; check the arguments' magnitudes (if they are "
        "sensible, this is a bug in ironlaw: please report it)";
    return std::nullopt;
  }
  return evaluated{*result};
}

std::optional<evaluated> evaluator::choose(const lang::call_expr& c, span where) {
  if (c.args.size() != 1 || c.args[0].name) {
    error("E0213", where, "choose takes one list of options, as in choose([2048, 4096, 8192])");
    return std::nullopt;
  }
  auto options = eval(*c.args[0].value);
  if (!options) return std::nullopt;
  const auto* l = std::get_if<list_ptr>(&options->v.v);
  if (!l || (*l)->empty()) {
    error("E0213", c.args[0].value->where, "choose needs a non-empty list of options");
    return std::nullopt;
  }
  return evaluated{(**l)[0]};
}
}  // namespace ironlaw::runtime::detail
