#include "ironlaw/runtime/app/registry_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <map>

#include "../bind/entities.hpp"
#include "ironlaw/runtime/interp/entity_schema.hpp"
#include "ironlaw/runtime/interp/price_history.hpp"
#include "ironlaw/runtime/interp/suggest.hpp"
#include "ironlaw/stdlib/precision.hpp"

namespace ironlaw::runtime {
namespace {

using bd = base_dim;

const dim dim_data = dim::of(bd::data);
const dim dim_bandwidth = dim::of(bd::data) / dim::of(bd::time);
const dim dim_power = dim::of(bd::energy) / dim::of(bd::time);
const dim dim_money = dim::of(bd::money);
const dim dim_compute_rate = dim::of(bd::compute) / dim::of(bd::time);

// What a registry entry must give, beyond what a declaration in a scenario
// must (entity_schema's `required`): the registry is the reference data.
const std::vector<std::string>& required_in_registry(std::string_view kind) {
  static const std::map<std::string, std::vector<std::string>, std::less<>> all = {
      {"hardware", {"name", "vendor", "class", "year", "memory", "bandwidth", "source"}},
      {"model", {"name", "family", "params", "source"}},
      {"node", {"name", "accelerator", "accelerators", "source"}},
      {"fabric", {"name", "kind", "bandwidth", "source"}},
      {"region", {"name", "carbon_intensity", "pue", "electricity_price", "source"}},
  };
  static const std::vector<std::string> none;
  auto it = all.find(kind);
  return it == all.end() ? none : it->second;
}

const std::vector<std::string> hardware_classes = {"datacenter-gpu", "datacenter-accelerator", "wafer-scale", "edge",
                                                   "mcu"};
const std::vector<std::string> transformer_families = {"transformer", "moe", "encoder"};

field_schema text_schema(std::string name) { return {.name = std::move(name), .kind = field_kind::text}; }

// A unit a person would write for a dimension, for "e.g." hints.
std::string example_of(const dim& d) {
  if (d == dim_data) return "\"80 GB\"";
  if (d == dim_bandwidth) return "\"3.35 TB/s\"";
  if (d == dim_power) return "\"700 W\"";
  if (d == dim_money) return "\"30000 USD\"";
  if (d == dim::of(bd::compute) / dim::of(bd::time)) return "\"989.4 TFLOP/s\"";
  if (d == dim::of(bd::compute)) return "\"8.2 GFLOP\"";
  if (d == dim::of(bd::time)) return "\"1 us\"";
  if (d == dim::of(bd::mass) / dim::of(bd::energy)) return "\"390 g/kWh\"";
  if (d == dim::of(bd::volume) / dim::of(bd::energy)) return "\"0.2 L/kWh\"";
  if (d == dim_money / dim::of(bd::energy)) return "\"0.08 USD/kWh\"";
  return "\"1 " + base_unit_text(d) + "\"";
}

std::string what(const dim& d) {
  auto name = describe(d);
  auto unit = base_unit_text(d);
  return name == unit || unit.empty() ? name : fmt::format("{} ({})", name, unit);
}

bool looks_numeric(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end != s.c_str() && *end == '\0';
}

const std::string* text_of(const record& r, std::string_view f) {
  const auto* x = r.find(f);
  return x ? std::get_if<std::string>(&x->v.v) : nullptr;
}

int this_month() {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&t, &utc);
  return (utc.tm_year + 1900) * 100 + utc.tm_mon + 1;
}

class checker {
 public:
  checker(const registry& reg, std::vector<registry_finding>& out) : reg_(reg), out_(out) {}

  void entry(const record& r) {
    const auto* schema = find_kind(r.kind);
    if (!schema) return;
    auto before = out_.size();
    check_fields(r, *schema);
    fields_ok_ = std::none_of(out_.begin() + static_cast<std::ptrdiff_t>(before), out_.end(),
                              [](const registry_finding& f) { return f.error; });
    if (const auto* s = r.find("source"); s && s->v.as_record()) check_source(r.name + ".source", *s->v.as_record());
    if (const auto* s = r.find("sources"); s && s->v.as_record()) check_sources(r, *s->v.as_record());
    if (r.kind == "hardware") hardware(r);
    if (r.kind == "model") model(r);
    if (r.kind == "region") region(r);
  }

