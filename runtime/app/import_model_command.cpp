// `ironlaw import-model config.json [--name NAME] [--out FILE]`: print (or
// write) a registry entry built from a Hugging Face config.json.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <ostream>

#include "cli_support.hpp"
#include "../io/file_io.hpp"
#include "ironlaw/runtime/app/import_model.hpp"

namespace ironlaw::runtime::cli {
namespace {

std::string today() {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&t, &utc);
  return fmt::format("{:04}-{:02}-{:02}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday);
}

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

}  // namespace

int cmd_import_model(const options& o, cli_streams& io) {
  if (o.positional.size() != 1)
    throw usage_error{"import-model takes one config.json: ironlaw import-model path/to/config.json [--name NAME]"};
  std::string name = o.values.count("--name") ? o.values.at("--name") : "";
  if (o.values.count("--name") && !is_identifier(name))
    throw usage_error{fmt::format("--name must be an identifier (letters, digits, _), not '{}'", name)};
  const auto& path = o.positional[0];
  lang::diagnostics diags;
  std::string text;
  if (!read_file(path, text, diags)) {
    report(diags, o, io);
    return 1;
  }
  auto source = std::make_shared<const lang::source_file>(path, std::move(text));
  auto entry = import_hf_config(source, name, today(), diags);
  if (!entry) {
    report(diags, o, io);
    return 1;
  }
  if (o.flags.count("--force") && !o.values.count("--out")) throw usage_error{"--force goes with --out FILE"};
  if (!o.values.count("--out")) {
    io.out << entry->toml;
    return 0;
  }
  // Atomically; an existing file is replaced only with --force (runtime/io/file_io.hpp).
  const auto& out_path = o.values.at("--out");
  bool force = o.flags.count("--force") > 0;
  if (auto problem = files::write_atomic(out_path, entry->toml, force ? files::existing::replace : files::existing::refuse)) {
    diags.add(files::to_diagnostic(*problem));
    report(diags, o, io);
    return 1;
  }
  io.out << fmt::format("wrote {} to {} ({} parameters{})\n", entry->name, out_path, format_number(entry->params),
                        entry->active_params > 0 ? fmt::format(", {} active", format_number(entry->active_params)) : "");
  return 0;
}

}  // namespace ironlaw::runtime::cli
