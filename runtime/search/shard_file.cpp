// Shard files (shard_file.hpp): a versioned text format of whitespace-separated
// tokens, strings as `LENGTH:BYTES` (so no byte needs escaping) and numbers
// as the shortest text that reads back to the same double, so a tally read
// back is the tally written, bit for bit.
#include "shard_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

namespace ironlaw::runtime::search {

std::uint64_t shard_begin(std::uint64_t positions, std::uint64_t k, std::uint64_t n) {
  return positions / n * k + std::min(k, positions % n);
}

const design_shard* shard_results::find(const std::string& name) const {
  for (const auto& d : designs)
    if (d.name == name) return &d;
  return nullptr;
}

std::string shard_file_name(std::uint64_t k, std::uint64_t n) {
  auto width = fmt::format("{}", n).size();
  return fmt::format("shard-{:0{}}-of-{}{}", k, width, n, shard_extension);
}

namespace {

constexpr const char* magic = "ironlaw-shard";

// --- writing

struct writer {
  std::string out;
  void word(std::string_view w) { out += w, out += ' '; }
  void number(std::uint64_t v) { word(fmt::format("{}", v)); }
  void real(double v) { word(fmt::format("{}", v)); }
  void field(std::string_view name, std::uint64_t v) { word(name), number(v); }
  void text(std::string_view s) {
    out += fmt::format("{}:", s.size());
    out += s;
    out += ' ';
  }
  void line() { out.back() = '\n'; }
};

void write_reals(writer& w, const std::vector<double>& v) {
  w.number(v.size());
  for (double x : v) w.real(x);
}

void write_archive(writer& w, const archive& a) {
  w.field("archive", a.depth());
  w.number(a.keep());
  w.number(a.size());
  w.line();
  for (const auto& e : a.points()) {
    w.number(e.index);
    write_reals(w, e.objectives);
    write_reals(w, e.key);
    w.line();
  }
}

void write_tally(writer& w, const tally& t) {
  w.word("counts");
  for (auto v : {t.points, t.excluded, t.rejected, t.evaluated, t.feasible}) w.number(v);
  w.line();
  w.field("failed", t.failed.size());
  for (auto v : t.failed) w.number(v);
  w.line();
  w.field("reasons", t.reasons.size());
  w.line();
  for (const auto& [reason, c] : t.reasons) {
    w.number(c.count);
    w.number(c.first);
    w.text(reason);
    w.line();
  }
  write_archive(w, t.front);
  w.field("closest", t.closest.size());
  w.line();
  for (const auto& m : t.closest) {
    w.number(m.index);
    w.real(m.worst);
    w.number(m.requirement);
    w.line();
  }
  w.field("relax", t.relax.size());
  w.line();
  for (const auto& a : t.relax) write_archive(w, a);
}

// --- reading: a cursor over untrusted bytes; the first problem stops it.

class reader {
 public:
  reader(const lang::source_ptr& file, lang::diagnostics& diags) : file_(file), s_(file->text()), diags_(diags) {}

