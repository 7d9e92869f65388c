#include "ironlaw/runtime/cli.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <ostream>
#include <sstream>

#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/builtins.hpp"
#include "ironlaw/runtime/eval.hpp"
#include "ironlaw/runtime/registry.hpp"

namespace ironlaw::runtime {
namespace {

constexpr const char* usage_text = R"(ironlaw: first-principles performance models of ML systems

Usage:
  ironlaw eval 'EXPR'        evaluate one expression and print it with its unit
  ironlaw run FILE           run a scenario file
  ironlaw check FILE...      parse only; print diagnostics
  ironlaw zoo [KIND]         list the registry: hardware, models, nodes, fabrics, regions
  ironlaw help [FUNCTION]    this text, or a function's parameters
  ironlaw version

Options:
  --diagnostics human|short|json   how errors are printed (default: human)
  --registry DIR                   add registry entries from DIR (also $IRONLAW_PATH)

Examples:
  ironlaw eval '16 GB / 40 ms in GB/s'
  ironlaw eval 'decode(Llama3_8B, H100_SXM, batch = 1).itl_bound'
)";

enum class diag_format { human, short_form, json };

struct options {
  diag_format format = diag_format::human;
  std::vector<std::string> registry_dirs;
  std::vector<std::string> positional;
};

struct usage_error {
  std::string message;
};

options parse_options(const std::vector<std::string>& args, std::size_t first) {
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
}

// The embedded registry, plus user directories when given.
const registry& load_registry(const options& o, registry& user, cli_streams& io) {
  if (o.registry_dirs.empty()) return registry::embedded();
  user = registry::embedded();
  for (const auto& dir : o.registry_dirs) user.add_directory(dir);
  for (const auto& p : user.problems()) io.err << "warning: registry: " << p << "\n";
  return user;
}

bool read_file(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return true;
}

int cmd_eval(const options& o, cli_streams& io) {
  if (o.positional.size() != 1) throw usage_error{"eval takes one expression: ironlaw eval '16 GB / 40 ms'"};
  registry user(unit_table::builtin());
  const auto& reg = load_registry(o, user, io);
  auto source = std::make_shared<const lang::source_file>("<eval>", o.positional[0]);
  lang::diagnostics diags;
  lang::expr_ptr e;
  auto status = lang::parse_expression(source, e, diags);
  if (status.ok) {
    interpreter interp(reg);
    if (auto v = interp.evaluate(*e, source, diags); v && !diags.has_errors()) {
      io.out << interp.show(*v) << "\n";
      return 0;
    }
  }
  report(diags, o, io);
  return 1;
}

int cmd_run(const options& o, cli_streams& io, bool check_only) {
  if (o.positional.empty()) throw usage_error{check_only ? "check takes one or more files" : "run takes a file"};
  if (!check_only && o.positional.size() != 1) throw usage_error{"run takes one file"};
  registry user(unit_table::builtin());
  const auto& reg = load_registry(o, user, io);
  lang::diagnostics diags;
  bool ok = true;
  for (const auto& path : o.positional) {
    std::string text;
    if (!read_file(path, text)) {
      lang::diagnostic d;
      d.code = "E0004";
      d.message = fmt::format("cannot read '{}'", path);
      diags.add(std::move(d));
      ok = false;
      continue;
    }
    auto source = std::make_shared<const lang::source_file>(path, std::move(text));
    lang::program program;
    auto status = lang::parse_program(source, program, diags);
    ok = status.ok && ok;
    if (!check_only && status.ok) {
      interpreter interp(reg);
      ok = interp.run(program, io.out, diags) && ok;
    }
  }
  report(diags, o, io);
  return ok && !diags.has_errors() ? 0 : 1;
}

// `zoo models` and `zoo model` both work; the folder names are the plurals.
std::string_view kind_from_word(std::string_view word) {
  for (std::string_view folder : {"hardware", "models", "nodes", "fabrics", "regions"}) {
    auto kind = kind_of_folder(folder);
    if (word == folder || word == kind) return kind;
  }
  return {};
}

int cmd_zoo(const options& o, cli_streams& io) {
  registry user(unit_table::builtin());
  const auto& reg = load_registry(o, user, io);
  std::string_view kind;
  if (!o.positional.empty()) {
    kind = kind_from_word(o.positional[0]);
    if (kind.empty())
      throw usage_error{fmt::format("zoo lists hardware, models, nodes, fabrics or regions, not '{}'", o.positional[0])};
  }
  for (const auto& name : reg.names(kind)) {
    auto r = reg.find(name);
    const auto* full = r->find("name");
    const auto* title = full ? std::get_if<std::string>(&full->v.v) : nullptr;
    io.out << fmt::format("{:<10} {:<22} {}\n", r->kind, name, title ? *title : "");
  }
  return 0;
}

int cmd_help(const options& o, cli_streams& io) {
  if (o.positional.empty()) {
    io.out << usage_text;
    return 0;
  }
  const builtin* fn = find_builtin(o.positional[0]);
  if (!fn) throw usage_error{fmt::format("no function '{}'", o.positional[0])};
  io.out << fmt::format("{}: {}\n\nParameters:\n", fn->name, fn->summary);
  for (const auto& p : fn->params)
    io.out << fmt::format("  {:<22} {}{}\n", p.name, p.doc,
                          p.required ? " (required)" : p.default_text.empty() ? "" : " (default: " + p.default_text + ")");
  return 0;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, cli_streams io) {
  try {
    if (args.size() < 2) {
      io.out << usage_text;
      return 0;
    }
    const std::string& command = args[1];
    if (command == "help" || command == "--help" || command == "-h") return cmd_help(parse_options(args, 2), io);
    if (command == "version" || command == "--version") {
      io.out << "ironlaw 0.1.0\n";
      return 0;
    }
    auto o = parse_options(args, 2);
    if (command == "eval") return cmd_eval(o, io);
    if (command == "run") return cmd_run(o, io, false);
    if (command == "check") return cmd_run(o, io, true);
    if (command == "zoo") return cmd_zoo(o, io);
    throw usage_error{fmt::format("unknown command '{}'", command)};
  } catch (const usage_error& e) {
    io.err << "error: " << e.message << "\n\n" << usage_text;
    return 1;
  }
}

}  // namespace ironlaw::runtime
