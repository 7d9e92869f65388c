// The fleet-level solvers as the language sees them: queue, cluster_queue,
// carbon, tco, topology, data_pipeline, against a pinned registry.
#include <catch2/catch.hpp>

#include "harness.hpp"

#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

const char* pinned_hardware = R"(
[GPU_A]
memory = "80 GiB"
bandwidth = "3.35 TB/s"
tdp = "700 W"
price = "30000 USD"
[GPU_A.peak]
fp16 = "989.4 TFLOP/s"
[GPU_NoPrice]
memory = "80 GiB"
bandwidth = "2 TB/s"
tdp = "400 W"
[GPU_NoPrice.peak]
fp16 = "312 TFLOP/s"
)";
const char* pinned_models = testing::llama3_8b_toml;
const char* pinned_wafer = R"(
[Wafer]
memory = "44 GB"
bandwidth = "21000 TB/s"
[Wafer.peak_sparse]
fp16 = "125 PFLOP/s"
)";
const char* pinned_regions = R"(
[Virginia]
carbon_intensity = "390 g/kWh"
pue = 1.15
wue = "0.15 L/kWh"
electricity_price = "0.088 USD/kWh"
[Quebec]
carbon_intensity = "1.2 g/kWh"
pue = 1.15
wue = "0.15 L/kWh"
electricity_price = "0.041 USD/kWh"
[Nowhere]
pue = 1.3
)";
// A node for GPU_A with server and network prices: each GPU carries an eighth.
const char* pinned_nodes = R"(
[Box_A]
accelerator = "GPU_A"
accelerators = 8
host_price = "32000 USD"
network_price = "34000 USD"
)";
const char* pinned_fabrics = R"(
[IB_NDR]
kind = "scale-out"
bandwidth = "50 GB/s"
)";

const registry& pinned() {
  static const registry r = [] {
    registry reg(unit_table::builtin());
    reg.add_file("hardware/test.toml", pinned_hardware);
    reg.add_file("regions/test.toml", pinned_regions);
    reg.add_file("fabrics/test.toml", pinned_fabrics);
    reg.add_file("nodes/test.toml", pinned_nodes);
    reg.add_file("models/test.toml", pinned_models);
    reg.add_file("hardware/wafer.toml", pinned_wafer);
    return reg;
  }();
  return r;
}

using testing::outcome;

outcome eval(const std::string& text) { return testing::eval_in(pinned(), text); }

std::string ok(const std::string& text) { return testing::shown_ok(eval(text), text); }

lang::diagnostic fails(const std::string& text) { return testing::first_error(eval(text), text); }

double leading(const std::string& s) { return std::stod(s.substr(0, s.find(' '))); }
double number(const std::string& text) { return leading(ok(text)); }

bool mentions(const lang::diagnostic& d, const std::string& what) {
  return d.message.find(what) != std::string::npos || d.help.find(what) != std::string::npos;
}

const std::string a15 = "queue(rate = 10 req/s, service_time = 0.25 s, servers = 3)";

}  // namespace

// Values print to 3 significant figures, so these checks allow 0.3 %; the
// stdlib tests hold the solvers to tighter tolerances.
TEST_CASE("queue: A15, M/M/3 at 10 req/s and 0.25 s per request") {
  CHECK(number(a15 + ".utilization") == Approx(0.833).epsilon(0.001));
  CHECK(number(a15 + ".p_wait") == Approx(0.702).epsilon(0.001));
  CHECK(number(a15 + ".mean_wait in s") == Approx(0.351).epsilon(0.001));
  CHECK(number(a15 + ".p99_wait in s") == Approx(2.13).epsilon(0.002));
  CHECK(number(a15 + ".mean_response in s") == Approx(0.601).epsilon(0.001));
  CHECK(ok(a15 + ".stable").rfind("true", 0) == 0);
  CHECK(ok(a15 + ".p99_wait").find("P(wait > t) = 0.702") != std::string::npos);  // the note
}

TEST_CASE("queue: tenants as a list of rates share one FCFS queue") {
  // 3 + 7 req/s pooled is the same queue as 10 req/s.
  auto pooled = number("queue(rate = [3 req/s, 7 req/s], service_time = 0.25 s, servers = 3).mean_wait in s");
  CHECK(pooled == Approx(number(a15 + ".mean_wait in s")));
  CHECK(number("queue(rate = [3 req/s, 7 req/s], service_time = 0.25 s, servers = 3).streams") == 2);
}

TEST_CASE("queue: an overloaded queue is a result marked unstable, with infinite waits") {
  const std::string over = "queue(rate = 20 req/s, service_time = 0.25 s, servers = 3)";
  CHECK(ok(over + ".stable").rfind("false", 0) == 0);
  CHECK(ok(over + ".mean_wait").rfind("inf", 0) == 0);
  CHECK(ok(over + ".p99_wait").find("unstable: 20 arrivals/s exceed the 12") != std::string::npos);
  CHECK(number(over + ".utilization") == Approx(5.0 / 3).epsilon(0.003));
}

