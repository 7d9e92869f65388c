#include "file_io.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <streambuf>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#if __has_include(<linux/magic.h>)  // Linux; not the browser build (emscripten), which has no /proc or /sys
#include <linux/magic.h>
#include <sys/statfs.h>
#define IRONLAW_PSEUDO_FILESYSTEMS 1
#endif

#include "ironlaw/lang/parse.hpp"

namespace ironlaw::runtime::files {
namespace {

std::optional<std::size_t> write_budget;  // testing::fail_writes_after
std::mutex budget_mutex;

std::string reason(int err) { return std::strerror(err); }

// "a directory", "a FIFO", ...: what a non-regular file is.
std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISREG(mode)) return "a file";
  return "an unknown kind of file";
}

problem not_regular(const std::string& path, mode_t mode) {
  if (S_ISDIR(mode)) return {"E0705", fmt::format("'{}' is a directory", path), "give a scenario file, not a folder"};
  return {"E0705", fmt::format("'{}' is {}, not a regular file", path, kind_of(mode)),
          "ironlaw reads only regular files (never FIFOs, devices, sockets or /proc and /sys files)"};
}

problem pseudo_file(const std::string& path) {
  return {"E0705", fmt::format("'{}' is a /proc or /sys pseudo-file, not a regular file", path),
          "ironlaw reads only regular files; copy its contents into a file first"};
}

bool under_pseudo_root(const std::string& path) {
  std::error_code ec;
  auto real = std::filesystem::weakly_canonical(path, ec).string();
  if (ec) real = path;
  for (std::string_view root : {"/proc", "/sys"})
    if (real == root || (real.size() > root.size() && real.compare(0, root.size(), root) == 0 && real[root.size()] == '/'))
      return true;
  return false;
}

bool pseudo_filesystem(int fd) {
#ifdef IRONLAW_PSEUDO_FILESYSTEMS
  struct statfs fs {};
  if (::fstatfs(fd, &fs) != 0) return false;
  auto type = static_cast<unsigned long>(fs.f_type);
  return type == PROC_SUPER_MAGIC || type == SYSFS_MAGIC || type == DEBUGFS_MAGIC || type == TRACEFS_MAGIC ||
         type == SECURITYFS_MAGIC || type == CGROUP_SUPER_MAGIC || type == CGROUP2_SUPER_MAGIC;
#else
  (void)fd;
  return false;
#endif
}

std::string describe_limit(std::uintmax_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= 1024 && bytes % 1024 == 0) return fmt::format("{} KiB", bytes >> 10);
  return describe_size(bytes);
}

problem too_large(const std::string& path, std::uintmax_t size, std::uintmax_t limit, bool at_least) {
  return {"E0706",
          fmt::format("'{}' is {}{}; the limit is {}", path, at_least ? "more than " : "", describe_size(size),
                      describe_limit(limit)),
          "split it into files that import each other"};
}

// The process's umask, without changing it (umask() would, for every thread).
mode_t current_umask() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("Umask:", 0) == 0) return static_cast<mode_t>(std::strtoul(line.c_str() + 6, nullptr, 8));
  return 022;
}

std::string parent_of(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

// A streambuf over a descriptor that remembers the first error.
class fd_buf : public std::streambuf {
 public:
  explicit fd_buf(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
  [[nodiscard]] int error() const { return error_; }
  bool drain() {
    char* p = pbase();
    while (p < pptr() && !error_) {
      std::size_t n = static_cast<std::size_t>(pptr() - p);
      {
        std::lock_guard lock(budget_mutex);
        if (write_budget) {
          if (*write_budget < n) n = *write_budget;
          if (n == 0) {
            error_ = ENOSPC;
            break;
          }
          *write_budget -= n;
        }
      }
      auto w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
        break;
      }
      p += w;
    }
    setp(buffer_, buffer_ + sizeof buffer_);
    return !error_;
  }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  int fd_;
  int error_ = 0;
  char buffer_[1 << 16];
};

}  // namespace

std::uintmax_t default_read_limit() { return lang::parse_limits{}.max_bytes; }

lang::diagnostic to_diagnostic(const problem& p) {
  lang::diagnostic d;
  d.code = p.code;
  d.message = p.message;
  d.help = p.help;
  return d;
}

std::string describe_size(std::uintmax_t bytes) {
  if (bytes < 1000) return fmt::format("{} byte{}", bytes, bytes == 1 ? "" : "s");
  static constexpr const char* units[] = {"kB", "MB", "GB", "TB", "PB", "EB"};
  double v = static_cast<double>(bytes) / 1000.0;
  std::size_t u = 0;
  while (v >= 999.5 && u + 1 < std::size(units)) {
    v /= 1000.0;
    ++u;
  }
  return fmt::format("{:.3g} {}", v, units[u]);
}

