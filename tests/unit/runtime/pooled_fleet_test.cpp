// pooled_fleet (issue 22) through the language: a split of 1:0 is the
// single-pool serving_fleet exactly; a disaggregated fleet's TTFT and ITL
// follow the hand calculation of docs/solvers.md ("Fleets of pools"); the KV
// transfer is zero when prefill and decode share a pool.
#include <catch2/catch.hpp>

#include "harness.hpp"

#include <string>

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

testing::outcome run(const std::string& text) { return testing::run_in(registry::embedded(), text); }
// What a program prints, without the last line end.
std::string ok(const std::string& text) {
  auto shown = testing::shown_ok(run(text), text);
  while (!shown.empty() && shown.back() == '\n') shown.pop_back();
  return shown;
}
double number(const std::string& decls, const std::string& expr) {
  auto shown = ok(decls + "print " + expr + "\n");
  return std::stod(shown.substr(0, shown.find(' ')));
}

const std::string chat =
    "workload chat = serving { model = Llama3_8B, rate = 200 req/s, prompt = 1024 tokens, output = 256 tokens }\n";

}  // namespace

TEST_CASE("pooled_fleet: a mixed fleet with split 1:0 is the single-pool serving_fleet exactly") {
  std::string decls = chat +
                      "pool a { accelerator = H100_SXM, region = Virginia, tp = 2, batch = 16 }\n"
                      "pool b { accelerator = MI300X, region = Quebec }\n"
                      "let f = pooled_fleet(chat, pools = [a, b], split = { a = 1, b = 0 })\n"
                      "let s = serving_fleet(chat, H100_SXM, region = Virginia, tp = 2, batch = 16)\n";
  for (const char* field : {"gpus", "nodes", "replicas", "capacity", "rate_after_node_loss", "utilization", "ttft",
                            "ttft_p99", "itl", "e2e", "power", "energy_per_year", "capex", "capex_per_year",
                            "opex_per_year", "cost_per_year", "cloud_per_year", "carbon_per_year",
                            "cost_per_million_tokens"}) {
    INFO(field);
    CHECK(ok(decls + "print f." + field + " == s." + field + "\n") == "true");
  }
  // The pool's own record is serving_fleet's too, and the idle pool has no devices.
  CHECK(ok(decls + "print f.pools.a.ttft == s.ttft and f.pools.a.cost_per_year == s.cost_per_year\n") == "true");
  CHECK(number(decls, "f.pools.b.gpus") == 0);
  CHECK(ok(decls + "print f.kv_transfer == 0 s\n") == "true");
}

TEST_CASE("pooled_fleet: a pool of fixed count at the whole demand matches serving_fleet's sizing of the same devices") {
  std::string decls = chat + "pool a { accelerator = H100_SXM, region = Virginia, count = 64 }\n"
                             "let f = pooled_fleet(chat, pools = [a])\n";
  CHECK(number(decls, "f.gpus") == 64);
  CHECK(number(decls, "f.replicas") == 64);
  CHECK(number(decls, "f.utilization") < 1);
}

TEST_CASE("pooled_fleet: a disaggregated fleet's TTFT and ITL follow the hand calculation") {
  std::string decls = chat +
                      "pool p { accelerator = H100_SXM, region = Virginia, role = prefill }\n"
                      "pool d { accelerator = H100_SXM, region = Virginia, role = decode, batch = 64 }\n"
                      "let g = pooled_fleet(chat, pools = [p, d], kv_link = IB_NDR)\n";
  // KV bytes = layers x kv_heads x head_dim x 2 x prompt x bytes = 32 x 8 x 128 x 2 x 1024 x 2 B;
  // over IB_NDR: 2.7 us + bytes / 50 GB/s. Compared in the language, to the nanosecond.
  CHECK(ok(decls + "print abs(g.kv_transfer - (2.7 us + 32 * 8 * 128 * 2 * 1024 * 2 B / (50 GB/s))) < 1 ns\n") == "true");
  CHECK(number(decls, "g.kv_transfer in us") == Approx(2687).epsilon(1e-3));
  // TTFT: the prefill pool's (one prompt through serve, plus its M/M/c wait); home is its region.
  const std::string prefill = "serve(Llama3_8B, H100_SXM, batch = 1, prompt = 1024 tokens, output = 256 tokens).ttft";
  CHECK(ok(decls + "print g.pools.p.ttft >= " + prefill + " and g.ttft == g.pools.p.ttft\n") == "true");
  CHECK(number(decls, "g.ttft in ms") == Approx(32.6).epsilon(2e-3));
  // ITL: the decode step alone (serve's static step) + (KV transfer + decode slot wait) over 255 gaps.
  const std::string step = "serve(Llama3_8B, H100_SXM, batch = 64, prompt = 1024 tokens, output = 256 tokens, scheduler = static).itl";
  CHECK(ok(decls + "print abs(g.itl - (" + step + " + (g.kv_transfer + g.pools.d.ttft) / 255)) < 1 ns\n") == "true");
  CHECK(number(decls, "g.itl in us") == Approx(10533).epsilon(1e-3));
  double step_s = number(decls, step + " in us");
  // Co-located at the same batch, prefills stall decode steps: its ITL is longer than the decode step.
  double colocated = number(decls, "serve(Llama3_8B, H100_SXM, batch = 64, prompt = 1024 tokens, output = 256 tokens).itl in us");
  CHECK(colocated > step_s);
}

TEST_CASE("pooled_fleet: KV transfer is zero when prefill and decode share a pool") {
  std::string decls = chat + "pool a { accelerator = H100_SXM, region = Virginia, role = both }\n"
                             "let f = pooled_fleet(chat, pools = [a], kv_link = IB_NDR)\n";
  CHECK(ok(decls + "print f.kv_transfer == 0 s\n") == "true");
  CHECK(ok(decls + "print f.pools.a.kv_transfer == 0 s\n") == "true");
}

