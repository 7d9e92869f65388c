// serving_fleet's typed search path (interp/typed_solver.hpp): what depends
// on the accelerator and region (power, prices, capex, the region's figures)
// read once per pair at preparation; the replica (`serve` itself) once per
// accelerator, precision, tp and batch on each thread, and the queue once per
// replica and slot count; per point only the sizing arithmetic. The numbers
// are serving_fleet_with's (bind/fleet.cpp), in its field order;
// IRONLAW_SEARCH_PATH=check compares the two at every point.
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "fleet_helpers.hpp"
#include "fleet_sizing.hpp"
#include "helpers.hpp"
#include "ironlaw/runtime/bind/bind_units.hpp"
#include "ironlaw/runtime/interp/evaluated.hpp"
#include "ironlaw/stdlib/fleet.hpp"

namespace ironlaw::runtime::bindings {
namespace {

namespace u = stdlib::units;

class serving_fleet_typed_solver final : public typed_solver {
 public:
  struct thread_state final : scratch {
    lang::diagnostics diags;
    call_memo memo;
    // Keyed by accelerator and precision picks, tp and batch.
    std::map<std::tuple<std::size_t, std::size_t, double, double>, std::optional<replica_outcome>> replicas;
    // Keyed by the replica's key and the slot count.
    std::map<std::tuple<std::size_t, std::size_t, double, double, double>, stdlib::mmc_result> queues;
  };

  static std::unique_ptr<typed_solver> prepare(call_args& args, const typed_axes& axes);

  [[nodiscard]] std::unique_ptr<scratch> make_scratch() const override { return std::make_unique<thread_state>(); }

  int eval(const point& p, double* out, bool& fits) const override {
    auto& mine = static_cast<thread_state&>(*p.mine);
    auto pick = [&](std::size_t axis) { return axis == none ? std::size_t{0} : p.picks[axis]; };
    auto number = [&](std::size_t axis, double fixed) { return axis == none ? fixed : p.axes[axis]; };
    std::size_t hw = pick(hw_axis_), region = pick(region_axis_), precision = pick(precision_axis_);
    double tp = number(tp_axis_, tp_), batch = number(batch_axis_, batch_), spare = number(spare_axis_, spare_);
    // What call_args::count refuses: the generic call words it.
    auto whole = [](double x, double least) { return std::isfinite(x) && x >= least && x == std::round(x); };
    if (!whole(tp, 1) || !whole(batch, 1) || !whole(spare, 0)) return declined;
    const auto& site = sites_[hw * region_count_ + region];
    if (!site) return declined;

    auto key = std::make_tuple(hw, precision, tp, batch);
    auto found = mine.replicas.find(key);
    if (found == mine.replicas.end()) {
      mine.diags.clear();
      replica_site where = site_;
      where.diags = &mine.diags;
      where.memo = &mine.memo;
      found = mine.replicas.emplace(key, replica_of(where, model_, hws_[hw], precisions_[precision],
                                                    precision_words_[precision], tp, batch, prompt_, output_))
                  .first;
    }
    if (!found->second) return declined;  // serve refused it: the generic call words why
    const auto& one = found->second->one;

    auto req = fleet_request_of(*site, one, {demand_, batch, tp, per_node_, spare, target_, lifetime_, maintenance_, 0});
    auto f = stdlib::size_fleet_nodes(req);
    double slots = stdlib::fleet_slots(req, f);
    auto queue_key = std::make_tuple(hw, precision, tp, batch, slots);
    auto queue = mine.queues.find(queue_key);
    if (queue == mine.queues.end())
      queue = mine.queues.emplace(queue_key, stdlib::mmc_waits(req.demand.value() / u::second, one.e2e, slots)).first;
    stdlib::finish_fleet(req, queue->second, f);
    auto cloud_per_year = (site->cloud_price ? site->cloud_price->si * f.devices : 0.0) * u::dollar / u::second;

    // serving_fleet's result fields, in its order.
    std::size_t i = 0;
    out[i++] = f.replicas;
    out[i++] = f.devices;
    out[i++] = f.nodes;
    out[i++] = to_si(f.capacity);
    out[i++] = to_si(f.rate_after_node_loss);
    out[i++] = f.utilization;
    out[i++] = to_si(f.ttft);
    out[i++] = to_si(f.ttft_p99);
    out[i++] = to_si(one.itl);
    out[i++] = to_si(one.e2e + f.queue_wait);
    out[i++] = to_si(f.power);
    out[i++] = to_si(f.energy_per_year);
    out[i++] = to_si(f.capex);
    out[i++] = to_si(f.capex_per_year);
    out[i++] = to_si(f.opex_per_year);
    out[i++] = to_si(f.cost_per_year);
    out[i++] = to_si(cloud_per_year);
    out[i++] = to_si(f.carbon_per_year);
    out[i++] = to_si(f.cost_per_million_tokens);
    fits = found->second->shortfall.empty();
    return computed;
  }

