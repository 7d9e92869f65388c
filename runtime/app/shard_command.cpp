// `run FILE --shard K/N --out DIR` and `merge DIR...` (docs/search.md,
// "Shards"): a search cut into N disjoint parts, each written to its own file
// by its own process (a Slurm array task), and the whole run's report from them.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "../io/file_io.hpp"
#include "../search/shard_file.hpp"
#include "cli_support.hpp"
#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"

namespace ironlaw::runtime::cli {

namespace {

// More parts than any array a cluster runs (Slurm's MaxArraySize defaults to 1001).
constexpr std::uint64_t max_parts = 1'000'000;
// A shard file holds the scenario and the kept archives: larger than a scenario may be.
constexpr std::uintmax_t max_shard_bytes = std::uintmax_t{1} << 30;

bool whole_number(std::string_view text, std::uint64_t& v) {
  auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), v);
  return !text.empty() && err == std::errc() && end == text.data() + text.size();
}

// "K/N", 1 <= K <= N <= max_parts; E1209 otherwise.
std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_part(const std::string& text, lang::diagnostics& diags) {
  auto slash = text.find('/');
  std::uint64_t k = 0, n = 0;
  bool ok = slash != std::string::npos && whole_number(std::string_view(text).substr(0, slash), k) &&
            whole_number(std::string_view(text).substr(slash + 1), n);
  if (ok && k >= 1 && k <= n && n <= max_parts) return std::make_pair(k, n);
  lang::diagnostic d;
  d.code = "E1209";
  d.message = ok && n > max_parts ? fmt::format("--shard {}: at most {} parts", text, max_parts)
              : ok                ? fmt::format("--shard {}: part {} of {} does not exist (1 <= K <= N)", text, k, n)
                                  : fmt::format("--shard takes K/N (the K-th of N parts), not '{}'", text);
  d.help = "parts are numbered from 1: --shard 1/4 to --shard 4/4 (in a Slurm array: --array=1-4 and "
           "--shard $SLURM_ARRAY_TASK_ID/4)";
  diags.add(std::move(d));
  return std::nullopt;
}

// A part's file replaces an earlier part's file, never anything else.
std::optional<files::problem> may_write_shard(const std::string& path, bool force) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto st = fs::symlink_status(path, ec);
  if (ec || !fs::exists(st)) return std::nullopt;
  if (fs::is_symlink(st) || !fs::is_regular_file(st))
    return files::problem{"E1503", fmt::format("{} is a symbolic link or not a regular file; refusing to write it", path),
                          "remove it, or give another --out DIR"};
  std::string magic(14, '\0');
  std::ifstream in(path, std::ios::binary);
  bool shard = in.read(magic.data(), static_cast<std::streamsize>(magic.size())) && magic == "ironlaw-shard ";
  if (!shard && !force)
    return files::problem{"E1502", fmt::format("{} exists and is not a shard file; refusing to replace it", path),
                          "give another --out DIR, or --force to replace it"};
  return std::nullopt;
}

}  // namespace

