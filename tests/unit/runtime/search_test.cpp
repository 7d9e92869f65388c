// The design-space search: the Pareto archive against a reference sort, the
// engine's determinism and shard merging, and the capstone's front against a
// brute force written here, independently of the engine.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <set>
#include <sstream>

#include "../../../runtime/search/engine.hpp"
#include "../../../runtime/search/front.hpp"
#include "../../../runtime/search/shard_file.hpp"
#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;
using search::entry;

namespace {

std::vector<entry> random_points(std::size_t n, std::size_t objectives, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> coarse(0, 20);  // coarse values: ties and duplicates happen
  std::vector<entry> points;
  for (std::size_t i = 0; i < n; ++i) {
    entry e;
    e.index = i;
    for (std::size_t o = 0; o < objectives; ++o) e.objectives.push_back(coarse(rng));
    e.key = e.objectives;
    points.push_back(e);
  }
  return points;
}

// The non-dominated points by the definition: nothing else dominates them.
std::set<std::uint64_t> front_by_definition(const std::vector<entry>& points) {
  std::set<std::uint64_t> front;
  for (const auto& a : points) {
    bool dominated = false;
    for (const auto& b : points) dominated = dominated || search::dominates(b.objectives, a.objectives);
    if (!dominated) front.insert(a.index);
  }
  return front;
}

std::set<std::uint64_t> rank_one(const search::archive& a) {
  std::set<std::uint64_t> out;
  for (const auto& e : a.ranked())
    if (e.rank == 1) out.insert(e.index);
  return out;
}

}  // namespace

TEST_CASE("the archive keeps exactly the non-dominated points", "[search]") {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    auto points = random_points(300, 2 + seed % 3, seed);
    search::archive a;
    for (const auto& p : points) a.insert(p);
    INFO("seed " << seed);
    CHECK(rank_one(a) == front_by_definition(points));
    for (const auto& e : a.ranked())
      for (const auto& f : a.ranked()) CHECK_FALSE(search::dominates(f.objectives, e.objectives));
  }
}

TEST_CASE("adding a dominated point changes nothing", "[search]") {
  auto points = random_points(200, 2, 7);
  search::archive a;
  for (const auto& p : points) a.insert(p);
  auto before = a.ranked();
  entry worse;
  worse.index = 10'000;
  worse.objectives = {before.front().objectives[0] + 1, before.front().objectives[1] + 1};
  worse.key = worse.objectives;
  a.insert(worse);
  auto after = a.ranked();
  REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < after.size(); ++i) CHECK(after[i].index == before[i].index);
}

// Ranks by their definition: peel off the non-dominated set, again and again.
std::map<std::uint64_t, std::size_t> ranks_by_peeling(std::vector<entry> rest) {
  std::map<std::uint64_t, std::size_t> ranks;
  for (std::size_t rank = 1; !rest.empty(); ++rank) {
    auto front = front_by_definition(rest);
    for (auto i : front) ranks[i] = rank;
    std::erase_if(rest, [&](const entry& e) { return front.count(e.index) > 0; });
  }
  return ranks;
}

TEST_CASE("non-dominated sorting ranks by the definition, for two objectives and more", "[search]") {
  for (std::size_t objectives : {2, 3, 4}) {
    for (unsigned seed = 1; seed <= 8; ++seed) {
      auto points = random_points(250, objectives, seed);
      auto sorted = points;
      search::rank_all(sorted);
      std::map<std::uint64_t, std::size_t> got;
      for (const auto& e : sorted) got[e.index] = e.rank;
      INFO(objectives << " objectives, seed " << seed);
      CHECK(got == ranks_by_peeling(points));
    }
  }
}