 private:
  void report(const std::string& dotted, std::string message, bool error = true) {
    registry_finding f;
    // A field's own line, else its table's, else the entry's.
    for (std::string at = dotted;;) {
      if (const auto* l = reg_.where(at); l && l->line > 0) {
        f.file = l->file;
        f.line = l->line;
        f.column = l->column;
        break;
      }
      auto dot = at.rfind('.');
      if (dot == std::string::npos) break;
      at.resize(dot);
    }
    f.message = std::move(message);
    f.error = error;
    out_.push_back(std::move(f));
  }

  void missing(const record& r, std::string_view field_name, std::string_view why) {
    report(r.name, fmt::format("{}: missing required field '{}' ({})", r.name, field_name, why));
  }

  // The fields against entity_schema: known names, the right kind and dimension.
  void check_fields(const record& r, const kind_schema& schema) {
    for (const auto& name : required_in_registry(r.kind))
      if (!r.find(name)) missing(r, name, fmt::format("every {} entry gives it", r.kind));
    std::vector<std::string> known;
    for (const auto& fs : schema.fields) known.push_back(fs.name);
    for (const auto& f : r.fields) {
      std::string at = r.name + "." + f.name;
      const auto* fs = find_field(schema, f.name);
      if (!fs) {
        auto near = suggest(f.name, known);
        report(at, fmt::format("{}: '{}' is not a {} field{}", at, f.name, r.kind,
                               near.empty() ? " in docs/registry.md" : "; did you mean " + join_alternatives(near) + "?"),
               false);
        continue;
      }
      if (fs->kind == field_kind::entity) {
        reference(r, *fs);
      } else if (fs->kind == field_kind::table && !fs->d.dimensionless()) {
        check_table(r, f.name, fs->d);
      } else if (fs->kind == field_kind::history) {
        for (auto& p : check_price_history(r, *fs, f.v, reg_.units(), this_month())) report(p.at, std::move(p.message));
      } else {
        check_value(at, f.v, *fs);
      }
    }
  }

  void check_value(const std::string& at, const value& v, const field_schema& fs) {
    const auto* q = v.as_quantity();
    const auto* s = std::get_if<std::string>(&v.v);
    if (fs.kind == field_kind::quantity) {
      if ((q && q->d.dimensionless()) || (s && looks_numeric(*s)))
        report(at, fmt::format("{} has no unit: it must be {}, e.g. {}", at, what(fs.d), example_of(fs.d)));
      else if (q && q->d != fs.d)
        report(at, fmt::format("{} must be {}, not {}", at, what(fs.d), what(q->d)));
      else if (q && !(q->si > 0))
        report(at, fmt::format("{} must be positive, got {}", at, reg_.units().format(*q)));
      else if (s && s->find(' ') != std::string::npos && std::isdigit(static_cast<unsigned char>(s->front())))
        return;  // "3 TB/z": the loader reported the unit
      else if (!q)
        report(at, fmt::format("{} must be {}, e.g. {}; not {}", at, what(fs.d), example_of(fs.d), describe(v)));
      return;
    }
    if (fs.kind == field_kind::count && s && looks_numeric(*s)) {
      report(at, fmt::format("{} must be a plain number, not a string", at));
      return;
    }
    if (fs.kind == field_kind::word && s) {
      if (std::find(fs.words.begin(), fs.words.end(), *s) == fs.words.end())
        report(at, fmt::format("{} must be {}, not '{}'", at, join_alternatives(fs.words), *s));
      return;
    }
    if (auto wrong = field_mismatch(fs, v)) report(at, fmt::format("{} must be {}, not {}", at, *wrong, describe(v)));
    else if (auto low = field_below_least(fs, v)) report(at, fmt::format("{} must be {}", at, *low));
  }