std::optional<problem> read_regular(const std::string& path, std::string& text, std::uintmax_t limit, links policy) {
  auto cannot = [&](int err) {
    return problem{"E0004", err == ENOENT ? fmt::format("cannot read '{}'", path)
                                          : fmt::format("cannot read '{}': {}", path, reason(err)),
                   {}};
  };
  // The path first: a FIFO is never opened, a huge file never read.
  struct stat st {};
  bool follow = policy == links::follow;
  if ((follow ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st)) != 0) return cannot(errno);
  if (!S_ISREG(st.st_mode)) return not_regular(path, st.st_mode);
  if (under_pseudo_root(path)) return pseudo_file(path);
  if (static_cast<std::uintmax_t>(st.st_size) > limit) return too_large(path, static_cast<std::uintmax_t>(st.st_size), limit, false);
  // Then the descriptor: the path may have been swapped for something else.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
  if (fd < 0) return errno == ELOOP && !follow ? not_regular(path, S_IFLNK) : cannot(errno);
  struct closer {
    int fd;
    ~closer() { ::close(fd); }
  } close_on_return{fd};
  if (::fstat(fd, &st) != 0) return cannot(errno);
  if (!S_ISREG(st.st_mode)) return not_regular(path, st.st_mode);
  if (pseudo_filesystem(fd)) return pseudo_file(path);
  if (static_cast<std::uintmax_t>(st.st_size) > limit) return too_large(path, static_cast<std::uintmax_t>(st.st_size), limit, false);
  // At most limit + 1 bytes: a file that grew since is refused, not read whole.
  std::string out;
  out.resize(static_cast<std::size_t>(std::min<std::uintmax_t>(static_cast<std::uintmax_t>(st.st_size), limit) + 1));
  std::size_t got = 0;
  for (;;) {
    if (got == out.size()) {
      if (got > limit) break;
      out.resize(static_cast<std::size_t>(std::min<std::uintmax_t>(limit + 1, out.size() * 2 + 4096)));
    }
    auto n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return cannot(errno);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got > limit) return too_large(path, limit, limit, true);
  out.resize(got);
  text = std::move(out);
  return std::nullopt;
}

// --- atomic writes ---

struct atomic_file::state {
  std::string target, temp;
  existing policy = existing::replace;
  mode_t mode = 0644;
  int fd = -1;
  bool committed = false;
  std::unique_ptr<fd_buf> buf;
  std::unique_ptr<std::ostream> out;

  void discard() {
    if (fd >= 0) ::close(fd);
    fd = -1;
    if (!temp.empty() && !committed) ::unlink(temp.c_str());
  }
  [[nodiscard]] problem failed(int err, bool existed) const {
    return {"E1501",
            fmt::format("cannot write '{}': {}", target, reason(err)),
            existed ? "the file is unchanged" : "no file was created"};
  }
};

atomic_file::atomic_file() : s_(std::make_unique<state>()) {}
atomic_file::~atomic_file() {
  if (s_) s_->discard();
}

std::optional<problem> atomic_file::open(const std::string& path, existing policy) {
  s_->target = path;
  s_->policy = policy;
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode))
      return problem{"E1503", fmt::format("'{}' is a symbolic link; ironlaw does not write through or replace links", path),
                     "write to the file it points to, or remove the link"};
    if (!S_ISREG(st.st_mode))
      return problem{"E1503", fmt::format("'{}' is {}, not a regular file", path, kind_of(st.st_mode)),
                     "choose a file name"};
    if (policy == existing::refuse)
      return problem{"E1502", fmt::format("'{}' already exists", path), "give --force to replace it"};
    s_->mode = st.st_mode & 07777;
  } else if (errno != ENOENT) {
    return s_->failed(errno, false);
  } else {
    s_->mode = 0666 & ~current_umask();
  }
  auto dir = parent_of(path);
  std::string name = std::filesystem::path(path).filename().string();
  std::string templ = (std::filesystem::path(dir) / ("." + name + ".ironlaw-XXXXXX")).string();
  std::vector<char> buffer(templ.begin(), templ.end());
  buffer.push_back('\0');
  int fd = ::mkstemp(buffer.data());
  if (fd < 0) {
    int err = errno;
    return problem{"E1501", fmt::format("cannot write '{}': cannot create a file in '{}': {}", path, dir, reason(err)),
                   "the original, if any, is unchanged"};
  }
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  s_->fd = fd;
  s_->temp = buffer.data();
  s_->buf = std::make_unique<fd_buf>(fd);
  s_->out = std::make_unique<std::ostream>(s_->buf.get());
  return std::nullopt;
}

std::ostream& atomic_file::stream() { return *s_->out; }

