#pragma once
// Queueing: the M/M/c queue (Poisson arrivals, exponential service, c
// identical servers, first come first served) in steady state, and a shared
// cluster seen as one.
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

// Arrival rate in "items per second" whatever the items are (requests,
// jobs): the stdlib takes a plain frequency and the caller says what counts.
using frequency = units::q<units::per<units::dimensionless_unit, units::second_unit>>;

struct mmc_result {
  double servers = 1;
  double offered_load = 0;  // a = lambda / mu, in Erlangs (busy servers on average)
  double utilization = 0;   // rho = a / c
  bool stable = false;      // rho < 1; otherwise the queue grows without bound
  double p_wait = 1;        // Erlang C: the probability an arrival waits
  units::seconds mean_wait{};      // E[W_q]; infinite when unstable
  units::seconds p50_wait{};       // quantiles of W_q (0 when P(wait) is below 1 - q)
  units::seconds p95_wait{};
  units::seconds p99_wait{};
  units::seconds mean_response{};  // E[W_q] + 1 / mu
  units::seconds p99_response{};   // quantile of W_q + service time
  double mean_queue_length = 0;    // L_q = lambda E[W_q] (Little's law)
};

// Preconditions (the caller checks): rate > 0, service_time > 0, servers a
// whole number >= 1. Cost O(servers) (the Erlang B recursion).
mmc_result mmc(frequency rate, units::seconds service_time, double servers);
// mmc without the response-time quantile (p99_response is NaN): its bisection
// is most of mmc's cost, and a caller that reads only the waits
// (size_serving_fleet) need not pay for it. Every other field is mmc's.
mmc_result mmc_waits(frequency rate, units::seconds service_time, double servers);

// P(W_q > t) = C exp(-(c mu - lambda) t) for an M/M/c queue; its quantile.
units::seconds wait_quantile(const mmc_result& q, units::seconds service_time, double quantile);

// The q-quantile of the response time W_q + S (S ~ exponential, independent
// of W_q under FCFS), by bisection on its closed-form tail.
units::seconds response_quantile(const mmc_result& q, units::seconds service_time, double quantile);

}  // namespace ironlaw::stdlib