TEST_CASE("queue: bad arguments are diagnostics at the argument") {
  CHECK(mentions(fails("queue(rate = 10 GB/s, service_time = 0.25 s, servers = 3)"), "must be an arrival rate"));
  CHECK(mentions(fails("queue(rate = 0 req/s, service_time = 0.25 s)"), "must be > 0"));
  CHECK(mentions(fails("queue(rate = 10 req/s, service_time = 0 s)"), "must be > 0"));
  CHECK(mentions(fails("queue(rate = 10 req/s, service_time = 0.25)"), "must be time"));
  CHECK(mentions(fails("queue(rate = 10 req/s, service_time = 0.25 s, servers = 2.5)"), "whole number"));
  CHECK(mentions(fails("queue(rate = 10 req/s, service_time = 0.25 s, servers = 0)"), "whole number"));
  CHECK(mentions(fails("queue(rate = [], service_time = 0.25 s)"), "empty list"));
  CHECK(mentions(fails("queue(rate = [1 req/s, 2 GB], service_time = 0.25 s)"), "must be an arrival rate"));
  CHECK(fails("queue(service_time = 0.25 s)").message.find("missing argument 'rate'") != std::string::npos);
}

TEST_CASE("cluster_queue: a cluster cut into job-sized slots") {
  // 64 GPUs / 8 per job = 8 slots; 1.5 jobs/h x 4 h = 6 Erlangs; utilization 0.75.
  const std::string c = "cluster_queue(gpus = 64, job_rate = 1.5 req/h, job_duration = 4 h, gpus_per_job = 8)";
  CHECK(number(c + ".slots") == 8);
  CHECK(number(c + ".utilization") == Approx(0.75));
  CHECK(number(c + ".gpu_utilization") == Approx(0.75));
  CHECK(number(c + ".stranded_gpus") == 0);
  CHECK(number("cluster_queue(gpus = 70, job_rate = 1.5 req/h, job_duration = 4 h, gpus_per_job = 8).stranded_gpus") ==
        6);
  CHECK(mentions(fails("cluster_queue(gpus = 4, job_rate = 1 req/h, job_duration = 1 h, gpus_per_job = 8)"),
                 "does not fit"));
}

TEST_CASE("carbon: A9, 500 MWh in Virginia and Quebec at PUE 1") {
  CHECK(ok("carbon(energy = 500 MWh, region = Virginia, pue = 1).operational in t").rfind("195 t", 0) == 0);
  CHECK(number("carbon(energy = 500 MWh, region = Quebec, pue = 1).operational in t") == Approx(0.6));
  // The region's PUE applies when none is given: 500 x 1.15 x 390 / 1000 = 224.25 t.
  CHECK(number("carbon(energy = 500 MWh, region = Virginia).operational in t") == Approx(224.25).epsilon(0.003));
  // Water is IT energy x WUE: 500 MWh x 0.15 L/kWh = 75,000 L, whatever the PUE.
  CHECK(number("carbon(energy = 500 MWh, region = Virginia).water in L") == Approx(75000));
  CHECK(number("carbon(energy = 500 MWh, carbon_intensity = 100 g/kWh).operational in t") == Approx(50));
}

TEST_CASE("carbon: energy and embodied carbon from the hardware") {
  // 8 x 700 W x 30 d = 4032 kWh; embodied 8 x 318 kg = 2544 kg, 30 d of a 5-year life = 41.8 kg.
  const std::string c = "carbon(hardware = GPU_A, count = 8, duration = 30 d, region = Virginia, pue = 1)";
  CHECK(number(c + ".energy in kWh") == Approx(4032));
  CHECK(number(c + ".embodied in kg") == Approx(2544));
  CHECK(number(c + ".embodied_share in kg") == Approx(2544 * 30.0 / 1825).epsilon(1e-3));
  CHECK(number(c + ".total in kg") == Approx(4032 * 0.39 + 2544 * 30.0 / 1825).epsilon(1e-3));
  CHECK(number("carbon(hardware = GPU_A, count = 8, duration = 30 d, region = Virginia, embodied = 1 t).embodied in t") ==
        8);
}

TEST_CASE("carbon: bad arguments are diagnostics at the argument") {
  CHECK(mentions(fails("carbon(energy = 500 MWh)"), "no carbon_intensity"));
  CHECK(mentions(fails("carbon(energy = 500 MWh, region = Nowhere)"), "no carbon_intensity"));
  CHECK(mentions(fails("carbon(region = Virginia)"), "needs the energy"));
  CHECK(mentions(fails("carbon(energy = 500 MWh, region = Virginia, pue = 0.9)"), "cannot be below 1"));
  CHECK(mentions(fails("carbon(energy = -5 MWh, region = Virginia)"), "must be >= 0"));
  CHECK(mentions(fails("carbon(energy = 500 MW, region = Virginia)"), "must be energy"));
  CHECK(mentions(fails("carbon(energy = 500 MWh, region = Virginiaa)"), "did you mean Virginia?"));
}

