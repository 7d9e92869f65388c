#include "ironlaw/stdlib/topology.hpp"

#include <algorithm>
#include <cmath>

namespace ironlaw::stdlib {

namespace {

// Tiers of a folded Clos of radix-k switches: L tiers hold 2 (k/2)^L endpoints
// (k, k^2/2, k^3/4, ...), Al-Fares et al. 2008 for L = 3.
double clos_tiers(double nodes, double radix) {
  double tiers = 1;
  while (2 * std::pow(radix / 2, tiers) < nodes) ++tiers;
  return tiers;
}

// Average links crossed between two distinct endpoints of an L-tier Clos: a
// pair whose lowest common switch is at tier l crosses 2l links; the subtree
// under a tier-l switch holds (k/2)^l endpoints (the top tier holds all).
double clos_average_hops(double nodes, double radix, double tiers) {
  double hops = 0;
  double below = 1;  // endpoints sharing a subtree one tier down (the node itself)
  for (double l = 1; l <= tiers; ++l) {
    double subtree = l == tiers ? nodes : std::min(nodes, std::pow(radix / 2, l));
    hops += 2 * l * (subtree - below) / (nodes - 1);
    below = subtree;
  }
  return hops;
}

// The per-node rate a uniform all-to-all can sustain across a cut of capacity
// `bisection` (per direction): each of N/2 nodes sends N/2 / (N-1) of its traffic across.
double bisection_limit(double nodes, double bisection) { return bisection * 4 * (nodes - 1) / (nodes * nodes); }

void settle(topology_result& r, double injection, double uplinks, double bisection_rate) {
  double rate = std::min({injection, uplinks, bisection_rate});
  r.all_to_all = rate * units::byte / units::second;
  r.bound = rate == injection ? topology_bound::injection
            : rate == uplinks ? topology_bound::uplinks
                              : topology_bound::bisection;
}

topology_result clos(const topology_inputs& in, double nodes, double extra_hops_share) {
  topology_result r;
  double b = in.link.value();
  r.tiers = clos_tiers(nodes, in.radix);
  double leaf = r.tiers == 1 ? nodes : in.radix / 2;
  double o = r.tiers == 1 ? 1 : in.oversubscription;  // one switch is non-blocking
  r.average_hops = clos_average_hops(nodes, in.radix, r.tiers) + extra_hops_share;
  r.worst_hops = 2 * r.tiers + (extra_hops_share > 0 ? 1 : 0);
  double bisection = nodes / 2 * b / o;
  // A leaf's uplinks carry 1/o of what its nodes inject; the traffic leaving the leaf must fit.
  double leaving = (nodes - std::min(leaf, nodes)) / (nodes - 1);
  double uplinks = leaving > 0 ? b / (o * leaving) : b;
  r.bisection = bisection * units::byte / units::second;
  settle(r, b, uplinks, bisection_limit(nodes, bisection));
  return r;
}

topology_result fat_tree(const topology_inputs& in) { return clos(in, in.nodes, 0); }

// Rail-optimized: endpoint i of every server joins rail i, a Clos of its own;
// traffic to another rail first crosses the server's scale-up link (one hop).
topology_result rail(const topology_inputs& in) {
  double per_rail = std::max(2.0, std::ceil(in.nodes / in.rails));
  double other_rail = in.rails > 1 ? (in.nodes - per_rail) / (in.nodes - 1) : 0;
  auto r = clos(in, per_rail, other_rail);
  // The rails side by side: the bisection adds up over the rails.
  double b = in.link.value();
  double bisection = in.nodes / 2 * b / (r.tiers == 1 ? 1 : in.oversubscription);
  r.bisection = bisection * units::byte / units::second;
  settle(r, b, r.all_to_all.value(), bisection_limit(in.nodes, bisection));
  return r;
}

// Kim, Dally, Scott, Abts (ISCA 2008): routers of radix k = p + h + (a - 1)
// with p terminals, h global and a - 1 local links; balanced at a = 2p = 2h.
// Groups of a routers are fully connected; minimal routes are local, global, local.
topology_result dragonfly(const topology_inputs& in) {
  topology_result r;
  double b = in.link.value();
  double h = std::max(1.0, std::floor((in.radix + 1) / 4));
  double p = h;
  double a = 2 * h;
  double group = a * p;
  r.groups = std::ceil(in.nodes / group);
  double n = in.nodes;
  double o = in.oversubscription;
  double same_router = (std::min(p, n) - 1) / (n - 1);
  double same_group = (std::min(group, n) - std::min(p, n)) / (n - 1);
  double other_group = 1 - same_router - same_group;
  // Terminal links at both ends; a global hop, with a local hop at each end
  // unless the global link happens to sit on the source (destination) router.
  r.average_hops = same_router * 2 + same_group * 3 + other_group * (2 + 1 + 2 * (1 - 1 / a));
  r.worst_hops = r.groups > 1 ? 5 : n > p ? 3 : 2;
  r.tiers = r.groups > 1 ? 2 : 1;
  double bisection;
  double uplinks = b;
  if (r.groups > 1) {
    // a h global links per group spread over the other groups; half the groups face the other half.
    double per_pair = a * h / (r.groups - 1);
    double half = std::floor(r.groups / 2);
    bisection = half * (r.groups - half) * per_pair * b / o;
    double leaving = (n - group) / (n - 1);
    uplinks = a * h * b / (o * group * leaving);
  } else {
    double routers = std::ceil(n / p);
    double half = std::floor(routers / 2);
    bisection = std::max(1.0, half * (routers - half)) * b;  // local links, fully connected
  }
  r.bisection = bisection * units::byte / units::second;
  settle(r, b, uplinks, bisection_limit(n, bisection));
  return r;
}

// k-ary n-cube with wraparound (Dally and Towles 2004, ch. 3 and 5): k = N^(1/n)
// nodes per dimension, 2n links per node; a halving cut crosses 2 k^(n-1) links
// each way; minimal routes average n k / 4 hops (even k, self included).
topology_result torus(const topology_inputs& in, double n) {
  topology_result r;
  double b = in.link.value();
  double k = std::pow(in.nodes, 1 / n);
  double k_whole = std::round(k);
  if (std::abs(k - k_whole) < 1e-9) k = k_whole;
  r.tiers = n;
  r.groups = k;
  // Mean distance along one ring of k over all k destinations (itself included):
  // k/4 for even k, k/4 - 1/(4k) for odd; then over the N - 1 others only.
  bool odd = k == std::round(k) && std::fmod(k, 2) == 1;
  double per_dimension = odd ? k / 4 - 1 / (4 * k) : k / 4;
  r.average_hops = n * per_dimension * in.nodes / (in.nodes - 1);
  r.worst_hops = n * std::floor(k / 2);
  double bisection = (k > 2 ? 2 : 1) * in.nodes / k * b;  // k = 2: the wraparound is the same link
  r.bisection = bisection * units::byte / units::second;
  double injection = 2 * n * b;
  settle(r, injection, injection, bisection_limit(in.nodes, bisection));
  r.injection = injection * units::byte / units::second;
  return r;
}

}  // namespace

topology_result topology(const topology_inputs& in) {
  topology_result r;
  switch (in.kind) {
    case topology_kind::fat_tree: r = fat_tree(in); break;
    case topology_kind::rail: r = rail(in); break;
    case topology_kind::dragonfly: r = dragonfly(in); break;
    case topology_kind::torus: return torus(in, in.dimensions);
    case topology_kind::ring: return torus(in, 1);
  }
  r.injection = in.link;
  return r;
}

}  // namespace ironlaw::stdlib
