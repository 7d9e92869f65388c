#pragma once
// The values a design axis takes: a list, or a long range of whole numbers
// kept as its first value, step and count (`batch in 1 .. 1000000` costs
// three numbers, not a million values: a search's memory does not follow its
// space). A range's k-th value is first + k x step, exactly the running sum
// the evaluator would have made, since whole numbers below 2^53 add exactly.
#include <cstddef>
#include <vector>

#include "ironlaw/runtime/interp/value.hpp"

namespace ironlaw::runtime {

class axis_domain {
 public:
  axis_domain() = default;
  explicit axis_domain(std::vector<value> values) : values_(std::move(values)) {}
  static axis_domain whole_range(double first, double step, std::size_t count, dim d) {
    axis_domain a;
    a.range_ = true;
    a.first_ = first;
    a.step_ = step;
    a.count_ = count;
    a.d_ = d;
    return a;
  }

  [[nodiscard]] bool is_range() const { return range_; }
  [[nodiscard]] std::size_t size() const { return range_ ? count_ : values_.size(); }
  [[nodiscard]] bool empty() const { return size() == 0; }
  // The k-th value's number (a range's only).
  [[nodiscard]] double number_at(std::size_t k) const { return first_ + static_cast<double>(k) * step_; }
  [[nodiscard]] value at(std::size_t k) const { return range_ ? value{quantity{number_at(k), d_}} : values_[k]; }
  [[nodiscard]] value front() const { return at(0); }
  [[nodiscard]] value back() const { return at(size() - 1); }
  // A list's values (empty for a range).
  [[nodiscard]] const std::vector<value>& listed() const { return values_; }
  // Whether every value passes `ok`. A range's values are alike (quantities
  // of one dimension, whole, ascending): its two ends stand for it.
  template <typename Ok>
  [[nodiscard]] bool all_of(Ok ok) const {
    if (range_) return empty() || (ok(front()) && ok(back()));
    for (const auto& v : values_)
      if (!ok(v)) return false;
    return true;
  }

 private:
  std::vector<value> values_;
  bool range_ = false;
  double first_ = 0, step_ = 1;
  std::size_t count_ = 0;
  dim d_;
};

}  // namespace ironlaw::runtime
