// `sensitivity(EXPR, wrt = [...], step = 10 %)`: the elasticity of a numeric
// expression with respect to named inputs, by central differences, sorted
// as a tornado table. A special form like `choose`: EXPR is re-evaluated
// with each input scaled by (1 - step) and (1 + step):
//   - an entity field (`H100_SXM.bandwidth`, `chat.rate`): a copy of the
//     entity with that field scaled, bound under the same name in a local
//     scope (the registry is never touched);
//   - a plain variable (`let b = 8`): the variable scaled in the local scope;
//   - a solver parameter (`bandwidth_efficiency`): scaled wherever a call in
//     EXPR reads it, given or defaulted (call_args::scale).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <span>

#include "evaluator.hpp"

namespace ironlaw::runtime::detail {
namespace {

// One `wrt` item, resolved.
struct input {
  enum class kind { variable, field, parameter };
  kind k = kind::variable;
  std::string text;                // as written: "H100_SXM.bandwidth"
  span where;
  std::string root;                // the name rebound (variable, field) or the parameter
  std::vector<std::string> path;   // fields below the root (field)
  value base;                      // the root's value (variable, field)
};

// Every name an expression reads, and every function it calls.
void collect(const lang::expr& e, std::vector<std::string>& names, std::vector<std::string>& calls) {
  auto sub = [&](const lang::expr_ptr& p) {
    if (p) collect(*p, names, calls);
  };
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, lang::name_ref>) names.push_back(n.name);
        else if constexpr (std::is_same_v<T, lang::string_literal>) {
          for (const auto& p : n.parts) sub(p.value);
        } else if constexpr (std::is_same_v<T, lang::list_expr>) {
          for (const auto& i : n.items) sub(i);
        } else if constexpr (std::is_same_v<T, lang::unary_expr>) sub(n.operand);
        else if constexpr (std::is_same_v<T, lang::binary_expr>) {
          sub(n.lhs);
          sub(n.rhs);
        } else if constexpr (std::is_same_v<T, lang::convert_expr>) sub(n.value);
        else if constexpr (std::is_same_v<T, lang::call_expr>) {
          if (const auto* f = std::get_if<lang::name_ref>(&n.callee->node)) calls.push_back(f->name);
          for (const auto& a : n.args) sub(a.value);
        } else if constexpr (std::is_same_v<T, lang::field_expr>) sub(n.object);
        else if constexpr (std::is_same_v<T, lang::range_expr>) {
          sub(n.from);
          sub(n.to);
          sub(n.step);
        } else if constexpr (std::is_same_v<T, lang::unit_apply>) sub(n.value);
        else if constexpr (std::is_same_v<T, lang::record_expr>) {
          for (const auto& f : n.fields) sub(f.value);
        } else if constexpr (std::is_same_v<T, lang::zoo_query>) sub(n.filter);
      },
      e.node);
}

bool contains(const std::vector<std::string>& xs, std::string_view x) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}

// `A.b.c` as a root name and a path, or nullopt when it is not a chain of names.
std::optional<std::vector<std::string>> dotted(const lang::expr& e) {
  if (const auto* n = std::get_if<lang::name_ref>(&e.node)) return std::vector<std::string>{n->name};
  if (const auto* f = std::get_if<lang::field_expr>(&e.node)) {
    auto head = dotted(*f->object);
    if (head) head->push_back(f->field);
    return head;
  }
  return std::nullopt;
}

// `v` with every quantity at `path` (or below it, for a record) multiplied by `factor`.
std::optional<value> scaled(const value& v, std::span<const std::string> path, double factor) {
  if (path.empty()) {
    if (const auto* q = v.as_quantity()) return value{quantity{q->si * factor, q->d}};
    const record* r = v.as_record();
    if (!r) return std::nullopt;
    auto copy = std::make_shared<record>(*r);
    bool any = false;
    for (auto& f : copy->fields) {
      if (!f.v.as_quantity()) continue;
      f.v = *scaled(f.v, {}, factor);
      any = true;
    }
    if (!any) return std::nullopt;
    return value{record_ptr(copy)};
  }
  const record* r = v.as_record();
  if (!r) return std::nullopt;
  auto copy = std::make_shared<record>(*r);
  for (auto& f : copy->fields) {
    if (f.name != path.front()) continue;
    auto inner = scaled(f.v, path.subspan(1), factor);
    if (!inner) return std::nullopt;
    f.v = *inner;
    return value{record_ptr(copy)};
  }
  return std::nullopt;
}