  [[nodiscard]] bool ok() const { return ok_; }
  bool fail(const std::string& what) {
    if (!ok_) return false;
    ok_ = false;
    auto at = static_cast<std::uint32_t>(pos_);
    auto end = static_cast<std::uint32_t>(std::min(s_.size(), pos_ + 1));
    diags_.error("E1210", file_, {at, std::max(at, end)}, "malformed shard file: " + what).help =
        "shard files are written by `ironlaw run FILE --shard K/N --out DIR`; run that part again";
    return false;
  }
  std::string_view token() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n')) ++pos_;
    std::size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] != ' ' && s_[pos_] != '\n') ++pos_;
    return s_.substr(start, pos_ - start);
  }
  bool expect(std::string_view word) {
    std::size_t at = skip();
    if (token() == word) return true;
    pos_ = at;
    return fail(fmt::format("expected '{}' here", word));
  }
  bool number(std::uint64_t& v, std::uint64_t limit = UINT64_MAX) {
    std::size_t at = skip();
    auto t = token();
    auto [end, err] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || err != std::errc() || end != t.data() + t.size() || v > limit) {
      pos_ = at;
      return fail(limit == UINT64_MAX ? "expected a whole number here"
                                      : fmt::format("expected a whole number of at most {} here", limit));
    }
    return true;
  }
  bool real(double& v) {
    std::size_t at = skip();
    auto t = token();
#if defined(__cpp_lib_to_chars)
    auto [end, err] = std::from_chars(t.data(), t.data() + t.size(), v);
    bool whole_token = err == std::errc() && end == t.data() + t.size();
#else
    // libc++ 13 (emscripten's, the browser build) has no from_chars for
    // double; strtod in the "C" locale reads the same digits. Its extra forms
    // (leading blanks, '+', hex) cannot occur: token() stops at blanks and the
    // writer prints fmt's shortest decimal.
    std::string copy(t);
    char* end = nullptr;
    errno = 0;
    v = std::strtod(copy.c_str(), &end);
    bool whole_token = errno == 0 && end == copy.c_str() + copy.size();
#endif
    if (t.empty() || !whole_token) {
      pos_ = at;
      return fail("expected a number here");
    }
    return true;
  }
  bool text(std::string& v) {
    std::size_t at = skip();
    std::size_t colon = s_.find(':', pos_);
    std::uint64_t n = 0;
    auto digits = colon == std::string_view::npos ? std::string_view{} : s_.substr(pos_, colon - pos_);
    auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (digits.empty() || err != std::errc() || end != digits.data() + digits.size() || n > s_.size() - colon - 1) {
      pos_ = at;
      return fail("expected a string (LENGTH:BYTES) here");
    }
    v.assign(s_.substr(colon + 1, n));
    pos_ = colon + 1 + n;
    return true;
  }
  bool reals(std::vector<double>& v) {
    std::uint64_t n = 0;
    if (!number(n, max_values)) return false;
    v.assign(n, 0);
    for (auto& x : v)
      if (!real(x)) return false;
    return true;
  }
  bool at_end() {
    skip();
    return pos_ == s_.size();
  }
  std::size_t skip() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n')) ++pos_;
    return pos_;
  }
  std::size_t position() const { return pos_; }
  void seek(std::size_t p) { pos_ = p; }

  // Requirements, objectives, keys: a design has a handful; a file claiming
  // more is not one ironlaw wrote.
  static constexpr std::uint64_t max_values = 4096;

 private:
  const lang::source_ptr& file_;
  std::string_view s_;
  lang::diagnostics& diags_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

bool read_archive(reader& r, archive& a, std::uint64_t objectives) {
  std::uint64_t depth = 0, keep = 0, count = 0;
  if (!r.expect("archive") || !r.number(depth) || !r.number(keep) || !r.number(count)) return false;
  a = archive(static_cast<std::size_t>(depth), static_cast<std::size_t>(keep));
  for (std::uint64_t i = 0; i < count; ++i) {
    entry e;
    if (!r.number(e.index)) return false;
    std::size_t at = r.skip();
    if (!r.reals(e.objectives) || !r.reals(e.key)) return false;
    // Every point of an archive is compared with every other (and sorted):
    // one length for all, and no NaN, which no order can place.
    auto is_nan = [](double v) { return std::isnan(v); };
    if (e.objectives.size() != objectives || std::any_of(e.objectives.begin(), e.objectives.end(), is_nan) ||
        std::any_of(e.key.begin(), e.key.end(), is_nan)) {
      r.seek(at);
      return r.fail(fmt::format("expected {} objectives and a key, none of them NaN, here", objectives));
    }
    a.insert(std::move(e));
  }
  return true;
}

