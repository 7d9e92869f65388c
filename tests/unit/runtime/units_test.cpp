#include <catch2/catch.hpp>

#include "ironlaw/lang/operator_dims.hpp"
#include "ironlaw/runtime/interp/units.hpp"

using namespace ironlaw::runtime;

namespace {

const unit_table& units() { return unit_table::builtin(); }

unit_value parse_ok(std::string_view text) {
  auto r = units().parse(text);
  INFO(text);
  REQUIRE(std::holds_alternative<unit_value>(r));
  return std::get<unit_value>(r);
}

unit_error parse_fails(std::string_view text) {
  auto r = units().parse(text);
  INFO(text);
  REQUIRE(std::holds_alternative<unit_error>(r));
  return std::get<unit_error>(r);
}

const dim time_d = dim::of(base_dim::time);
const dim data_d = dim::of(base_dim::data);
const dim compute_d = dim::of(base_dim::compute);

}  // namespace

TEST_CASE("SI and binary prefixes are distinct: 80 GB is not 80 GiB") {
  CHECK(parse_ok("GB").factor == 1e9);
  CHECK(parse_ok("GiB").factor == 1073741824.0);
  CHECK(parse_ok("KiB").factor == 1024.0);
  CHECK(parse_ok("kB").factor == 1000.0);
  CHECK(parse_ok("TB").d == data_d);
  auto e = parse_fails("KB");
  CHECK(e.message == "unknown unit 'KB'");
  CHECK(e.help == "write kB (1000 bytes) or KiB (1024 bytes)");
}

TEST_CASE("bits are an eighth of a byte") {
  CHECK(parse_ok("b").factor == 0.125);
  CHECK(parse_ok("Gb/s").factor == Approx(1e9 / 8));
  CHECK(parse_ok("Gb").d == parse_ok("GB").d);
}

TEST_CASE("compound units") {
  auto bw = parse_ok("TB/s");
  CHECK(bw.factor == 1e12);
  CHECK(bw.d == data_d / time_d);
  auto peak = parse_ok("TFLOP/s");
  CHECK(peak.factor == 1e12);
  CHECK(peak.d == compute_d / time_d);
  CHECK(parse_ok("TFLOPS").d == peak.d);
  CHECK(parse_ok("TOP/s").d == peak.d);  // integer ops share the compute dimension
  auto carbon = parse_ok("g/kWh");
  CHECK(carbon.factor == Approx(1e-3 / 3.6e6));
  CHECK(carbon.d == dim::of(base_dim::mass) / dim::of(base_dim::energy));
  auto cost = parse_ok("USD/yr");
  CHECK(cost.factor == Approx(1.0 / (365 * 86400)));
  CHECK(parse_ok("req/s").d == dim::of(base_dim::request) / time_d);
  CHECK(parse_ok("tokens").d == dim::of(base_dim::token));
  CHECK(parse_ok("req/s").d != parse_ok("tokens/s").d);  // rates of different things
  CHECK(parse_ok("B/token").d == data_d / dim::of(base_dim::token));
  CHECK(parse_ok("s^2").d == time_d.pow(2));
}

TEST_CASE("micro is µ or u - time has named units") {
  CHECK(parse_ok("µs").factor == Approx(1e-6));
  CHECK(parse_ok("us").factor == Approx(1e-6));
  CHECK(parse_ok("ms").factor == Approx(1e-3));
  CHECK(parse_ok("min").factor == 60);
  CHECK(parse_ok("h").factor == 3600);
  CHECK(parse_ok("d").factor == 86400);
  CHECK(parse_ok("yr").factor == 365 * 86400.0);
}

TEST_CASE("bad units are diagnosed with a hint") {
  CHECK(parse_fails("GBps").help == "rates are written with a slash: GB/s");
  CHECK(parse_fails("Kis").message == "unit 's' does not take the prefix 'Ki'");
  CHECK(parse_fails("mB").message == "unit 'B' does not take the prefix 'm'");
  auto e = parse_fails("GB/sec2x");
  CHECK(e.offset == 3);
  CHECK(parse_fails("TFLOPz").help.find("TFLOP") != std::string::npos);
}

