#include "compile.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "../interp/evaluator.hpp"
#include "../interp/math_functions.hpp"
#include "../interp/operators.hpp"

namespace ironlaw::runtime::search {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

// Calls `visit` on every direct sub-expression.
template <typename F>
void children(const lang::expr& e, F&& visit) {
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, lang::list_expr>) {
          for (const auto& i : n.items) visit(*i);
        } else if constexpr (std::is_same_v<T, lang::unary_expr>) {
          visit(*n.operand);
        } else if constexpr (std::is_same_v<T, lang::binary_expr>) {
          visit(*n.lhs);
          visit(*n.rhs);
        } else if constexpr (std::is_same_v<T, lang::convert_expr> || std::is_same_v<T, lang::unit_apply>) {
          visit(*n.value);
        } else if constexpr (std::is_same_v<T, lang::call_expr>) {
          visit(*n.callee);
          for (const auto& a : n.args) visit(*a.value);
        } else if constexpr (std::is_same_v<T, lang::field_expr>) {
          visit(*n.object);
        } else if constexpr (std::is_same_v<T, lang::range_expr>) {
          visit(*n.from);
          visit(*n.to);
          if (n.step) visit(*n.step);
        } else if constexpr (std::is_same_v<T, lang::record_expr>) {
          for (const auto& f : n.fields) visit(*f.value);
        } else if constexpr (std::is_same_v<T, lang::string_literal>) {
          for (const auto& p : n.parts)
            if (p.value) visit(*p.value);
        } else if constexpr (std::is_same_v<T, lang::zoo_query>) {
          if (n.filter) visit(*n.filter);
        }
      },
      e.node);
}

std::string intern_key(const value& v) {
  if (const auto* s = v.as_symbol()) return "w:" + s->name;
  if (const auto* t = std::get_if<std::string>(&v.v)) return "s:" + *t;
  if (const auto* r = v.as_record()) return "e:" + r->kind + ":" + r->name;
  return {};
}

// A word, text or entity that no constant or axis interned (a solver's text
// field, say) still has an id of its own, so that `==` and `!=` answer as the
// evaluator does: a negative number from its key (interned ids are positive;
// 52 bits, so the double is exact).
double unseen_id(const std::string& key) { return -static_cast<double>(std::hash<std::string>{}(key) >> 12) - 1; }

// NaN is "not computable": where the evaluator reports an error (a division by
// zero, an overflow, a fallback that failed). It passes through every
// operator, so a requirement that reads it is not met and an objective that
// reads it refuses the point, as the evaluator's error would have stopped a `print`.
bool computable(double x) { return !std::isnan(x); }

number_fn arithmetic(lang::binary_op op, number_fn l, number_fn r) {
  return [op, l = std::move(l), r = std::move(r)](const frame& f) {
    auto out = operators::arithmetic(op, l(f), r(f));
    return out.what == operators::outcome::ok ? out.value : nan;
  };
}

number_fn comparison(lang::binary_op op, number_fn l, number_fn r) {
  return [op, l = std::move(l), r = std::move(r)](const frame& f) {
    double a = l(f), b = r(f);
    if (!computable(a) || !computable(b)) return nan;
    return operators::compare(op, a, b) ? 1.0 : 0.0;
  };
}

number_fn logical(lang::binary_op op, number_fn l, number_fn r) {
  return [op, l = std::move(l), r = std::move(r)](const frame& f) {
    double a = l(f), b = r(f);  // both sides, as the evaluator does
    if (!computable(a) || !computable(b)) return nan;
    return operators::logical(op, a != 0, b != 0) ? 1.0 : 0.0;
  };
}

number_fn math_call(math::function f, std::vector<number_fn> values, double unit) {
  return [f, values = std::move(values), unit](const frame& fr) {
    // A handful of values on the stack; a long literal list on the heap.
    std::vector<double> xs;
    xs.reserve(values.size());
    for (const auto& v : values) xs.push_back(v(fr));
    auto out = math::apply(f, xs, unit);
    return out.what == math::outcome::ok ? out.value : nan;
  };
}

}  // namespace

compiler::compiler(const registry& reg, const scope& globals, lang::source_ptr source, std::string design,
                   std::vector<std::string> axes, std::vector<std::string> fields)
    : reg_(reg), globals_(globals), source_(std::move(source)), design_(std::move(design)), axes_(std::move(axes)),
      fields_(std::move(fields)), used_(axes_.size() + fields_.size(), false) {
  // Every word a solver can return compares by id without a lookup miss.
  for (const auto& w : builtin_words()) intern(value{symbol{w}});
}

double compiler::intern(const value& v) {
  auto key = intern_key(v);
  auto it = ids_.find(key);
  if (it != ids_.end()) return it->second;
  double id = static_cast<double>(ids_.size() + 1);
  ids_.emplace(std::move(key), id);
  return id;
}

