// Output: the report printed in the chosen format, and `--out DIR`: the full
// CSV of feasible designs (streamed by the search), the table, JSON and SVG.
#include <ostream>
#include <set>

#include "../report/run_document.hpp"
#include "design_phases.hpp"

namespace ironlaw::runtime::search {

bool design_output::failed(const files::problem& p) {
  diags_.error(p.code, source_, d_.name_span, p.message).help = p.help;
  ctx_.globals[d_.name] = value{};  // as after E0601: later reads stay silent, not the representative point
  return false;
}

bool design_output::open(const std::string& csv_header, engine_config& config) {
  if (ctx_.options.out_dir.empty()) return true;
  const auto& name = d_.name;
  const std::set<std::string> names = {name + ".csv", name + ".txt", name + ".json", name + ".svg"};
  if (auto p = dir_.open(ctx_.options.out_dir, ctx_.options.force)) return failed(*p);
  for (const auto& file : names)
    if (auto p = dir_.may_write(file)) return failed(*p);
  if (auto p = dir_.record(names)) return failed(*p);
  if (auto p = csv_.open(dir_.path_of(name + ".csv"), files::existing::replace)) return failed(*p);
  csv_.stream() << csv_header;
  config.rows = &csv_.stream();
  return true;
}

bool design_output::finish(std::ostream& out, const report::design_report& rep) {
  const auto& f = ctx_.options.format;
  if (!ctx_.options.plot.empty() && ctx_.options.plotted)
    ctx_.options.plotted(d_.name, ctx_.options.plot == "roofline" ? report::to_roofline_svg(rep) : report::to_svg(rep));
  else if (ctx_.document) ctx_.document->design({source_->name(), source_->position(d_.name_span.begin).line}, rep);
  else out << (f == "csv" ? report::to_csv(rep) : f == "json" ? report::to_json(rep) : f == "md" ? report::to_markdown(rep) : report::to_table(rep));
  if (ctx_.options.out_dir.empty()) return true;
  if (auto p = csv_.commit()) return failed(*p);
  auto write = [&](const std::string& ext, const std::string& text) {
    auto p = files::write_atomic(dir_.path_of(d_.name + ext), text, files::existing::replace);
    return !p || failed(*p);
  };
  return write(".txt", report::to_table(rep)) && write(".json", report::to_json(rep)) && write(".svg", report::to_svg(rep));
}

}  // namespace ironlaw::runtime::search
