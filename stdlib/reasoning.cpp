#include "ironlaw/stdlib/reasoning.hpp"

#include <cmath>

namespace ironlaw::stdlib {

double replicas_for(units::request_rate demand, units::request_rate per_replica, double target) {
  if (demand.value() <= 0 || per_replica.value() <= 0) return 0;
  return std::ceil(demand.value() / (target * per_replica.value()) - 1e-9);
}

reasoning_result reasoning(const reasoning_request& req) {
  reasoning_result r;
  const auto& a = req.base;
  const auto& b = req.thinking;
  r.latency_ratio = (b.e2e / a.e2e).value();
  r.throughput_ratio = (a.requests / b.requests).value();
  r.kv_ratio = a.kv_per_request.value() > 0 ? (b.kv_per_request / a.kv_per_request).value() : 1.0;
  r.thinking_time = b.e2e - a.e2e;
  r.answer_rate = req.answer_tokens * units::token * b.requests / units::request;
  r.replicas_base = replicas_for(req.demand, a.requests, req.target_utilization);
  r.replicas = replicas_for(req.demand, b.requests, req.target_utilization);
  r.gpus_base = r.replicas_base * req.devices_per_replica;
  r.gpus = r.replicas * req.devices_per_replica;
  r.fleet_ratio = r.replicas_base > 0 ? r.replicas / r.replicas_base : 1;
  return r;
}

}  // namespace ironlaw::stdlib