TEST_CASE("tco: owned cost per GPU-hour and per million tokens") {
  // Accelerators alone (no host, network or facility share):
  // capex 8 x 30,000 = 240,000 USD over 5 years = 48,000 USD/yr;
  // energy 8 x 700 W x 1.15 x 8760 h = 56,414.4 kWh x 0.088 = 4,964.47 USD/yr;
  // total 52,964.47 USD/yr = 0.755770 USD per GPU-hour.
  const std::string t = "tco(hardware = GPU_A, count = 8, region = Virginia, host_price_per_gpu = 0 USD, "
                        "network_price_per_gpu = 0 USD, facility_price = 0 USD/W)";
  CHECK(number(t + ".capex") == Approx(240000));
  CHECK(number(t + ".capex_per_year in USD/yr") == Approx(48000));
  CHECK(number(t + ".energy_per_year in kWh") == Approx(56414.4));
  CHECK(number(t + ".energy_cost_per_year in USD/yr") == Approx(4964.47).epsilon(0.003));
  CHECK(number(t + ".owned_per_gpu_hour") == Approx(0.755770).epsilon(0.003));
  // At 50 % utilization and 1000 tokens/s: 1.51154 USD / 3.6 M tokens x 1 M = 0.419872 USD.
  CHECK(number(t.substr(0, t.size() - 1) + ", utilization = 0.5, throughput = 1000 tokens/s).cost_per_million_tokens") == Approx(0.419872).epsilon(0.003));
  CHECK(number(t.substr(0, t.size() - 1) + ", cloud_price = 2 USD/h).breakeven_utilization") ==
        Approx(0.377885).epsilon(0.003));
  CHECK(number(t.substr(0, t.size() - 1) + ", maintenance = 0.1).maintenance_per_year in USD/yr") ==
        Approx(24000));
}

TEST_CASE("tco: capex counts the host, the network and the facility, each amortized over its lifetime") {
  // Per GPU: 30,000 + 32,000 / 8 + 34,000 / 8 + 700 W x 11.7 USD/W = 30,000 + 4,000 + 4,250 + 8,190.
  const std::string t = "tco(hardware = GPU_A, count = 8, region = Virginia)";
  CHECK(number(t + ".capex in USD") == Approx(8 * (30000 + 4000 + 4250 + 8190.0)).epsilon(0.003));
  // IT over 5 years, the facility over 15: 8 x 38,250 / 5 + 8 x 8,190 / 15.
  CHECK(number(t + ".capex_per_year in USD/yr") == Approx(8 * 38250 / 5.0 + 8 * 8190 / 15.0).epsilon(0.003));
  CHECK(number(t + ".opex_per_year in USD/yr") == Approx(4964.47).epsilon(0.003));
  CHECK(ok(t + ".capex").find("Box_A's host_price / 8") != std::string::npos);  // the note names each part
  // A given facility price replaces the default; a given capex is the IT equipment alone.
  CHECK(number("tco(hardware = GPU_A, count = 8, region = Virginia, facility_price = 10 USD/W).capex in USD") ==
        Approx(8 * (38250 + 7000.0)).epsilon(0.003));
  CHECK(number("tco(hardware = GPU_A, count = 8, region = Virginia, capex = 100000 USD, facility_price = 0 USD/W)"
               ".capex in USD") == Approx(100000));
  // The registry cloud price is the rental default when the hardware has one; GPU_A has none.
  CHECK(ok(t + ".cloud_per_year").find("no cloud_price") != std::string::npos);
}

TEST_CASE("tco: bad arguments are diagnostics at the argument") {
  CHECK(mentions(fails("tco(hardware = GPU_NoPrice, region = Virginia)"), "has no price"));
  CHECK(mentions(fails("tco(hardware = GPU_A)"), "no electricity_price"));
  CHECK(mentions(fails("tco(capex = 1000 USD, region = Virginia)"), "power"));
  CHECK(mentions(fails("tco(hardware = GPU_A, region = Virginia, utilization = 1.5)"), "fraction in (0, 1]"));
  CHECK(mentions(fails("tco(hardware = GPU_A, region = Virginia, lifetime = 0 yr)"), "must be > 0"));
  CHECK(mentions(fails("tco(hardware = GPU_A, region = Virginia, cloud_price = 2 USD)"), "must be"));
  CHECK(mentions(fails("tco(hardware = GPU_A, region = Virginia, facility_price = -1 USD/W)"), ">= 0"));
}

