#pragma once
// Runs one grading job in a child process with a wall-time limit and a cap on
// its address space, so a hostile or broken submission (an endless search, a
// huge allocation, a crash) costs only its own grade. POSIX (fork, rlimit).
#include <functional>
#include <string>

namespace ironlaw::runtime::grading {

struct sandbox_limits {
  double seconds = 10;        // wall time, then the child is killed
  std::size_t memory_mb = 1024;  // RLIMIT_AS of the child and the parent's watch of its resident memory; 0: no cap
};

struct sandbox_outcome {
  enum class state { finished, timed_out, out_of_memory, crashed } st = state::finished;
  std::string output;  // what the job returned, when it finished
  std::string why;     // otherwise, for people
};

// `job` runs in the child; its return value comes back as `output`.
sandbox_outcome run_sandboxed(const std::function<std::string()>& job, const sandbox_limits& limits);

}  // namespace ironlaw::runtime::grading