TEST_CASE("numbers print with three significant digits") {
  CHECK(format_number(4.7940) == "4.79");
  CHECK(format_number(400) == "400");
  CHECK(format_number(1.6429) == "1.64");
  CHECK(format_number(0.5511) == "0.551");
  CHECK(format_number(0.03214) == "0.0321");
  CHECK(format_number(1000) == "1000");
  CHECK(format_number(999999) == "999999");
  CHECK(format_number(3.15e23) == "3.15e23");
  CHECK(format_number(1e-5) == "1e-5");
  CHECK(format_number(-2.5) == "-2.5");
  CHECK(format_number(9.9996) == "10");
  CHECK(format_number(0) == "0");
}

TEST_CASE("quantities print with a readable unit and prefix") {
  const auto& u = units();
  CHECK(u.format({4.794e-3, time_d}) == "4.79 ms");
  CHECK(u.format({400e9, data_d / time_d}) == "400 GB/s");
  CHECK(u.format({3.35e12, data_d / time_d}) == "3.35 TB/s");
  CHECK(u.format({989.4e12, compute_d / time_d}) == "989 TFLOP/s");
  CHECK(u.format({16.06e9, data_d}) == "16.1 GB");
  CHECK(u.format({3.15e23, compute_d}) == "3.15e23 FLOP");  // beyond E: scientific
  CHECK(u.format({2.31e6, time_d}) == "26.7 d");
  CHECK(u.format({0.551, time_d}) == "551 ms");
  CHECK(u.format({195e3, dim::of(base_dim::mass)}) == "195 t");
  CHECK(u.format({1.64, {}}) == "1.64");
  CHECK(u.format({119, {}}) == "119");
  CHECK(u.format({5e8 * 3600, dim::of(base_dim::energy)}) == "500 MWh");
  CHECK(u.format({700, dim::of(base_dim::energy) / time_d}) == "700 W");
  CHECK(u.format({3, data_d / dim::of(base_dim::token)}) == "3 B/token");
}

TEST_CASE("format then parse round-trips within the printed precision") {
  const auto& u = units();
  for (quantity q : {quantity{4.794e-3, time_d}, quantity{2.039e12, data_d / time_d}, quantity{85.9e9, data_d},
                     quantity{312e12, compute_d / time_d}, quantity{7e5, dim::of(base_dim::mass)}}) {
    auto text = u.format(q);
    auto space = text.find(' ');
    double number = std::stod(text.substr(0, space));
    auto unit = parse_ok(text.substr(space + 1));
    CHECK(unit.d == q.d);
    CHECK(number * unit.factor == Approx(q.si).epsilon(0.005));
  }
}

TEST_CASE("operator dimension rules check dimensions") {
  using ironlaw::lang::binary_op;
  using ironlaw::lang::result_dim;
  CHECK_FALSE(result_dim(binary_op::add, data_d, compute_d / time_d).has_value());
  CHECK_FALSE(result_dim(binary_op::subtract, time_d, data_d).has_value());
  CHECK(*result_dim(binary_op::add, data_d, data_d) == data_d);
  CHECK(*result_dim(binary_op::divide, data_d, time_d) == data_d / time_d);
  CHECK(*result_dim(binary_op::multiply, data_d / time_d, time_d) == data_d);
  CHECK(*result_dim(binary_op::power, time_d, dim{}, 2) == time_d.pow(2));
  CHECK(*result_dim(binary_op::power, dim{}, dim{}, 0.5) == dim{});
  CHECK_FALSE(result_dim(binary_op::power, time_d, dim{}, 0.5).has_value());
  CHECK_FALSE(result_dim(binary_op::power, time_d, dim{}, 17).has_value());
  CHECK_FALSE(result_dim(binary_op::power, time_d, time_d, 2).has_value());
  CHECK(*result_dim(binary_op::less, time_d, time_d) == dim{});
  CHECK_FALSE(result_dim(binary_op::greater, time_d, data_d).has_value());
  CHECK_FALSE(result_dim(binary_op::logical_and, dim{}, dim{}).has_value());
  CHECK(describe(data_d / time_d) == "bandwidth");
  CHECK(describe(compute_d / time_d) == "compute rate");
  CHECK(describe(data_d / dim::of(base_dim::token)) == "B/token");
}
