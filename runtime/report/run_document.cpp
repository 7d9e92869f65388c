#include "run_document.hpp"

#include <fmt/format.h>

#include <cmath>

#include "ironlaw/lang/text_formats.hpp"

namespace ironlaw::runtime::report {
namespace {

using lang::json_string;

std::string json_number(double x) { return std::isfinite(x) ? fmt::format("{}", x) : "null"; }

std::string quantity_json(const quantity& q, const std::string& text) {
  return fmt::format(R"({{"type": "quantity", "value": {}, "unit": {}, "dimension": {}, "text": {}}})", json_number(q.si),
                     json_string(base_unit_text(q.d)), json_string(describe(q.d)), json_string(text));
}

std::string at_json(const statement_at& at) {
  return fmt::format(R"("file": {}, "line": {})", json_string(at.file), at.line);
}

// A multi-line JSON text nested at `indent` spaces: every line after the first shifted.
std::string nested(const std::string& json, std::size_t indent) {
  std::string out;
  for (char c : json.substr(0, json.find_last_not_of('\n') + 1)) {
    out += c;
    if (c == '\n') out += std::string(indent, ' ');
  }
  return out;
}

}  // namespace

std::string value_json(const value& v, const unit_table& units, bool top) {
  struct visitor {
    const unit_table& units;
    bool top;
    std::string operator()(std::monostate) const { return R"({"type": "nothing"})"; }
    std::string operator()(const quantity& q) const { return quantity_json(q, units.format(q)); }
    std::string operator()(bool b) const {
      return fmt::format(R"({{"type": "boolean", "value": {}}})", b ? "true" : "false");
    }
    std::string operator()(const std::string& s) const {
      return fmt::format(R"({{"type": "string", "value": {}}})", json_string(s));
    }
    std::string operator()(const symbol& s) const {
      return fmt::format(R"({{"type": "word", "value": {}}})", json_string(s.name));
    }
    std::string operator()(const list_ptr& l) const {
      std::string out = R"({"type": "list", "items": [)";
      for (std::size_t i = 0; i < l->size(); ++i) out += (i ? ", " : "") + value_json((*l)[i], units, false);
      return out + "]}";
    }
    std::string operator()(const record_ptr& r) const {
      // An entity inside another value is a reference, as the text prints it: its name.
      bool entity = !r->name.empty();
      std::string out = entity ? fmt::format(R"({{"type": "entity", "kind": {}, "name": {})", json_string(r->kind),
                                             json_string(r->name))
                               : fmt::format(R"({{"type": "record", "kind": {})", json_string(r->kind));
      if (entity && !top) return out + "}";
      out += R"(, "fields": {)";
      for (std::size_t i = 0; i < r->fields.size(); ++i) {
        const auto& f = r->fields[i];
        auto shown = value_json(f.v, units, false);
        if (!f.note.empty()) shown = shown.substr(0, shown.size() - 1) + R"(, "note": )" + json_string(f.note) + "}";
        out += fmt::format("{}{}: {}", i ? ", " : "", json_string(f.name), shown);
      }
      return out + "}}";
    }
  };
  return std::visit(visitor{units, top}, v.v);
}

std::string evaluated_json(const evaluated& e, const unit_table& units) {
  const auto* q = e.v.as_quantity();
  std::string out = q && e.shown_in ? quantity_json(*q, unit_table::format_in(*q, *e.shown_in, e.shown_in_text))
                                    : value_json(e.v, units);
  if (e.note.empty()) return out;
  return out.substr(0, out.size() - 1) + R"(, "note": )" + json_string(e.note) + "}";
}

void run_document::scenario(const std::string& title) {
  title_ = title;
  titled_ = true;
  items_.push_back(fmt::format(R"({{"kind": "scenario", "title": {}}})", json_string(title)));
}

void run_document::values(std::string_view kind, const statement_at& at, const std::string& text,
                          const std::vector<evaluated>& vs) {
  std::string list;
  for (const auto& e : vs) list += (list.empty() ? "" : ", ") + evaluated_json(e, *units_);
  items_.push_back(fmt::format(R"({{"kind": {}, {}, "text": {}, "values": [{}]}})", json_string(kind), at_json(at),
                               json_string(text), list));
}

void run_document::requirement(const statement_at& at, const std::string& condition, const std::string& text, bool met,
                               const evaluated* lhs, const evaluated* rhs) {
  ++(met ? met_ : not_met_);
  std::string sides = lhs && rhs ? fmt::format(R"(, "lhs": {}, "rhs": {})", evaluated_json(*lhs, *units_),
                                               evaluated_json(*rhs, *units_))
                                 : "";
  items_.push_back(fmt::format(R"({{"kind": "requirement", {}, "condition": {}, "met": {}, "text": {}{}}})", at_json(at),
                               json_string(condition), met ? "true" : "false", json_string(text), sides));
}

void run_document::measured(const statement_at& at, const std::string& expression, const quantity& predicted,
                            const quantity& measured, double error_percent, const std::string& text) {
  items_.push_back(fmt::format(
      R"({{"kind": "measured", {}, "expression": {}, "predicted": {}, "measured": {}, "error_percent": {}, "text": {}}})",
      at_json(at), json_string(expression), quantity_json(predicted, units_->format(predicted)),
      quantity_json(measured, units_->format(measured)), json_number(error_percent), json_string(text)));
}

void run_document::design(const statement_at& at, const design_report& r) {
  ++designs_;
  if (r.feasible == 0) ++infeasible_designs_;
  items_.push_back(fmt::format(R"({{"kind": "design", {}, "feasible": {}, "report": {}}})", at_json(at), r.feasible,
                               nested(to_json(r), 4)));
}

std::string run_document::render(std::string_view command, const std::vector<std::string>& files,
                                 const std::string& diagnostics_json, int exit_code) const {
  std::string names;
  for (const auto& f : files) names += (names.empty() ? "" : ", ") + json_string(f);
  std::string out = fmt::format("{{\n  \"ironlaw\": {},\n  \"version\": {},\n  \"files\": [{}],\n  \"scenario\": {},\n",
                                json_string(command), json_schema_version, names, titled_ ? json_string(title_) : "null");
  out += "  \"items\": [";
  for (std::size_t i = 0; i < items_.size(); ++i) out += (i ? ",\n    " : "\n    ") + items_[i];
  out += items_.empty() ? "],\n" : "\n  ],\n";
  out += fmt::format(
      "  \"summary\": {{\"requirements_met\": {}, \"requirements_not_met\": {}, \"designs\": {}, "
      "\"designs_without_feasible\": {}}},\n",
      met_, not_met_, designs_, infeasible_designs_);
  out += fmt::format("  \"diagnostics\": {},\n  \"exit_code\": {}\n}}\n", diagnostics_json, exit_code);
  return out;
}

std::string eval_document(const std::string& expression, const evaluated* e, const std::string& text,
                          const unit_table& units, const std::string& diagnostics_json, int exit_code) {
  return fmt::format(
      "{{\n  \"ironlaw\": \"eval\",\n  \"version\": {},\n  \"expression\": {},\n  \"value\": {},\n  \"text\": {},\n"
      "  \"diagnostics\": {},\n  \"exit_code\": {}\n}}\n",
      json_schema_version, json_string(expression), e ? evaluated_json(*e, units) : "null",
      e ? json_string(text) : "null", diagnostics_json, exit_code);
}

}  // namespace ironlaw::runtime::report
