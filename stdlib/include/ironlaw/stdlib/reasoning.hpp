#pragma once
// Inference-time compute: a request that thinks for T tokens before its
// answer decodes T more tokens and holds T more tokens of KV cache. Given one
// serving replica evaluated without and with the thinking tokens (serve), the
// cost in latency, throughput per replica and fleet size at a request rate.
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

// One replica at its batch, as serve reports it.
struct replica_point {
  units::seconds ttft{}, itl{}, e2e{};
  units::request_rate requests{};     // completed requests per second, > 0
  units::token_rate throughput{};     // generated tokens per second (thinking included)
  units::bytes kv_per_request{};
  double max_batch = 0;
};

struct reasoning_request {
  replica_point base;                 // answer only
  replica_point thinking;             // thinking + answer
  double thinking_tokens = 0;         // per request, >= 0
  double answer_tokens = 1;           // per request, >= 1
  double devices_per_replica = 1;     // tp
  units::request_rate demand{};       // 0: no fleet sizing
  double target_utilization = 0.8;    // in (0, 1]
};

struct reasoning_result {
  double latency_ratio = 1;           // e2e with thinking / without
  double throughput_ratio = 1;        // requests per replica without / with (how many times fewer)
  double kv_ratio = 1;                // KV per request with / without
  units::seconds thinking_time{};     // e2e with - e2e without: the wait before the answer starts
  units::token_rate answer_rate{};    // answer tokens per second per replica, with thinking
  double replicas_base = 0, replicas = 0;  // at `demand` (0 without one)
  double gpus_base = 0, gpus = 0;
  double fleet_ratio = 1;             // replicas with / without
};

// Replicas of rate `per_replica` that serve `demand` at `target` utilization:
// ceil(demand / (target x per_replica)).
double replicas_for(units::request_rate demand, units::request_rate per_replica, double target);

reasoning_result reasoning(const reasoning_request& req);

}  // namespace ironlaw::stdlib
