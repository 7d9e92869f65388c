#pragma once
// What the CLI's commands share: options, usage errors, diagnostics output,
// registry loading. Internal to runtime; each command lives in its own file.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ironlaw/lang/diagnostic.hpp"
#include "ironlaw/runtime/app/cli.hpp"
#include "ironlaw/runtime/interp/registry.hpp"
#include "ironlaw/runtime/search/search_options.hpp"

namespace ironlaw::runtime::cli {

enum class diag_format { human, short_form, json };

struct options {
  diag_format format = diag_format::human;
  std::vector<std::string> registry_dirs;
  std::vector<std::string> positional;
  std::set<std::string> flags;                 // the command's own boolean flags that were given
  std::map<std::string, std::string> values;   // the command's own flags that take a value
};

// Bad usage: printed with the usage text, exit 1.
struct usage_error {
  std::string message;
};

// Common options, plus a command's own boolean `flags` and `valued` flags
// (which take the next argument); any other --flag is a usage error.
options parse_options(const std::vector<std::string>& args, std::size_t first,
                      const std::vector<std::string>& flags = {}, const std::vector<std::string>& valued = {});
void report(const lang::diagnostics& diags, const options& o, cli_streams& io);
// The embedded registry, plus the user's directories when given (into `user`).
const registry& load_registry(const options& o, registry& user, cli_streams& io);
// A user's file, bounded (runtime/io/file_io.hpp): a regular file of at most
// 8 MiB (lang::parse_limits::max_bytes).
bool read_file(const std::string& path, std::string& text);
// The same, or a diagnostic: E0004 cannot read, E0705 not a regular file
// (directory, FIFO, device, /proc), E0706 too large.
bool read_file(const std::string& path, std::string& text, lang::diagnostics& diags);

// `--format`'s value among `formats` (the first is the default), or a usage error.
std::string output_format(const options& o, std::initializer_list<std::string_view> formats);
// A whole number from a flag's text (`fallback` when absent), or a usage error.
std::uint64_t whole_flag(const options& o, const std::string& flag, std::uint64_t fallback, std::uint64_t minimum);
// `run`'s search flags (docs/search.md); a progress line on a terminal.
search_options search_flags(const options& o, cli_streams& io);

// `run FILE` and `check FILE...`: each file run (or checked), diagnostics
// reported, the exit code. `given` (merge): one scenario's text and the search
// options to run it with, instead of the files named on the command line.
struct scenario_text {
  std::string path, text;
  search_options options;
};
int run_files(const options& o, cli_streams& io, bool check_only, const scenario_text* given);

// Commands in their own files.
int cmd_zoo(const options& o, cli_streams& io);
int cmd_registry(const options& o, cli_streams& io);
int cmd_import_model(const options& o, cli_streams& io);
int cmd_grade(const options& o, cli_streams& io);       // grade_command.cpp
int cmd_assignment(const options& o, cli_streams& io);
int cmd_validate(const options& o, cli_streams& io);  // validate_command.cpp (issue 12)
int cmd_calibrate(const options& o, cli_streams& io);  // calibrate_command.cpp (issue 12: `measured`)
int cmd_lsp(const options& o, cli_streams& io);        // lsp_command.cpp (issue 25)
int cmd_run_shard(const options& o, cli_streams& io);  // shard_command.cpp: run --shard K/N
int cmd_merge(const options& o, cli_streams& io);
int cmd_slurm(const options& o, cli_streams& io);      // slurm_command.cpp
int cmd_help(const options& o, cli_streams& io, std::string_view usage);  // help_command.cpp

}  // namespace ironlaw::runtime::cli
