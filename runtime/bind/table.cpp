// The function table: every family of solver bindings, in the order `help` lists them.
#include "bindings.hpp"

namespace ironlaw::runtime::bindings {

void install() {
  install_builtins([] {
    std::vector<builtin> out;
    for (auto&& family : {serving(), memory(), single_node(), fleet(), queueing(), economics(), infrastructure(),
                          streaming_privacy(), comms(), training(), training_fleet(), reasoning(), walls(),
                          sensitivity_form()})
      for (auto&& b : family) out.push_back(b);
    return out;
  });
}

}  // namespace ironlaw::runtime::bindings
