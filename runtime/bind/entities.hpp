#pragma once
// Registry records -> the stdlib's typed entities. Missing or mistyped fields
// are reported through the call's arguments, at the argument that named them.
#include <optional>

#include "ironlaw/runtime/interp/builtins.hpp"
#include "ironlaw/stdlib/hardware.hpp"
#include "ironlaw/stdlib/model.hpp"

namespace ironlaw::runtime {

std::optional<stdlib::accelerator> to_accelerator(const record& r, call_args& args, std::string_view param);
std::optional<stdlib::transformer_shape> to_transformer(const record& r, call_args& args, std::string_view param);
// The same, converted once per design search thread (call_args::memo) for each
// entity; a conversion that fails is tried again, so each call reports its error.
std::optional<stdlib::accelerator> accelerator_of(const record_ptr& r, call_args& args, std::string_view param);
std::optional<stdlib::transformer_shape> transformer_of(const record_ptr& r, call_args& args, std::string_view param);
// A model's `family` word ("transformer", "ssm", ...); empty when it has none.
std::string family_of(const record& r);

}  // namespace ironlaw::runtime
