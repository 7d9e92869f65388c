// Per-call costs of the hot paths. Each benchmark reports the median of
// several timed batches; compare ratios within one run (the machines are shared).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"
#include "ironlaw/runtime/interp/registry.hpp"
#include "ironlaw/stdlib/queueing.hpp"
#include "ironlaw/stdlib/serving.hpp"
#include "ironlaw/stdlib/training.hpp"
#include "ironlaw/stdlib/training_fleet.hpp"

namespace {

volatile double sink;

double median_ns_per_call(const std::function<void()>& body, int calls_per_batch, int batches = 7) {
  std::vector<double> per_call;
  for (int b = 0; b < batches; ++b) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls_per_batch; ++i) body();
    std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - start;
    per_call.push_back(elapsed.count() / calls_per_batch);
  }
  std::sort(per_call.begin(), per_call.end());
  return per_call[per_call.size() / 2];
}

void report(const char* name, double ns) {
  fmt::print("{:<44} {:>12.1f} ns/call {:>14.0f} calls/s\n", name, ns, 1e9 / ns);
}

}  // namespace

int main() {
  using namespace ironlaw;
  namespace u = stdlib::units;

  stdlib::transformer_shape llama;
  llama.layers = 32;
  llama.d_model = 4096;
  llama.heads = 32;
  llama.kv_heads = 8;
  llama.head_dim = 128;
  llama.ffn = 14336;
  llama.vocab = 128256;
  llama.context = 8192;
  stdlib::accelerator h100;
  h100.peak[static_cast<std::size_t>(stdlib::precision::fp16)] = 989.4e12 * u::flop / u::second;
  h100.bandwidth = 3.35e12 * u::byte / u::second;

  double batch = 1;
  report("stdlib::decode (typed solver call)", median_ns_per_call([&] {
           stdlib::decode_request req;
           req.batch = batch;
           req.context = 1024;
           sink = stdlib::decode(llama, h100, req).itl.value();
           batch = batch < 256 ? batch + 1 : 1;
         }, 200000));

  // Erlang C costs O(servers): a spread of pool sizes, at utilization 0.9.
  double servers = 1;
  report("stdlib::mmc (M/M/c, 1-64 servers)", median_ns_per_call([&] {
           sink = stdlib::mmc(stdlib::frequency::from_value(0.9 * servers), 1 * u::second, servers).p99_wait.value();
           servers = servers < 64 ? servers + 1 : 1;
         }, 200000));

  const auto& reg = runtime::registry::embedded();
  runtime::interpreter interp(reg);
  auto source = std::make_shared<const lang::source_file>("<bench>", "16 GB / 40 ms in GB/s");
  lang::diagnostics diags;
  lang::expr_ptr unit_expr;
  lang::parse_expression(source, unit_expr, diags);
  report("evaluate '16 GB / 40 ms in GB/s' (tree walk)", median_ns_per_call([&] {
           sink = interp.evaluate(*unit_expr, source, diags)->v.as_quantity()->si;
         }, 100000));

  report("parse '16 GB / 40 ms in GB/s'", median_ns_per_call([&] {
           lang::expr_ptr e;
           lang::parse_expression(source, e, diags);
           sink = static_cast<double>(e->where.end);
         }, 100000));

  if (reg.find("Llama3_8B") && reg.find("H100_SXM")) {
    auto call = std::make_shared<const lang::source_file>("<bench>", "decode(Llama3_8B, H100_SXM, batch = 8).itl");
    lang::expr_ptr e;
    lang::parse_expression(call, e, diags);
    report("evaluate 'decode(Llama3_8B, H100_SXM, ...).itl'", median_ns_per_call([&] {
             sink = interp.evaluate(*e, call, diags)->v.as_quantity()->si;
           }, 20000));
  }
  auto queue_call = std::make_shared<const lang::source_file>(
      "<bench>", "queue(rate = 10 req/s, service_time = 0.25 s, servers = 3).p99_wait");
  lang::expr_ptr queue_expr;
  lang::parse_expression(queue_call, queue_expr, diags);
  report("evaluate 'queue(rate = 10 req/s, ...).p99_wait'", median_ns_per_call([&] {
           sink = interp.evaluate(*queue_expr, queue_call, diags)->v.as_quantity()->si;
         }, 20000));
  // train: a GPT-3-sized 3D-parallel step, the typed call and through the language.
  stdlib::train_request train_req;
  train_req.tp = 8, train_req.pp = 8, train_req.dp = 16, train_req.global_batch = 1024;
  train_req.scaleup = {450e9 * u::byte / u::second, {}};
  train_req.scaleout = {50e9 * u::byte / u::second, {}};
  h100.peak[static_cast<std::size_t>(stdlib::precision::bf16)] = 989.4e12 * u::flop / u::second;
  h100.memory = 80e9 * u::byte;
  report("stdlib::train (typed solver call)", median_ns_per_call([&] {
           sink = stdlib::train(llama, h100, train_req).step.value();
         }, 100000));
  if (reg.find("GPT3_175B") && reg.find("DGX_A100")) {
    auto call = std::make_shared<const lang::source_file>(
        "<bench>", "train(GPT3_175B, node = DGX_A100, tp = 8, pp = 16, gpus = 1024, global_batch = 1536).step");
    lang::expr_ptr e;
    lang::parse_expression(call, e, diags);
    report("evaluate 'train(GPT3_175B, node = ...).step'", median_ns_per_call([&] {
             sink = interp.evaluate(*e, call, diags)->v.as_quantity()->si;
           }, 5000));
  }
  // training_fleet and reasoning: design-block solvers, typed and through the language.
  stdlib::training_fleet_request fleet_req;
  fleet_req.work = 30 * 86400 * u::second;
  fleet_req.gpus = 1024;
  fleet_req.mtbf_per_gpu = 50677 * 3600 * u::second;
  fleet_req.checkpoint_write = 60 * u::second;
  fleet_req.power_per_gpu = 1275 * u::watt;
  fleet_req.lifetime = 5 * stdlib::seconds_per_year * u::second;
  report("stdlib::training_fleet (typed solver call)", median_ns_per_call([&] {
           sink = stdlib::training_fleet(fleet_req).owned_cost.value();
           fleet_req.gpus = fleet_req.gpus < 4096 ? fleet_req.gpus * 2 : 1024;
         }, 100000));
  for (const char* text : {"training_fleet(Llama3_70B, H100_SXM, tp = 8, pp = 4, gpus = 1024, fabric = IB_NDR, zero = 1, "
                           "region = Virginia, price_per_gpu = 30000 USD).owned_cost",
                           "reasoning(Llama3_8B, H100_SXM, thinking = 4000 tokens, rate = 100 req/s).replicas"}) {
    auto call = std::make_shared<const lang::source_file>("<bench>", text);
    lang::expr_ptr e;
    lang::parse_expression(call, e, diags);
    std::string name = fmt::format("evaluate '{}(...)'", std::string_view(text).substr(0, std::string_view(text).find('(')));
    report(name.c_str(), median_ns_per_call([&] {
             auto v = interp.evaluate(*e, call, diags);
             sink = v ? v->v.as_quantity()->si : 0;
           }, 5000));
  }
  return diags.has_errors() ? 1 : 0;
}
