#include <catch2/catch.hpp>

#include <cmath>

#include "ironlaw/stdlib/queueing.hpp"

using namespace ironlaw::stdlib;
namespace u = ironlaw::stdlib::units;

namespace {
frequency per_second(double x) { return frequency::from_value(x); }
}  // namespace

TEST_CASE("M/M/3 at 10 arrivals/s and 0.25 s service matches A15 and Erlang C by hand") {
  // a = 10 x 0.25 = 2.5 Erlangs, rho = 2.5 / 3 = 0.8333.
  // a^3/3! / (1 - rho) = 2.6042 x 6 = 15.625; sum_{k<3} a^k/k! = 1 + 2.5 + 3.125 = 6.625.
  // C = 15.625 / (6.625 + 15.625) = 0.70225; W_q = C / (c mu - lambda) = 0.70225 / 2 = 0.35112 s.
  // p99: ln(C / 0.01) / 2 = ln(70.225) / 2 = 2.1260 s; p50: ln(C / 0.5) / 2 = 0.16984 s.
  auto q = mmc(per_second(10), 0.25 * u::second, 3);
  CHECK(q.stable);
  CHECK(q.utilization == Approx(0.833333).epsilon(1e-6));
  CHECK(q.offered_load == Approx(2.5));
  CHECK(q.p_wait == Approx(0.702247).epsilon(1e-5));
  CHECK(q.mean_wait.value() == Approx(0.351124).epsilon(1e-5));
  CHECK(q.p99_wait.value() == Approx(2.12584).epsilon(1e-4));
  CHECK(q.p95_wait.value() == Approx(1.32113).epsilon(1e-4));
  CHECK(q.p50_wait.value() == Approx(0.169841).epsilon(1e-4));
  CHECK(q.mean_response.value() == Approx(0.601124).epsilon(1e-5));
  CHECK(q.mean_queue_length == Approx(3.51124).epsilon(1e-5));  // Little: 10 x 0.35112
  CHECK(q.p99_response.value() > q.p99_wait.value());
}

TEST_CASE("M/M/1 reduces to the textbook single-server queue") {
  // rho = 0.5: P(wait) = rho, W_q = rho / (mu - lambda) = 0.5 s, and the
  // response time is exponential with rate mu - lambda = 1/s: p99 = ln 100 s.
  auto q = mmc(per_second(1), 0.5 * u::second, 1);
  CHECK(q.p_wait == Approx(0.5));
  CHECK(q.mean_wait.value() == Approx(0.5));
  CHECK(q.p99_response.value() == Approx(std::log(100.0)).epsilon(1e-6));
  CHECK(response_quantile(q, 0.5 * u::second, 0.5).value() == Approx(std::log(2.0)).epsilon(1e-6));
}

TEST_CASE("a quantile below the share that waits is zero") {
  // 3 servers at rho = 0.1: almost nobody waits, so the median wait is 0.
  auto q = mmc(per_second(1.2), 0.25 * u::second, 3);
  CHECK(q.p_wait < 0.5);
  CHECK(q.p50_wait.value() == 0);
  CHECK(q.p99_wait.value() >= 0);
}

TEST_CASE("an overloaded queue is unstable with infinite waits, not negative ones") {
  auto q = mmc(per_second(10), 0.5 * u::second, 3);  // rho = 5 / 3
  CHECK_FALSE(q.stable);
  CHECK(q.p_wait == 1);
  CHECK(std::isinf(q.mean_wait.value()));
  CHECK(std::isinf(q.p99_wait.value()));
  CHECK(std::isinf(mmc(per_second(12), 0.25 * u::second, 3).mean_wait.value()));  // rho = 1 exactly
}

TEST_CASE("Erlang C stays finite for thousands of servers") {
  // a = 9000 Erlangs on 10000 servers: a^c / c! overflows a double; the recursion does not.
  auto q = mmc(per_second(9000), 1 * u::second, 10000);
  CHECK(std::isfinite(q.p_wait));
  CHECK(q.p_wait >= 0);
  CHECK(q.p_wait < 1e-6);  // square-root staffing: 10 sigma of spare servers
  // Pooling: the same load per server waits less in a bigger pool.
  auto small = mmc(per_second(9), 1 * u::second, 10);
  CHECK(small.p_wait > q.p_wait);
}

TEST_CASE("beyond 500 servers Erlang B is the incomplete-gamma closed form - continuous and instant") {
  // The recursion stops at 500 servers; just past it the closed form takes
  // over: one more server at 96 % load waits a little less, and no jump.
  auto below = mmc(per_second(480), 1.0 * u::second, 500);
  auto above = mmc(per_second(480), 1.0 * u::second, 501);
  CHECK(below.p_wait > 0.2);
  CHECK(above.p_wait < below.p_wait);
  CHECK(above.p_wait > 0.9 * below.p_wait);
  // The closed form against the recursion it replaces, written out here:
  // 1/B(k) = 1 + (k / a) / B(k-1), C = B / (1 - rho (1 - B)).
  // (The recursion calls B below 1e-30 zero; the closed form keeps it.)
  for (double c : {501.0, 600.0, 2000.0, 20000.0}) {
    for (double rho : {0.5, 0.9, 0.99}) {
      double a = rho * c, inverse = 1;
      for (double k = 1; k <= c && inverse <= 1e30; ++k) inverse = 1 + k / a * inverse;
      double b = inverse > 1e30 ? 0 : 1 / inverse;
      double c_wait = b / (1 - rho * (1 - b));
      auto q = mmc(per_second(a), 1.0 * u::second, c);
      CHECK(q.p_wait == Approx(c_wait).epsilon(1e-10).margin(1e-25));
    }
  }
  // A trillion servers at half load: no wait, computed without a trillion steps.
  auto huge = mmc(per_second(1e12), 1.0 * u::second, 2e12);
  CHECK(huge.stable);
  CHECK(huge.p_wait == Approx(0.0).margin(1e-12));
  // Near saturation the square-root staffing rule holds: c = a + beta sqrt(a)
  // with beta = 1 gives P(wait) ~ 0.22 (Halfin-Whitt) at any scale.
  double a = 1e10;
  auto halfin = mmc(per_second(a), 1.0 * u::second, a + std::sqrt(a));
  CHECK(halfin.p_wait == Approx(0.2236).epsilon(0.05));
}
