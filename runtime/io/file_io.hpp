#pragma once
// Reading and writing the user's files (issue 16; docs/language.md, "Files:
// what ironlaw reads and writes"). Internal to runtime.
//
// Every read is bounded: only regular files (not directories, FIFOs, devices,
// sockets or /proc and /sys pseudo-files), the size checked with stat before
// reading and again on the opened descriptor, at most `limit` + 1 bytes read.
//
// Every write is atomic: a temporary file in the target's directory, written,
// fsync'ed, given the original's permissions, then renamed over the target.
// On any failure the original is untouched and the temporary removed.
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

#include "ironlaw/lang/diagnostic.hpp"

namespace ironlaw::runtime::files {

// The parser's limit (lang::parse_limits::max_bytes, 8 MiB): the default for
// every file ironlaw reads.
std::uintmax_t default_read_limit();

// What went wrong, as a diagnostic code and message:
//   E0004 cannot read (absent, permission), E0705 not a regular file,
//   E0706 too large; E1501 cannot write, E1502 exists and was not written by
//   ironlaw, E1503 the output is a symbolic link or not a regular file.
struct problem {
  std::string code;
  std::string message;
  std::string help;
};

// A diagnostic with no source span (a command-line file).
lang::diagnostic to_diagnostic(const problem& p);

// Whether a symbolic link is followed. An untrusted file (a student's
// submission) refuses them: a link could point at another student's file or
// at the grader's own secrets.
enum class links { follow, refuse };

// `path`'s whole text, when it is a regular file of at most `limit` bytes
// (with links::refuse, `path` itself must not be a link: E0705).
std::optional<problem> read_regular(const std::string& path, std::string& text,
                                    std::uintmax_t limit = default_read_limit(), links policy = links::follow);

// "120 MB", "8 MiB", "512 bytes": a size for a message.
std::string describe_size(std::uintmax_t bytes);

// What to do when the target exists.
enum class existing {
  replace,  // rename over it, keeping its permissions (fmt --write, a --out file in the manifest, --force)
  refuse,   // E1502 (import-model --out and :save without --force / :save!)
};

// A file being written: a temporary in the target's directory until commit().
// Destroyed without commit(), the temporary is removed and the target untouched.
class atomic_file {
 public:
  atomic_file();
  ~atomic_file();
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;

  // Creates the temporary; checks the target (E1502, E1503) first.
  std::optional<problem> open(const std::string& path, existing policy);
  std::ostream& stream();
  // Flush, fsync, permissions, rename. E1501 (or E1502) on failure.
  std::optional<problem> commit();

 private:
  struct state;
  std::unique_ptr<state> s_;
};

// The whole of `content` to `path`, atomically.
std::optional<problem> write_atomic(const std::string& path, std::string_view content, existing policy);

// `run --out DIR`: the directory's manifest (`.ironlaw-out`) lists the files
// ironlaw wrote there; those are replaced, any other existing file needs
// --force, and a symbolic link is never written through or replaced.
class output_dir {
 public:
  // Creates DIR when absent; reads its manifest.
  std::optional<problem> open(const std::string& dir, bool force);
  // Whether `name` (a plain file name) may be written: E1502 or E1503 otherwise.
  [[nodiscard]] std::optional<problem> may_write(const std::string& name) const;
  // Adds names to the manifest (rewritten atomically).
  std::optional<problem> record(const std::set<std::string>& names);
  [[nodiscard]] std::string path_of(const std::string& name) const;

  static constexpr const char* manifest_name = ".ironlaw-out";

 private:
  std::string dir_;
  bool force_ = false;
  std::set<std::string> manifest_;
};

namespace testing {
// Unit tests only: writes fail (as a full disk would) after this many bytes.
void fail_writes_after(std::optional<std::size_t> bytes);
}  // namespace testing

}  // namespace ironlaw::runtime::files