TEST_CASE("an archive of depth k ranks like non-dominated sorting of everything", "[search]") {
  auto points = random_points(400, 2, 3);
  auto reference = points;
  search::rank_all(reference);
  search::archive a(3);
  for (const auto& p : points) a.insert(p);
  std::map<std::uint64_t, std::size_t> expected;
  for (const auto& e : reference)
    if (e.rank <= 3) expected[e.index] = e.rank;
  std::map<std::uint64_t, std::size_t> got;
  for (const auto& e : a.ranked()) got[e.index] = e.rank;
  CHECK(got == expected);
}

TEST_CASE("archives of disjoint shards merge into the archive of the whole", "[search]") {
  auto points = random_points(500, 3, 11);
  search::archive whole(2), even(2), odd(2);
  for (const auto& p : points) {
    whole.insert(p);
    (p.index % 2 ? odd : even).insert(p);
  }
  even.merge(odd);
  auto a = whole.ranked(), b = even.ranked();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].index == b[i].index);
    CHECK(a[i].rank == b[i].rank);
  }
}

namespace {

// A synthetic space: every 13th point rejected, every 7th infeasible, two
// objectives from independent hashes, and a requirement whose slack varies.
class synthetic final : public search::point_evaluator {
 public:
  void evaluate(std::uint64_t i, search::point_result& out, bool) override {
    out.st = i % 13 == 0 ? search::point_result::state::rejected : search::point_result::state::evaluated;
    out.reason = out.st == search::point_result::state::rejected ? "too big" : "";
    double x = static_cast<double>((i * 2654435761u) % 1000);
    out.slacks = {i % 7 == 0 ? -x / 1000 : x / 1000};
    out.met = {static_cast<char>(i % 7 != 0)};
    double y = static_cast<double>((i * 40503u + 7) % 997);  // independent of x: a small front, like real spaces
    out.objectives = {x, y};
    out.key = out.objectives;
  }
};

search::tally run(std::size_t threads, const std::vector<std::uint64_t>* sample = nullptr, std::uint64_t n = 50'000) {
  search::engine_config c;
  c.positions = sample ? sample->size() : n;
  c.sample = sample;
  c.requirements = 1;
  c.depth = 2;
  c.threads = threads;
  c.make_evaluator = [] { return std::make_unique<synthetic>(); };
  return search::run_search(c);
}

void same(const search::tally& a, const search::tally& b) {
  CHECK(a.points == b.points);
  CHECK(a.feasible == b.feasible);
  CHECK(a.rejected == b.rejected);
  CHECK(a.failed == b.failed);
  auto fa = a.front.ranked(), fb = b.front.ranked();
  REQUIRE(fa.size() == fb.size());
  for (std::size_t i = 0; i < fa.size(); ++i) {
    CHECK(fa[i].index == fb[i].index);
    CHECK(fa[i].rank == fb[i].rank);
  }
  REQUIRE(a.closest.size() == b.closest.size());
  for (std::size_t i = 0; i < a.closest.size(); ++i) CHECK(a.closest[i].index == b.closest[i].index);
}

}  // namespace

