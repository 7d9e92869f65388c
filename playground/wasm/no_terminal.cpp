// The browser build's stand-ins for what needs an operating system: a terminal
// for line editing (libedit) and child processes for the grader's sandbox. The
// page drives the REPL one line at a time (entry.cpp) and never grades.
#include <iostream>

#include "ironlaw/runtime/app/repl.hpp"
#include "app/grading/sandbox.hpp"

namespace ironlaw::runtime {

int run_repl_terminal(repl_session&) {
  std::cerr << "error: the browser build has no terminal; type into the page's console instead\n";
  return 1;
}

}  // namespace ironlaw::runtime

namespace ironlaw::runtime::grading {

sandbox_outcome run_sandboxed(const std::function<std::string()>&, const sandbox_limits&) {
  return {sandbox_outcome::state::crashed, "", "the browser build cannot start a child process; use --no-sandbox"};
}

}  // namespace ironlaw::runtime::grading