double compiler::to_number(const value& v) const {
  if (const auto* q = v.as_quantity()) return q->si;
  if (const auto* b = std::get_if<bool>(&v.v)) return *b ? 1 : 0;
  auto key = intern_key(v);
  if (key.empty()) return nan;
  auto it = ids_.find(key);
  return it == ids_.end() ? unseen_id(key) : it->second;
}

bool mentions(const lang::expr& e, std::string_view name) {
  if (const auto* n = std::get_if<lang::name_ref>(&e.node)) return n->name == name;
  bool found = false;
  children(e, [&](const lang::expr& c) { found = found || mentions(c, name); });
  return found;
}

bool compiler::depends(const lang::expr& e) const {
  if (const auto* n = std::get_if<lang::name_ref>(&e.node)) {
    if (axes_mode_) return std::find(axes_.begin(), axes_.end(), n->name) != axes_.end();
    return n->name == design_;
  }
  bool found = false;
  children(e, [&](const lang::expr& c) { found = found || depends(c); });
  return found;
}

number_fn compiler::fallback(const lang::expr& e) {
  const lang::expr* expr = &e;
  bool axes = axes_mode_;
  reads_record_ = reads_record_ || !axes;
  return [this, expr, axes](const frame& f) -> double {
    scope locals;
    if (axes) {
      for (std::size_t i = 0; i < axes_.size(); ++i) locals[axes_[i]] = *f.axis_values[i];
    } else {
      auto design = std::make_shared<record>(*f.result->as_record());
      design->kind = "design";
      design->name = design_;
      for (std::size_t i = 0; i < axes_.size(); ++i)
        if (!design->find(axes_[i])) design->fields.push_back(field{axes_[i], *f.axis_values[i], {}, {}});
      locals[design_] = value{record_ptr(design)};
    }
    detail::evaluator ev(reg_, globals_, source_, *f.diags, &locals);
    auto v = ev.eval_value(*expr);
    return v ? to_number(v->v) : nan;
  };
}

std::size_t compiler::slot_of(std::string_view name) {
  // The solver's field wins over an axis of the same name, as in the design record.
  std::size_t i = std::string::npos;
  // `itl_if_it_fit` is `itl`: a point that does not fit reaches the compiled
  // code only when its call allows it (allow_infeasible), and then both agree.
  if (name.ends_with(if_it_fit_suffix) && std::find(fields_.begin(), fields_.end(), name) == fields_.end())
    name.remove_suffix(if_it_fit_suffix.size());
  if (auto it = std::find(fields_.begin(), fields_.end(), name); it != fields_.end())
    i = axes_.size() + static_cast<std::size_t>(it - fields_.begin());
  else if (auto a = std::find(axes_.begin(), axes_.end(), name); a != axes_.end())
    i = static_cast<std::size_t>(a - axes_.begin());
  if (i != std::string::npos) used_[i] = true;
  return i;
}

number_fn compiler::number(const lang::expr& e) {
  if (!depends(e)) {
    lang::diagnostics quiet;  // errors were reported when the design was checked
    detail::evaluator ev(reg_, globals_, source_, quiet);
    auto v = ev.eval(e);
    double c = v ? (v->v.as_symbol() || v->v.as_record() || std::holds_alternative<std::string>(v->v.v) ? intern(v->v)
                                                                                                        : to_number(v->v))
                 : nan;
    return [c](const frame&) { return c; };
  }
  auto slot = [&](std::size_t i) -> number_fn {
    used_[i] = true;
    return [i](const frame& f) { return f.slots[i]; };
  };
  if (const auto* n = std::get_if<lang::name_ref>(&e.node); n && axes_mode_) {
    auto it = std::find(axes_.begin(), axes_.end(), n->name);
    return slot(static_cast<std::size_t>(it - axes_.begin()));
  }
  if (const auto* fe = std::get_if<lang::field_expr>(&e.node)) {
    const auto* object = std::get_if<lang::name_ref>(&fe->object->node);
    if (object && !axes_mode_ && object->name == design_)
      if (auto i = slot_of(fe->field); i != std::string::npos) return slot(i);
    return fallback(e);
  }
  if (const auto* c = std::get_if<lang::convert_expr>(&e.node)) return number(*c->value);
  if (const auto* c = std::get_if<lang::call_expr>(&e.node)) return math_number(e, *c);
  if (const auto* u = std::get_if<lang::unary_expr>(&e.node)) {
    auto x = number(*u->operand);
    if (u->op != lang::unary_op::logical_not)
      return [op = u->op, x](const frame& f) { return operators::sign(op, x(f)); };
    return [x](const frame& f) {
      double v = x(f);
      return computable(v) ? (v == 0 ? 1.0 : 0.0) : nan;
    };
  }
  if (const auto* b = std::get_if<lang::binary_expr>(&e.node)) {
    // `x ^ n` is compiled when n is a whole power any base accepts; otherwise
    // whether it is defined depends on the base's unit, which the plan does not
    // track: the evaluator decides, for that sub-expression only.
    if (b->op == lang::binary_op::power && depends(*b->rhs)) return fallback(e);
    auto r = number(*b->rhs);
    if (b->op == lang::binary_op::power && !operators::whole_power(r(frame{}))) return fallback(e);  // a constant
    auto l = number(*b->lhs);
    switch (operators::kind_of(b->op)) {
      case operators::kind::arithmetic: return arithmetic(b->op, std::move(l), std::move(r));
      case operators::kind::comparison: return comparison(b->op, std::move(l), std::move(r));
      case operators::kind::logical: return logical(b->op, std::move(l), std::move(r));
    }
  }
  return fallback(e);
}