  void check_source(const std::string& at, const record& src) {
    for (const char* key : {"title", "url", "as_of"}) {
      const auto* s = text_of(src, key);
      if (!src.find(key))
        report(at, fmt::format("{}: missing '{}' (every source has a title, a url and an as_of date)", at, key));
      else if (s && s->empty())
        report(at + "." + key, fmt::format("{}.{} is empty", at, key));
    }
    static const std::vector<std::string> keys = {"title", "url", "as_of", "notes"};
    for (const auto& f : src.fields) {
      if (std::find(keys.begin(), keys.end(), f.name) == keys.end())
        report(at + "." + f.name, fmt::format("{}.{}: a source has title, url, as_of and notes", at, f.name), false);
      else
        check_value(at + "." + f.name, f.v, text_schema(f.name));
    }
    if (const auto* date = text_of(src, "as_of")) {
      auto month = month_of(*date);
      if (!month)
        report(at + ".as_of", fmt::format("{}.as_of must be a date YYYY-MM or YYYY-MM-DD, not '{}'", at, *date));
      else if (*month > this_month())
        report(at + ".as_of", fmt::format("{}.as_of '{}' is in the future", at, *date));
    }
  }

  void check_sources(const record& r, const record& sources) {
    for (const auto& f : sources.fields) {
      std::string at = r.name + ".sources." + f.name;
      const auto* src = f.v.as_record();
      if (!src) {
        report(at, fmt::format("{} must be a source table (title, url, as_of)", at));
        continue;
      }
      // [X.sources.peak] may hold per-precision sources, or be one itself.
      bool nested = !src->fields.empty() && std::all_of(src->fields.begin(), src->fields.end(),
                                                       [](const field& x) { return x.v.as_record() != nullptr; });
      if (!r.find(f.name))
        report(at, fmt::format("{}: the entry has no field '{}'", at, f.name), false);
      if (nested)
        for (const auto& sub : src->fields) check_source(at + "." + sub.name, *sub.v.as_record());
      else
        check_source(at, *src);
    }
  }

  // A table of quantities keyed by precision (peak, peak_sparse) or, for a
  // region's rtt, by the other regions' names.
  void check_table(const record& r, std::string_view table_name, const dim& d) {
    const auto* t = r.find(table_name);
    const record* peaks = t ? t->v.as_record() : nullptr;
    std::string table_at = r.name + "." + std::string(table_name);
    bool by_region = table_name == "rtt";
    if (!peaks) {
      report(table_at, fmt::format("{} must be a table such as {}", table_at,
                                   by_region ? "{ Oregon = \"75.5 ms\" }" : "{ fp16 = \"989.4 TFLOP/s\" }"));
      return;
    }
    std::vector<std::string> names(stdlib::precision_names.begin(), stdlib::precision_names.end());
    if (by_region) {
      names = reg_.names("region");
      std::erase(names, r.name);
    }
    const field_schema rate{.name = std::string(table_name), .kind = field_kind::quantity, .d = d};
    if (peaks->fields.empty()) report(table_at, fmt::format("{} is empty", table_at));
    for (const auto& f : peaks->fields) {
      std::string at = fmt::format("{}.{}.{}", r.name, table_name, f.name);
      if (by_region ? std::find(names.begin(), names.end(), f.name) == names.end()
                    : !stdlib::precision_from_name(f.name)) {
        auto near = suggest(f.name, names);
        report(at, fmt::format("{}: unknown {} '{}'{}", at, by_region ? "region" : "precision", f.name,
                               near.empty() ? " (" + join_alternatives(names) + ")"
                                            : "; did you mean " + join_alternatives(near) + "?"),
               false);
      }
      check_value(at, f.v, rate);
    }
  }