// The value at `path` below `v` (for the table's `value` column).
const value* at_path(const value& v, std::span<const std::string> path) {
  if (path.empty()) return &v;
  const record* r = v.as_record();
  const field* f = r ? r->find(path.front()) : nullptr;
  return f ? at_path(f->v, path.subspan(1)) : nullptr;
}

bool scalable_param(const builtin& fn, std::string_view name) {
  for (const auto& p : fn.params)
    if (p.name == name)
      return p.kind == param_kind::fraction || p.kind == param_kind::quantity;  // counts are mostly whole (batch, tp)
  return false;
}

// d ln y / d ln x from y at x (1 - h) and x (1 + h): in log space when the
// three outputs share a sign (exact for a power law y ~ x^k), else linear.
double elasticity(double low, double mid, double high, double h) {
  if (low == high) return 0;
  bool same_sign = (low > 0 && mid > 0 && high > 0) || (low < 0 && mid < 0 && high < 0);
  if (same_sign) return std::log(high / low) / std::log((1 + h) / (1 - h));
  return (high - low) / (2 * h * mid);
}

}  // namespace

std::optional<evaluated> evaluator::sensitivity(const lang::call_expr& c, span where) {
  auto fail = [&](std::string code, span at, std::string message, std::string help = {}) -> std::optional<evaluated> {
    error(std::move(code), at, std::move(message)).help = std::move(help);
    return std::nullopt;
  };
  // Arguments: EXPR first, then wrt and step by name or position.
  const lang::expr* expr = nullptr;
  const lang::expr* wrt = nullptr;
  const lang::expr* step_expr = nullptr;
  std::size_t position = 0;
  for (const auto& a : c.args) {
    std::string name = a.name ? *a.name : position == 0 ? "expr" : position == 1 ? "wrt" : position == 2 ? "step" : "";
    if (!a.name) ++position;
    const lang::expr** slot = name == "expr" ? &expr : name == "wrt" ? &wrt : name == "step" ? &step_expr : nullptr;
    if (!slot) {
      if (a.name)
        return fail("E0303", a.name_span, fmt::format("sensitivity has no parameter '{}'", name),
                    "its parameters are expr, wrt and step");
      return fail("E0302", a.value->where, "sensitivity takes at most 3 positional arguments",
                  "sensitivity(EXPR, wrt = [H100_SXM.bandwidth], step = 10 %)");
    }
    if (*slot) return fail("E0304", a.name ? a.name_span : a.value->where, fmt::format("sensitivity: argument '{}' is given twice", name));
    *slot = a.value.get();
  }
  if (!expr || !wrt)
    return fail("E0301", where, fmt::format("sensitivity: missing argument '{}'", expr ? "wrt" : "expr"),
                "sensitivity(decode(Llama3_8B, H100_SXM).itl, wrt = [H100_SXM.bandwidth, H100_SXM.peak])");

  double h = 0.1;
  if (step_expr) {
    auto s = eval_value(*step_expr);
    if (!s) return std::nullopt;
    const auto* q = s->v.as_quantity();
    if (!q || !q->d.dimensionless() || !(q->si > 0 && q->si < 1))
      return fail("E0301", step_expr->where,
                  fmt::format("sensitivity: step must be a fraction in (0, 1), not {}",
                              q && q->d.dimensionless() ? format_number(q->si) : describe(s->v)),
                  "write step = 10 % (each input moves by -10 % and +10 %)");
    h = q->si;
  }

  // The inputs, each resolved to a name the expression reads.
  std::vector<std::string> names, calls;
  collect(*expr, names, calls);
  std::vector<const lang::expr*> items;
  if (const auto* l = std::get_if<lang::list_expr>(&wrt->node)) {
    for (const auto& i : l->items) items.push_back(i.get());
  } else {
    items.push_back(wrt);
  }
  if (items.empty())
    return fail("E0301", wrt->where, "sensitivity: wrt is an empty list", "name the inputs, as in wrt = [H100_SXM.bandwidth]");
  std::vector<input> inputs;
  for (const auto* item : items) {
    input in;
    in.where = item->where;
    auto chain = dotted(*item);
    if (!chain)
      return fail("E1102", item->where, "sensitivity: an input must be a name or an entity field, as in H100_SXM.bandwidth",
                  "inputs are written as names, not computed");
    in.root = chain->front();
    in.path.assign(chain->begin() + 1, chain->end());
    in.text = in.root;
    for (const auto& p : in.path) in.text += "." + p;
    const value* v = nullptr;
    if (locals_)
      if (auto it = locals_->find(in.root); it != locals_->end()) v = &it->second;
    if (!v)
      if (auto it = globals_.find(in.root); it != globals_.end()) v = &it->second;
    record_ptr entry = v ? nullptr : reg_.find(in.root);
    if (entry) in.base = value{entry};
    else if (v) in.base = *v;
    bool resolved = v || entry;
    if (!resolved && in.path.empty()) {
      // A solver parameter: some call in the expression must take it.
      bool taken = false;
      for (const auto& name : calls)
        if (const builtin* fn = find_builtin(name); fn && scalable_param(*fn, in.root)) taken = true;
      std::string counted;
      for (const auto& name : calls)
        if (const builtin* fn = find_builtin(name))
          for (const auto& p : fn->params)
            if (p.name == in.root && p.kind == param_kind::count) counted = name;
      if (!taken && !counted.empty())
        return fail("E1102", item->where,
                    fmt::format("sensitivity: '{}' is a count parameter of {}, which cannot move by a fraction", in.root,
                                counted),
                    "perturb a continuous input (an entity field, an efficiency, a quantity)");
      if (!taken)
        return fail("E1102", item->where,
                    fmt::format("sensitivity: '{}' is not a variable, an entity or a numeric parameter of a call in "
                                "the expression",
                                in.root),
                    "inputs are variables (`let x = ...`), entity fields (H100_SXM.bandwidth) or parameters of "
                    "the solvers the expression calls (bandwidth_efficiency)");
      in.k = input::kind::parameter;
    } else if (!resolved) {
      return fail("E1102", item->where, fmt::format("sensitivity: unknown name '{}'", in.root));
    } else {
      in.k = in.path.empty() ? input::kind::variable : input::kind::field;
      if (const record* whole = in.path.empty() ? in.base.as_record() : nullptr) {
        std::string example = "bandwidth";
        for (const auto& f : whole->fields)
          if (f.v.as_quantity()) {
            example = f.name;
            break;
          }
        return fail("E1102", item->where,
                    fmt::format("sensitivity: {} is a whole {}; name one of its fields", in.root, whole->kind),
                    fmt::format("as in {}.{}", in.root, example));
      }
      if (!contains(names, in.root))
        return fail("E1102", item->where,
                    fmt::format("sensitivity: the expression does not read '{}', so it cannot depend on it", in.root),
                    "sensitivity re-evaluates the expression as written: put the call that uses it inside, "
                    "not a `let` result computed before");
      if (!scaled(in.base, in.path, 2)) {
        // The deepest record on the path, for "did you mean".
        const value* parent = &in.base;
        std::size_t depth = 0;
        while (depth + 1 < in.path.size() && at_path(*parent, std::span(in.path).subspan(depth, 1))) {
          parent = at_path(*parent, std::span(in.path).subspan(depth, 1));
          ++depth;
        }
        std::string help;
        if (const record* r = parent->as_record(); r && !in.path.empty() && !r->find(in.path[depth])) {
          std::vector<std::string> fields;
          for (const auto& f : r->fields)
            if (f.v.as_quantity() || f.v.as_record()) fields.push_back(f.name);
          help = did_you_mean(in.path[depth], fields, "its numeric fields are");
        } else if (in.path.empty() && in.base.as_record()) {
          help = fmt::format("name one of its fields, as in {}.bandwidth", in.root);
        }
        return fail("E1102", item->where, fmt::format("sensitivity: {} is not a number or a quantity", in.text), help);
      }
    }
    inputs.push_back(std::move(in));
  }

  // The base point, then each input at (1 - h) and (1 + h).
  auto base = eval_value(*expr);
  if (!base) return std::nullopt;
  const auto* y0 = base->v.as_quantity();
  if (!y0)
    return fail("E1101", expr->where, fmt::format("sensitivity needs a number or a quantity, not {}", describe(base->v)),
                "pick one result field, as in decode(Llama3_8B, H100_SXM).itl");
  if (y0->si == 0 || !std::isfinite(y0->si))
    return fail("E1101", expr->where,
                fmt::format("sensitivity: the expression is {} at the base point, so relative changes are undefined",
                            format_number(y0->si)));

  struct row {
    const input* in;
    double low = 0, high = 0, e = 0, seen = 0;
  };
  std::vector<row> rows;
  for (const auto& in : inputs) {
    row r{&in};
    r.seen = std::nan("");
    for (double sign : {-1.0, 1.0}) {
      double factor = 1 + sign * h;
      scope locals = locals_ ? *locals_ : scope{};
      lang::diagnostics inner;
      evaluator ev(reg_, globals_, source_, inner, &locals);
      ev.scales_ = scales_;
      if (in.k == input::kind::parameter) ev.scales_.push_back({in.root, factor, &r.seen});
      else locals[in.root] = *scaled(in.base, in.path, factor);
      auto y = ev.eval_value(*expr);
      const auto* q = y ? y->v.as_quantity() : nullptr;
      if (!q || inner.has_errors()) {
        std::string why = inner.items().empty() ? "it is not a quantity there" : inner.items().front().message;
        return fail("E1103", in.where,
                    fmt::format("sensitivity: the expression fails with {} x {}: {}", in.text, format_number(factor), why),
                    "whole-number inputs (batch, tp) cannot move by a fraction; perturb a continuous input");
      }
      (sign < 0 ? r.low : r.high) = q->si;
    }
    if (in.k == input::kind::parameter && std::isnan(r.seen))
      return fail("E1102", in.where, fmt::format("sensitivity: no call in the expression reads '{}' here", in.text),
                  "a solver that calls another (serving_fleet calls serve) does not pass the scale on; "
                  "call the solver that takes it directly");
    r.e = elasticity(r.low, y0->si, r.high, h);
    rows.push_back(r);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const row& a, const row& b) { return std::abs(a.e) > std::abs(b.e); });

  auto table = std::make_shared<list>();
  for (const auto& r : rows) {
    value x;
    dim xd;
    if (r.in->k == input::kind::parameter) {
      x = value{quantity{r.seen, {}}};
    } else if (const value* at = at_path(r.in->base, r.in->path); at && at->as_quantity()) {
      x = *at;
      xd = at->as_quantity()->d;
    } else {
      x = value{std::string("every field")};
    }
    double x0 = x.as_quantity() ? x.as_quantity()->si : 0;
    auto out = std::make_shared<record>();
    out->kind = "sensitivity";
    out->fields = {
        field{"input", value{r.in->text}, {}},
        field{"value", x, {}},
        field{"elasticity", value{quantity{r.e, {}}}, "d ln y / d ln x"},
        field{"low", value{quantity{r.low, y0->d}}, fmt::format("at {} x {}", r.in->text, format_number(1 - h))},
        field{"high", value{quantity{r.high, y0->d}}, fmt::format("at {} x {}", r.in->text, format_number(1 + h))},
    };
    if (x0 != 0)
      out->fields.push_back(field{"derivative", value{quantity{(r.high - r.low) / (2 * h * x0), y0->d / xd}}, "dy / dx"});
    else
      out->fields.push_back(field{"derivative", value{std::string("-")}, {}});
    table->push_back(value{record_ptr(out)});
  }
  return evaluated{value{list_ptr(table)}};
}

}  // namespace ironlaw::runtime::detail