// A math builtin over values the plan computes: through math::apply, as the
// evaluator does (its dimension rules were checked with the design). A list
// that is not written out (a name, a range) goes to the evaluator.
number_fn compiler::math_number(const lang::expr& e, const lang::call_expr& c) {
  const auto* name = std::get_if<lang::name_ref>(&c.callee->node);
  const auto* fn = name ? math::find(name->name) : nullptr;
  if (!fn || c.args.empty()) return fallback(e);
  std::vector<const lang::expr*> items;
  for (const auto& a : c.args) {
    if (a.name) return fallback(e);
    items.push_back(a.value.get());
  }
  if (math::over_values(fn->f) && items.size() == 1) {
    const auto* l = std::get_if<lang::list_expr>(&items[0]->node);
    if (!l || l->items.empty()) return fallback(e);
    items.clear();
    for (const auto& i : l->items) items.push_back(i.get());
  } else if (!math::over_values(fn->f) && items.size() != 1) {
    return fallback(e);
  }
  double unit = 1;
  if (const auto* in = std::get_if<lang::convert_expr>(&items[0]->node); in && math::rounds(fn->f)) {
    auto parsed = reg_.units().parse(in->unit);
    const auto* u = std::get_if<unit_value>(&parsed);
    if (!u) return fallback(e);
    unit = u->factor;
  }
  std::vector<number_fn> values;
  for (const auto* i : items) values.push_back(number(*i));
  return math_call(fn->f, std::move(values), unit);
}

slack_fn compiler::requirement(const lang::expr& e) {
  using op = lang::binary_op;
  const auto* b = std::get_if<lang::binary_expr>(&e.node);
  if (b && (b->op == op::logical_and || b->op == op::logical_or)) {
    auto l = requirement(*b->lhs);
    auto r = requirement(*b->rhs);
    bool both = b->op == op::logical_and;
    return [l, r, both](const frame& f, double& slack, bool& met) {
      double s1 = 0, s2 = 0;
      bool m1 = false, m2 = false;
      l(f, s1, m1);
      r(f, s2, m2);
      // A part that is not computable (NaN slack) makes the whole not computable.
      if (!computable(s1) || !computable(s2)) {
        slack = nan;
        met = false;
        return;
      }
      met = operators::logical(both ? op::logical_and : op::logical_or, m1, m2);
      slack = both ? std::min(s1, s2) : std::max(s1, s2);
    };
  }
  if (b && (b->op == op::less || b->op == op::less_equal || b->op == op::greater || b->op == op::greater_equal)) {
    auto l = number(*b->lhs);
    auto r = number(*b->rhs);
    // The limit is the side that does not vary with the point (the right when both do).
    bool limit_left = depends(*b->rhs) && !depends(*b->lhs);
    bool upper = b->op == op::less || b->op == op::less_equal;
    return [l, r, limit_left, upper, which = b->op](const frame& f, double& slack, bool& met) {
      double x = l(f), y = r(f);
      if (!computable(x) || !computable(y)) {
        slack = nan;
        met = false;
        return;
      }
      met = operators::compare(which, x, y);
      double limit = std::abs(limit_left ? x : y);
      double scale = limit > 0 ? limit : std::max({std::abs(x), std::abs(y), 1e-300});
      slack = (upper ? y - x : x - y) / scale;
      // An honest infinity (an unstable queue's wait) against another or as
      // the limit: the slack is 0 when they are equal, else infinite.
      if (std::isnan(slack)) slack = x == y ? 0 : met ? inf : -inf;
    };
  }
  auto x = number(e);
  return [x](const frame& f, double& slack, bool& met) {
    double v = x(f);
    met = !std::isnan(v) && v != 0;
    slack = std::isnan(v) ? nan : met ? inf : -inf;
  };
}

}  // namespace ironlaw::runtime::search