  void hardware(const record& r) {
    // Vendors that quote only sparse figures (Cerebras) leave `peak` out on purpose.
    if (!r.find("peak") && !r.find("peak_sparse"))
      missing(r, "peak", "the dense peak per precision");
    else if (!r.find("peak"))
      report(r.name, fmt::format("{}: no dense peak, only peak_sparse: solvers need a dense peak from the user", r.name),
             false);
    if (const auto* cls = text_of(r, "class");
        cls && std::find(hardware_classes.begin(), hardware_classes.end(), *cls) == hardware_classes.end())
      report(r.name + ".class", fmt::format("{}.class must be {}, not '{}'", r.name, join_alternatives(hardware_classes), *cls));
    const auto* peak_field = r.find("peak");
    const record* peak = peak_field ? peak_field->v.as_record() : nullptr;
    const auto* sparse_field = r.find("peak_sparse");
    const record* sparse = sparse_field ? sparse_field->v.as_record() : nullptr;
    auto rate = [&](const record* t, std::string_view p) -> const quantity* {
      const auto* q = t ? t->quantity_of(p) : nullptr;
      return q && q->d == dim_compute_rate && q->si > 0 ? q : nullptr;
    };
    if (sparse)
      for (const auto& f : sparse->fields) {
        const auto* s = rate(sparse, f.name);
        const auto* d = rate(peak, f.name);
        std::string at = fmt::format("{}.peak.{}", r.name, f.name);
        if (!s || (!d && !peak)) continue;
        if (!d)
          report(at, fmt::format("{}.peak_sparse.{} has no dense peak.{} beside it", r.name, f.name, f.name), false);
        else if (d->si > s->si)
          report(at, fmt::format("{}: the dense peak {} is above the sparse peak {} (peak holds dense figures; "
                                 "2:4 sparse ones go under peak_sparse)",
                                 at, reg_.units().format(*d), reg_.units().format(*s)));
        else if (d->si == s->si)
          report(at, fmt::format("{}: the dense peak equals the sparse peak ({}): is the dense figure a sparse one?", at,
                                 reg_.units().format(*d)),
                 false);
      }

    // Ridge point: the 16-bit dense peak (else the highest) over memory bandwidth.
    const auto* bw = r.quantity_of("bandwidth");
    const auto* cls = text_of(r, "class");
    if (peak && bw && bw->d == dim_bandwidth && bw->si > 0 && cls) {
      const quantity* top = rate(peak, "fp16") ? rate(peak, "fp16") : rate(peak, "bf16");
      std::string used = rate(peak, "fp16") ? "fp16" : "bf16";
      if (!top)
        for (const auto& f : peak->fields)
          if (const auto* q = rate(peak, f.name); q && (!top || q->si > top->si)) {
            top = q;
            used = f.name;
          }
      auto band = ridge_band_of(*cls);
      if (top && band) {
        double ridge = top->si / bw->si;
        if (ridge < band->low || ridge > band->high)
          report(r.name + ".bandwidth",
                 fmt::format("{}: implausible ridge point {} FLOP/B (peak.{} {} / bandwidth {}); a {} lies between {} "
                             "and {} FLOP/B: is a unit off by 1000 or a figure of another product?",
                             r.name, format_number(ridge), used, reg_.units().format(*top), reg_.units().format(*bw), *cls,
                             format_number(band->low), format_number(band->high)));
      }
    }

    // GB versus GiB (and ECC reserve) differ by a few percent, never more.
    const auto* mem = r.quantity_of("memory");
    const auto* label = r.quantity_of("memory_label");
    if (mem && label && mem->d == dim_data && label->d == dim_data && label->si > 0 &&
        std::abs(mem->si / label->si - 1) > 0.1)
      report(r.name + ".memory_label",
             fmt::format("{}: memory {} and memory_label {} differ by more than GB vs GiB would explain", r.name,
                         reg_.units().format(*mem), reg_.units().format(*label)));
  }

  void model(const record& r) {
    const auto* family = text_of(r, "family");
    if (!family) return;
    bool transformer =
        std::find(transformer_families.begin(), transformer_families.end(), *family) != transformer_families.end();
    if (*family == "ssm") {  // the ssm_decode solver reads the shape, not totals
      for (const char* f : {"params", "layers", "d_model", "d_state", "expand", "d_conv"})
        if (!r.find(f)) missing(r, f, "state-space models are described by their shapes");
      return;
    }
    if (*family == "dlrm")
      for (const char* f : {"tables", "lookups", "embedding_dim", "mlp_params"})
        if (!r.find(f)) missing(r, f, "recommendation models give their embedding and MLP shapes");
    if (!transformer) {
      if (!r.find("flops") && !r.find("encoder_flops"))
        missing(r, "flops", fmt::format("{} models give their forward FLOPs", *family));
      return;
    }
    for (const char* f : {"layers", "d_model", "heads", "vocab", "context"})
      if (!r.find(f)) missing(r, f, "transformers are described by their shapes");
    if (*family == "moe")
      for (const char* f : {"experts", "experts_active", "expert_ffn", "active_params"})
        if (!r.find(f)) missing(r, f, "mixture-of-experts models give it");
    const auto* heads = r.quantity_of("heads");
    const auto* kv = r.quantity_of("kv_heads");
    if (heads && kv && kv->si > 0 && std::fmod(heads->si, kv->si) != 0)
      report(r.name + ".kv_heads", fmt::format("{}: kv_heads {} does not divide heads {}", r.name, format_number(kv->si),
                                               format_number(heads->si)));
    const auto* top_k = r.quantity_of("experts_active");
    const auto* experts = r.quantity_of("experts");
    if (top_k && experts && top_k->si > experts->si)
      report(r.name + ".experts_active", fmt::format("{}: experts_active is above experts", r.name));

    if (!fields_ok_) return;  // a bad shape field is already reported
    std::string why;
    auto derived = derive_parameters(r, reg_, why);
    if (!derived) {
      report(r.name, fmt::format("{}: cannot derive parameters from the shapes: {}", r.name, why));
      return;
    }
    compare(r, "params", derived->total);
    if (r.find("active_params")) compare(r, "active_params", derived->active);
  }