int cmd_run_shard(const options& o, cli_streams& io) {
  if (o.positional.size() != 1) throw usage_error{"run --shard K/N takes one file"};
  if (!o.values.count("--out")) throw usage_error{"--shard K/N goes with --out DIR, where the part's file is written"};
  if (o.values.count("--format"))
    throw usage_error{"run --shard prints no report: `ironlaw merge DIR --format F` prints the whole run's"};
  if (o.values.count("--plot"))
    throw usage_error{"run --shard draws no plot: run the whole file with --plot, or merge the parts with --out DIR"};
  lang::diagnostics diags;
  auto part = parse_part(o.values.at("--shard"), diags);
  if (!part) {
    report(diags, o, io);
    return 1;
  }
  const auto& path = o.positional[0];
  std::string text;
  if (!read_file(path, text, diags)) {
    report(diags, o, io);
    return 1;
  }
  search::shard_file f;
  f.scenario = path;
  f.text = text;
  std::tie(f.k, f.n) = *part;
  auto s = search_flags(o, io);
  const std::string dir = s.out_dir;
  const bool force = s.force;
  s.out_dir.clear();
  s.force = false;
  s.shard = f.k;
  s.shards = f.n;
  s.shard_results = &f.results;
  f.sample = s.sample;
  f.seed = s.seed;
  f.max_points = s.max_points;

  registry user(unit_table::builtin());
  const auto& reg = load_registry(o, user, io);
  auto source = std::make_shared<const lang::source_file>(path, std::move(text));
  lang::program program;
  bool ok = lang::parse_program(source, program, diags).ok;
  if (ok) {
    interpreter interp(reg);
    interp.set_search_options(s);
    std::ostringstream discarded;  // the part prints nothing: `merge` prints the whole run
    ok = interp.run(program, discarded, diags);
  }
  // A part's own `require`s and empty fronts are not the run's: only `merge`
  // exits 3, so a Slurm array's parts all succeed and its merge runs.
  if (!ok || diags.has_errors()) {
    report(diags, o, io);
    return 1;
  }
  auto name = search::shard_file_name(f.k, f.n);
  auto target = (std::filesystem::path(dir) / name).string();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  auto problem = may_write_shard(target, force);
  if (!problem) problem = files::write_atomic(target, search::write_shard(f), files::existing::replace);
  if (problem) {
    diags.add(files::to_diagnostic(*problem));
    report(diags, o, io);
    return 1;
  }
  std::uint64_t points = 0;
  for (const auto& d : f.results.designs) points += d.t.points;
  io.out << fmt::format("part {} of {}: {} point{} of {} design{} searched; wrote {}\n", f.k, f.n, points,
                        points == 1 ? "" : "s", f.results.designs.size(), f.results.designs.size() == 1 ? "" : "s",
                        target);
  report(diags, o, io);  // warnings
  return 0;
}

namespace {

// The shard files named: a directory's `*.ironlaw-shard` files in name order, a file as given.
std::vector<std::string> shard_paths(const std::vector<std::string>& args, lang::diagnostics& diags) {
  namespace fs = std::filesystem;
  std::vector<std::string> paths;
  for (const auto& arg : args) {
    std::error_code ec;
    if (!fs::is_directory(arg, ec)) {
      paths.push_back(arg);
      continue;
    }
    std::vector<std::string> found;
    for (fs::directory_iterator it(arg, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == search::shard_extension) found.push_back(it->path().string());
    if (ec) {
      diags.add(files::to_diagnostic({"E0004", fmt::format("cannot read the directory {}: {}", arg, ec.message()), ""}));
      continue;
    }
    if (found.empty())
      diags.add(files::to_diagnostic({"E1212", fmt::format("{} holds no shard files (*{})", arg, search::shard_extension),
                                      "give the directory `ironlaw run FILE --shard K/N --out DIR` wrote"}));
    std::sort(found.begin(), found.end());
    paths.insert(paths.end(), found.begin(), found.end());
  }
  return paths;
}

}  // namespace

int cmd_merge(const options& o, cli_streams& io) {
  if (o.positional.empty()) throw usage_error{"merge takes the directories `run FILE --shard K/N --out DIR` wrote"};
  lang::diagnostics diags;
  std::vector<std::pair<lang::source_ptr, search::shard_file>> parts;
  for (const auto& path : shard_paths(o.positional, diags)) {
    std::string text;
    if (auto p = files::read_regular(path, text, max_shard_bytes)) {
      diags.add(files::to_diagnostic(*p));
      continue;
    }
    auto file = std::make_shared<const lang::source_file>(path, std::move(text));
    search::shard_file f;
    if (search::read_shard(file, f, diags)) parts.emplace_back(file, std::move(f));
  }
  search::shard_file whole;
  if (diags.has_errors() || !search::merge_shards(parts, whole, diags)) {
    report(diags, o, io);
    return 1;
  }
  parts.clear();  // the merged tallies are all that is needed now
  scenario_text given{whole.scenario, whole.text, search_flags(o, io)};
  given.options.sample = whole.sample;
  given.options.seed = whole.seed;
  given.options.max_points = whole.max_points;
  whole.results.replay = true;
  given.options.shard_results = &whole.results;
  return run_files(o, io, false, &given);
}

}  // namespace ironlaw::runtime::cli