std::optional<problem> atomic_file::commit() {
  auto& s = *s_;
  bool existed = s.policy == existing::replace && ::access(s.target.c_str(), F_OK) == 0;
  auto fail = [&](int err) {
    s.discard();
    return s.failed(err, existed);
  };
  if (s.fd < 0) return fail(EBADF);
  s.out->flush();
  if (s.buf->error()) return fail(s.buf->error());
  if (!*s.out) return fail(EIO);
  if (::fchmod(s.fd, s.mode) != 0) return fail(errno);
  if (::fsync(s.fd) != 0) return fail(errno);
  int fd = s.fd;
  s.fd = -1;
  if (::close(fd) != 0) return fail(errno);
  if (s.policy == existing::refuse) {
    // Never replace a file that appeared meanwhile.
#ifdef RENAME_NOREPLACE
    int renamed = ::renameat2(AT_FDCWD, s.temp.c_str(), AT_FDCWD, s.target.c_str(), RENAME_NOREPLACE);
    int err = renamed == 0 ? 0 : errno;
#else
    int renamed = -1, err = ENOSYS;  // no renameat2 (the browser build): link() below
#endif
    if (renamed != 0) {
      if (err == EEXIST) {
        s.discard();
        return problem{"E1502", fmt::format("'{}' already exists", s.target), "give --force to replace it"};
      }
      if (err != EINVAL && err != ENOSYS) return fail(err);
      // A filesystem without RENAME_NOREPLACE: link() refuses an existing name too.
      if (::link(s.temp.c_str(), s.target.c_str()) != 0) {
        err = errno;
        if (err == EEXIST) {
          s.discard();
          return problem{"E1502", fmt::format("'{}' already exists", s.target), "give --force to replace it"};
        }
        return fail(err);
      }
      ::unlink(s.temp.c_str());
    }
  } else if (::rename(s.temp.c_str(), s.target.c_str()) != 0) {
    return fail(errno);
  }
  s.committed = true;
  // The rename itself durable: best effort.
  int dir = ::open(parent_of(s.target).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return std::nullopt;
}

std::optional<problem> write_atomic(const std::string& path, std::string_view content, existing policy) {
  atomic_file f;
  if (auto p = f.open(path, policy)) return p;
  f.stream().write(content.data(), static_cast<std::streamsize>(content.size()));
  return f.commit();
}

// --- run --out DIR ---

std::optional<problem> output_dir::open(const std::string& dir, bool force) {
  dir_ = dir;
  force_ = force;
  manifest_.clear();
  std::error_code ec;
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT) return problem{"E1501", fmt::format("cannot write to '{}': {}", dir, reason(errno)), {}};
    std::filesystem::create_directories(dir, ec);
    if (ec) return problem{"E1501", fmt::format("cannot create the directory '{}': {}", dir, ec.message()), {}};
  } else if (!S_ISDIR(st.st_mode)) {
    return problem{"E1503", fmt::format("--out '{}' is {}, not a directory", dir, kind_of(st.st_mode)),
                   "give a directory (created when absent)"};
  }
  auto manifest = path_of(manifest_name);
  if (::lstat(manifest.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode))
      return problem{"E1503", fmt::format("'{}' is {}, not ironlaw's manifest", manifest, kind_of(st.st_mode)),
                     "remove it, or choose another --out directory"};
    std::string text;
    if (auto p = read_regular(manifest, text, 1u << 20)) return p;
    std::size_t at = 0;
    while (at < text.size()) {
      auto nl = text.find('\n', at);
      auto line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
      at = nl == std::string::npos ? text.size() : nl + 1;
      if (!line.empty() && line[0] != '#' && line.find('/') == std::string::npos) manifest_.insert(line);
    }
  }
  return std::nullopt;
}

std::string output_dir::path_of(const std::string& name) const { return (std::filesystem::path(dir_) / name).string(); }

std::optional<problem> output_dir::may_write(const std::string& name) const {
  auto path = path_of(name);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
  if (S_ISLNK(st.st_mode))
    return problem{"E1503", fmt::format("'{}' is a symbolic link; --out never writes through or replaces links", path),
                   "remove the link, or choose another --out directory"};
  if (!S_ISREG(st.st_mode))
    return problem{"E1503", fmt::format("'{}' is {}, not a regular file", path, kind_of(st.st_mode)),
                   "remove it, or choose another --out directory"};
  if (force_ || manifest_.count(name)) return std::nullopt;
  return problem{"E1502", fmt::format("'{}' already exists and ironlaw did not write it", path),
                 fmt::format("give --force to replace it, or choose another --out directory (ironlaw replaces only the "
                             "files listed in {})",
                             manifest_name)};
}

std::optional<problem> output_dir::record(const std::set<std::string>& names) {
  auto before = manifest_;
  manifest_.insert(names.begin(), names.end());
  if (manifest_ == before && ::access(path_of(manifest_name).c_str(), F_OK) == 0) return std::nullopt;
  std::string text = "# The files `ironlaw run --out` wrote here: it replaces these, and no other file without --force.\n";
  for (const auto& n : manifest_) text += n + "\n";
  return write_atomic(path_of(manifest_name), text, existing::replace);
}

namespace testing {
void fail_writes_after(std::optional<std::size_t> bytes) {
  std::lock_guard lock(budget_mutex);
  write_budget = bytes;
}
}  // namespace testing

}  // namespace ironlaw::runtime::files
