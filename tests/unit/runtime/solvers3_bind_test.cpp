// sensitivity, training_fleet, reasoning and walls through the language,
// and the capstone's properties of serving_fleet, against the shipped registry.
#include <catch2/catch.hpp>

#include "harness.hpp"

#include <cmath>
#include <sstream>

#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

using testing::outcome;

// Runs a program (`let` statements, declarations, `print`) against the shipped registry.
outcome run(const std::string& text) { return testing::run_in(registry::embedded(), text); }
std::string ok(const std::string& text) { return testing::shown_ok(run(text), text); }
lang::diagnostic fails(const std::string& text) { return testing::first_error(run(text), text); }

double leading(const std::string& s) { return std::stod(s.substr(0, s.find(' '))); }
double number(const std::string& expr) { return leading(ok("print " + expr)); }

// The row of a printed table whose first cell is `input`, split into cells.
std::vector<std::string> row(const std::string& table, const std::string& input) {
  std::istringstream lines(table);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream cells(line);
    std::string first;
    cells >> first;
    if (first != input) continue;
    std::vector<std::string> out{first};
    std::string cell;
    while (cells >> cell) out.push_back(cell);
    return out;
  }
  return {};
}

const std::string itl_at_batch_1 = "decode(Llama3_8B, H100_SXM, batch = 1).itl";

}  // namespace

TEST_CASE("sensitivity: batch-1 decode ITL has elasticity -1 to bandwidth and 0 to peak FLOP/s") {
  auto table = ok("print sensitivity(" + itl_at_batch_1 +
                  ", wrt = [H100_SXM.peak.fp16, H100_SXM.bandwidth, H100_SXM.peak], step = 10 %)");
  auto bw = row(table, "H100_SXM.bandwidth");
  auto peak = row(table, "H100_SXM.peak.fp16");
  auto peaks = row(table, "H100_SXM.peak");
  REQUIRE(bw.size() >= 4);
  REQUIRE(peak.size() >= 4);
  REQUIRE(peaks.size() >= 4);
  // input, value (2 cells: number and unit), elasticity
  CHECK(std::stod(bw[3]) == Approx(-1).margin(1e-9));
  CHECK(std::stod(peak[3]) == 0);  // doubling a non-binding resource buys nothing
  CHECK(peaks[3] == "0");          // every format's peak at once ("every field" is 2 cells)
  // A tornado: the largest |elasticity| first.
  CHECK(table.find("H100_SXM.bandwidth") < table.find("H100_SXM.peak.fp16"));
}

TEST_CASE("sensitivity: at a large batch with no context the same step is compute-bound") {
  auto table = ok("print sensitivity(decode(Llama3_8B, H100_SXM, batch = 1024).itl, wrt = [H100_SXM.bandwidth, "
                  "H100_SXM.peak.fp16])");
  CHECK(std::stod(row(table, "H100_SXM.peak.fp16")[3]) == Approx(-1).margin(1e-9));
  CHECK(std::stod(row(table, "H100_SXM.bandwidth")[3]) == 0);
}

TEST_CASE("sensitivity: variables and solver parameters, and the registry stays untouched") {
  auto table = ok("let ctx = 4096 tokens\nprint sensitivity(decode(Llama3_8B, H100_SXM, batch = 64, context = ctx).itl, "
                  "wrt = [ctx, bandwidth_efficiency])");
  CHECK(std::stod(row(table, "bandwidth_efficiency")[2]) == Approx(-1).margin(1e-9));  // a plain value: one cell
  double e = std::stod(row(table, "ctx")[3]);
  CHECK(e > 0);  // more context, more KV read per step
  CHECK(e < 1);  // the weights are read whatever the context
  // The perturbed copies never reach the registry.
  auto after = ok("print sensitivity(" + itl_at_batch_1 + ", wrt = [H100_SXM.bandwidth])\nprint H100_SXM.bandwidth");
  CHECK(after.find("\n3.35 TB/s") != std::string::npos);
}

