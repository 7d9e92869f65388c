#include "ironlaw/lang/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace ironlaw::lang {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  const std::size_t n = a.size(), m = b.size();
  // Three rows (the transposition looks two back), not an n x m table.
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

namespace {

bool same_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

std::vector<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates, std::size_t max) {
  // Bounded work per name: no registry or unit name is this long, and a
  // million-character identifier must not cost a million-column table per candidate.
  if (word.empty() || word.size() > max_suggested_length) return {};
  struct scored {
    std::size_t score;
    std::string text;
  };
  std::vector<scored> hits;
  std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  for (const auto& c : candidates) {
    if (c == word) continue;
    // A truncated name (`H100` for `H100_SXM`) ranks first; a name with a
    // suffix typed on (`batchsize` for `batch`) ranks by its distance.
    bool truncated = word.size() >= 3 && c.size() > word.size() && same_ignoring_case(c.substr(0, word.size()), word);
    bool extended = c.size() >= 3 && c.size() < word.size() && same_ignoring_case(word.substr(0, c.size()), c);
    std::size_t gap = c.size() > word.size() ? c.size() - word.size() : word.size() - c.size();
    if (truncated) {
      hits.push_back({0, c});
      continue;
    }
    if (!extended && gap > limit) continue;  // the distance is at least the length gap
    std::size_t dist = edit_distance(word, c);
    if (extended || dist <= limit) hits.push_back({dist, c});
  }
  std::stable_sort(hits.begin(), hits.end(), [](const scored& a, const scored& b) {
    return a.score != b.score ? a.score < b.score : a.text < b.text;
  });
  std::vector<std::string> out;
  for (const auto& h : hits) {
    if (out.size() >= max) break;
    if (std::find(out.begin(), out.end(), h.text) == out.end()) out.push_back(h.text);
  }
  return out;
}

namespace {

std::string join_with(const std::vector<std::string>& words, const char* last) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += i + 1 == words.size() ? last : ", ";
    out += words[i];
  }
  return out;
}

}  // namespace

std::string join_alternatives(const std::vector<std::string>& words) { return join_with(words, " or "); }

std::string join_all(const std::vector<std::string>& words) { return join_with(words, " and "); }

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates, std::string_view listing) {
  auto near = suggest(word, candidates);
  if (near.empty()) return std::string(listing) + " " + join_alternatives(candidates);
  return "did you mean " + join_alternatives(near) + "?";
}

}  // namespace ironlaw::lang