TEST_CASE("topology: a fat tree, a torus and their diagnostics") {
  CHECK(number("topology(fabric = IB_NDR, nodes = 1024).bisection in TB/s") == Approx(25.6));
  CHECK(ok("topology(fabric = IB_NDR, nodes = 1024, oversubscription = 2).bound").rfind("uplinks", 0) == 0);
  CHECK(number("topology(fabric = IB_NDR, kind = torus, nodes = 4096).average_hops") == Approx(12.0029).epsilon(0.003));
  CHECK(number("topology(bandwidth = 100 GB/s, kind = ring, nodes = 8).bisection in GB/s") == Approx(200));
  CHECK(mentions(fails("topology(fabric = IB_NDR, kind = hypercube, nodes = 8)"), "valid kind values"));
  CHECK(mentions(fails("topology(fabric = IB_NDR, kind = torus, nodes = 64, oversubscription = 2)"), "no switch tiers"));
  CHECK(mentions(fails("topology(fabric = IB_NDR, nodes = 1)"), ">= 2"));
  CHECK(mentions(fails("topology(nodes = 16)"), "link bandwidth"));
}

TEST_CASE("data_pipeline: the slowest stage binds") {
  const std::string p = "data_pipeline(rate = 10000 samples/s, sample_size = 110 kB, per_core = 250 samples/s";
  CHECK(number(p + ").storage_needed in GB/s") == Approx(1.1));
  CHECK(number(p + ").cores_needed") == Approx(40));
  CHECK(ok(p + ", cores = 32).bound").rfind("cpu", 0) == 0);
  CHECK(number(p + ", cores = 32).accelerator_utilization") == Approx(0.8));
  CHECK(ok(p + ", cores = 64, storage_bandwidth = 550 MB/s).bound").rfind("storage", 0) == 0);
  CHECK(mentions(fails(p + ", cores = -1)"), ">= 1"));
  CHECK(mentions(fails("data_pipeline(rate = 10 GB/s, sample_size = 1 kB, per_core = 1 samples/s)"), "must be"));
}

TEST_CASE("privacy: DP-SGD training time from the measured slowdown range") {
  CHECK(number("privacy(time = 10 h).time_low in h") == Approx(26));
  CHECK(number("privacy(time = 10 h).time_high in h") == Approx(80));
  CHECK(number("privacy(time = 10 h, implementation = ghost_clipping).time_high in h") == Approx(40));
  CHECK(number("privacy(time = 10 h, slowdown = 3).time in h") == Approx(30));
  CHECK(mentions(fails("privacy(time = 10 h, slowdown = 0.5)"), ">= 1"));
  CHECK(mentions(fails("privacy(time = 10 GB)"), "must be time"));
  CHECK(mentions(fails("privacy(time = 10 h, implementation = tf_privacy)"), "valid implementation values"));
}

TEST_CASE("weight_streaming: Llama-3-8B streamed onto a device at 1 TB/s") {
  // 8.03e9 weights x 2 B = 16.06 GB at 1 TB/s = 16.06 ms per step. At 1000 tokens:
  // 2 x (8.03e9 - 0.525e9 embedding) x 1000 = 1.501e13 FLOP at 989.4 TFLOP/s = 15.2 ms: streaming-bound.
  const std::string w = "weight_streaming(Llama3_8B, GPU_A, tokens = 1000 tokens, injection = 1 TB/s)";
  CHECK(number(w + ".stream_time in ms") == Approx(16.06).epsilon(0.003));
  CHECK(ok(w + ".bound").rfind("streaming", 0) == 0);
  CHECK(number(w + ".balance_tokens") == Approx(16.06e-3 * 989.4e12 / (2 * 7.505e9)).epsilon(0.005));
  CHECK(ok("weight_streaming(Llama3_8B, GPU_A, tokens = 4000 tokens, injection = 1 TB/s, mode = training).bound")
            .rfind("compute", 0) == 0);
  // A device with only a sparse peak needs a dense one from the user.
  CHECK(mentions(fails("weight_streaming(Llama3_8B, Wafer, tokens = 1000 tokens, injection = 1 TB/s)"),
                 "no dense fp16 peak"));
  CHECK(ok("weight_streaming(Llama3_8B, Wafer, tokens = 1000 tokens, injection = 1 TB/s, peak = 60 PFLOP/s).bound")
            .rfind("streaming", 0) == 0);
  CHECK(mentions(fails("weight_streaming(Llama3_8B, GPU_A, tokens = 0 tokens, injection = 1 TB/s)"), "must be > 0"));
  CHECK(mentions(fails("weight_streaming(Llama3_8B, GPU_A, tokens = 1000 tokens)"), "missing argument 'injection'"));
}
