#include "engine.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <ostream>
#include <thread>

namespace ironlaw::runtime::search {

bool point_result::feasible() const {
  if (st != state::evaluated || !reason.empty()) return false;  // an evaluated point with a reason does not fit
  for (char m : met)
    if (!m) return false;
  for (double o : objectives)
    if (std::isnan(o)) return false;
  return true;
}

tally::tally(std::size_t requirements, std::size_t depth, std::size_t keep, bool track_relax)
    : failed(requirements, 0), front(depth, keep) {
  if (track_relax) relax.assign(requirements, archive(1));
}

namespace {

bool closer(const near_miss& a, const near_miss& b) {
  if (a.worst != b.worst) return a.worst > b.worst;
  return a.index < b.index;
}

void keep_closest(std::vector<near_miss>& v, std::size_t kept) {
  std::sort(v.begin(), v.end(), closer);
  if (v.size() > kept) v.resize(kept);
}

}  // namespace

void tally::add(std::uint64_t index, const point_result& r) {
  ++points;
  if (r.st == point_result::state::excluded) {
    ++excluded;
    return;
  }
  if (r.st == point_result::state::rejected) {
    ++rejected;
    count_reason(r.reason, index);
    return;
  }
  ++evaluated;
  std::size_t failures = 0, only = 0;
  bool all_evaluated = true;
  for (std::size_t i = 0; i < r.met.size(); ++i) {
    if (!r.met[i]) {
      ++failed[i];
      ++failures;
      only = i;
    }
    all_evaluated = all_evaluated && !std::isnan(r.slacks[i]);
  }
  // Evaluated, but its configuration does not fit in memory: infeasible
  // whatever its requirements say, counted with why, never ranked or relaxed
  // into; a close miss only on requirements that do not read its times.
  bool fits = r.reason.empty();
  if (!fits) count_reason(r.reason, index);
  bool objectives_ok =
      fits && std::none_of(r.objectives.begin(), r.objectives.end(), [](double o) { return std::isnan(o); });
  if (failures == 0 && objectives_ok) {
    ++feasible;
    front.insert(entry{index, r.objectives, r.key, 1});
    return;
  }
  if (failures == 1 && objectives_ok && !relax.empty() && !r.objectives.empty() && !std::isnan(r.slacks[only])) {
    auto objectives = r.objectives;
    objectives.push_back(-r.slacks[only]);  // the violation, minimized too
    relax[only].insert(entry{index, std::move(objectives), {}, 1});
  }
  if (failures > 0 && all_evaluated) {
    near_miss m{index, std::numeric_limits<double>::infinity(), 0};
    for (std::size_t i = 0; i < r.slacks.size(); ++i)
      if (r.slacks[i] < m.worst) m = near_miss{index, r.slacks[i], i};
    if (closest.size() < closest_kept || closer(m, closest.back())) {
      closest.push_back(m);
      keep_closest(closest, closest_kept);
    }
  }
}

void tally::count_reason(const std::string& reason, std::uint64_t index) {
  if (!last_reason.reason || *last_reason.reason != reason) {
    auto it = reasons.try_emplace(reason).first;  // map nodes never move: the pointers stay valid
    last_reason.reason = &it->first;
    last_reason.count = &it->second;
  }
  auto& c = *last_reason.count;
  if (c.count == 0 || index < c.first) c.first = index;
  ++c.count;
}

void tally::merge(const tally& other) {
  points += other.points;
  excluded += other.excluded;
  rejected += other.rejected;
  evaluated += other.evaluated;
  feasible += other.feasible;
  for (std::size_t i = 0; i < failed.size() && i < other.failed.size(); ++i) failed[i] += other.failed[i];
  for (const auto& [reason, c] : other.reasons) {
    auto& mine = reasons[reason];
    mine.first = mine.count == 0 ? c.first : std::min(mine.first, c.first);
    mine.count += c.count;
  }
  front.merge(other.front);
  closest.insert(closest.end(), other.closest.begin(), other.closest.end());
  keep_closest(closest, closest_kept);
  for (std::size_t i = 0; i < relax.size() && i < other.relax.size(); ++i) relax[i].merge(other.relax[i]);
}

// The browser build (emscripten without pthreads) cannot start a thread: one
// worker, no progress reporter.
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
constexpr bool threads_available = false;
#else
constexpr bool threads_available = true;
#endif

std::size_t default_threads() { return threads_available ? std::max(1u, std::thread::hardware_concurrency()) : 1; }

tally run_search(const engine_config& config) {
  auto fresh = [&] { return tally(config.requirements, config.depth, config.keep, config.track_relax); };
  std::size_t threads = threads_available ? std::max<std::size_t>(1, config.threads) : 1;
  // Chunks small enough to balance the threads, large enough to amortize a merge.
  std::uint64_t chunk = std::clamp<std::uint64_t>(config.positions / (threads * 16 + 1), 64, 16384);
  std::uint64_t chunks = (config.positions + chunk - 1) / chunk;
  if (chunks > 0 && threads > chunks) threads = static_cast<std::size_t>(chunks);

  tally total = fresh();
  std::mutex lock;
  std::map<std::uint64_t, std::pair<tally, std::string>> pending;  // finished out of order
  std::uint64_t next_commit = 0;
  std::atomic<std::uint64_t> next_chunk{0}, done{0};

  auto worker = [&] {
    auto ev = config.make_evaluator();
    point_result r;
    for (std::uint64_t c = next_chunk++; c < chunks; c = next_chunk++) {
      tally t = fresh();
      std::string rows;
      std::uint64_t end = std::min(config.positions, (c + 1) * chunk);
      for (std::uint64_t pos = c * chunk; pos < end; ++pos) {
        std::uint64_t index = config.sample ? (*config.sample)[config.first + pos] : config.first + pos;
        ev->evaluate(index, r, config.rows != nullptr);
        t.add(index, r);
        if (config.rows && r.feasible()) rows += r.row;
      }
      done += end - c * chunk;
      std::lock_guard<std::mutex> g(lock);
      pending.emplace(c, std::make_pair(std::move(t), std::move(rows)));
      // Commit in chunk order: the same merges, in the same order, for any thread count.
      for (auto it = pending.begin(); it != pending.end() && it->first == next_commit; it = pending.erase(it)) {
        total.merge(it->second.first);
        if (config.rows) *config.rows << it->second.second;
        ++next_commit;
      }
    }
  };

  std::mutex progress_lock;
  std::condition_variable finished;
  bool all_done = false;
  std::thread reporter;
  if (config.progress && threads_available) {
    reporter = std::thread([&] {
      std::unique_lock<std::mutex> g(progress_lock);
      while (!finished.wait_for(g, std::chrono::milliseconds(200), [&] { return all_done; }))
        config.progress(done.load(), config.positions);
    });
  }
  std::vector<std::thread> pool;
  for (std::size_t i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (reporter.joinable()) {
    {
      std::lock_guard<std::mutex> g(progress_lock);
      all_done = true;
    }
    finished.notify_all();
    reporter.join();
  }
  return total;
}

}  // namespace ironlaw::runtime::search
