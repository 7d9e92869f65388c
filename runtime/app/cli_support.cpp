#include "cli_support.hpp"

#include "../io/file_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace ironlaw::runtime::cli {

options parse_options(const std::vector<std::string>& args, std::size_t first, const std::vector<std::string>& flags,
                      const std::vector<std::string>& valued) {
  options o;
  if (const char* path = std::getenv("IRONLAW_PATH"); path && *path) {
    std::stringstream dirs(path);
    for (std::string d; std::getline(dirs, d, ':');)
      if (!d.empty()) o.registry_dirs.push_back(d);
  }
  for (std::size_t i = first; i < args.size(); ++i) {
    const auto& a = args[i];
    auto value_of = [&](std::string_view flag) -> std::string {
      if (i + 1 >= args.size()) throw usage_error{fmt::format("{} needs a value", flag)};
      return args[++i];
    };
    if (a == "--diagnostics") {
      auto v = value_of(a);
      if (v == "human") o.format = diag_format::human;
      else if (v == "short") o.format = diag_format::short_form;
      else if (v == "json") o.format = diag_format::json;
      else throw usage_error{fmt::format("--diagnostics takes human, short or json, not '{}'", v)};
    } else if (a == "--registry") {
      o.registry_dirs.push_back(value_of(a));
    } else if (std::find(flags.begin(), flags.end(), a) != flags.end()) {
      o.flags.insert(a);
    } else if (std::find(valued.begin(), valued.end(), a) != valued.end()) {
      o.values[a] = value_of(a);
    } else if (a.size() > 1 && a[0] == '-' && a[1] == '-') {
      throw usage_error{fmt::format("unknown option '{}'", a)};
    } else {
      o.positional.push_back(a);
    }
  }
  return o;
}

void report(const lang::diagnostics& diags, const options& o, cli_streams& io) {
  if (o.format == diag_format::json) {
    io.err << lang::render_json(diags.items()) << "\n";
    return;
  }
  for (const auto& d : diags.items())
    io.err << (o.format == diag_format::short_form ? lang::render_short(d) + "\n" : lang::render_human(d, io.color));
  if (diags.truncated()) io.err << fmt::format("(more errors not shown: {} in all)\n", diags.error_count());
  else if (diags.stopped()) io.err << fmt::format("(stopped after {} errors)\n", diags.error_count());
}

const registry& load_registry(const options& o, registry& user, cli_streams& io) {
  if (o.registry_dirs.empty()) return registry::embedded();
  user = registry::embedded();
  for (const auto& dir : o.registry_dirs) user.add_directory(dir);
  for (const auto& p : user.problems()) io.err << "warning: registry: " << p << "\n";
  return user;
}

bool read_file(const std::string& path, std::string& text) { return !files::read_regular(path, text); }

bool read_file(const std::string& path, std::string& text, lang::diagnostics& diags) {
  auto problem = files::read_regular(path, text);
  if (!problem) return true;
  diags.add(files::to_diagnostic(*problem));
  return false;
}

}  // namespace ironlaw::runtime::cli
