#pragma once
// Dimensions are the language's (lang/dim.hpp): the checker types with them
// before anything runs, and every run-time quantity carries one.
#include "ironlaw/lang/dim.hpp"

namespace ironlaw::runtime {

using lang::base_dim;
using lang::base_dim_count;
using lang::base_dim_from_name;
using lang::base_dim_names;
using lang::base_unit_symbols;
using lang::base_unit_text;
using lang::describe;
using lang::dim;
using lang::is_throughput;
using lang::max_exponent;

}  // namespace ironlaw::runtime