TEST_CASE("pooled_fleet: requests to a pool outside the home region pay the round trip in TTFT, not ITL") {
  std::string decls = chat +
                      "pool a { accelerator = H100_SXM, region = Virginia }\n"
                      "pool b { accelerator = H100_SXM, region = Oregon }\n"
                      "let f = pooled_fleet(chat, pools = [a, b], split = { a = 0.5, b = 0.5 }, home = Virginia)\n";
  double ta = number(decls, "f.pools.a.ttft in s"), tb = number(decls, "f.pools.b.ttft in s");
  // Virginia <-> Oregon in regions.toml: Azure's P95, East US <-> West US 2, (75 + 76) / 2 ms.
  CHECK(number(decls, "f.ttft in s") == Approx(0.5 * ta + 0.5 * (tb + 0.0755)).margin(1e-3));
  CHECK(ok(decls + "print abs(f.ttft - (0.5 * f.pools.a.ttft + 0.5 * (f.pools.b.ttft + 75.5 ms))) < 1 ns\n") == "true");
  CHECK(number(decls, "f.pools.b.rtt in ms") == Approx(75.5));
  CHECK(ok(decls + "print f.pools.b.rtt_source\n") == "registry: Virginia <-> Oregon, 75.5 ms");
  CHECK(number(decls, "f.pools.a.rtt in ms") == 0);
  CHECK(ok(decls + "print f.pools.a.rtt_source\n") == "in the home region, Virginia");
  CHECK(ok(decls + "print f.itl == max(f.pools.a.itl, f.pools.b.itl)\n") == "true");
}

TEST_CASE("pooled_fleet: the round trip is the registry's figure for the pair, else the default; arguments win") {
  std::string pools = chat +
                      "pool a { accelerator = H100_SXM, region = Virginia }\n"
                      "pool b { accelerator = H100_SXM, region = Singapore }\n";
  auto fleet = [&](const std::string& extra) {
    return pools + "let f = pooled_fleet(chat, pools = [a, b], split = { a = 0.5, b = 0.5 }, home = Virginia" + extra +
           ")\n";
  };
  // Read from either region's table: Singapore's lists Virginia too (229 ms).
  CHECK(number(fleet(""), "f.pools.b.rtt in ms") == Approx(229));
  CHECK(number(pools + "let f = pooled_fleet(chat, pools = [a, b], split = { a = 0.5, b = 0.5 }, home = Singapore)\n",
               "f.pools.a.rtt in ms") == Approx(229));
  // An explicit cross_region_rtt is used for every pair.
  CHECK(number(fleet(", cross_region_rtt = 70 ms"), "f.pools.b.rtt in ms") == Approx(70));
  CHECK(ok(fleet(", cross_region_rtt = 70 ms") + "print f.pools.b.rtt_source\n") == "cross_region_rtt = 70 ms");
  // Pool b in `b_pool`, after the scenario's own declarations `extra`.
  auto with_b = [&](const std::string& extra, const std::string& b_pool) {
    return chat + extra + "pool a { accelerator = H100_SXM, region = Virginia }\npool b { accelerator = H100_SXM, " +
           b_pool + " }\nlet f = pooled_fleet(chat, pools = [a, b], split = { a = 0.5, b = 0.5 }, home = Virginia)\n";
  };
  // A region with no figure for the pair falls back to the 70 ms default.
  std::string lab = with_b("region Lab extends Virginia { pue = 1.1 }\n", "region = Lab");
  CHECK(number(lab, "f.pools.b.rtt in ms") == Approx(70));
  CHECK(ok(lab + "print f.pools.b.rtt_source\n") == "default 70 ms: no registry figure for Virginia <-> Lab");
  // A region declared with its own rtt table is read from its side.
  std::string near = with_b("region Lab extends Virginia { rtt = { Virginia = 4 ms } }\n", "region = Lab");
  CHECK(number(near, "f.pools.b.rtt in ms") == Approx(4));
  // A pool's own rtt wins over everything.
  std::string own = with_b("", "region = Singapore, rtt = 200 ms");
  CHECK(number(own, "f.pools.b.rtt in ms") == Approx(200));
  CHECK(ok(own + "print f.pools.b.rtt_source\n") == "the pool's rtt");
}

TEST_CASE("pooled_fleet: a KV cache moved between regions pays half the pair's round trip") {
  auto kv = [&](const std::string& decode_region) {
    std::string decls = chat + "pool p { accelerator = H100_SXM, region = Virginia, role = prefill }\n"
                               "pool d { accelerator = H100_SXM, region = " +
                        decode_region +
                        ", role = decode, batch = 64 }\n"
                        "let f = pooled_fleet(chat, pools = [p, d], home = Virginia, kv_link = IB_NDR)\n";
    return number(decls, "f.kv_transfer in ms");
  };
  // Virginia <-> Ireland is 75 ms in the registry: 37.5 ms one way on top of the link time.
  CHECK(kv("Ireland") - kv("Virginia") == Approx(37.5).margin(0.05));
}

TEST_CASE("pooled_fleet: split = optimal picks the cheaper pool within the SLOs") {
  std::string decls = chat +
                      "pool a { accelerator = H100_SXM, region = Virginia }\n"
                      "pool b { accelerator = H100_SXM, region = Quebec }\n"
                      "let f = pooled_fleet(chat, pools = [a, b], split = optimal, objective = carbon_per_year)\n";
  // Quebec's grid is far cleaner than Virginia's: the least-carbon split sends everything there.
  CHECK(number(decls, "f.pools.b.share") == 1);
}
