// `ironlaw calibrate FILE [--format table|json]`: the scenario is checked
// (every statement evaluated once, designs at one point), and each `measured`
// statement's residual and the efficiency it implies are reported, with the
// median per efficiency (docs/accuracy.md, "Calibrating your own
// measurements"). Exit 0; 1 on a diagnostic or a file with no measurement.
#include <fmt/format.h>

#include <ostream>

#include "../calibrate/calibration.hpp"
#include "cli_support.hpp"
#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"

namespace ironlaw::runtime::cli {

int cmd_calibrate(const options& o, cli_streams& io) {
  std::string format = o.values.count("--format") ? o.values.at("--format") : "table";
  if (format != "table" && format != "json")
    throw usage_error{fmt::format("--format takes table or json, not '{}'", format)};
  if (o.positional.size() != 1) throw usage_error{"calibrate takes one file"};
  const auto& path = o.positional.front();
  registry user(unit_table::builtin());
  const auto& reg = load_registry(o, user, io);
  lang::diagnostics diags;
  std::string text;
  if (!read_file(path, text, diags)) {
    report(diags, o, io);
    return 1;
  }
  auto source = std::make_shared<const lang::source_file>(path, std::move(text));
  lang::program program;
  interpreter interp(reg);
  if (lang::parse_program(source, program, diags).ok) interp.check(program, diags);
  if (!diags.has_errors() && !interp.calibration()) {
    lang::diagnostic d;
    d.code = "E1304";
    d.source = source;
    d.message = fmt::format("'{}' has no `measured` statement to calibrate from", path);
    d.help = "add one, as in: measured decode(Llama3_8B, H100_SXM, batch = 8).itl = 6.1 ms";
    diags.add(std::move(d));
  }
  if (diags.has_errors()) {
    report(diags, o, io);
    return 1;
  }
  io.out << calibrate::render(path, *interp.calibration(), reg, format);
  return 0;
}

}  // namespace ironlaw::runtime::cli
