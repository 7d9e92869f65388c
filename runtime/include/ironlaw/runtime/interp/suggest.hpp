#pragma once
// "Did you mean ...?" lives in lang (lang/suggest.hpp): the checker suggests too.
#include "ironlaw/lang/suggest.hpp"

namespace ironlaw::runtime {

using lang::did_you_mean;
using lang::edit_distance;
using lang::join_all;
using lang::join_alternatives;
using lang::max_suggested_length;
using lang::suggest;

}  // namespace ironlaw::runtime
