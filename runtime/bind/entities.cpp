#include "entities.hpp"

#include <fmt/format.h>

#include "ironlaw/runtime/bind/bind_units.hpp"

namespace ironlaw::runtime {
namespace {

template <typename Q>
std::optional<Q> quantity_field(const record& r, std::string_view field_name, call_args& args, std::string_view param,
                                bool required) {
  const auto* f = r.find(field_name);
  if (!f) {
    if (required) args.error(param, fmt::format("{} '{}' has no field '{}'", r.kind, r.name, field_name));
    return std::nullopt;
  }
  const auto* q = f->v.as_quantity();
  auto typed = q ? from_runtime<Q>(*q) : std::nullopt;
  if (!typed)
    args.error(param, fmt::format("{} '{}': field '{}' must be {} ({}), not {}", r.kind, r.name, field_name,
                                  describe(runtime_dim_of<Q>::value()), base_unit_text(runtime_dim_of<Q>::value()),
                                  describe(f->v)));
  return typed;
}

std::optional<double> count_field(const record& r, std::string_view field_name, call_args& args,
                                  std::string_view param, bool required, double fallback = 0) {
  const auto* f = r.find(field_name);
  if (!f) {
    if (required) args.error(param, fmt::format("{} '{}' has no field '{}'", r.kind, r.name, field_name));
    return required ? std::nullopt : std::optional<double>(fallback);
  }
  const auto* q = f->v.as_quantity();
  if (!q || !q->d.dimensionless() || q->si < 0) {
    args.error(param, fmt::format("{} '{}': field '{}' must be a count, not {}", r.kind, r.name, field_name,
                                  describe(f->v)));
    return std::nullopt;
  }
  return q->si;
}

std::string text_field(const record& r, std::string_view field_name) {
  const auto* f = r.find(field_name);
  const auto* s = f ? std::get_if<std::string>(&f->v.v) : nullptr;
  return s ? *s : std::string{};
}

bool flag_field(const record& r, std::string_view field_name) {
  const auto* f = r.find(field_name);
  const auto* b = f ? std::get_if<bool>(&f->v.v) : nullptr;
  return b && *b;
}

}  // namespace

std::optional<stdlib::accelerator> to_accelerator(const record& r, call_args& args, std::string_view param) {
  stdlib::accelerator hw;
  hw.name = r.name;
  auto memory = quantity_field<stdlib::units::bytes>(r, "memory", args, param, true);
  auto bandwidth = quantity_field<stdlib::units::byte_rate>(r, "bandwidth", args, param, true);
  if (!memory || !bandwidth) return std::nullopt;
  hw.memory = *memory;
  hw.bandwidth = *bandwidth;
  if (r.find("tdp")) {
    auto tdp = quantity_field<stdlib::units::watts>(r, "tdp", args, param, false);
    if (!tdp) return std::nullopt;
    hw.tdp = *tdp;
  }
  if (r.find("scaleup_bandwidth")) {
    auto link = quantity_field<stdlib::units::byte_rate>(r, "scaleup_bandwidth", args, param, false);
    if (!link) return std::nullopt;
    hw.scaleup_bandwidth = *link;
  }
  const auto* peak = r.find("peak");
  const record* table = peak ? peak->v.as_record() : nullptr;
  if (!table) {
    args.error(param, fmt::format("hardware '{}' has no peak table (peak.fp16 = ... FLOP/s)", r.name));
    return std::nullopt;
  }
  for (const auto& f : table->fields) {
    auto p = stdlib::precision_from_name(f.name);
    if (!p) continue;  // formats the solvers do not model
    const auto* q = f.v.as_quantity();
    auto rate = q ? from_runtime<stdlib::units::flop_rate>(*q) : std::nullopt;
    if (!rate) {
      args.error(param, fmt::format("hardware '{}': peak.{} must be a compute rate (FLOP/s), not {}", r.name, f.name,
                                    describe(f.v)));
      return std::nullopt;
    }
    hw.peak[static_cast<std::size_t>(*p)] = *rate;
  }
  return hw;
}

std::optional<stdlib::transformer_shape> to_transformer(const record& r, call_args& args, std::string_view param) {
  auto family = text_field(r, "family");
  if (family != "transformer" && family != "moe" && family != "encoder") {
    args.error(param, fmt::format("model '{}' is a {} model; this solver needs a transformer described by its shapes",
                                  r.name, family.empty() ? "shapeless" : family));
    return std::nullopt;
  }
  stdlib::transformer_shape s;
  bool ok = true;
  auto need = [&](std::string_view name, double& out, bool required = true, double fallback = 0) {
    auto v = count_field(r, name, args, param, required, fallback);
    if (!v) ok = false;
    else out = *v;
  };
  need("layers", s.layers);
  need("d_model", s.d_model);
  need("heads", s.heads);
  need("kv_heads", s.kv_heads, false, 0);
  need("head_dim", s.head_dim, false, 0);
  need("ffn", s.ffn);
  need("vocab", s.vocab);
  need("context", s.context);
  need("positions", s.positions, false);
  need("experts", s.experts, false);
  need("experts_active", s.experts_active, false);
  need("shared_experts", s.shared_experts, false);
  need("expert_ffn", s.expert_ffn, false);
  need("dense_layers", s.dense_layers, false);
  need("q_lora_rank", s.q_lora_rank, false);
  need("kv_lora_rank", s.kv_lora_rank, false);
  need("qk_nope_head_dim", s.qk_nope_head_dim, false);
  need("qk_rope_head_dim", s.qk_rope_head_dim, false);
  need("v_head_dim", s.v_head_dim, false);
  if (!ok) return std::nullopt;
  if (s.kv_heads == 0) s.kv_heads = s.heads;
  if (s.head_dim == 0 && s.heads > 0) s.head_dim = s.d_model / s.heads;
  auto kind = text_field(r, "ffn_kind");
  s.ffn_type = (kind == "gelu" || kind == "relu") ? stdlib::ffn_kind::plain : stdlib::ffn_kind::gated;
  s.tied_embeddings = flag_field(r, "tied_embeddings");
  s.bias = flag_field(r, "bias");
  s.layernorm = text_field(r, "norm") == "layernorm";
  s.attention = text_field(r, "attention") == "mla" ? stdlib::attention_kind::latent : stdlib::attention_kind::standard;
  return s;
}

std::string family_of(const record& r) {
  const auto* f = r.find("family");
  const auto* s = f ? std::get_if<std::string>(&f->v.v) : nullptr;
  return s ? *s : "";
}

namespace {

// `convert(*r, args, param)`, kept in the memo beside the record it came from:
// holding the record keeps its address (the key) from naming another one.
template <typename T, typename Convert>
std::optional<T> converted_once(const record_ptr& r, call_args& args, std::string_view param, std::string_view what,
                                Convert convert) {
  call_memo* memo = args.memo();
  if (!memo) return convert(*r, args, param);
  auto key = fmt::format("{} {} {}", what, param, static_cast<const void*>(r.get()));
  if (auto it = memo->find(key); it != memo->end())
    return std::any_cast<const std::pair<record_ptr, T>&>(it->second).second;
  auto made = convert(*r, args, param);
  if (made) memo->emplace(std::move(key), std::any(std::pair<record_ptr, T>(r, *made)));
  return made;
}

}  // namespace

std::optional<stdlib::accelerator> accelerator_of(const record_ptr& r, call_args& args, std::string_view param) {
  return converted_once<stdlib::accelerator>(r, args, param, "accelerator", to_accelerator);
}

std::optional<stdlib::transformer_shape> transformer_of(const record_ptr& r, call_args& args, std::string_view param) {
  return converted_once<stdlib::transformer_shape>(r, args, param, "transformer", to_transformer);
}

}  // namespace ironlaw::runtime
