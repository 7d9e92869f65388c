#pragma once
// The roofline plot: each result placed by its arithmetic intensity under its
// hardware's roofs (the bandwidth slope and the compute ceiling), log-log.
#include <optional>
#include <string>
#include <vector>

namespace ironlaw::runtime {
struct record;
}

namespace ironlaw::runtime::report {

struct roofline_point {
  std::string label;          // what the legend calls it ("r", "batch 4, ...")
  double intensity = 0;       // FLOP per byte
  double performance = 0;     // FLOP/s at the bound: min(peak, intensity x bandwidth)
  double peak = 0;            // FLOP/s: the compute roof
  double bandwidth = 0;       // byte/s: the slope of the memory roof
};

// The point of a result with `flops`, `intensity`, `ridge`, `compute_time`
// and `memory_time` (roofline, decode, prefill, ...): peak = flops /
// compute_time, bandwidth = peak / ridge; nothing for any other record.
std::optional<roofline_point> roofline_of(const record& r, std::string label);

std::string to_roofline_svg(const std::string& title, const std::vector<roofline_point>& points);

}  // namespace ironlaw::runtime::report
