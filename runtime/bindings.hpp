#pragma once
// The families of solver bindings; each lives in its own bind_*.cpp file.
#include <vector>

#include "ironlaw/runtime/builtins.hpp"

namespace ironlaw::runtime::bindings {

std::vector<builtin> serving();
std::vector<builtin> queueing();        // queue, cluster_queue
std::vector<builtin> economics();       // carbon, tco
std::vector<builtin> infrastructure();  // topology, data_pipeline
std::vector<builtin> streaming_privacy();  // weight_streaming, privacy
std::vector<builtin> memory();
std::vector<builtin> single_node();  // roofline, synthesize, compress, generate
std::vector<builtin> comms();     // collective
std::vector<builtin> fleet();     // serving_fleet
std::vector<builtin> training();  // train, training_flops, iron_law, chinchilla, reliability, checkpoint
std::vector<builtin> training_fleet();    // training_fleet
std::vector<builtin> reasoning();         // reasoning
std::vector<builtin> walls();             // walls
std::vector<builtin> sensitivity_form();  // sensitivity (a special form; runtime/sensitivity.cpp)

}  // namespace ironlaw::runtime::bindings