 private:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t hw_axis_ = none, region_axis_ = none, precision_axis_ = none, tp_axis_ = none, batch_axis_ = none,
              spare_axis_ = none;
  std::vector<record_ptr> hws_;
  std::vector<value> precisions_;             // as given (axis values, or the argument)
  std::vector<std::string> precision_words_;  // the same, as words
  std::size_t region_count_ = 1;
  std::vector<std::optional<fleet_site>> sites_;  // per accelerator x region (fleet_site_of); empty: the generic call words why
  replica_site site_;
  value model_;
  quantity prompt_, output_;
  double demand_ = 0, tp_ = 1, batch_ = 1, spare_ = 0, per_node_ = 8, target_ = 0.8, lifetime_ = 0, maintenance_ = 0;
};

std::unique_ptr<typed_solver> serving_fleet_typed_solver::prepare(call_args& args, const typed_axes& axes) {
  auto t = std::make_unique<serving_fleet_typed_solver>();
  const auto& words = precision_words();
  for (std::size_t a = 0; a < axes.names.size(); ++a) {
    const auto& name = axes.names[a];
    auto all = [&](auto ok) { return axes.values[a].all_of(ok); };
    auto entity_of = [&](std::string_view kind) {
      return all([&](const value& v) { const auto* r = v.as_record(); return r && r->kind == kind && !r->name.empty(); });
    };
    auto plain = all([](const value& v) { const auto* q = v.as_quantity(); return q && q->d.dimensionless(); });
    if (name == "accelerator" && entity_of("hardware")) t->hw_axis_ = a;
    else if (name == "region" && entity_of("region")) t->region_axis_ = a;
    else if (name == "precision" && all([&](const value& v) {
               const auto* s = v.as_symbol();
               return s && std::find(words.begin(), words.end(), s->name) != words.end();
             }))
      t->precision_axis_ = a;
    else if (name == "tp" && plain) t->tp_axis_ = a;
    else if (name == "batch" && plain) t->batch_axis_ = a;
    else if (name == "spare_nodes" && plain) t->spare_axis_ = a;
    else return nullptr;  // another axis, or values the generic call must judge
  }
  // The fixed arguments, read and checked as serving_fleet_with reads them.
  auto workload = args.entity("workload");
  auto per_node = args.count("devices_per_node", 1, true);
  auto target = args.fraction("utilization", 0.8);
  auto lifetime = args.quantity_of("lifetime");
  auto maintenance = args.count("maintenance", 0, false);
  auto allowed = args.word("allow_infeasible");
  if (!workload || !per_node || !target || !lifetime || !maintenance || !allowed || lifetime->si <= 0) return nullptr;
  if (workload->find("kind") && format_value(workload->find("kind")->v, args.reg().units()) != "serving") return nullptr;
  const auto* model_field = workload->find("model");
  const auto* rate = workload->quantity_of("rate");
  const auto* prompt = workload->quantity_of("prompt");
  const auto* output = workload->quantity_of("output");
  if (!model_field || !rate || !prompt || !output || rate->si <= 0) return nullptr;
  t->model_ = model_field->v;
  if (const auto* text = std::get_if<std::string>(&t->model_.v))
    if (auto found = args.reg().find(*text)) t->model_ = value{found};
  auto fixed_count = [&](std::size_t axis, std::string_view name, double least, double& into) {
    if (axis != none) return true;
    auto x = args.count(name, least, true);
    if (x) into = *x;
    return x.has_value();
  };
  if (!fixed_count(t->tp_axis_, "tp", 1, t->tp_) || !fixed_count(t->batch_axis_, "batch", 1, t->batch_) ||
      !fixed_count(t->spare_axis_, "spare_nodes", 0, t->spare_))
    return nullptr;
  if (t->hw_axis_ != none) {
    for (const auto& v : axes.values[t->hw_axis_].listed()) t->hws_.push_back(std::get<record_ptr>(v.v));
  } else if (auto hw = args.entity("accelerator")) {
    t->hws_.push_back(hw);
  } else {
    return nullptr;
  }
  std::vector<record_ptr> regions;
  if (t->region_axis_ != none) {
    for (const auto& v : axes.values[t->region_axis_].listed()) regions.push_back(std::get<record_ptr>(v.v));
  } else if (auto region = args.entity("region")) {
    regions.push_back(region);
  } else {
    return nullptr;
  }
  if (t->precision_axis_ != none) {
    t->precisions_ = axes.values[t->precision_axis_].listed();
    for (const auto& v : t->precisions_) t->precision_words_.push_back(v.as_symbol()->name);
  } else {
    auto word = args.word("precision");
    if (!word) return nullptr;
    t->precisions_.push_back(args.raw("precision"));
    t->precision_words_.push_back(*word);
  }
  t->region_count_ = regions.size();
  for (const auto& hw : t->hws_)
    for (const auto& region : regions) t->sites_.push_back(fleet_site_of(args, hw, region));
  t->site_ = replica_site_of(args);
  t->site_.quiet = true;  // the typed path reads numbers only
  t->prompt_ = *prompt;
  t->output_ = *output;
  t->demand_ = rate->si;
  t->per_node_ = *per_node;
  t->target_ = *target;
  t->lifetime_ = lifetime->si;
  t->maintenance_ = *maintenance;
  t->hypothetical_allowed = *allowed == "true";
  return t;
}

}  // namespace

std::unique_ptr<typed_solver> serving_fleet_typed(call_args& args, const typed_axes& axes) {
  return serving_fleet_typed_solver::prepare(args, axes);
}

}  // namespace ironlaw::runtime::bindings
