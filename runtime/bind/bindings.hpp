#pragma once
// The families of solver bindings; each lives in its own file in runtime/bind/.
#include <vector>

#include "ironlaw/runtime/interp/builtins.hpp"

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
std::vector<builtin> pooled_fleets();  // pooled_fleet
std::vector<builtin> training();  // train, training_flops, iron_law, chinchilla, reliability, checkpoint
std::vector<builtin> training_fleet();    // training_fleet
std::vector<builtin> reasoning();         // reasoning
std::vector<builtin> walls();             // walls
std::vector<builtin> model_families();    // ssm_decode, dlrm

// Installs every family into the function table (interp/builtins.hpp); the
// program layer and main() call it before anything looks a function up.
void install();

}  // namespace ironlaw::runtime::bindings
