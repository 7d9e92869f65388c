// The function table: every family of solver bindings, in the order `help`
// and the generated reference in docs/solvers.md list them.
#include "bindings.hpp"

namespace ironlaw::runtime::bindings {

void install() {
  install_builtins([] {
    const std::pair<const char*, std::vector<builtin>> families[] = {
        {"serving", serving()},
        {"memory", memory()},
        {"single node", single_node()},
        {"model families", model_families()},
        {"serving fleet", fleet()},
        {"pooled fleet", pooled_fleets()},
        {"queueing", queueing()},
        {"economics and carbon", economics()},
        {"infrastructure", infrastructure()},
        {"weight streaming and privacy", streaming_privacy()},
        {"communication", comms()},
        {"training", training()},
        {"training fleet", training_fleet()},
        {"reasoning", reasoning()},
        {"walls", walls()},
        {"analysis", sensitivity_form()},
    };
    std::vector<builtin> out;
    for (const auto& [family, members] : families)
      for (auto b : members) {
        b.family = family;
        out.push_back(std::move(b));
      }
    return out;
  });
}

}  // namespace ironlaw::runtime::bindings