TEST_CASE("sensitivity: inputs it cannot perturb are diagnostics") {
  CHECK(fails("print sensitivity(decode(Llama3_8B, H100_SXM), wrt = [H100_SXM.bandwidth])").code == "E1101");
  CHECK(fails("print sensitivity(" + itl_at_batch_1 + ", wrt = [A100_80GB.bandwidth])").code == "E1102");
  CHECK(fails("print sensitivity(" + itl_at_batch_1 + ", wrt = [H100_SXM])").code == "E1102");
  CHECK(fails("print sensitivity(" + itl_at_batch_1 + ", wrt = [batch])").code == "E1102");
  CHECK(fails("print sensitivity(" + itl_at_batch_1 + ", wrt = [nonsense])").code == "E1102");
  auto typo = fails("print sensitivity(" + itl_at_batch_1 + ", wrt = [H100_SXM.bandwith])");
  CHECK(typo.help.find("bandwidth") != std::string::npos);
  CHECK(fails("print sensitivity(" + itl_at_batch_1 + ", wrt = [H100_SXM.bandwidth], step = 1.5)").code == "E0301");
  CHECK(fails("print sensitivity(" + itl_at_batch_1 + ")").code == "E0301");
  // A `let` result is already computed: its inputs cannot move it.
  CHECK(fails("let r = " + itl_at_batch_1 + "\nprint sensitivity(r, wrt = [H100_SXM.bandwidth])").code == "E1102");
  // A whole-number input fails when moved by a fraction.
  CHECK(fails("let b = 4\nprint sensitivity(decode(Llama3_8B, H100_SXM, batch = b).itl, wrt = [b])").code == "E1103");
}

TEST_CASE("training_fleet: failures stretch the job; carbon follows the grid; renting prices GPU-hours") {
  const std::string job = "training_fleet(Llama3_70B, H100_SXM, tp = 8, pp = 4, gpus = 1024, fabric = IB_NDR, "
                          "tokens = 15e12 tokens, zero = 1, price_per_gpu = 30000 USD";
  double free = number(job + ", region = Virginia).time_to_train in d");
  double wall = number(job + ", region = Virginia).wall_time in d");
  CHECK(wall >= free);  // printed to 3 figures; the stdlib test checks the stretch exactly
  CHECK(number(job + ", region = Virginia).goodput") < 1);
  CHECK(number(job + ", region = Virginia).expected_failures") > 1);
  // the same job's failure-free time is train's
  CHECK(free == Approx(number("train(Llama3_70B, H100_SXM, tp = 8, pp = 4, gpus = 1024, fabric = IB_NDR, tokens = "
                              "15e12 tokens, zero = 1).time_to_train in d")).epsilon(2e-3));
  double quebec = number(job + ", region = Quebec).operational_carbon in t");
  double virginia = number(job + ", region = Virginia).operational_carbon in t");
  // Life-cycle intensities (2024): Quebec's hydro 35 g/kWh against PJM's 403.
  CHECK(quebec < virginia / 10);
  // rented: GPU-hours x price
  double gpu_hours = 1024 * number(job + ", region = Virginia).wall_time in h");
  CHECK(number(job + ", region = Virginia, cloud_price = 2 USD/h).cloud_cost in USD") ==
        Approx(2 * gpu_hours).epsilon(5e-3));
  // Each kind of money is its own field: the purchase is the whole fleet, the job pays a share of it.
  double capex = number(job + ", region = Virginia).capex in USD");
  double share = number(job + ", region = Virginia).capex_share in USD");
  CHECK(share < capex);
  CHECK(capex > 1024 * 30000.0);  // servers, network and facility on top of the accelerators
  CHECK(number(job + ", region = Virginia).owned_cost in USD") >= share);
  // more GPUs: more failures
  CHECK(number("training_fleet(Llama3_70B, H100_SXM, tp = 8, pp = 4, gpus = 2048, fabric = IB_NDR, tokens = 15e12 "
               "tokens, zero = 1, price_per_gpu = 30000 USD, region = Virginia).goodput") <
        number(job + ", region = Virginia).goodput"));
}

TEST_CASE("training_fleet: the removed cost field names the kinds of money instead") {
  auto d = fails("print training_fleet(Llama3_8B, H100_SXM, gpus = 8, zero = 3, region = Quebec).cost");
  CHECK(d.code == "E0230");
  CHECK(d.help.find("capex") != std::string::npos);
  CHECK(d.help.find("cloud_cost") != std::string::npos);
}

TEST_CASE("training_fleet: bad arguments are diagnostics") {
  // A job that does not fit is a result whose times are refused at the field (E0221).
  auto d = fails("print training_fleet(Llama3_8B, H100_SXM, gpus = 64, fabric = IB_NDR, region = Quebec, "
                 "price_per_gpu = 1 USD).wall_time");
  CHECK(d.code == "E0221");
  CHECK(d.message.find("does not fit") != std::string::npos);
  CHECK(fails("print training_fleet(Llama3_8B, H100_SXM, tp = 3, region = Quebec, price_per_gpu = 1 USD)").message.find(
            "heads") != std::string::npos);
  CHECK(fails("print training_fleet(Llama3_8B, H100_SXM, region = Quebec, mtbf = 0 h, price_per_gpu = 1 USD)")
            .message.find("must be > 0") != std::string::npos);
  CHECK(fails("print training_fleet(Llama3_8B, H100_SXM, price_per_gpu = 1 USD)").message.find("region") !=
        std::string::npos);
}

