#include "ironlaw/runtime/value.hpp"

namespace ironlaw::runtime {

std::string describe(const value& v) {
  struct visitor {
    std::string operator()(std::monostate) const { return "nothing"; }
    std::string operator()(const quantity& q) const {
      return q.d.dimensionless() ? "a plain number" : "a quantity of " + runtime::describe(q.d);
    }
    std::string operator()(bool) const { return "a boolean"; }
    std::string operator()(const std::string&) const { return "a string"; }
    std::string operator()(const symbol& s) const { return "the word '" + s.name + "'"; }
    std::string operator()(const record_ptr& r) const {
      if (!r->name.empty()) return "the " + r->kind + " " + r->name;
      return "a " + r->kind + " result";
    }
    std::string operator()(const list_ptr&) const { return "a list"; }
  };
  return std::visit(visitor{}, v.v);
}

}  // namespace ironlaw::runtime
