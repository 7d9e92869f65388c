#include "operators.hpp"

#include <algorithm>
#include <cmath>

#include "ironlaw/runtime/interp/quantity.hpp"

namespace ironlaw::runtime::operators {

kind kind_of(binary_op op) {
  switch (op) {
    case binary_op::add:
    case binary_op::subtract:
    case binary_op::multiply:
    case binary_op::divide:
    case binary_op::power:
      return kind::arithmetic;
    case binary_op::logical_and:
    case binary_op::logical_or:
      return kind::logical;
    default:
      return kind::comparison;
  }
}

number_result arithmetic(binary_op op, double a, double b) {
  double r = 0;
  bool from_nonzero_factors = false;  // an exact 0 from these is an underflow
  switch (op) {
    case binary_op::add:
      r = a + b;
      break;
    case binary_op::subtract:
      r = a - b;
      break;
    case binary_op::multiply:
      r = a * b;
      from_nonzero_factors = a != 0 && b != 0;
      break;
    case binary_op::divide:
      r = a / b;
      if (b == 0) return {r, outcome::division_by_zero};
      from_nonzero_factors = a != 0;
      break;
    case binary_op::power:
      r = std::pow(a, b);
      if (a == 0 && b < 0) return {r, outcome::division_by_zero};
      from_nonzero_factors = a != 0;
      break;
    default:
      return {std::nan(""), outcome::not_a_number};  // not an arithmetic operator
  }
  switch (edge_of(r, from_nonzero_factors)) {
    case numeric_edge::overflow:
      return {r, outcome::overflow};
    case numeric_edge::underflow:
      return {r, outcome::underflow};
    case numeric_edge::not_a_number:
      return {r, outcome::not_a_number};
    default:
      return {r, outcome::ok};
  }
}

bool compare(binary_op op, double a, double b) {
  switch (op) {
    case binary_op::equal:
      return a == b;
    case binary_op::not_equal:
      return a != b;
    case binary_op::less:
      return a < b;
    case binary_op::less_equal:
      return a <= b;
    case binary_op::greater:
      return a > b;
    case binary_op::greater_equal:
      return a >= b;
    case binary_op::approx:
      return std::abs(a - b) <= approx_tolerance * std::max(std::abs(a), std::abs(b));
    default:
      return false;
  }
}

bool logical(binary_op op, bool a, bool b) { return op == binary_op::logical_and ? a && b : a || b; }

double sign(unary_op op, double x) { return op == unary_op::negate ? -x : x; }

}  // namespace ironlaw::runtime::operators
