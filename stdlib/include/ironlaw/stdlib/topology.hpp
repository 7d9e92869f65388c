#pragma once
// Network topologies of a scale-out fabric: bisection bandwidth, the
// per-node rate of a uniform all-to-all, and hop counts (the locality wall).
#include <array>
#include <string_view>

#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

enum class topology_kind { fat_tree, rail, dragonfly, torus, ring };
inline constexpr std::array<std::string_view, 5> topology_names = {"fat_tree", "rail", "dragonfly", "torus", "ring"};

struct topology_inputs {
  topology_kind kind = topology_kind::fat_tree;
  double nodes = 2;               // endpoints (NIC ports / accelerators), whole, >= 2
  units::byte_rate link{};        // per link (per port), per direction, > 0
  double oversubscription = 1;    // switched kinds: down / up bandwidth of the leaf tier, >= 1
  double radix = 64;              // switched kinds: ports per switch, whole, >= 4
  double dimensions = 3;          // torus: n of the k-ary n-cube, whole, >= 1
  double rails = 8;               // rail: endpoints per server, one rail each, whole, >= 1
};

enum class topology_bound { injection, uplinks, bisection };
inline constexpr std::array<std::string_view, 3> topology_bound_names = {"injection", "uplinks", "bisection"};

struct topology_result {
  double tiers = 1;                 // switch tiers (switched), or dimensions (direct)
  double groups = 1;                // dragonfly groups; torus k (nodes per dimension)
  units::byte_rate bisection{};     // capacity across the worst halving cut, per direction
  units::byte_rate injection{};     // what one node can send
  units::byte_rate all_to_all{};    // per-node rate of a uniform all-to-all
  topology_bound bound = topology_bound::injection;  // what limits the all-to-all
  double average_hops = 0;          // links crossed, uniform traffic, minimal routing
  double worst_hops = 0;
};

topology_result topology(const topology_inputs& in);

}  // namespace ironlaw::stdlib
