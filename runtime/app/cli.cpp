#include "ironlaw/runtime/app/cli.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <ostream>
#include <sstream>

#include <unistd.h>

#include "../program/dump_phases.hpp"
#include "ironlaw/embedded_registry.hpp"
#include "ironlaw/lang/dump.hpp"
#include "ironlaw/lang/parse.hpp"
#include "ironlaw/lang/print.hpp"
#include "ironlaw/runtime/interp/builtins.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"
#include "ironlaw/runtime/interp/registry.hpp"
#include "ironlaw/runtime/app/repl.hpp"
#include "ironlaw/runtime/interp/suggest.hpp"
#include "../bind/bindings.hpp"
#include "cli_support.hpp"
#include "../program/dump_phases.hpp"
#include "../io/file_io.hpp"
#include "../report/roofline.hpp"
#include "../report/run_document.hpp"

namespace ironlaw::runtime {
namespace {

using namespace cli;

constexpr const char* usage_text = R"(ironlaw: first-principles performance models of ML systems

Usage:
  ironlaw eval 'EXPR' [--format text|json]
                             evaluate one expression and print it with its unit
                             (--format json: one JSON document, docs/json.md)
  ironlaw run FILE [--format table|csv|json|md] [--out DIR [--force]] [--threads N]
                 [--max-points N] [--sample N --seed S] [--plot pareto|roofline]
                             run a scenario file; designs are searched and reported
                             (--format json: everything as one JSON document, docs/json.md;
                             --out DIR also writes the table, the feasible set as CSV,
                             JSON and an SVG plot; see docs/search.md; --force replaces
                             files there that ironlaw did not write; --plot: print the
                             last design's plot as SVG instead, or with no design, the
                             roofline of every let-bound result that has one)
  ironlaw run FILE --shard K/N --out DIR [run's search flags]
                             search only the K-th of N disjoint parts of every design's
                             space and write its tallies to DIR (docs/search.md, "Shards")
  ironlaw merge DIR... [--format table|csv|json|md]
                             the report of the whole run from the N parts' files, the same
                             byte for byte as `run FILE` would print it
  ironlaw slurm FILE --shards N --out DIR [--partition P] [--time T] [--account A]
                 [--cpus C] [--mem M] [--sample N --seed S] [--max-points N] [--force]
                             write DIR/run.sbatch (a Slurm job array of N parts) and
                             DIR/merge.sbatch (the merge, after every part succeeded)
  ironlaw check FILE...      check names, units and arguments; print diagnostics only
  ironlaw fmt FILE... [--write | --check]
                             print the canonical layout (--write: rewrite the files;
                             --check: exit 1 when a file is not formatted)
  ironlaw dump --phase ast|resolved|typed FILE
                             the syntax tree; with what each name resolves to;
                             with each expression's type, checked without running (debugging)
  ironlaw lsp                a language server on stdin/stdout for editors (docs/editors.md):
                             diagnostics, hover, completion, definitions, formatting
  ironlaw explain CODE       what a diagnostic code means, with an example (E0201)
  ironlaw zoo [KIND] [--where 'EXPR'] [--format table|csv|json]
                             list the registry: hardware, models, nodes, fabrics, regions
  ironlaw zoo show NAME      one entry: every field with its unit, dated prices, sources
  ironlaw registry check     validate the registry (units, sources, dimensions, counts)
  ironlaw import-model config.json [--name NAME] [--out FILE [--force]]
                             a registry entry from a Hugging Face config.json
                             (--force: replace an existing FILE)
  ironlaw validate [--category C] [--format table|csv|json|md] [--dir DIR]
                             predictions against published measurements, with
                             error per category and split (docs/accuracy.md)
  ironlaw calibrate FILE [--format table|json]
                             the file's `measured` statements: predicted vs measured,
                             and the efficiencies that fit them (docs/accuracy.md)
  ironlaw grade ASSIGNMENT --submission FILE --student ID | --metadata JSON
                 [--format gradescope|prairielearn|text] [--out FILE]
  ironlaw grade ASSIGNMENT --submissions DIR
                             grade answers (Gradescope results.json by default), or a
                             directory into a CSV gradebook (see docs/grading.md); the
                             id comes from --student or the LMS's metadata file
  ironlaw assignment render FILE --student ID [--solutions] | --all-variants
  ironlaw assignment student FILE [--student ID]
                             a student's questions, every variant, the student copy
  ironlaw assignment package FILE --gradescope OUT.zip | --prairielearn DIR
                             an autograder for Gradescope or a PrairieLearn question
  ironlaw repl               interactive: line editing, history, completion, :help
  ironlaw help [FUNCTION] [--markdown]
                             this text and every function by family, or a function's
                             parameters and result fields (--markdown: as docs/solvers.md shows them)
  ironlaw version

Exit codes (docs/language.md, "Exit codes"): 0 success; 1 a diagnostic or bad usage;
3 a `require` was not met, a design has no feasible point, or (validate) a category
is outside its error bound; 70 an internal error (a bug: please report it).

Options:
  --diagnostics human|short|json   how errors are printed (default: human)
  --registry DIR                   add registry entries from DIR (also $IRONLAW_PATH)

Examples:
  ironlaw eval '16 GB / 40 ms in GB/s'
  ironlaw eval 'decode(Llama3_8B, H100_SXM, batch = 1).itl_bound'
)";

}  // namespace

namespace cli {

// `--format` of `run` and `eval`: the text for people, or one JSON document (docs/json.md).
std::string output_format(const options& o, std::initializer_list<std::string_view> formats) {
  auto it = o.values.find("--format");
  if (it == o.values.end()) return std::string(*formats.begin());
  for (auto f : formats)
    if (it->second == f) return it->second;
  std::vector<std::string> names(formats.begin(), formats.end());
  throw usage_error{fmt::format("--format takes {}, not '{}'", join_alternatives(names), it->second)};
}

}  // namespace cli

namespace {

int cmd_eval(const options& o, cli_streams& io) {
  if (o.positional.size() != 1) throw usage_error{"eval takes one expression: ironlaw eval '16 GB / 40 ms'"};
  const bool json = output_format(o, {"text", "json"}) == "json";
  registry user(unit_table::builtin());
  const auto& reg = load_registry(o, user, io);
  auto source = std::make_shared<const lang::source_file>("<eval>", o.positional[0]);
  lang::diagnostics diags;
  lang::expr_ptr e;
  std::optional<evaluated> v;
  interpreter interp(reg);
  if (lang::parse_expression(source, e, diags).ok) v = interp.evaluate(*e, source, diags);
  const bool ok = v && !diags.has_errors();
  if (json) io.out << report::eval_document(o.positional[0], ok ? &*v : nullptr, ok ? interp.show(*v) : "", reg.units(),
                                            lang::render_json(diags.items()), ok ? 0 : 1);
  else if (ok) io.out << interp.show(*v) << "\n";
  if (ok) return 0;
  cli::report(diags, o, io);
  return 1;
}

}  // namespace

namespace cli {

// A whole number from a flag's text, or a usage error.
std::uint64_t whole_flag(const options& o, const std::string& flag, std::uint64_t fallback, std::uint64_t minimum) {
  auto it = o.values.find(flag);
  if (it == o.values.end()) return fallback;
  const auto& text = it->second;
  bool digits = !text.empty() && text.find_first_not_of("0123456789_") == std::string::npos;
  std::string plain;
  for (char c : text)
    if (c != '_') plain += c;
  if (!digits || plain.empty() || plain.size() > 19 || std::stoull(plain) < minimum)
    throw usage_error{fmt::format("{} takes a whole number of at least {}, not '{}'", flag, minimum, text)};
  return std::stoull(plain);
}

// `run`'s search flags (docs/search.md); the progress line only on a terminal.
search_options search_flags(const options& o, cli_streams& io) {
  search_options s;
  s.threads = static_cast<std::size_t>(whole_flag(o, "--threads", 0, 1));
  s.max_points = whole_flag(o, "--max-points", s.max_points, 1);
  s.sample = whole_flag(o, "--sample", 0, 1);
  s.seed = whole_flag(o, "--seed", 1, 0);
  s.format = output_format(o, {"table", "csv", "json", "md"});
  if (auto it = o.values.find("--out"); it != o.values.end()) s.out_dir = it->second;
  s.force = o.flags.count("--force") > 0;
  if (auto it = o.values.find("--plot"); it != o.values.end()) {
    if (it->second != "pareto" && it->second != "roofline")
      throw usage_error{fmt::format("--plot takes pareto or roofline, not '{}'", it->second)};
    if (s.format == "json") throw usage_error{"--plot prints an SVG: it does not go with --format json"};
    s.plot = it->second;
  }
  if (s.force && s.out_dir.empty()) throw usage_error{"--force goes with --out DIR"};
  if (&io.err == &std::cerr && isatty(STDERR_FILENO)) {
    s.progress = [&err = io.err](const std::string& design, std::uint64_t done, std::uint64_t total, double seconds) {
      if (seconds < 0) {
        err << "\r\033[K" << std::flush;  // finished: clear the line
        return;
      }
      if (seconds < 1) return;
      double rate = static_cast<double>(done) / seconds;
      err << fmt::format("\r\033[Ksearching {}: {} of {} points ({:.0f}%), {} points/s", design, done, total,
                         total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0, format_number(rate))
          << std::flush;
    };
  }
  return s;
}

}  // namespace cli

namespace {

// `run --plot roofline` of a file with no design: every let-bound result with
// a roofline (roofline, decode, prefill, ...), by name.
std::string results_roofline(const interpreter& interp, const std::string& path) {
  std::vector<report::roofline_point> points;
  for (const auto& name : interp.defined_names()) {
    const auto* rec = interp.lookup(name) ? interp.lookup(name)->as_record() : nullptr;
    if (!rec || !rec->infeasible.empty()) continue;
    if (auto p = report::roofline_of(*rec, name)) points.push_back(*p);
  }
  if (points.empty())
    throw usage_error{fmt::format("--plot roofline: nothing to plot in {}: no design reported rows and no let-bound "
                                  "result has a roofline (roofline, decode, prefill, ...)", path)};
  return report::to_roofline_svg(std::filesystem::path(path).filename().string() + ", the let-bound results", points);
}

int cmd_run(const options& o, cli_streams& io, bool check_only) {
  if (!check_only && o.values.count("--shard")) return cmd_run_shard(o, io);  // shard_command.cpp
  if (o.positional.empty()) throw usage_error{check_only ? "check takes one or more files" : "run takes a file"};
  if (!check_only && o.positional.size() != 1) throw usage_error{"run takes one file"};
  return run_files(o, io, check_only, nullptr);
}

}  // namespace

int cli::run_files(const options& o, cli_streams& io, bool check_only, const scenario_text* given) {
  registry user(unit_table::builtin());
  const auto& reg = load_registry(o, user, io);
  lang::diagnostics diags;
  bool ok = true;
  int violations = 0;
  // `run --format json`: one document on stdout, whatever the file holds (docs/json.md).
  std::optional<report::run_document> document;
  if (!check_only && output_format(o, {"table", "csv", "json", "md"}) == "json") document.emplace(reg.units());
  // `--plot`: the run's text goes nowhere; the last design's plot, or the
  // roofline of the let-bound results, is what it prints.
  std::ostringstream discarded;
  std::string plot;
  const auto paths = given ? std::vector<std::string>{given->path} : o.positional;
  for (const auto& path : paths) {
    std::string text;
    if (given) {
      text = given->text;
    } else if (!read_file(path, text, diags)) {
      ok = false;
      continue;
    }
    auto source = std::make_shared<const lang::source_file>(path, std::move(text));
    lang::program program;
    auto status = lang::parse_program(source, program, diags);
    ok = status.ok && ok;
    if (status.ok) {
      interpreter interp(reg);
      auto flags = check_only ? search_options{} : given ? given->options : search_flags(o, io);
      flags.plotted = [&plot](const std::string&, const std::string& svg) { plot = svg; };
      if (!check_only) interp.set_search_options(flags);
      if (document) interp.set_document(&*document);
      if (check_only) {
        ok = interp.check(program, diags) && ok;
      } else {
        const bool ran = interp.run(program, flags.plot.empty() ? io.out : discarded, diags);
        ok = ran && ok;
        violations += interp.violations();
        // A file with errors reports them (exit 1), not "nothing to plot".
        if (ran && !diags.has_errors() && !flags.plot.empty() && plot.empty() && flags.plot == "roofline")
          plot = results_roofline(interp, path);
      }
    }
  }
  cli::report(diags, o, io);
  int code = !ok || diags.has_errors() ? 1 : violations > 0 ? 3 : 0;
  if (o.values.count("--plot") && code != 1) {
    if (plot.empty()) throw usage_error{fmt::format("--plot pareto: no design in {} reported a search", paths[0])};
    io.out << plot;
  }
  if (document) io.out << document->render("run", paths, lang::render_json(diags.items()), code);
  return code;
}

namespace {

// Reads and parses one file; false (with diagnostics) when it does not parse.
bool load_program(const std::string& path, lang::program& program, lang::diagnostics& diags) {
  std::string text;
  if (!read_file(path, text, diags)) return false;
  auto source = std::make_shared<const lang::source_file>(path, std::move(text));
  return lang::parse_program(source, program, diags).ok;
}

int cmd_fmt(const options& o, cli_streams& io) {
  if (o.positional.empty()) throw usage_error{"fmt takes one or more files"};
  bool write = o.flags.count("--write") > 0;
  bool check = o.flags.count("--check") > 0;
  if (write && check) throw usage_error{"fmt takes --write or --check, not both"};
  lang::diagnostics diags;
  bool all_formatted = true;
  for (const auto& path : o.positional) {
    lang::program program;
    if (!load_program(path, program, diags)) continue;  // a file that does not parse is never rewritten
    auto formatted = lang::format_program(program);
    if (check) {
      if (formatted != program.source->text()) {
        io.err << path << ": not formatted (run `ironlaw fmt --write " << path << "`)\n";
        all_formatted = false;
      }
    } else if (write) {
      if (formatted != program.source->text()) {
        // Atomically, keeping the permissions; a link is followed to the file it names.
        std::error_code ec;
        auto target = std::filesystem::is_symlink(path, ec) ? std::filesystem::canonical(path, ec).string() : path;
        if (auto problem = files::write_atomic(ec ? path : target, formatted, files::existing::replace))
          diags.add(files::to_diagnostic(*problem));
      }
    } else {
      io.out << formatted;
    }
  }
  cli::report(diags, o, io);
  return diags.has_errors() || !all_formatted ? 1 : 0;
}

int cmd_explain(const options& o, cli_streams& io) {
  if (o.positional.size() != 1) throw usage_error{"explain takes one diagnostic code, as in ironlaw explain E0201"};
  std::string code = o.positional[0];
  for (auto& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::vector<std::string> codes;
  for (const auto& page : error_docs::files()) {
    std::string name(page.path.substr(0, page.path.find('.')));
    if (name == code) {
      io.out << page.text;
      return 0;
    }
    codes.push_back(name);
  }
  auto near = suggest(code, codes);
  throw usage_error{fmt::format("no diagnostic code '{}'{}", o.positional[0],
                                near.empty() ? "" : "; did you mean " + join_alternatives(near) + "?")};
}

int cmd_dump(const options& o, cli_streams& io) {
  auto phase = o.values.count("--phase") ? o.values.at("--phase") : std::string("ast");
  if (phase != "ast" && phase != "resolved" && phase != "typed")
    throw usage_error{fmt::format("dump knows the phases ast, resolved and typed, not '{}'", phase)};
  if (o.positional.size() != 1) throw usage_error{"dump takes one file"};
  lang::diagnostics diags;
  lang::program program;
  if (!load_program(o.positional[0], program, diags)) {
    cli::report(diags, o, io);
    return 1;
  }
  if (phase == "ast") {
    io.out << lang::dump_ast(program);
    return 0;
  }
  // The annotated tree, then whatever the check found (the tree is still useful).
  registry user(unit_table::builtin());
  io.out << dump_phase(program, load_registry(o, user, io), phase, diags);
  if (diags.has_errors()) {
    cli::report(diags, o, io);
    return 1;
  }
  return 0;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, cli_streams io) {
  bindings::install();  // the composition root: the solvers join the function table
  try {
    if (args.size() < 2) {
      if (!io.interactive) return cmd_help(parse_options(args, 1), io, usage_text);
      return run_repl(registry::embedded(), std::cin, io.out, io.err, true, io.color);
    }
    const std::string& command = args[1];
    if (command == "help" || command == "--help" || command == "-h")
      return cmd_help(parse_options(args, 2, {"--markdown"}), io, usage_text);
    if (command == "version" || command == "--version") {
      io.out << "ironlaw 0.1.0\n";
      return 0;
    }
    if (command == "fmt") return cmd_fmt(parse_options(args, 2, {"--write", "--check"}), io);
    if (command == "dump") return cmd_dump(parse_options(args, 2, {}, {"--phase"}), io);
    if (command == "lsp") return cmd_lsp(parse_options(args, 2), io);
    if (command == "explain") return cmd_explain(parse_options(args, 2), io);
    if (command == "repl") {
      auto o = parse_options(args, 2);
      registry user(unit_table::builtin());
      const auto& reg = load_registry(o, user, io);
      return run_repl(reg, std::cin, io.out, io.err, io.interactive, io.color);
    }
    if (command == "run")
      return cmd_run(parse_options(args, 2, {"--force"},
                                   {"--threads", "--format", "--out", "--max-points", "--sample", "--seed", "--plot",
                                    "--shard"}),
                     io, false);
    if (command == "merge") return cmd_merge(parse_options(args, 2, {}, {"--format", "--threads"}), io);
    if (command == "slurm")
      return cmd_slurm(parse_options(args, 2, {"--force"},
                                     {"--shards", "--out", "--partition", "--time", "--account", "--cpus", "--mem",
                                      "--max-points", "--sample", "--seed", "--binary"}),
                       io);
    if (command == "zoo") return cmd_zoo(parse_options(args, 2, {}, {"--where", "--format"}), io);
    if (command == "registry") return cmd_registry(parse_options(args, 2), io);
    if (command == "import-model")
      return cmd_import_model(parse_options(args, 2, {"--force"}, {"--name", "--out"}), io);
    if (command == "grade")
      return cmd_grade(parse_options(args, 2, {"--reveal", "--no-sandbox"},
                                     {"--submission", "--submissions", "--student", "--metadata", "--out", "--format",
                                      "--time-limit", "--memory-limit", "--max-points"}),
                       io);
    if (command == "assignment")
      return cmd_assignment(parse_options(args, 2, {"--solutions", "--all-variants", "--force"},
                                          {"--student", "--gradescope", "--prairielearn", "--binary", "--time-limit"}),
                            io);
    if (command == "validate") return cmd_validate(parse_options(args, 2, {}, {"--category", "--format", "--dir"}), io);
    if (command == "calibrate") return cmd_calibrate(parse_options(args, 2, {}, {"--format"}), io);
    if (command == "eval") return cmd_eval(parse_options(args, 2, {}, {"--format"}), io);
    if (command == "check") return cmd_run(parse_options(args, 2), io, true);
    throw usage_error{fmt::format("unknown command '{}'", command)};
  } catch (const usage_error& e) {
    // The one line that went wrong, not fifty lines of usage burying it.
    io.err << "error: " << e.message << "\n" << "run `ironlaw help` for the commands and their flags\n";
    return 1;
  }
}

}  // namespace ironlaw::runtime