TEST_CASE("the engine's outcome does not depend on the thread count", "[search]") {
  auto one = run(1), two = run(2), four = run(4);
  CHECK(one.points == 50'000);
  CHECK(one.rejected == (50'000 + 12) / 13);
  CHECK(one.front.ranked().size() >= 4);  // a front, not a single point
  same(one, two);
  same(one, four);
}

TEST_CASE("a space searched as two shards merges into the whole", "[search]") {
  std::vector<std::uint64_t> low, high;
  for (std::uint64_t i = 0; i < 50'000; ++i) (i < 20'000 ? low : high).push_back(i);
  auto a = run(1, &low), b = run(2, &high);
  a.merge(b);
  same(a, run(2));
}

TEST_CASE("N parts cover the positions once, and their shard files merge into the whole", "[search]") {
  const std::uint64_t positions = 50'000;
  const auto whole_run = run(2);
  for (std::uint64_t n : {1, 2, 7, 64}) {
    INFO(n << " parts");
    CHECK(search::shard_begin(positions, 0, n) == 0);
    CHECK(search::shard_begin(positions, n, n) == positions);
    std::vector<std::pair<lang::source_ptr, search::shard_file>> parts;
    for (std::uint64_t k = 0; k < n; ++k) {
      auto begin = search::shard_begin(positions, k, n), end = search::shard_begin(positions, k + 1, n);
      CHECK(end - begin >= positions / n);
      CHECK(end - begin <= positions / n + 1);
      search::engine_config c;
      c.first = begin;
      c.positions = end - begin;
      c.requirements = 1;
      c.depth = 2;
      c.threads = 1;
      c.make_evaluator = [] { return std::make_unique<synthetic>(); };
      search::shard_file f;
      f.scenario = "space.iron";
      f.text = "design d = ...";
      f.k = k + 1;
      f.n = n;
      search::design_shard d;
      d.name = "d";
      d.space = d.positions = positions;
      d.begin = begin;
      d.end = end;
      d.objectives = 2;
      d.t = search::run_search(c);
      f.results.designs.push_back(d);
      // Written and read back, in the order of the files' names (any order merges the same).
      auto file = std::make_shared<const lang::source_file>(fmt::format("part-{}", n - k), search::write_shard(f));
      search::shard_file back;
      lang::diagnostics diags;
      REQUIRE(search::read_shard(file, back, diags));
      same(back.results.designs[0].t, d.t);
      parts.emplace(parts.begin(), file, std::move(back));
    }
    search::shard_file merged;
    lang::diagnostics diags;
    REQUIRE(search::merge_shards(parts, merged, diags));
    same(merged.results.designs[0].t, whole_run);
    if (n > 1) {  // one part missing: refused, not merged
      parts.pop_back();
      lang::diagnostics missing;
      CHECK_FALSE(search::merge_shards(parts, merged, missing));
      CHECK(missing.items().at(0).code == "E1212");
    }
  }
}

namespace {

const char* capstone_space = R"(
workload chat = serving {
  model  = Llama3_70B
  rate   = 1000 req/s
  prompt = 1024 tokens
  output = 256 tokens
}
design fleet = serving_fleet(chat, price_per_gpu = 30000 USD) over {
  accelerator in [A100_80GB, H100_SXM, H200, MI300X, B200]
  precision   in [fp16, fp8, int4]
  tp          in [1, 2, 4, 8]
  batch       in [8, 16, 32, 64, 128]
  region      in [Quebec, Virginia, Poland]
  spare_nodes in [0, 1, 2]
}
require fleet.itl <= 50 ms
require fleet.cost_per_year <= 5e6 USD/yr
require fleet.carbon_per_year <= 500 t/yr
require fleet.rate_after_node_loss >= 800 req/s
minimize fleet.cost_per_year
minimize fleet.carbon_per_year
report fleet pareto
  show accelerator, precision, tp, batch, region, spare_nodes
)";

std::string run_csv(std::size_t threads) {
  auto source = std::make_shared<const lang::source_file>("capstone.iron", capstone_space);
  lang::program program;
  lang::diagnostics diags;
  REQUIRE(lang::parse_program(source, program, diags).ok);
  interpreter interp(registry::embedded());
  search_options o;
  o.threads = threads;
  o.format = "csv";
  interp.set_search_options(o);
  std::ostringstream out;
  bool ok = interp.run(program, out, diags);
  for (const auto& d : diags.items()) INFO(lang::render_human(d));
  REQUIRE(ok);
  return out.str();
}

using design_key = std::vector<std::string>;

// The rank-1 rows of the engine's CSV, as axis values.
std::set<design_key> engine_front(const std::string& csv) {
  std::set<design_key> front;
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    design_key cells;
    std::istringstream fields(line);
    std::string cell;
    while (std::getline(fields, cell, ',')) cells.push_back(cell);
    if (cells.size() == 7 && cells[0] == "1") front.insert(design_key(cells.begin() + 1, cells.end()));
  }
  return front;
}

double field_si(const value& v, const char* name) {
  const auto* f = v.as_record()->find(name);
  REQUIRE(f);
  return f->v.as_quantity()->si;
}

}  // namespace

TEST_CASE("the capstone's Pareto front equals a brute force over the same space", "[search]") {
  auto csv = run_csv(2);
  CHECK(csv == run_csv(1));  // identical with 1 and 2 threads
  auto engine = engine_front(csv);
  REQUIRE_FALSE(engine.empty());

  // The brute force: every combination through the plain evaluator, the
  // requirements and objectives written out here, and the non-dominated set
  // by definition.
  interpreter interp(registry::embedded());
  auto prelude = std::make_shared<const lang::source_file>(
      "prelude.iron", "workload chat = serving {\n model = Llama3_70B\n rate = 1000 req/s\n prompt = 1024 tokens\n"
                      " output = 256 tokens\n}\n");
  lang::program program;
  lang::diagnostics diags;
  REQUIRE(lang::parse_program(prelude, program, diags).ok);
  std::ostringstream sink;
  REQUIRE(interp.run(program, sink, diags));
  const double year = 365.0 * 86400;  // `yr` is 365 days (registry/units.toml)
  std::vector<std::pair<design_key, std::vector<double>>> feasible;
  for (auto acc : {"A100_80GB", "H100_SXM", "H200", "MI300X", "B200"})
    for (auto prec : {"fp16", "fp8", "int4"})
      for (auto tp : {"1", "2", "4", "8"})
        for (auto batch : {"8", "16", "32", "64", "128"})
          for (auto region : {"Quebec", "Virginia", "Poland"})
            for (auto spare : {"0", "1", "2"}) {
              auto text = fmt::format("serving_fleet(chat, price_per_gpu = 30000 USD, accelerator = {}, precision = {}, "
                                      "tp = {}, batch = {}, region = {}, spare_nodes = {})",
                                      acc, prec, tp, batch, region, spare);
              auto source = std::make_shared<const lang::source_file>("<point>", text);
              lang::expr_ptr e;
              lang::diagnostics d;
              REQUIRE(lang::parse_expression(source, e, d).ok);
              auto v = interp.evaluate(*e, source, d);
              if (!v) continue;  // the solver refused the point
              double itl = field_si(v->v, "itl"), cost = field_si(v->v, "cost_per_year"),
                     carbon = field_si(v->v, "carbon_per_year"), after = field_si(v->v, "rate_after_node_loss");
              if (itl <= 0.050 && cost <= 5e6 / year && carbon <= 500e3 / year && after >= 800)
                feasible.push_back({{acc, prec, tp, batch, region, spare}, {cost, carbon}});
            }
  std::set<design_key> reference;
  for (const auto& [key, obj] : feasible) {
    bool dominated = false;
    for (const auto& [other, o] : feasible)
      dominated = dominated || (o[0] <= obj[0] && o[1] <= obj[1] && (o[0] < obj[0] || o[1] < obj[1]));
    if (!dominated) reference.insert(key);
  }
  CHECK(engine == reference);
}

TEST_CASE("a space with nothing feasible explains itself", "[search]") {
  auto source = std::make_shared<const lang::source_file>("none.iron", R"(
design d = decode(Llama3_8B, H100_SXM) over {
  batch in [1, 2, 4]
}
require d.itl <= 1 ms
minimize d.itl
)");
  lang::program program;
  lang::diagnostics diags;
  REQUIRE(lang::parse_program(source, program, diags).ok);
  interpreter interp(registry::embedded());
  std::ostringstream out;
  REQUIRE(interp.run(program, out, diags));
  auto text = out.str();
  INFO(text);
  CHECK(text.find("no design meets every requirement") != std::string::npos);
  CHECK(text.find("3 of 3 failed d.itl <= 1 ms") != std::string::npos);
  CHECK(text.find("misses d.itl <= 1 ms by") != std::string::npos);
}