TEST_CASE("reasoning: thinking tokens multiply latency and the fleet") {
  const std::string r = "reasoning(Llama3_8B, H100_SXM, thinking = 4000 tokens, output = 256 tokens, rate = 100 req/s";
  double ratio = number(r + ").latency_ratio");
  CHECK(ratio > 10);  // 4256 tokens decoded instead of 256, each step a little slower
  CHECK(number(r + ").throughput_ratio") > 10);
  CHECK(number(r + ").replicas") > 10 * number(r + ").replicas_base"));
  CHECK(number(r + ").kv_ratio") == Approx((1024.0 + 4256) / (1024 + 256)).epsilon(2e-3));
  CHECK(number(r + ").max_batch") < number(r + ").max_batch_base"));
  // no thinking: the baseline itself
  CHECK(number("reasoning(Llama3_8B, H100_SXM, thinking = 0 tokens).latency_ratio") == 1);
  CHECK(fails("print reasoning(Llama3_8B, H100_SXM, thinking = -5 tokens)").code == "E0301");
  // beyond the model's context
  CHECK(fails("print reasoning(Llama3_8B, H100_SXM, thinking = 100000 tokens)").code == "E0301");
}

TEST_CASE("walls: 22 rows; a batch-1 decode on an H100 is memory-bound") {
  auto table = ok("print walls(Llama3_8B, H100_SXM, batch = 1)");
  std::istringstream lines(table);
  std::string line;
  int rows = -2;  // the title and the header
  while (std::getline(lines, line))
    if (!line.empty()) ++rows;
  CHECK(rows == 22);
  CHECK(table.find("true") != std::string::npos);
  auto compute = row(table, "compute");
  CHECK(std::find(compute.begin(), compute.end(), "false") != compute.end());
  auto memory = row(table, "memory");
  CHECK(std::find(memory.begin(), memory.end(), "true") != memory.end());
  // walls without the scenario's inputs say so
  CHECK(row(table, "streaming")[1].find("weight") != std::string::npos);
  CHECK(table.find("not evaluated") != std::string::npos);
  // a batch that does not fit binds the batching wall
  auto big = ok("print walls(Llama3_70B, H100_SXM, batch = 64, tp = 2)");
  auto batching = row(big, "batching");
  CHECK(std::find(batching.begin(), batching.end(), "true") != batching.end());
}

// The capstone's properties (issue 7): Llama-3-70B at 1000 req/s.
TEST_CASE("capstone: int4 needs fewer GPUs than fp16; Quebec's carbon is a small share of Poland's; a node's share") {
  const std::string decl =
      "workload chat = serving { model = Llama3_70B, rate = 1000 req/s, prompt = 1024 tokens, output = 256 tokens }\n";
  auto fleet = [&](const std::string& args, const std::string& field) {
    return leading(ok(decl + "print serving_fleet(chat, accelerator = H100_SXM, " + args +
                      ", price_per_gpu = 30000 USD)." + field));
  };
  double fp16 = fleet("precision = fp16, tp = 4, batch = 32, region = Virginia", "gpus");
  double int4 = fleet("precision = int4, tp = 4, batch = 32, region = Virginia", "gpus");
  CHECK(int4 < fp16);
  double quebec = fleet("precision = fp16, tp = 4, batch = 32, region = Quebec", "carbon_per_year in t/yr");
  double poland = fleet("precision = fp16, tp = 4, batch = 32, region = Poland", "carbon_per_year in t/yr");
  CHECK(quebec < poland / 10);  // life-cycle 2024: 35 against 581 g/kWh
  // Losing a node loses its replicas: capacity x (1 - replicas per node / replicas).
  const std::string a = "precision = fp16, tp = 4, batch = 32, region = Virginia";
  double capacity = fleet(a, "capacity in req/s");
  double after = fleet(a, "rate_after_node_loss in req/s");
  double replicas = fleet(a, "replicas");
  double per_node = 8 / 4;
  CHECK(after == Approx(capacity * (replicas - per_node) / replicas).epsilon(2e-3));
}
