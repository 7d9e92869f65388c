#include "variant.hpp"

namespace ironlaw::runtime::grading {

std::uint64_t fnv1a_64(std::string_view text, std::uint64_t state) {
  for (unsigned char c : text) {
    state ^= c;
    state *= 0x100000001b3ULL;  // the FNV 64-bit prime
  }
  return state;
}

std::uint64_t splitmix64_mix(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t draw_option(std::string_view student, std::string_view assignment_title, std::string_view param,
                          std::uint64_t options) {
  if (options <= 1) return 0;
  // A zero byte between the parts: ("ab", "c") and ("a", "bc") hash apart.
  constexpr std::string_view separator("\0", 1);
  std::uint64_t h = fnv1a_64(student);
  h = fnv1a_64(separator, h);
  h = fnv1a_64(assignment_title, h);
  h = fnv1a_64(separator, h);
  h = fnv1a_64(param, h);
  // The modulo's bias is below options / 2^64: immaterial for a handful of options.
  return splitmix64_mix(h) % options;
}

}  // namespace ironlaw::runtime::grading
