#include <catch2/catch.hpp>

#include "ironlaw/runtime/bind/bind_units.hpp"

using namespace ironlaw::runtime;
namespace u = ironlaw::stdlib::units;

TEST_CASE("runtime quantities convert to typed ones and back") {
  quantity bw{3.35e12, dim::of(base_dim::data) / dim::of(base_dim::time)};
  auto typed = from_runtime<u::byte_rate>(bw);
  REQUIRE(typed);
  CHECK(typed->value() == 3.35e12);
  CHECK(to_runtime(*typed) == bw);

  auto t = 4.79e-3 * u::second;
  CHECK(to_runtime(t) == quantity{4.79e-3, dim::of(base_dim::time)});
  CHECK(from_runtime<u::seconds>(to_runtime(t))->value() == t.value());

  auto peak = 989.4e12 * u::flop / u::second;
  CHECK(to_runtime(peak).d == dim::of(base_dim::compute) / dim::of(base_dim::time));
}

TEST_CASE("a wrong dimension does not convert") {
  quantity gb{1e9, dim::of(base_dim::data)};
  CHECK_FALSE(from_runtime<u::byte_rate>(gb).has_value());
  CHECK_FALSE(from_runtime<u::flops>(gb).has_value());
  quantity tokens_per_s{10, dim::of(base_dim::token) / dim::of(base_dim::time)};
  CHECK_FALSE(from_runtime<u::request_rate>(tokens_per_s).has_value());
  CHECK(from_runtime<u::token_rate>(tokens_per_s).has_value());
}

TEST_CASE("volume: litres in the language, cubic metres in the stdlib") {
  quantity litres{2500, dim::of(base_dim::volume)};
  auto m3 = from_runtime<u::cubic_meters>(litres);
  REQUIRE(m3);
  CHECK(m3->value() == Approx(2.5));
  CHECK(to_runtime(*m3).si == Approx(2500));
}
