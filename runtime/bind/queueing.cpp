// Bindings of the queueing solvers: queue (M/M/c, Erlang C) and
// cluster_queue (a shared GPU cluster as an M/M/c of job slots).
#include <fmt/format.h>

#include <cmath>
#include <numeric>

#include "fleet_helpers.hpp"
#include "bindings.hpp"
#include "ironlaw/stdlib/queueing.hpp"

namespace ironlaw::runtime::bindings {
namespace {

namespace u = stdlib::units;

std::string wait_note(const stdlib::mmc_result& q, double rate, double capacity) {
  if (!q.stable)
    return fmt::format("unstable: {} arrivals/s exceed the {} the servers can complete; the queue grows without bound",
                       format_number(rate), format_number(capacity));
  return fmt::format("P(wait > t) = {} exp(-{}/s t): c mu - lambda = {} - {}", format_number(q.p_wait),
                     format_number(capacity - rate), format_number(capacity), format_number(rate));
}

// The wait fields every queue result shares, in the declared order.
std::vector<field> wait_fields(const stdlib::mmc_result& q, double rate, double capacity) {
  auto why = wait_note(q, rate, capacity);
  return {
      number_field("utilization", q.utilization,
                   fmt::format("lambda / (c mu) = {} / {}", format_number(rate), format_number(capacity))),
      field{"stable", value{q.stable}, q.stable ? "utilization < 1" : why},
      number_field("p_wait", q.p_wait, q.stable ? "Erlang C: the share of arrivals that find every server busy" : why),
      typed_field("mean_wait", q.mean_wait, q.stable ? "C / (c mu - lambda)" : why),
      typed_field("p50_wait", q.p50_wait, why),
      typed_field("p95_wait", q.p95_wait, why),
      typed_field("p99_wait", q.p99_wait, why),
  };
}

std::vector<result_field> wait_results() {
  return {number_result("utilization", "arrival rate over service capacity, lambda / (c mu)"),
          bool_result("stable", "utilization < 1 (otherwise waits are infinite)"),
          number_result("p_wait", "probability an arrival waits (Erlang C)"),
          quantity_result<u::seconds>("mean_wait", "mean time in the queue before service"),
          quantity_result<u::seconds>("p50_wait", "median time in the queue"),
          quantity_result<u::seconds>("p95_wait", "95th percentile of the time in the queue"),
          quantity_result<u::seconds>("p99_wait", "99th percentile of the time in the queue")};
}

std::optional<value> queue_binding(call_args& args) {
  auto rates = arrival_rates(args, "rate", true);
  auto service = positive(args, "service_time");
  auto servers = args.count("servers", 1, true);
  if (!rates || !service || !servers) return std::nullopt;
  double rate = std::accumulate(rates->begin(), rates->end(), 0.0);  // Poisson streams merge by adding
  auto q = stdlib::mmc(stdlib::frequency::from_value(rate), *service * u::second, *servers);
  double capacity = *servers / *service;
  auto fields = wait_fields(q, rate, capacity);
  fields.push_back(typed_field("mean_response", q.mean_response, "mean wait + mean service time"));
  fields.push_back(typed_field("p99_response", q.p99_response, "99th percentile of wait + service"));
  fields.push_back(number_field("mean_queue_length", q.mean_queue_length, "Little's law: lambda x mean wait"));
  fields.push_back(number_field("offered_load", q.offered_load, "lambda / mu: servers busy on average (Erlangs)"));
  fields.push_back(number_field("streams", static_cast<double>(rates->size()),
                                rates->size() > 1 ? "merged into one FCFS queue: every stream waits the same"
                                                  : "one arrival stream"));
  return make_result("queue", std::move(fields));
}

std::optional<value> cluster_queue_binding(call_args& args) {
  auto gpus = args.count("gpus", 1, true);
  auto rates = arrival_rates(args, "job_rate", false);
  auto duration = positive(args, "job_duration");
  auto per_job = args.count("gpus_per_job", 1, true);
  if (!gpus || !rates || !duration || !per_job) return std::nullopt;
  if (*per_job > *gpus) {
    args.error("gpus_per_job", fmt::format("a job of {} GPUs does not fit a cluster of {}", format_number(*per_job),
                                           format_number(*gpus)));
    return std::nullopt;
  }
  double slots = std::floor(*gpus / *per_job);
  double rate = rates->front();
  auto q = stdlib::mmc(stdlib::frequency::from_value(rate), *duration * u::second, slots);
  double capacity = slots / *duration;
  double stranded = *gpus - slots * *per_job;
  auto fields = wait_fields(q, rate, capacity);
  fields.insert(fields.begin(), number_field("slots", slots, fmt::format("floor({} GPUs / {} per job): jobs that run at "
                                                                         "once", format_number(*gpus), format_number(*per_job))));
  fields.push_back(typed_field("mean_turnaround", q.mean_response, "mean wait + job duration"));
  fields.push_back(number_field("gpu_utilization", q.stable ? q.offered_load * *per_job / *gpus : 1,
                                stranded > 0 ? fmt::format("{} GPUs can never host a job", format_number(stranded))
                                             : "busy GPUs over all GPUs"));
  fields.push_back(number_field("stranded_gpus", stranded, "left over when the cluster is cut into job-sized slots"));
  return make_result("cluster_queue", std::move(fields));
}

}  // namespace

std::vector<builtin> queueing() {
  auto queue_results = wait_results();
  queue_results.push_back(quantity_result<u::seconds>("mean_response", "mean wait + mean service time"));
  queue_results.push_back(quantity_result<u::seconds>("p99_response", "99th percentile of wait + service time"));
  queue_results.push_back(number_result("mean_queue_length", "requests waiting on average (Little's law)"));
  queue_results.push_back(number_result("offered_load", "lambda / mu in Erlangs"));
  queue_results.push_back(number_result("streams", "arrival streams merged into the queue"));
  auto cluster_results = wait_results();
  cluster_results.insert(cluster_results.begin(), number_result("slots", "jobs that can run at once"));
  cluster_results.push_back(quantity_result<u::seconds>("mean_turnaround", "mean wait + job duration"));
  cluster_results.push_back(number_result("gpu_utilization", "busy GPUs over all GPUs"));
  cluster_results.push_back(number_result("stranded_gpus", "GPUs no job can use"));
  return {
      builtin{
          .name = "queue",
          .summary = "An M/M/c queue (Erlang C): utilization, probability of waiting, mean and tail waits.",
          .params = {rate_param("rate", "arrival rate (req/s), or a list of rates: tenants sharing the servers"),
                     quantity_param<u::seconds>("service_time", "mean service time per request on one server"),
                     count_param("servers", 1, "identical servers (replicas) behind one queue")},
          .results = std::move(queue_results),
          .invoke = queue_binding,
      },
      builtin{
          .name = "cluster_queue",
          .summary = "A shared GPU cluster as a queue of jobs: utilization and job waits (the multi-tenant wall).",
          .params = {{.name = "gpus", .kind = param_kind::count, .required = true, .doc = "GPUs in the cluster"},
                     rate_param("job_rate", "jobs submitted per unit of time, e.g. 20 / 1 h"),
                     quantity_param<u::seconds>("job_duration", "mean running time of a job"),
                     count_param("gpus_per_job", 1, "GPUs each job holds while it runs")},
          .results = std::move(cluster_results),
          .invoke = cluster_queue_binding,
      },
  };
}

}  // namespace ironlaw::runtime::bindings
