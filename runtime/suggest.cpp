#include "ironlaw/runtime/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace ironlaw::runtime {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

std::vector<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates, std::size_t max) {
  if (word.empty()) return {};
  struct scored {
    std::size_t score;
    std::string text;
  };
  std::vector<scored> hits;
  std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  for (const auto& c : candidates) {
    if (c == word) continue;
    std::size_t dist = edit_distance(word, c);
    // A truncated name (`H100` for `H100_SXM`) ranks first; a name with a
    // suffix typed on (`batchsize` for `batch`) ranks by its distance.
    bool truncated = word.size() >= 3 && c.size() > word.size() && edit_distance(c.substr(0, word.size()), word) == 0;
    bool extended = c.size() >= 3 && c.size() < word.size() && edit_distance(word.substr(0, c.size()), c) == 0;
    if (truncated) hits.push_back({0, c});
    else if (extended || dist <= limit) hits.push_back({dist, c});
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

}  // namespace ironlaw::runtime