bool read_tally(reader& r, tally& t, std::uint64_t objectives) {
  std::uint64_t requirements = 0, reasons = 0, closest = 0, relaxed = 0;
  if (!r.expect("counts")) return false;
  for (auto* v : {&t.points, &t.excluded, &t.rejected, &t.evaluated, &t.feasible})
    if (!r.number(*v)) return false;
  if (!r.expect("failed") || !r.number(requirements, reader::max_values)) return false;
  t.failed.assign(requirements, 0);
  for (auto& v : t.failed)
    if (!r.number(v)) return false;
  if (!r.expect("reasons") || !r.number(reasons)) return false;
  for (std::uint64_t i = 0; i < reasons; ++i) {
    reason_count c;
    std::string reason;
    if (!r.number(c.count) || !r.number(c.first) || !r.text(reason)) return false;
    t.reasons[reason] = c;
  }
  if (!read_archive(r, t.front, objectives)) return false;
  if (!r.expect("closest") || !r.number(closest, requirements ? t.closest_kept : 0)) return false;
  for (std::uint64_t i = 0; i < closest; ++i) {
    near_miss m;
    std::uint64_t requirement = 0;
    if (!r.number(m.index)) return false;
    std::size_t at = r.skip();
    if (!r.real(m.worst)) return false;
    if (std::isnan(m.worst)) {
      r.seek(at);
      return r.fail("expected a slack that is a number here");
    }
    if (!r.number(requirement, requirements ? requirements - 1 : 0)) return false;
    m.requirement = static_cast<std::size_t>(requirement);
    t.closest.push_back(m);
  }
  if (!r.expect("relax") || !r.number(relaxed, requirements)) return false;
  t.relax.assign(relaxed, archive(1));
  for (auto& a : t.relax)
    if (!read_archive(r, a, objectives + 1)) return false;
  return true;
}

bool read_design(reader& r, design_shard& d) {
  std::uint64_t relax = 0;
  if (!r.expect("design") || !r.text(d.name) || !r.expect("space") || !r.number(d.space) || !r.expect("positions") ||
      !r.number(d.positions) || !r.expect("part") || !r.number(d.begin) || !r.number(d.end, d.positions) ||
      !r.expect("seconds") || !r.real(d.seconds) || !r.expect("threads") || !r.number(d.threads) ||
      !r.expect("relax") || !r.number(relax, 1) || !r.expect("objectives") ||
      !r.number(d.objectives, reader::max_values))
    return false;
  d.track_relax = relax == 1;
  if (d.begin > d.end) return r.fail("this part ends before it begins");
  return read_tally(r, d.t, d.objectives);
}

}  // namespace

std::string write_shard(const shard_file& f) {
  writer w;
  w.word(magic);
  w.number(shard_file::format_version);
  w.line();
  w.word("scenario");
  w.text(f.scenario);
  w.line();
  w.word("text");
  w.text(f.text);
  w.line();
  w.word("shard");
  w.number(f.k);
  w.number(f.n);
  w.line();
  w.word("flags");
  for (auto v : {f.sample, f.seed, f.max_points}) w.number(v);
  w.line();
  w.field("designs", f.results.designs.size());
  w.line();
  for (const auto& d : f.results.designs) {
    w.word("design");
    w.text(d.name);
    w.field("space", d.space);
    w.field("positions", d.positions);
    w.field("part", d.begin);
    w.number(d.end);
    w.word("seconds");
    w.real(d.seconds);
    w.field("threads", d.threads);
    w.field("relax", d.track_relax ? 1 : 0);
    w.field("objectives", d.objectives);
    w.line();
    write_tally(w, d.t);
  }
  w.word("end");
  w.line();
  return w.out;
}

bool read_shard(const lang::source_ptr& file, shard_file& out, lang::diagnostics& diags) {
  reader r(file, diags);
  std::uint64_t version = 0, designs = 0;
  if (!r.expect(magic)) return false;
  std::size_t at = r.skip();
  if (!r.number(version)) return false;
  if (version != shard_file::format_version) {
    diags.error("E1211", file, {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(r.position())},
                fmt::format("shard file of format version {}; this ironlaw reads version {}", version,
                            shard_file::format_version))
        .help = "run every part again with this ironlaw (`ironlaw run FILE --shard K/N --out DIR`)";
    return false;
  }
  if (!r.expect("scenario") || !r.text(out.scenario) || !r.expect("text") || !r.text(out.text) || !r.expect("shard"))
    return false;
  at = r.skip();
  if (!r.number(out.k) || !r.number(out.n)) return false;
  if (out.k < 1 || out.k > out.n) {
    r.seek(at);
    return r.fail(fmt::format("part {} of {} is not a part (1 <= K <= N)", out.k, out.n));
  }
  if (!r.expect("flags") || !r.number(out.sample) || !r.number(out.seed) || !r.number(out.max_points) ||
      !r.expect("designs") || !r.number(designs))
    return false;
  for (std::uint64_t i = 0; i < designs; ++i) {
    design_shard d;
    if (!read_design(r, d)) return false;
    out.results.designs.push_back(std::move(d));
  }
  if (!r.expect("end")) return false;
  if (!r.at_end()) return r.fail("unexpected bytes after the end");
  return r.ok();
}

