#include "ironlaw/runtime/interp/entity_schema.hpp"

#include <algorithm>

#include "ironlaw/stdlib/precision.hpp"

namespace ironlaw::runtime {
namespace {

using b = base_dim;
const dim time_d = dim::of(b::time);
const dim data_d = dim::of(b::data);
const dim rate_d = dim::of(b::data) / time_d;
const dim flops_d = dim::of(b::compute) / time_d;
const dim power_d = dim::of(b::energy) / time_d;
const dim money_d = dim::of(b::money);

field_schema q(std::string name, dim d, std::string doc) {
  return {.name = std::move(name), .kind = field_kind::quantity, .d = d, .doc = std::move(doc)};
}
field_schema capacity(std::string name, std::string doc) {
  auto f = q(std::move(name), data_d, std::move(doc));
  f.capacity = true;
  return f;
}

field_schema above_zero(field_schema f) {
  f.at_least = field_schema::least::above_zero;
  return f;
}
field_schema at_least_one(field_schema f) {
  f.at_least = field_schema::least::one;
  return f;
}

field_schema shown_in(field_schema f, std::string unit) {
  f.display = std::move(unit);
  return f;
}
field_schema n(std::string name, std::string doc) { return {.name = std::move(name), .kind = field_kind::count, .doc = std::move(doc)}; }
field_schema t(std::string name, std::string doc) { return {.name = std::move(name), .kind = field_kind::text, .doc = std::move(doc)}; }
field_schema f(std::string name, std::string doc) { return {.name = std::move(name), .kind = field_kind::flag, .doc = std::move(doc)}; }
field_schema e(std::string name, std::string kind, std::string doc) {
  return {.name = std::move(name), .kind = field_kind::entity, .entity_kind = std::move(kind), .doc = std::move(doc)};
}
field_schema w(std::string name, std::vector<std::string> words, std::string doc) {
  return {.name = std::move(name), .kind = field_kind::word, .words = std::move(words), .doc = std::move(doc)};
}
field_schema table(std::string name, dim d, std::string doc) {
  return {.name = std::move(name), .kind = field_kind::table, .d = d, .doc = std::move(doc)};
}
field_schema history(std::string name, dim d, std::string doc) {
  return {.name = std::move(name), .kind = field_kind::history, .d = d, .doc = std::move(doc)};
}
field_schema positive_count(std::string name, std::string doc) {
  field_schema s = n(std::move(name), std::move(doc));
  s.at_least_one = true;
  return s;
}
field number_default(std::string name, double v) { return {std::move(name), value{quantity{v, {}}}, {}}; }
field text_default(std::string name, std::string v) { return {std::move(name), value{std::move(v)}, {}}; }

std::vector<field_schema> common() {
  return {t("name", "the full product or model name"), t("vendor", "who makes it"),
          table("source", {}, "where the figures come from (title, url, as_of)"),
          table("sources", {}, "per-field sources")};
}

std::vector<field_schema> with_common(std::vector<field_schema> fields) {
  auto all = common();
  all.insert(all.end(), fields.begin(), fields.end());
  return all;
}

std::vector<kind_schema> build() {
  std::vector<kind_schema> kinds;
  kinds.push_back(kind_schema{
      "hardware",
      with_common({t("class", "datacenter-gpu, edge, mcu, ..."), n("year", "release year"),
                   above_zero(capacity("memory", "capacity the device holds (the vendor's, in GiB)")), q("memory_label", data_d, "capacity as printed"),
                   t("memory_kind", "HBM3, GDDR6, ..."), q("bandwidth", rate_d, "peak memory bandwidth"),
                   above_zero(q("tdp", power_d, "board power")), q("scaleup_bandwidth", rate_d, "scale-up link bandwidth, per direction"),
                   capacity("sram", "on-chip SRAM"), capacity("flash", "flash (MCUs)"), q("price", money_d, "a public purchase price"),
                   shown_in(q("cloud_price", money_d / time_d, "on-demand rent per device-hour"), "USD/h"),
                   history("price_history", money_d, "dated purchase prices, oldest first; the newest is price"),
                   shown_in(history("cloud_price_history", money_d / time_d,
                                    "dated on-demand rents per device-hour, oldest first; the newest is cloud_price"),
                            "USD/h"),
                   above_zero(table("peak", flops_d, "dense peak FLOP/s per precision")),
                   above_zero(table("peak_sparse", flops_d, "2:4 sparse peaks where quoted"))}),
      {},
      {"memory", "bandwidth", "peak"}});
  const std::vector<std::string> families = {"transformer", "moe", "encoder", "cnn",  "vit",
                                             "diffusion",   "speech", "tinyml", "ssm", "dlrm"};
  kinds.push_back(kind_schema{
      "model",
      with_common({w("family", families, "what kind of model"),
                   above_zero(n("layers", "layers (transformer blocks, a CNN's weight layers)")),
                   above_zero(n("d_model", "hidden size")), above_zero(n("heads", "query heads")), above_zero(n("kv_heads", "key/value heads (GQA)")),
                   above_zero(n("head_dim", "dimension per head")), n("ffn", "FFN hidden size"),
                   w("ffn_kind", {"swiglu", "geglu", "gelu", "relu"}, "FFN activation"), above_zero(n("vocab", "vocabulary")),
                   above_zero(n("context", "maximum context, tokens")), n("positions", "learned position embeddings"),
                   f("tied_embeddings", "input and output embeddings shared"), f("bias", "linear layers have biases"),
                   w("norm", {"rmsnorm", "layernorm"}, "normalization"), n("params", "published parameter count"),
                   n("active_params", "published active parameters (MoE)"), n("experts", "routed experts"),
                   above_zero(n("experts_active", "experts per token")), n("shared_experts", "always-on experts"),
                   n("expert_ffn", "one expert's FFN size"), n("dense_layers", "leading dense layers (MoE)"),
                   w("attention", {"mha", "gqa", "mqa", "mla"}, "attention kind"), n("q_lora_rank", "MLA"),
                   n("kv_lora_rank", "MLA"), n("qk_nope_head_dim", "MLA"), n("qk_rope_head_dim", "MLA"),
                   n("v_head_dim", "MLA"), q("flops", dim::of(b::compute), "forward FLOPs per sample (non-transformers)"),
                   n("resolution", "input resolution"), n("steps", "default sampler steps (diffusion)"),
                   q("activations", data_d, "peak activation memory per sample"),
                   n("sliding_window", "tokens a windowed-attention layer keeps (Mistral, Gemma 2)"),
                   n("global_layers", "layers with full attention when others are windowed"),
                   f("qkv_bias", "only the Q, K, V projections have biases (Qwen)"),
                   n("passes_per_step", "model passes per sampler step (2 with classifier-free guidance)"),
                   n("encoder_layers", "encoder layers (speech)"), n("decoder_layers", "decoder layers (speech)"),
                   n("mel_bins", "mel spectrogram bins"), n("audio_context", "audio frames per window"),
                   n("text_context", "decoder context, tokens"),
                   q("encoder_flops", dim::of(b::compute), "encoder FLOPs per input window"),
                   q("decoder_flops_per_token", dim::of(b::compute), "decoder FLOPs per generated token"),
                   n("d_state", "state size per channel (ssm)"), n("expand", "d_inner over d_model (ssm)"),
                   n("d_conv", "causal convolution width (ssm)"), n("tables", "embedding tables (dlrm)"),
                   n("lookups", "rows gathered per table per sample (dlrm)"),
                   n("embedding_dim", "embedding row width (dlrm)"), n("mlp_params", "MLP weights (dlrm)")}),
      {template_schema{"transformer",
                       {"layers", "d_model", "heads", "ffn", "vocab", "context"},
                       {text_default("family", "transformer"), text_default("ffn_kind", "swiglu")}},
       template_schema{"moe",
                       {"layers", "d_model", "heads", "vocab", "context", "experts", "experts_active", "expert_ffn"},
                       {text_default("family", "moe"), text_default("ffn_kind", "swiglu"), number_default("ffn", 0)}},
       template_schema{"cnn", {"params", "flops"}, {text_default("family", "cnn")}}},
      {"family"}});
  kinds.push_back(kind_schema{
      "node",
      with_common({e("accelerator", "hardware", "the accelerator"), above_zero(n("accelerators", "accelerators per node")),
                   e("scaleup", "fabric", "fabric within the node"), e("scaleout", "fabric", "fabric between nodes"),
                   n("nics", "scale-out NICs"), q("power", power_d, "system power"), q("price", money_d, "price"),
                   q("host_price", money_d, "the server without its accelerators: CPUs, DRAM, NICs, chassis"),
                   q("network_price", money_d, "the node's share of the scale-out network: switches, optics, cables")}),
      {},
      {"accelerator", "accelerators"}});
  kinds.push_back(kind_schema{
      "fleet",
      with_common({e("node", "node", "the node type"), above_zero(n("nodes", "how many nodes")),
                   e("region", "region", "where it runs")}),
      {},
      {"node", "nodes"}});
  // A pool of a fleet of pools (pooled_fleet, docs/solvers.md "Fleets of pools").
  kinds.push_back(kind_schema{
      "pool",
      with_common({e("accelerator", "hardware", "the accelerator"), e("region", "region", "where it runs"),
                   w("role", {"both", "prefill", "decode"}, "what it serves: both phases, or one side of disaggregation"),
                   positive_count("count", "devices in the pool (default: sized to its share of the demand)"),
                   positive_count("tp", "tensor-parallel devices per replica (default 1)"),
                   positive_count("batch", "concurrent requests per replica (default 32; prefill pools run 1)"),
                   w("precision", {stdlib::precision_names.begin(), stdlib::precision_names.end()},
                     "the weights' numeric format (default fp16)"),
                   positive_count("devices_per_node", "accelerators per node (default 8)"),
                   n("spare_nodes", "extra whole nodes of a sized pool (default 0)"),
                   q("rtt", time_d, "round trip between the users' home region and this pool"),
                   q("price_per_gpu", money_d, "purchase price per device"),
                   q("power_per_gpu", power_d, "IT power per device including its host share")}),
      {},
      {"accelerator", "region"}});
  kinds.push_back(kind_schema{
      "fabric",
      with_common({w("kind", {"scale-up", "scale-out", "host"}, "where it connects"),
                   q("bandwidth", rate_d, "per port or link, per direction"), q("line_rate", rate_d, "as quoted"),
                   q("latency", time_d, "alpha: latency per collective step"),
                   q("base_latency", time_d, "alpha_0: fixed latency per collective"), n("links", "links per device"),
                   q("device_bandwidth", rate_d, "all links of one device, per direction")}),
      {},
      {"bandwidth"}});
  kinds.push_back(kind_schema{
      "region",
      with_common({q("carbon_intensity", dim::of(b::mass) / dim::of(b::energy), "grid CO2e per kWh"),
                   n("carbon_year", "the year the intensity describes"),
                   q("carbon_intensity_operational", dim::of(b::mass) / dim::of(b::energy),
                     "grid CO2 per kWh from combustion at the plants only"),
                   n("carbon_operational_year", "the year the operational intensity describes"),
                   at_least_one(n("pue", "power usage effectiveness")),
                   q("wue", dim::of(b::volume) / dim::of(b::energy), "water per kWh"),
                   q("electricity_price", money_d / dim::of(b::energy), "price per kWh"),
                   shown_in(q("facility_price", money_d / power_d, "data center construction per watt of IT load"),
                            "USD/W"),
                   above_zero(table("rtt", time_d, "network round trip to each other region, by name"))}),
      {},
      {"carbon_intensity", "pue", "electricity_price"}});
  kinds.push_back(kind_schema{
      "workload",
      with_common({w("kind", {"serving", "training"}, "what the workload does"), e("model", "model", "the model"),
                   q("rate", dim::of(b::request) / time_d, "arrival rate"), q("prompt", dim::of(b::token), "prompt tokens"),
                   q("output", dim::of(b::token), "generated tokens"), q("tokens", dim::of(b::token), "training tokens"),
                   q("ttft", time_d, "time-to-first-token target"), q("itl", time_d, "inter-token latency target")}),
      {template_schema{"serving", {"model", "rate", "prompt", "output"}, {text_default("kind", "serving")}},
       template_schema{"training", {"model", "tokens"}, {text_default("kind", "training")}}},
      {"model"}});
  return kinds;
}

}  // namespace

const std::vector<kind_schema>& entity_kinds() {
  static const std::vector<kind_schema> kinds = build();
  return kinds;
}

const kind_schema* find_kind(std::string_view kind) {
  for (const auto& k : entity_kinds())
    if (k.kind == kind) return &k;
  return nullptr;
}

const field_schema* find_field(const kind_schema& k, std::string_view name) {
  for (const auto& fs : k.fields)
    if (fs.name == name) return &fs;
  return nullptr;
}

const template_schema* find_template(const kind_schema& k, std::string_view name) {
  for (const auto& ts : k.templates)
    if (ts.name == name) return &ts;
  return nullptr;
}

std::optional<std::string> field_below_least(const field_schema& fs, const value& v) {
  auto below = [&](double x) {
    switch (fs.at_least) {
      case field_schema::least::zero: return x < 0;
      case field_schema::least::above_zero: return x <= 0;
      case field_schema::least::one: return x < 1;
    }
    return false;
  };
  auto said = [&]() -> std::string {
    switch (fs.at_least) {
      case field_schema::least::zero: return "positive or zero";
      case field_schema::least::above_zero: return "above zero";
      case field_schema::least::one: return "at least 1";
    }
    return "";
  };
  if (const auto* q = v.as_quantity()) return below(q->si) ? std::optional(said()) : std::nullopt;
  if (const auto* r = v.as_record(); r && fs.kind == field_kind::table)
    for (const auto& entry : r->fields)
      if (const auto* q = entry.v.as_quantity(); q && below(q->si)) return said() + " (" + entry.name + ")";
  return std::nullopt;
}

std::optional<std::string> field_mismatch(const field_schema& fs, const value& v) {
  switch (fs.kind) {
    case field_kind::quantity: {
      const auto* qv = v.as_quantity();
      if (qv && qv->d == fs.d) return std::nullopt;
      auto unit = base_unit_text(fs.d);
      return describe(fs.d) + (unit.empty() ? "" : " (" + unit + ")");
    }
    case field_kind::count: {
      const auto* qv = v.as_quantity();
      if (qv && qv->d.dimensionless() && qv->si >= 0) return std::nullopt;
      return std::string("a plain number >= 0");
    }
    case field_kind::flag:
      if (std::holds_alternative<bool>(v.v)) return std::nullopt;
      return std::string("true or false");
    case field_kind::text:
      if (std::holds_alternative<std::string>(v.v)) return std::nullopt;
      return std::string("a string");
    case field_kind::word: {
      std::string word = v.as_symbol() ? v.as_symbol()->name
                                       : std::holds_alternative<std::string>(v.v) ? std::get<std::string>(v.v) : "";
      if (std::find(fs.words.begin(), fs.words.end(), word) != fs.words.end()) return std::nullopt;
      std::string choices;
      for (std::size_t i = 0; i < fs.words.size(); ++i) choices += (i ? ", " : "") + fs.words[i];
      return "one of " + choices;
    }
    case field_kind::entity: {
      const auto* r = v.as_record();
      if (r && r->kind == fs.entity_kind && !r->name.empty()) return std::nullopt;
      return "a " + fs.entity_kind;
    }
    case field_kind::history: {
      const auto* l = std::get_if<list_ptr>(&v.v);
      auto wanted = "a list of dated " + describe(fs.d) + " entries (as_of, value, status, title, url)";
      if (!l) return wanted;
      for (const auto& item : **l) {
        const auto* r = item.as_record();
        const auto* q = r ? r->quantity_of("value") : nullptr;
        const auto* date = r ? r->find("as_of") : nullptr;
        if (!q || q->d != fs.d || !date || !std::holds_alternative<std::string>(date->v.v)) return wanted;
      }
      return std::nullopt;
    }
    case field_kind::table: {
      const auto* r = v.as_record();
      if (!r) return std::string("a table such as { fp16 = 989 TFLOP/s }");
      if (fs.d.dimensionless()) return std::nullopt;  // source tables hold text
      for (const auto& entry : r->fields) {
        const auto* qv = entry.v.as_quantity();
        if (!qv || qv->d != fs.d) return "a table of " + describe(fs.d) + " (" + base_unit_text(fs.d) + ")";
      }
      return std::nullopt;
    }
  }
  return std::string("something else");
}

}  // namespace ironlaw::runtime
