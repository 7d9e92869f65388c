// Node heights, kept as the parser builds the tree (see expr::height).
#include <algorithm>

#include "ironlaw/lang/ast.hpp"

namespace ironlaw::lang {
namespace {

struct tallest_child {
  std::uint32_t max = 0;
  void operator()(const expr_ptr& e) {
    if (e) max = std::max(max, e->height);
  }
  void operator()(const number_literal&) {}
  void operator()(const bool_literal&) {}
  void operator()(const name_ref&) {}
  void operator()(const string_literal& s) {
    for (const auto& part : s.parts) (*this)(part.value);
  }
  void operator()(const list_expr& l) {
    for (const auto& item : l.items) (*this)(item);
  }
  void operator()(const unary_expr& u) { (*this)(u.operand); }
  void operator()(const binary_expr& b) {
    (*this)(b.lhs);
    (*this)(b.rhs);
  }
  void operator()(const convert_expr& c) { (*this)(c.value); }
  void operator()(const call_expr& c) {
    (*this)(c.callee);
    for (const auto& a : c.args) (*this)(a.value);
  }
  void operator()(const field_expr& f) { (*this)(f.object); }
  void operator()(const range_expr& r) {
    (*this)(r.from);
    (*this)(r.to);
    (*this)(r.step);
  }
  void operator()(const unit_apply& u) { (*this)(u.value); }
  void operator()(const record_expr& r) {
    for (const auto& f : r.fields) (*this)(f.value);
  }
  void operator()(const zoo_query& z) { (*this)(z.filter); }
};

}  // namespace

std::uint32_t height_over_children(const expr& e) {
  tallest_child t;
  std::visit(t, e.node);
  return t.max + 1;
}

}  // namespace ironlaw::lang