namespace {

// A problem with the set of files rather than one byte of one: no span.
bool mismatch(lang::diagnostics& diags, std::string message, std::string help) {
  lang::diagnostic d;
  d.code = "E1212";
  d.message = std::move(message);
  d.help = std::move(help);
  diags.add(std::move(d));
  return false;
}

constexpr const char* rerun_help = "merge the N files of one `ironlaw run FILE --shard K/N` (K = 1..N), all run on "
                                   "the same file with the same flags";

// Every point a relaxation archive holds fails its requirement (and is
// counted in that requirement's failures); every close miss is an evaluated
// point that is not feasible.
bool archived_failures_fit(const tally& t, std::uint64_t infeasible) {
  for (std::size_t req = 0; req < t.relax.size(); ++req)
    if (req >= t.failed.size() || t.relax[req].size() > t.failed[req]) return false;
  return t.closest.size() <= infeasible;
}

// One design's part agrees with the part it claims to be.
bool check_part(const design_shard& d, const shard_file& f, const std::string& path, lang::diagnostics& diags) {
  if (d.begin != shard_begin(d.positions, f.k - 1, f.n) || d.end != shard_begin(d.positions, f.k, f.n))
    return mismatch(diags, fmt::format("{}: design '{}' holds positions {} to {}, not part {} of {}", path, d.name,
                                       d.begin, d.end, f.k, f.n),
                    rerun_help);
  // Each count is bounded before any sum, so no count can wrap one.
  const auto& t = d.t;
  std::uint64_t infeasible = t.evaluated >= t.feasible ? t.evaluated - t.feasible : 0;
  std::uint64_t reasons = 0;  // a point has at most one reason: rejected, or evaluated and not fitting
  bool reasons_fit = true;
  for (const auto& [why, c] : t.reasons) {
    reasons_fit = reasons_fit && c.count >= 1 && c.count <= t.points - reasons;
    if (!reasons_fit) break;
    reasons += c.count;
  }
  bool counts_fit =
      t.points == d.end - d.begin && t.excluded <= t.points && t.rejected <= t.points - t.excluded &&
      t.evaluated == t.points - t.excluded - t.rejected && t.feasible <= t.evaluated &&
      std::all_of(t.failed.begin(), t.failed.end(), [&](std::uint64_t failures) { return failures <= infeasible; }) &&
      reasons_fit && reasons <= t.rejected + infeasible && t.front.size() <= t.feasible &&
      archived_failures_fit(t, infeasible);
  if (!counts_fit)
    return mismatch(diags, fmt::format("{}: design '{}' counts {} points in a part of {}, and its counts (excluded, "
                                       "rejected, evaluated, feasible, failed, reasons, archived) do not add up", path, d.name,
                                       d.t.points, d.end - d.begin),
                    rerun_help);
  bool sampled = d.positions < d.space;
  auto outside = [&](std::uint64_t index) {
    return index >= d.space || (!sampled && (index < d.begin || index >= d.end));
  };
  bool bad = std::any_of(d.t.front.points().begin(), d.t.front.points().end(), [&](const entry& e) { return outside(e.index); }) ||
             std::any_of(d.t.closest.begin(), d.t.closest.end(), [&](const near_miss& m) { return outside(m.index); }) ||
             std::any_of(d.t.reasons.begin(), d.t.reasons.end(), [&](const auto& r) { return outside(r.second.first); });
  for (const auto& a : d.t.relax)
    bad = bad || std::any_of(a.points().begin(), a.points().end(), [&](const entry& e) { return outside(e.index); });
  if (bad)
    return mismatch(diags, fmt::format("{}: design '{}' names a point outside part {} of {}", path, d.name, f.k, f.n),
                    rerun_help);
  return true;
}

}  // namespace

