// Per category and split: the median and worst |error| and the bottleneck
// score; the efficiencies the calibration split would fit; the bounds check.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "validation.hpp"

namespace ironlaw::runtime::validate {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::optional<double> solve_efficiency(const std::function<std::optional<double>(double)>& residual) {
  double lo = 0.02, hi = 1.0;
  auto f_lo = residual(lo), f_hi = residual(hi);
  if (!f_lo || !f_hi || (*f_lo > 0) == (*f_hi > 0)) return std::nullopt;
  for (int i = 0; i < 30; ++i) {  // 2^-30: far below the figures' precision
    double mid = (lo + hi) / 2;
    auto f_mid = residual(mid);
    if (!f_mid) return std::nullopt;
    if ((*f_mid > 0) == (*f_lo > 0)) {
      lo = mid;
      f_lo = f_mid;
    } else {
      hi = mid;
    }
  }
  return (lo + hi) / 2;
}

namespace {

// A copy of `reg` whose efficiency `regime.field` is `x`: the other fields of
// that regime are kept, written back as TOML (the loader's only door).
registry with_efficiency(const registry& reg, const std::string& regime, const std::string& field, double x) {
  std::string text = fmt::format("[{}]\n", regime);
  if (const record* r = reg.efficiency(regime)) {
    for (const auto& f : r->fields) {
      const auto* q = f.v.as_quantity();
      if (!q || f.name == field) continue;
      if (q->d == dim{}) text += fmt::format("{} = {}\n", f.name, q->si);
      else if (q->d == dim::of(base_dim::time)) text += fmt::format("{} = \"{} s\"\n", f.name, q->si);  // an overhead
    }
  }
  text += fmt::format("{} = {}\n", field, x);
  registry copy = reg;
  copy.add_file("efficiency.toml", text);
  return copy;
}

// The value of the efficiency at which the case's prediction equals its
// reported value: bisection, the prediction being monotone in an efficiency.
std::optional<double> solve(const validation_case& c, double reported, const registry& reg, const std::string& regime,
                            const std::string& field) {
  return solve_efficiency([&](double x) -> std::optional<double> {
    lang::diagnostics ignored;
    auto p = predict(c, with_efficiency(reg, regime, field, x), ignored);
    if (!p) return std::nullopt;
    return p->si / reported - 1;
  });
}

}  // namespace

std::vector<group_summary> summarize(const std::vector<outcome>& outcomes) {
  std::map<std::pair<std::string, std::string>, std::vector<const outcome*>> groups;
  for (const auto& o : outcomes) {
    if (!o.ok) continue;
    groups[{o.c->category, o.c->split}].push_back(&o);
    groups[{o.c->category, "all"}].push_back(&o);
  }
  std::vector<group_summary> out;
  for (const auto& category : categories()) {
    for (const char* split : {"calibration", "holdout", "all"}) {
      auto it = groups.find({category, split});
      if (it == groups.end()) continue;
      group_summary g{category, split, it->second.size()};
      std::vector<double> errors;
      for (const auto* o : it->second) {
        errors.push_back(std::abs(o->error_percent));
        if (o->c->bottleneck && !o->predicted_bottleneck.empty()) {
          ++g.bottleneck_stated;
          g.bottleneck_right += o->c->bottleneck->text == o->predicted_bottleneck ? 1 : 0;
        }
      }
      g.median_abs = median(errors);
      g.worst_abs = *std::max_element(errors.begin(), errors.end());
      std::vector<double> before;
      for (const auto* o : it->second)
        if (o->before_error_percent) before.push_back(std::abs(*o->before_error_percent));
      if (!before.empty()) {
        g.before_cases = before.size();
        g.before_median_abs = median(before);
        g.before_worst_abs = *std::max_element(before.begin(), before.end());
      }
      out.push_back(g);
    }
  }
  return out;
}

std::vector<efficiency_fit> fit_efficiencies(const std::vector<outcome>& outcomes, const registry& reg) {
  std::map<std::string, efficiency_fit> fits;
  for (const auto& o : outcomes)
    if (o.ok && o.c->calibrates && o.c->split == "calibration") fits[*o.c->calibrates].key = *o.c->calibrates;
  std::vector<efficiency_fit> out;
  for (auto& [key, fit] : fits) {
    auto dot = key.find('.');
    std::string regime = key.substr(0, dot), field = key.substr(dot + 1);
    const record* r = reg.efficiency(regime);
    const quantity* now = r ? r->quantity_of(field) : nullptr;
    if (!now) continue;  // names no registry value: nothing to fit
    fit.registry_value = now->si;
    std::vector<const outcome*> holdout;
    for (const auto& o : outcomes) {
      if (!o.ok || o.c->calibrates != key) continue;
      if (o.c->split == "holdout") {
        holdout.push_back(&o);
        continue;
      }
      if (auto x = solve(*o.c, o.reported_si, reg, regime, field)) fit.per_case.push_back(*x);
      else ++fit.out_of_reach;
    }
    if (fit.per_case.empty()) continue;
    fit.fitted = median(fit.per_case);
    // What the fitted value would do to the holdout cases: reported, not tuned to.
    auto fitted_reg = with_efficiency(reg, regime, field, fit.fitted);
    std::vector<double> now_errors, fitted_errors;
    for (const auto* o : holdout) {
      lang::diagnostics ignored;
      auto p = predict(*o->c, fitted_reg, ignored);
      if (!p) continue;
      now_errors.push_back(std::abs(o->error_percent));
      fitted_errors.push_back(std::abs((p->si - o->reported_si) / o->reported_si * 100));
    }
    fit.holdout_cases = now_errors.size();
    fit.holdout_median_now = median(now_errors);
    fit.holdout_median_fitted = median(fitted_errors);
    out.push_back(std::move(fit));
  }
  return out;
}

std::vector<bound_violation> check_bounds(const validation_set& set, const std::vector<group_summary>& groups) {
  std::vector<bound_violation> out;
  for (const auto& b : set.bounds)
    for (const auto& g : groups) {
      if (g.category != b.category || g.split != "all") continue;
      if (g.median_abs > b.median) out.push_back({b.category, "median", g.median_abs, b.median});
      if (g.worst_abs > b.worst) out.push_back({b.category, "worst", g.worst_abs, b.worst});
    }
  return out;
}

}  // namespace ironlaw::runtime::validate
