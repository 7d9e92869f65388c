#pragma once
// `ironlaw import-model`: a Hugging Face config.json (Llama, Mistral, Qwen2
// and Mixtral layouts) -> a registry TOML entry whose `params` (and MoE
// `active_params`) are derived from the shapes, with a source table naming
// the file it came from.
#include <optional>
#include <string>

#include "ironlaw/lang/diagnostic.hpp"
#include "ironlaw/runtime/interp/registry.hpp"

namespace ironlaw::runtime {

struct imported_model {
  std::string name;  // the registry name
  std::string toml;  // the entry, ready for registry/models/*.toml
  double params = 0;
  double active_params = 0;  // MoE only
};

// `config` holds the JSON text and its path (named in diagnostics and in the
// entry's source); `name` overrides the registry name, else it comes from the
// config's `_name_or_path` or its directory; `as_of` is the import date.
// Malformed JSON, missing keys and wrong types are diagnostics into the JSON.
std::optional<imported_model> import_hf_config(const lang::source_ptr& config, const std::string& name,
                                               const std::string& as_of, lang::diagnostics& diags);

}  // namespace ironlaw::runtime