bool merge_shards(const std::vector<std::pair<lang::source_ptr, shard_file>>& parts, shard_file& whole,
                  lang::diagnostics& diags) {
  if (parts.empty()) return mismatch(diags, "no shard files to merge", "give the directory `run --shard K/N --out DIR` wrote");
  const auto& [first_file, first] = parts.front();
  std::map<std::uint64_t, std::string> seen;  // part -> its file
  for (const auto& [file, f] : parts) {
    const auto& path = file->name();
    if (f.text != first.text || f.scenario != first.scenario)
      return mismatch(diags, fmt::format("{} and {} come from different scenarios ({} and {})", first_file->name(), path,
                                         first.scenario, f.scenario),
                      rerun_help);
    if (f.n != first.n || f.sample != first.sample || f.seed != first.seed || f.max_points != first.max_points)
      return mismatch(diags, fmt::format("{} and {} come from different runs (part of {} and of {}, or other --sample, "
                                         "--seed or --max-points)", first_file->name(), path, first.n, f.n),
                      rerun_help);
    if (auto [it, fresh] = seen.emplace(f.k, path); !fresh)
      return mismatch(diags, fmt::format("part {} of {} appears twice: {} and {}", f.k, f.n, it->second, path),
                      "keep one of them");
    if (f.results.designs.size() != first.results.designs.size())
      return mismatch(diags, fmt::format("{} and {} hold different designs", first_file->name(), path), rerun_help);
    for (std::size_t i = 0; i < f.results.designs.size(); ++i) {
      const auto& a = first.results.designs[i];
      const auto& b = f.results.designs[i];
      if (a.name != b.name || a.space != b.space || a.positions != b.positions || a.track_relax != b.track_relax ||
          a.objectives != b.objectives ||
          a.t.failed.size() != b.t.failed.size() || a.t.relax.size() != b.t.relax.size() ||
          a.t.front.depth() != b.t.front.depth() || a.t.front.keep() != b.t.front.keep())
        return mismatch(diags, fmt::format("{} and {} hold different searches of design '{}'", first_file->name(), path,
                                           a.name),
                        rerun_help);
      if (!check_part(b, f, path, diags)) return false;
    }
  }
  if (seen.size() != first.n) {
    std::vector<std::string> missing;
    for (std::uint64_t k = 1; k <= first.n && missing.size() < 10; ++k)
      if (!seen.count(k)) missing.push_back(fmt::format("{}", k));
    return mismatch(diags, fmt::format("{} of {} parts are missing (part{} {}{})", first.n - seen.size(), first.n,
                                       missing.size() > 1 ? "s" : "", fmt::join(missing, ", "),
                                       first.n - seen.size() > missing.size() ? ", ..." : ""),
                    "wait for every part to finish, or run the missing ones again");
  }
  whole = first;
  whole.k = 1;
  whole.n = 1;
  whole.results.designs.clear();
  for (std::size_t i = 0; i < first.results.designs.size(); ++i) {
    const auto& model = first.results.designs[i];
    design_shard d;
    d.name = model.name;
    d.space = model.space;
    d.positions = model.positions;
    d.begin = 0;
    d.end = model.positions;
    d.track_relax = model.track_relax;
    d.objectives = model.objectives;
    d.threads = 0;
    d.t = tally(model.t.failed.size(), model.t.front.depth(), model.t.front.keep(), model.track_relax);
    // In part order, as the whole run merges its chunks in order.
    std::vector<const design_shard*> ordered(first.n);
    for (const auto& [file, f] : parts) ordered[f.k - 1] = &f.results.designs[i];
    for (const auto* p : ordered) {
      d.t.merge(p->t);
      d.seconds += p->seconds;
      d.threads = std::max(d.threads, p->threads);
    }
    whole.results.designs.push_back(std::move(d));
  }
  return true;
}

}  // namespace ironlaw::runtime::search