  void compare(const record& r, const std::string& field_name, double derived) {
    const auto* published = r.quantity_of(field_name);
    if (!published || !published->d.dimensionless() || published->si <= 0) return;
    double gap = derived / published->si - 1;
    if (std::abs(gap) > parameter_tolerance)
      report(r.name + "." + field_name,
             fmt::format("{}: {} derived from the shapes ({}) differ from the published {} ({}) by {:+.1f}% (limit {}%)",
                         r.name, field_name == "params" ? "parameters" : "active parameters", format_number(derived),
                         field_name, format_number(published->si), 100 * gap, 100 * parameter_tolerance));
  }

  // A field naming another entry: it must exist and be of the right kind.
  void reference(const record& r, const field_schema& fs) {
    std::string at = r.name + "." + fs.name;
    const auto* name = text_of(r, fs.name);
    if (!name) {
      report(at, fmt::format("{} must name a {} (a string), not {}", at, fs.entity_kind, describe(r.find(fs.name)->v)));
      return;
    }
    auto target = reg_.find(*name);
    if (!target || target->kind != fs.entity_kind) {
      auto near = suggest(*name, reg_.names(fs.entity_kind));
      report(at, fmt::format("{}: '{}' is not a {} in the registry{}", at, *name, fs.entity_kind,
                             near.empty() ? "" : "; did you mean " + join_alternatives(near) + "?"));
      return;
    }
    // A node's scale-up fabric is a scale-up one, its scale-out one scale-out.
    const auto* target_kind = text_of(*target, "kind");
    std::string wanted = fs.name == "scaleup" ? "scale-up" : fs.name == "scaleout" ? "scale-out" : "";
    if (!wanted.empty() && target_kind && *target_kind != wanted && *target_kind != "host")
      report(at, fmt::format("{}: '{}' is a {} fabric, not {}", at, *name, *target_kind, wanted));
  }

  // Plausible ranges catch unit slips (kg for g, USD/MWh for USD/kWh).
  void region(const record& r) {
    if (const auto* pue = r.quantity_of("pue"); pue && pue->d.dimensionless() && (pue->si < 1 || pue->si > 3))
      report(r.name + ".pue", fmt::format("{}.pue must be between 1 and 3 (facility energy over IT energy), got {}",
                                          r.name, format_number(pue->si)));
    auto within = [&](std::string_view f, dim d, double low, double high, std::string_view range) {
      const auto* q = r.quantity_of(f);
      if (q && q->d == d && (q->si < low || q->si > high))
        report(r.name + "." + std::string(f),
               fmt::format("{}.{} = {} is outside {}", r.name, f, reg_.units().format(*q), range));
    };
    const double kwh = 3.6e6;
    within("carbon_intensity", dim::of(bd::mass) / dim::of(bd::energy), 0, 1.5 / kwh, "0 to 1500 g/kWh");
    within("electricity_price", dim_money / dim::of(bd::energy), 0, 1.0 / kwh, "0 to 1 USD/kWh");
    within("wue", dim::of(bd::volume) / dim::of(bd::energy), 0, 20 / kwh, "0 to 20 L/kWh");
    // A round trip is one figure per pair: both regions' tables must agree.
    const auto* rtt = r.find("rtt");
    for (const auto& f : rtt && rtt->v.as_record() ? rtt->v.as_record()->fields : std::vector<field>{}) {
      auto other = reg_.find(f.name);
      const auto* back_table = other ? other->find("rtt") : nullptr;
      const auto* back = back_table && back_table->v.as_record() ? back_table->v.as_record()->quantity_of(r.name) : nullptr;
      const auto* here = f.v.as_quantity();
      if (here && back && std::abs(here->si - back->si) > 1e-9)
        report(fmt::format("{}.rtt.{}", r.name, f.name),
               fmt::format("{}.rtt.{} = {} but {}.rtt.{} = {}: a round trip is the same both ways", r.name, f.name,
                           reg_.units().format(*here), f.name, r.name, reg_.units().format(*back)),
               false);
    }
  }

