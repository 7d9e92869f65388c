#include "ironlaw/runtime/interp/value.hpp"

#include "ironlaw/runtime/interp/evaluated.hpp"

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

}  // namespace ironlaw::runtime
