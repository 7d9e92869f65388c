// `ironlaw slurm FILE --shards N --out DIR` (docs/search.md, "On a Slurm
// cluster"): the scripts that run a search as a Slurm job array of N parts
// (`run --shard K/N`) and merge them in a job that starts only after every
// part succeeded. ironlaw writes the scripts; Slurm schedules them.
#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "../io/file_io.hpp"
#include "../search/shard_file.hpp"
#include "cli_support.hpp"

namespace ironlaw::runtime::cli {

namespace {

// A word for a shell command line, in single quotes.
std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A value that goes on an `#SBATCH` line, which Slurm splits at spaces and
// does not unquote: plain characters only.
std::string sbatch_value(const options& o, const std::string& flag) {
  auto it = o.values.find(flag);
  if (it == o.values.end()) return "";
  for (char c : it->second)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-_.:,+=/@%").find(c) != std::string_view::npos))
      throw usage_error{fmt::format("{} takes letters, digits and -_.:,+=/@% only (it goes on an #SBATCH line), not '{}'",
                                    flag, it->second)};
  return it->second;
}

std::string plain_path(const std::string& what, const std::string& path) {
  if (path.find_first_of("\n\r\"' \t\\%") != std::string::npos)
    throw usage_error{fmt::format("{} '{}' holds a space, quote, newline or %: Slurm's #SBATCH lines cannot carry it "
                                  "(it expands % patterns in --output)", what, path)};
  return path;
}

// The job's name, from the scenario's file name, which can hold anything: it
// goes on an #SBATCH line, so only plain characters are kept (a newline or a
// space there would add directives or options of its own).
std::string job_name(const std::string& stem) {
  std::string name = "ironlaw-";
  for (char c : stem.substr(0, 64))
    name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '_';
  return stem.empty() ? name + "search" : name;
}

}  // namespace

int cmd_slurm(const options& o, cli_streams& io) {
  namespace fs = std::filesystem;
  if (o.positional.size() != 1) throw usage_error{"slurm takes one scenario file"};
  if (!o.values.count("--shards")) throw usage_error{"slurm needs --shards N, the number of array tasks"};
  if (!o.values.count("--out")) throw usage_error{"slurm needs --out DIR, where the scripts, parts and report go"};
  const auto n = whole_flag(o, "--shards", 0, 1);
  if (n > 1'000'000) throw usage_error{"--shards takes at most 1000000 parts"};
  const auto& file = o.positional[0];
  if (file.find_first_of("\n\r") != std::string::npos)
    throw usage_error{"the scenario's file name holds a newline: rename it (the scripts name it on their lines)"};
  const std::string dir = plain_path("--out", o.values.at("--out"));
  std::error_code ec;
  const std::string cwd = plain_path("the working directory", fs::current_path(ec).string());
  std::string binary = o.values.count("--binary") ? o.values.at("--binary") : fs::read_symlink("/proc/self/exe", ec).string();
  if (binary.empty()) binary = "ironlaw";
  const auto partition = sbatch_value(o, "--partition"), time = sbatch_value(o, "--time"),
             account = sbatch_value(o, "--account"), mem = sbatch_value(o, "--mem");
  const auto cpus = whole_flag(o, "--cpus", 1, 1);

  // The scenario must at least check before a cluster spends time on it.
  if (int code = run_files(o, io, true, nullptr); code != 0) return code;

  std::string search;  // the flags that change the outcome: every part and the merge agree on them
  if (o.values.count("--max-points")) search += fmt::format(" --max-points {}", whole_flag(o, "--max-points", 0, 1));
  if (o.values.count("--sample")) search += fmt::format(" --sample {}", whole_flag(o, "--sample", 0, 1));
  if (o.values.count("--seed")) search += fmt::format(" --seed {}", whole_flag(o, "--seed", 1, 0));

  auto header = [&](const std::string& name, const std::string& log) {
    std::string h = "#!/bin/bash\n";
    h += fmt::format("#SBATCH --job-name={}\n#SBATCH --chdir={}\n#SBATCH --output={}/logs/{}\n", name, cwd, dir, log);
    if (!partition.empty()) h += "#SBATCH --partition=" + partition + "\n";
    if (!time.empty()) h += "#SBATCH --time=" + time + "\n";
    if (!account.empty()) h += "#SBATCH --account=" + account + "\n";
    if (!mem.empty()) h += "#SBATCH --mem=" + mem + "\n";
    return h;
  };
  const auto job = job_name(fs::path(file).stem().string());
  auto run = header(job, "part-%a.out");
  run += fmt::format("#SBATCH --array=1-{}\n#SBATCH --ntasks=1\n#SBATCH --cpus-per-task={}\n", n, cpus);
  run += "# Part K of N of every design's space (ironlaw run --shard K/N); written by `ironlaw slurm`.\n";
  run += "set -euo pipefail\n";
  run += fmt::format("exec {} run {} --shard \"$SLURM_ARRAY_TASK_ID/{}\" --out {}/parts --threads \"${{SLURM_CPUS_PER_TASK:-1}}\"{}\n",
                     shell_quote(binary), shell_quote(file), n, shell_quote(dir), search);

  auto merge = header(job + "-merge", "merge.out");
  merge += "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n";
  merge += "# The whole run's report from the parts, in every format; exit 3 as `run` (nothing feasible).\n";
  merge += "set -uo pipefail\nstatus=0\n";
  for (const char* format : {"table", "json", "csv", "md"}) {
    auto out = fmt::format("{}/report.{}", dir, std::string(format) == "table" ? "txt" : format);
    merge += fmt::format("{} merge {}/parts --format {} > {}.tmp; s=$?\n", shell_quote(binary), shell_quote(dir), format,
                         shell_quote(out));
    merge += fmt::format("if [ $s -eq 0 ] || [ $s -eq 3 ]; then mv {0}.tmp {0}; else rm -f {0}.tmp; fi\n", shell_quote(out));
    merge += "[ $s -gt $status ] && status=$s\n";
  }
  merge += "exit $status\n";

  // afterok: the merge waits for every task of the array to succeed; a
  // failed task makes the dependency impossible, and --kill-on-invalid-dep
  // cancels the merge then instead of leaving it pending forever.
  std::string submit = "#!/bin/sh\n# Submits the array, then the merge after it (written by `ironlaw slurm`).\nset -eu\n";
  submit += fmt::format("array=$(sbatch --parsable {}/run.sbatch)\narray=${{array%%;*}}\n", shell_quote(dir));
  submit += fmt::format("merge=$(sbatch --parsable --dependency=afterok:$array --kill-on-invalid-dep=yes {}/merge.sbatch)\n",
                        shell_quote(dir));
  submit += "echo \"array job $array, merge job ${merge%%;*}\"\n";

  files::output_dir out;
  const std::set<std::string> names = {"run.sbatch", "merge.sbatch", "submit.sh"};
  lang::diagnostics diags;
  std::optional<files::problem> problem = out.open(dir, o.flags.count("--force") > 0);
  for (const auto& name : names)
    if (!problem) problem = out.may_write(name);
  if (!problem) problem = out.record(names);
  if (!problem) problem = files::write_atomic(out.path_of("run.sbatch"), run, files::existing::replace);
  if (!problem) problem = files::write_atomic(out.path_of("merge.sbatch"), merge, files::existing::replace);
  if (!problem) problem = files::write_atomic(out.path_of("submit.sh"), submit, files::existing::replace);
  if (!problem) {
    fs::create_directories(fs::path(dir) / "logs", ec);
    fs::create_directories(fs::path(dir) / "parts", ec);
    fs::permissions(out.path_of("submit.sh"), fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add, ec);
  }
  if (problem) {
    diags.add(files::to_diagnostic(*problem));
    report(diags, o, io);
    return 1;
  }
  io.out << fmt::format("wrote {0}/run.sbatch (a job array of {1} parts), {0}/merge.sbatch (the merge, after every part "
                        "succeeded) and {0}/submit.sh\nsubmit with: sh {0}/submit.sh\nthe report: {0}/report.txt "
                        "(and .json, .csv, .md)\n",
                        dir, n);
  return 0;
}

}  // namespace ironlaw::runtime::cli