namespace ironlaw::runtime::bindings {

// `sensitivity` is evaluated by the evaluator (it needs EXPR unevaluated);
// this entry gives it `ironlaw help`, completion and its place in the list
// of functions. Its invoke runs only where a call's arguments were already
// evaluated (a design's solver), which cannot work.
std::vector<builtin> sensitivity_form() {
  return {builtin{
      .name = "sensitivity",
      .summary = "Elasticities (d ln y / d ln x, central differences) of a numeric expression with respect to "
                 "named inputs, as a tornado table (largest first).",
      .params = {{.name = "expr", .kind = param_kind::count, .required = true,
                  .doc = "the expression, unevaluated: decode(Llama3_8B, H100_SXM).itl"},
                 {.name = "wrt", .kind = param_kind::count, .required = true,
                  .doc = "inputs: entity fields (H100_SXM.bandwidth), variables, solver parameters (bandwidth_efficiency)"},
                 {.name = "step", .kind = param_kind::fraction, .default_text = "10 %",
                  .doc = "each input moves by -step and +step"}},
      .results = {{.name = "", .kind = result_kind::entities,
                   .doc = "one row per input: input, value, elasticity, low, high, derivative"}},
      .invoke = [](call_args& args) -> std::optional<value> {
        args.error("", "sensitivity needs its expression unevaluated: call it directly, not as a design's solver");
        return std::nullopt;
      },
  }};
}

}  // namespace ironlaw::runtime::bindings
