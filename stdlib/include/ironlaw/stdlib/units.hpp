#pragma once
// The one Boost.Units system of ironlaw's physics. Beside SI time, mass,
// length and energy it has base dimensions for data (Boost's information
// dimension, in bytes), compute (FLOP), money (USD) and named counts (tokens,
// requests, samples), so `FLOP + byte` or `tokens/s + requests/s` fail to
// compile. Included by stdlib sources and the one runtime binding file only.
#include <boost/units/base_dimension.hpp>
#include <boost/units/base_unit.hpp>
#include <boost/units/base_units/information/byte.hpp>
#include <boost/units/base_units/si/kilogram.hpp>
#include <boost/units/base_units/si/meter.hpp>
#include <boost/units/base_units/si/second.hpp>
#include <boost/units/cmath.hpp>
#include <boost/units/make_system.hpp>
#include <boost/units/physical_dimensions/energy.hpp>
#include <boost/units/physical_dimensions/information.hpp>
#include <boost/units/physical_dimensions/mass.hpp>
#include <boost/units/physical_dimensions/power.hpp>
#include <boost/units/physical_dimensions/time.hpp>
#include <boost/units/physical_dimensions/volume.hpp>
#include <boost/units/quantity.hpp>
#include <boost/units/unit.hpp>

namespace ironlaw::stdlib::units {

namespace bu = boost::units;

struct compute_base_dimension : bu::base_dimension<compute_base_dimension, 701> {};
struct money_base_dimension : bu::base_dimension<money_base_dimension, 702> {};
struct token_base_dimension : bu::base_dimension<token_base_dimension, 703> {};
struct request_base_dimension : bu::base_dimension<request_base_dimension, 704> {};
struct sample_base_dimension : bu::base_dimension<sample_base_dimension, 705> {};

using compute_dimension = compute_base_dimension::dimension_type;
using money_dimension = money_base_dimension::dimension_type;
using token_dimension = token_base_dimension::dimension_type;
using request_dimension = request_base_dimension::dimension_type;
using sample_dimension = sample_base_dimension::dimension_type;

struct flop_base_unit : bu::base_unit<flop_base_unit, compute_dimension, 701> {
  static const char* name() { return "floating-point operation"; }
  static const char* symbol() { return "FLOP"; }
};
struct usd_base_unit : bu::base_unit<usd_base_unit, money_dimension, 702> {
  static const char* name() { return "US dollar"; }
  static const char* symbol() { return "USD"; }
};
struct token_base_unit : bu::base_unit<token_base_unit, token_dimension, 703> {
  static const char* name() { return "token"; }
  static const char* symbol() { return "token"; }
};
struct request_base_unit : bu::base_unit<request_base_unit, request_dimension, 704> {
  static const char* name() { return "request"; }
  static const char* symbol() { return "req"; }
};
struct sample_base_unit : bu::base_unit<sample_base_unit, sample_dimension, 705> {
  static const char* name() { return "sample"; }
  static const char* symbol() { return "sample"; }
};

using system = bu::make_system<bu::si::meter_base_unit, bu::si::kilogram_base_unit, bu::si::second_base_unit,
                               bu::information::byte_base_unit, flop_base_unit, usd_base_unit, token_base_unit,
                               request_base_unit, sample_base_unit>::type;

template <typename Dimension>
using unit = bu::unit<Dimension, system>;
template <typename Unit>
using q = bu::quantity<Unit, double>;

using dimensionless_unit = unit<bu::dimensionless_type>;
using second_unit = unit<bu::time_dimension>;
using byte_unit = unit<bu::information_dimension>;
using flop_unit = unit<compute_dimension>;
using joule_unit = unit<bu::energy_dimension>;
using watt_unit = unit<bu::power_dimension>;
using usd_unit = unit<money_dimension>;
using kilogram_unit = unit<bu::mass_dimension>;
using cubic_meter_unit = unit<bu::volume_dimension>;
using token_unit = unit<token_dimension>;
using request_unit = unit<request_dimension>;
using sample_unit = unit<sample_dimension>;

template <typename A, typename B>
using per = typename bu::divide_typeof_helper<A, B>::type;
template <typename A, typename B>
using times = typename bu::multiply_typeof_helper<A, B>::type;

using seconds = q<second_unit>;
using bytes = q<byte_unit>;
using flops = q<flop_unit>;  // a count of operations, not a rate
using joules = q<joule_unit>;
using watts = q<watt_unit>;
using usd = q<usd_unit>;
using kilograms = q<kilogram_unit>;
using cubic_meters = q<cubic_meter_unit>;
using tokens = q<token_unit>;
using requests = q<request_unit>;
using samples = q<sample_unit>;

using flop_rate = q<per<flop_unit, second_unit>>;      // FLOP/s
using byte_rate = q<per<byte_unit, second_unit>>;      // B/s
using token_rate = q<per<token_unit, second_unit>>;    // token/s
using request_rate = q<per<request_unit, second_unit>>;  // req/s
using sample_rate = q<per<sample_unit, second_unit>>;    // samples (images)/s
using intensity = q<per<flop_unit, byte_unit>>;        // FLOP/B
using bytes_per_token = q<per<byte_unit, token_unit>>;
using usd_per_second = q<per<usd_unit, second_unit>>;
using usd_per_joule = q<per<usd_unit, joule_unit>>;
using usd_per_watt = q<per<usd_unit, watt_unit>>;       // facility cost per watt of IT load
using kg_per_joule = q<per<kilogram_unit, joule_unit>>;     // carbon intensity
using m3_per_joule = q<per<cubic_meter_unit, joule_unit>>;  // water use
using kg_per_second = q<per<kilogram_unit, second_unit>>;  // emission rate

inline constexpr second_unit second{};
inline constexpr byte_unit byte{};
inline constexpr flop_unit flop{};
inline constexpr joule_unit joule{};
inline constexpr watt_unit watt{};
inline constexpr usd_unit dollar{};
inline constexpr kilogram_unit kilogram{};
inline constexpr cubic_meter_unit cubic_meter{};
inline constexpr token_unit token{};
inline constexpr request_unit request{};
inline constexpr sample_unit sample{};
inline constexpr dimensionless_unit one{};

}  // namespace ironlaw::stdlib::units
