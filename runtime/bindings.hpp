#pragma once
// The families of solver bindings; each lives in its own bind_*.cpp file.
#include <vector>

#include "ironlaw/runtime/builtins.hpp"

namespace ironlaw::runtime::bindings {

std::vector<builtin> serving();

}  // namespace ironlaw::runtime::bindings
