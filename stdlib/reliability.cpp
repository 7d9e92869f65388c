#include "ironlaw/stdlib/reliability.hpp"

#include <cmath>

namespace ironlaw::stdlib {

reliability_result reliability(const reliability_request& req) {
  reliability_result r;
  double m = req.mtbf.value() / req.n;
  double delta = req.checkpoint_write.value();
  r.cluster_mtbf = m * units::second;
  r.young = std::sqrt(2 * delta * m) * units::second;
  // Daly 2006 (higher-order optimum): sqrt(2 delta M) [1 + sqrt(delta / 2M) / 3 + (delta / 2M) / 9] - delta, or M once delta >= 2M.
  double x = delta / (2 * m);
  r.daly = (delta < 2 * m ? r.young.value() * (1 + std::sqrt(x) / 3 + x / 9) - delta : m) * units::second;
  r.interval = req.interval.value() > 0 ? req.interval : r.young;
  double tau = r.interval.value();
  // Daly 2006: expected wall time with exponential failures, restart R
  // and a checkpoint of delta after every tau of work.
  double wall = m * std::exp(req.restart.value() / m) * std::expm1((tau + delta) / m) * req.work.value() / tau;
  r.wall_time = wall * units::second;
  r.goodput = wall > 0 ? req.work.value() / wall : 1;
  r.expected_failures = wall / m;
  r.checkpoint_overhead = delta / tau;
  r.rework = (tau / 2 + req.restart.value()) / m;
  return r;
}

failure_rates fleet_failure_rates(hardware_generation g) {
  if (g == hardware_generation::h100) {
    const double gpu_hours = 16384.0 * 1296, node_hours = 2048.0 * 1296;
    return {.gpu = 196 / gpu_hours, .hbm = 72 / gpu_hours, .nic = 7 / gpu_hours, .network = 35 / gpu_hours,
            .host = 46 / node_hours, .job = 63 / 1296.0};
  }
  // Two scales, two unknowns: 1 / 7.9 h = 128 nodes x r_node + r_job, 1 / 1.8 h = 2,048 nodes x r_node + r_job.
  const double node = (1 / 1.8 - 1 / 7.9) / (2048 - 128);
  return {.host = node, .job = 1 / 7.9 - 128 * node};
}

job_failures job_failure_rate(const failure_rates& rates, double gpus, double gpus_per_node) {
  job_failures f;
  f.gpu = gpus * rates.gpu;
  f.hbm = gpus * rates.hbm;
  f.nic = gpus * rates.nic;
  f.network = gpus * rates.network;
  f.host = std::ceil(gpus / gpus_per_node) * rates.host;
  f.job = rates.job;
  f.total = f.gpu + f.hbm + f.nic + f.network + f.host + f.job;
  f.mtbf = 3600 / f.total * units::second;
  f.per_gpu_mtbf = gpus * f.mtbf;
  return f;
}

checkpoint_result checkpoint(const transformer_shape& model, precision weights, checkpoint_optimizer optimizer,
                             units::byte_rate bandwidth, double writers) {
  checkpoint_result r;
  double params = count_parameters(model).total;
  double w = bytes_per_element(weights);
  double moments = optimizer == checkpoint_optimizer::adam ? 2 : optimizer == checkpoint_optimizer::momentum ? 1 : 0;
  double master = optimizer != checkpoint_optimizer::none && w < 4 ? 4 : 0;
  r.bytes_per_param = w + master + 4 * moments;
  r.weights = params * w * units::byte;
  r.optimizer_state = params * (master + 4 * moments) * units::byte;
  r.size = r.weights + r.optimizer_state;
  r.per_writer = r.size / writers;
  r.write_time = r.size / bandwidth;
  return r;
}

}  // namespace ironlaw::stdlib