  const registry& reg_;
  std::vector<registry_finding>& out_;
  bool fields_ok_ = true;  // the current entry's fields have the right kinds
};

}  // namespace

std::string to_string(const registry_finding& f) {
  std::string where = f.file.empty() ? "" : fmt::format("{}:{}:{}: ", f.file, f.line, f.column);
  return fmt::format("{}{}: {}", where, f.error ? "error" : "warning", f.message);
}

std::optional<ridge_band> ridge_band_of(std::string_view hardware_class) {
  // FLOP per byte of memory traffic at the dense 16-bit peak. Shipped devices
  // sit well inside these (H100 SXM 295, A100 153, MI300X 247, WSE-3 ~6 on
  // SRAM); a TB/s written as GB/s moves a device 1000x, out of every band.
  if (hardware_class == "datacenter-gpu" || hardware_class == "datacenter-accelerator") return ridge_band{30, 1500};
  if (hardware_class == "wafer-scale") return ridge_band{0.5, 100};
  // Edge includes USB accelerators whose `bandwidth` is the host link the
  // weights stream over (Coral: 4 TOP/s over 0.5 GB/s = 8000).
  if (hardware_class == "edge") return ridge_band{1, 10000};
  if (hardware_class == "mcu") return ridge_band{0.01, 100};
  return std::nullopt;
}

std::optional<derived_parameters> derive_parameters(const record& model, const registry& reg, std::string& why) {
  // to_transformer reports through a call's arguments: give it a one-parameter call.
  static const builtin probe{.name = "registry", .params = {{.name = "model", .kind = param_kind::entity, .entity_kind = "model"}}};
  lang::diagnostics diags;
  auto source = std::make_shared<const lang::source_file>("<registry>", "");
  call_args args(probe, reg, source, lang::span{0, 0}, diags);
  auto shape = to_transformer(model, args, "model");
  if (!shape) {
    why = diags.items().empty() ? "not a transformer" : diags.items().front().message;
    if (why.rfind("registry: ", 0) == 0) why.erase(0, 10);
    return std::nullopt;
  }
  auto c = stdlib::count_parameters(*shape);
  return derived_parameters{c.total, c.active};
}

std::vector<registry_finding> check_registry(const registry& reg) {
  std::vector<registry_finding> out;
  for (const auto& p : reg.problems()) {
    // "path:line:col: message" from the loader.
    registry_finding f;
    f.message = p;
    auto first = p.find(':');
    auto second = first == std::string::npos ? first : p.find(':', first + 1);
    auto third = second == std::string::npos ? second : p.find(':', second + 1);
    if (third != std::string::npos) {
      char* end = nullptr;
      auto line = std::strtoul(p.c_str() + first + 1, &end, 10);
      auto col = std::strtoul(p.c_str() + second + 1, &end, 10);
      if (line > 0) {
        f.file = p.substr(0, first);
        f.line = static_cast<std::uint32_t>(line);
        f.column = static_cast<std::uint32_t>(col);
        f.message = p.substr(third + 2 <= p.size() ? third + 2 : p.size());
      }
    }
    out.push_back(std::move(f));
  }
  checker c(reg, out);
  for (const auto& name : reg.names())
    if (auto r = reg.find(name)) c.entry(*r);
  std::stable_sort(out.begin(), out.end(), [](const registry_finding& a, const registry_finding& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
  return out;
}

}  // namespace ironlaw::runtime
