// `ironlaw registry check`: validate the registry (the embedded set plus the
// user's --registry directories) and print every finding as file:line.
#include <fmt/format.h>

#include <map>
#include <ostream>

#include "cli_support.hpp"
#include "ironlaw/runtime/app/registry_check.hpp"

namespace ironlaw::runtime::cli {

int cmd_registry(const options& o, cli_streams& io) {
  if (o.positional.size() != 1 || o.positional[0] != "check")
    throw usage_error{"registry takes one subcommand: ironlaw registry check [--registry DIR]"};
  registry user(unit_table::builtin());
  // load_registry would print loading problems as warnings; here they are findings.
  const registry* reg = &registry::embedded();
  if (!o.registry_dirs.empty()) {
    user = registry::embedded();
    for (const auto& dir : o.registry_dirs) user.add_directory(dir);
    reg = &user;
  }
  auto findings = check_registry(*reg);
  std::size_t errors = 0;
  for (const auto& f : findings) {
    io.err << to_string(f) << "\n";
    errors += f.error ? 1 : 0;
  }
  std::map<std::string, std::size_t> per_kind;
  for (const auto& name : reg->names()) ++per_kind[reg->find(name)->kind];
  std::string counts;
  for (const auto& [kind, n] : per_kind) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, kind);
  io.out << fmt::format("registry: {} entries checked ({}): {} error{}, {} warning{}\n", reg->names().size(), counts,
                        errors, errors == 1 ? "" : "s", findings.size() - errors,
                        findings.size() - errors == 1 ? "" : "s");
  return errors == 0 ? 0 : 1;
}

}  // namespace ironlaw::runtime::cli
