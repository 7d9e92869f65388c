#include "ironlaw/stdlib/pools.hpp"

#include <algorithm>

namespace ironlaw::stdlib {

units::seconds kv_transfer_time(const kv_transfer_request& req) {
  if (req.same_pool) return units::seconds{};
  return req.latency + req.cross_region + req.kv_per_request / req.bandwidth;
}

path_latency path_of(const path_request& p) {
  path_latency out;
  out.ttft = p.ttft + p.rtt;
  out.ttft_p99 = p.ttft_p99 + p.rtt;
  if (!p.disaggregated) {
    out.itl = p.itl;
    out.e2e = p.e2e + p.rtt;
    return out;
  }
  // The first token comes from the prefill pool; the second waits for the KV
  // cache and a decode slot; the rest come one decode step apart.
  double gaps = std::max(1.0, p.output_tokens - 1);
  out.itl = p.itl + (p.kv_transfer + p.decode_wait) / gaps;
  out.e2e = out.ttft + p.kv_transfer + p.decode_wait + gaps * p.itl;
  return out;
}

path_latency fleet_latency(const std::vector<path_request>& paths) {
  path_latency out;
  for (const auto& p : paths) {
    if (p.share <= 0) continue;
    auto one = path_of(p);
    out.ttft += p.share * one.ttft;
    out.e2e += p.share * one.e2e;
    out.ttft_p99 = std::max(out.ttft_p99, one.ttft_p99);
    out.itl = std::max(out.itl, one.itl);
  }
  return out;
}

std::vector<std::vector<double>> split_grid(std::size_t n, int steps) {
  std::vector<std::vector<double>> out;
  if (n == 0 || steps < 1) return out;
  std::vector<int> parts(n, 0);
  // Enumerate compositions of `steps` into n non-negative parts.
  auto emit = [&] {
    std::vector<double> s(n);
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<double>(parts[i]) / steps;
    out.push_back(std::move(s));
  };
  auto rec = [&](auto&& self, std::size_t i, int left) -> void {
    if (i + 1 == n) {
      parts[i] = left;
      emit();
      return;
    }
    for (int k = left; k >= 0; --k) {
      parts[i] = k;
      self(self, i + 1, left - k);
    }
  };
  rec(rec, 0, steps);
  return out;
}

}  // namespace ironlaw::stdlib
