// `ironlaw zoo [KIND]`: browse the registry.
#include <fmt/format.h>

#include "cli_support.hpp"

namespace ironlaw::runtime::cli {
namespace {

// `zoo models` and `zoo model` both work; the folder names are the plurals.
std::string_view kind_from_word(std::string_view word) {
  for (std::string_view folder : {"hardware", "models", "nodes", "fabrics", "regions"}) {
    auto kind = kind_of_folder(folder);
    if (word == folder || word == kind) return kind;
  }
  return {};
}

}  // namespace

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

}  // namespace ironlaw::runtime::cli
