#include "sandbox.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <csignal>
#include <cstring>
#include <new>

#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ironlaw::runtime::grading {

namespace {

// Writes all of `data`; false when the pipe closed.
bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    auto n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// AddressSanitizer maps terabytes of shadow address space, so under an
// address-space cap every allocation of a sanitized child fails: sanitizer
// builds (the test suite's second pass) run the child without that cap and
// rely on the parent's watch of its resident memory (resident_bytes).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool address_space_cap = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool address_space_cap = false;
#else
constexpr bool address_space_cap = true;
#endif
#else
constexpr bool address_space_cap = true;
#endif

[[noreturn]] void child(int fd, const std::function<std::string()>& job, const sandbox_limits& limits) {
  // The parent's crash handlers (a test framework's, say) are not the child's.
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTERM, SIGXCPU}) std::signal(sig, SIG_DFL);
  if (address_space_cap && limits.memory_mb > 0) {
    rlimit cap{};
    cap.rlim_cur = cap.rlim_max = static_cast<rlim_t>(limits.memory_mb) << 20;
    setrlimit(RLIMIT_AS, &cap);
  }
  // CPU time backs up the parent's wall clock (a stopped parent cannot kill).
  rlimit cpu{};
  cpu.rlim_cur = cpu.rlim_max = static_cast<rlim_t>(limits.seconds) + 2;
  setrlimit(RLIMIT_CPU, &cpu);
  int code = 0;
  try {
    std::string out = "ok\n" + job();
    code = write_all(fd, out) ? 0 : 2;
  } catch (const std::bad_alloc&) {
    code = write_all(fd, fmt::format("memory\nthe submission needed more than the memory limit of {} MB", limits.memory_mb)) ? 0 : 2;
  } catch (const std::exception& e) {
    code = write_all(fd, std::string("error\n") + e.what()) ? 0 : 2;
  }
  ::close(fd);
  _exit(code);  // no destructors or atexit handlers of the parent's state
}

// The child's resident memory in bytes (/proc/PID/statm's second field), or 0
// when it cannot be read. The parent watches it beside the address-space cap:
// it is the only cap a sanitizer build can have, and it also catches memory
// that RLIMIT_AS counts late (a mapping touched page by page).
std::uint64_t resident_bytes(pid_t pid) {
  std::ifstream statm(fmt::format("/proc/{}/statm", pid));
  std::uint64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace

sandbox_outcome run_sandboxed(const std::function<std::string()>& job, const sandbox_limits& limits) {
  int fds[2];
  if (::pipe(fds) != 0) return {sandbox_outcome::state::crashed, {}, "cannot create a pipe for the grader"};
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return {sandbox_outcome::state::crashed, {}, "cannot start a grading process"};
  }
  if (pid == 0) {
    ::close(fds[0]);
    child(fds[1], job, limits);
  }
  ::close(fds[1]);
  std::string received;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(limits.seconds);
  bool timed_out = false, over_memory = false;
  const std::uint64_t memory_cap = static_cast<std::uint64_t>(limits.memory_mb) << 20;
  char buffer[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    if (memory_cap > 0 && resident_bytes(pid) > memory_cap) {
      over_memory = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 20)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    auto n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the child closed its end
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out || over_memory) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (over_memory)
    return {sandbox_outcome::state::out_of_memory, {},
            fmt::format("the submission needed more than the memory limit of {} MB", limits.memory_mb)};
  if (timed_out)
    return {sandbox_outcome::state::timed_out, {},
            fmt::format("stopped after the time limit of {} s", fmt::format("{:g}", limits.seconds))};
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    return {sandbox_outcome::state::crashed, {},
            sig == SIGXCPU ? std::string("stopped after the CPU time limit")
                           : fmt::format("the grading process stopped with signal {} ({})", sig, strsignal(sig))};
  }
  auto newline = received.find('\n');
  std::string kind = received.substr(0, newline);
  std::string rest = newline == std::string::npos ? std::string() : received.substr(newline + 1);
  if (kind == "ok") return {sandbox_outcome::state::finished, rest, {}};
  if (kind == "memory") return {sandbox_outcome::state::out_of_memory, {}, rest};
  if (kind == "error") return {sandbox_outcome::state::crashed, {}, rest};
  return {sandbox_outcome::state::crashed, {}, "the grading process ended without a result"};
}

}  // namespace ironlaw::runtime::grading
