// `ironlaw validate [FILE...] [--category C] [--format table|csv|json|md] [--dir DIR]`:
// predictions against published measurements (docs/accuracy.md). Exit 3 when
// a category's error is above its bound in validation/bounds.toml.
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "cli_support.hpp"
#include "ironlaw/runtime/interp/suggest.hpp"
#include "../validate/validation.hpp"

namespace ironlaw::runtime::cli {

int cmd_validate(const options& o, cli_streams& io) {
  namespace v = validate;
  std::string format = o.values.count("--format") ? o.values.at("--format") : "table";
  if (format != "table" && format != "csv" && format != "json" && format != "md")
    throw usage_error{fmt::format("--format takes table, csv, json or md, not '{}'", format)};
  std::string category = o.values.count("--category") ? o.values.at("--category") : "";
  if (!category.empty() && std::find(v::categories().begin(), v::categories().end(), category) == v::categories().end()) {
    auto near = suggest(category, v::categories());
    throw usage_error{fmt::format("no category '{}'; {}", category,
                                  near.empty() ? "the categories are " + join_alternatives(v::categories())
                                               : "did you mean " + join_alternatives(near) + "?")};
  }
  if (o.values.count("--dir") && !o.positional.empty()) throw usage_error{"validate takes --dir DIR or files, not both"};

  registry user(unit_table::builtin());
  const auto& reg = load_registry(o, user, io);
  lang::diagnostics diags;
  v::validation_set set;
  std::string origin = "validation/ (embedded)";
  if (o.values.count("--dir")) {
    origin = o.values.at("--dir");
    set = v::load_directory(origin, diags);
  } else if (!o.positional.empty()) {
    origin = join_alternatives(o.positional);
    for (const auto& path : o.positional) {
      std::string text;
      if (read_file(path, text, diags)) v::load_file(std::make_shared<const lang::source_file>(path, std::move(text)), set, diags);
    }
  } else {
    set = v::load_embedded(diags);
  }
  if (!category.empty()) {
    std::erase_if(set.cases, [&](const v::validation_case& c) { return c.category != category; });
    std::erase_if(set.bounds, [&](const v::error_bound& b) { return b.category != category; });
  }
  auto outcomes = v::evaluate(set, reg, diags);
  if (diags.has_errors()) {
    report(diags, o, io);
    return 1;
  }
  auto groups = v::summarize(outcomes);
  auto fits = v::fit_efficiencies(outcomes, reg);
  auto violations = v::check_bounds(set, groups);
  io.out << v::render({&set, &outcomes, &groups, &fits, &violations, origin}, format);
  return violations.empty() ? 0 : 3;
}

}  // namespace ironlaw::runtime::cli
