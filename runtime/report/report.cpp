#include "report.hpp"
#include "ironlaw/lang/text_formats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ironlaw/runtime/interp/units.hpp"

namespace ironlaw::runtime::report {

std::string with_commas(std::uint64_t n) {
  auto digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string readable_number(double x) {
  double a = std::abs(x);
  if (!(a >= 999.5 && a < 1e12)) return format_number(x);
  // Whole numbers (a context of 1,024 tokens, a count) are shown exactly.
  double step = a == std::round(a) ? 1 : std::pow(10.0, std::floor(std::log10(a)) - 2);
  auto rounded = static_cast<std::uint64_t>(std::llround(std::round(a / step) * step));
  return (x < 0 ? "-" : "") + with_commas(rounded);
}

namespace {

std::string header(const column& c) { return c.unit.empty() ? c.name : fmt::format("{} ({})", c.name, c.unit); }

std::string rank_cell(const row& r) { return r.rank == 0 ? "-" : std::to_string(r.rank); }

// The lines before the rows: what was searched and what it came to.
std::vector<std::string> summary(const design_report& r) {
  std::vector<std::string> lines;
  std::string axes;
  for (const auto& [name, n] : r.axes) axes += fmt::format("{}{} ({})", axes.empty() ? "" : " x ", name, n);
  lines.push_back(fmt::format("design {} = {} over {}: {} points", r.design, r.solver, axes, with_commas(r.space)));
  std::string how = r.sampled ? fmt::format("sampled {} points at random (seed {}): APPROXIMATE, the front of the sample only",
                                            with_commas(r.visited), r.seed)
                              : "exhaustive";
  lines.push_back(fmt::format("  {}; {} excluded by `where`, {} rejected by {}, {} evaluated, {} feasible", how,
                              with_commas(r.excluded), with_commas(r.rejected), r.solver, with_commas(r.evaluated),
                              with_commas(r.feasible)));
  return lines;
}

std::string heading(const design_report& r) {
  std::string what = r.mode == "all"        ? "every design"
                     : r.mode == "feasible" ? "every feasible design"
                     : r.objectives.empty() ? "every feasible design (no objectives)"
                                            : "pareto ranking";
  std::string top = r.top ? fmt::format(", top {}", with_commas(r.top)) : "";
  return fmt::format("{}{}, ordered by {}:", what, top, r.order);
}

std::vector<std::string> explanations(const design_report& r) {
  std::vector<std::string> lines;
  std::uint64_t total = r.visited;
  bool any = false;
  for (std::size_t i = 0; i < r.requirements.size(); ++i) any = any || r.failed[i] > 0;
  if (any || !r.rejections.empty()) {
    lines.push_back("why designs failed (a design can fail several requirements):");
    for (std::size_t i = 0; i < r.requirements.size(); ++i)
      lines.push_back(fmt::format("  {:>{}} of {} failed {}", with_commas(r.failed[i]), with_commas(total).size(),
                                  with_commas(total), r.requirements[i]));
    for (const auto& c : r.rejections) {
      lines.push_back(fmt::format("  {:>{}} of {} {}", with_commas(c.count), with_commas(total).size(), with_commas(total), c.what));
      if (!c.example.empty()) lines.push_back(fmt::format("  {:>{}}    the first: {}", "", with_commas(total).size() * 2 + 4, c.example));
    }
  }
  return lines;
}

}  // namespace

std::string to_table(const design_report& r) {
  std::string out;
  for (const auto& l : summary(r)) out += l + "\n";
  out += "\n";
  if (r.rows.empty()) {
    out += r.mode == "all" ? "no design was evaluated.\n" : "no design meets every requirement.\n";
  } else {
    out += heading(r) + "\n";
    std::vector<std::string> heads{"rank"};
    for (const auto& c : r.columns) heads.push_back(header(c));
    std::vector<std::size_t> width(heads.size());
    for (std::size_t i = 0; i < heads.size(); ++i) width[i] = heads[i].size();
    for (const auto& row : r.rows) {
      width[0] = std::max(width[0], rank_cell(row).size());
      for (std::size_t i = 0; i < row.cells.size(); ++i) width[i + 1] = std::max(width[i + 1], row.cells[i].size());
    }
    auto line = [&](const std::vector<std::string>& cells, bool is_header) {
      std::string l = " ";
      for (std::size_t i = 0; i < cells.size(); ++i) {
        bool right = i == 0 || (!is_header && r.columns[i - 1].numeric) || (is_header && i > 0 && r.columns[i - 1].numeric);
        std::string cell = right ? fmt::format("{:>{}}", cells[i], width[i]) : fmt::format("{:<{}}", cells[i], width[i]);
        l += " " + cell + (i + 1 < cells.size() ? " " : "");
      }
      while (!l.empty() && l.back() == ' ') l.pop_back();
      return l + "\n";
    };
    out += line(heads, true);
    for (const auto& row : r.rows) {
      std::vector<std::string> cells{rank_cell(row)};
      cells.insert(cells.end(), row.cells.begin(), row.cells.end());
      out += line(cells, false);
    }
  }
  if (!r.best.empty()) {
    out += "\n";
    for (const auto& l : r.best) out += l + "\n";
  }
  if (!r.closest.empty()) {
    out += "\nclosest designs (the requirement each misses by most):\n";
    for (const auto& l : r.closest) out += "  " + l + "\n";
  }
  auto why = explanations(r);
  if (!why.empty()) {
    out += "\n";
    for (const auto& l : why) out += l + "\n";
  }
  return out;
}

std::string to_markdown(const design_report& r) {
  std::string out = fmt::format("### design {}\n\n", r.design);
  for (const auto& l : summary(r)) out += l.substr(l.find_first_not_of(' ')) + "\n";
  out += "\n";
  if (!r.rows.empty()) {
    out += heading(r) + "\n\n| rank |";
    std::string rule = "|---:|";
    for (const auto& c : r.columns) {
      out += " " + header(c) + " |";
      rule += c.numeric ? "---:|" : "---|";
    }
    out += "\n" + rule + "\n";
    for (const auto& row : r.rows) {
      out += "| " + rank_cell(row) + " |";
      for (const auto& cell : row.cells) out += " " + cell + " |";
      out += "\n";
    }
  } else {
    out += "No design meets every requirement.\n";
  }
  auto bullets = [&](const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    out += "\n";
    for (const auto& l : lines) out += "- " + l.substr(l.find_first_not_of(' ')) + "\n";
  };
  bullets(r.best);
  if (!r.closest.empty()) out += "\nClosest designs:\n";
  bullets(r.closest);
  auto why = explanations(r);
  if (!why.empty()) why.erase(why.begin());
  if (!why.empty()) out += "\nWhy designs failed:\n";
  bullets(why);
  return out;
}

namespace {

std::string json_number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : "null"; }

std::string json_strings(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + lang::json_string(v[i]);
  return out + "]";
}

}  // namespace

std::string to_csv(const design_report& r) {
  std::string out = "rank";
  for (const auto& c : r.columns) out += "," + lang::csv_field(header(c));
  out += "\n";
  for (const auto& row : r.rows) {
    out += rank_cell(row);
    // Numbers for machines: plain, 6 significant digits, in the column's unit.
    for (std::size_t c = 0; c < row.cells.size(); ++c)
      out += "," + (r.columns[c].numeric && std::isfinite(row.numbers[c]) ? fmt::format("{:.6g}", row.numbers[c])
                                                                          : lang::csv_field(row.cells[c]));
    out += "\n";
  }
  return out;
}

std::string to_json(const design_report& r) {
  std::string out = "{\n";
  out += fmt::format("  \"design\": {},\n  \"solver\": {},\n  \"scenario\": {},\n", lang::json_string(r.design),
                     lang::json_string(r.solver), lang::json_string(r.title));
  out += "  \"space\": {\"axes\": [";
  for (std::size_t i = 0; i < r.axes.size(); ++i)
    out += fmt::format("{}{{\"name\": {}, \"values\": {}}}", i ? ", " : "", lang::json_string(r.axes[i].first), r.axes[i].second);
  out += fmt::format("], \"points\": {}, \"visited\": {}, \"sampled\": {}, \"seed\": {}, \"approximate\": {}}},\n",
                     r.space, r.visited, r.sampled, r.sampled ? std::to_string(r.seed) : "null", r.sampled);
  out += fmt::format("  \"counts\": {{\"excluded\": {}, \"rejected\": {}, \"evaluated\": {}, \"feasible\": {}}},\n",
                     r.excluded, r.rejected, r.evaluated, r.feasible);
  out += "  \"requirements\": [";
  for (std::size_t i = 0; i < r.requirements.size(); ++i)
    out += fmt::format("{}{{\"text\": {}, \"failed\": {}}}", i ? ", " : "", lang::json_string(r.requirements[i]), r.failed[i]);
  out += "],\n  \"rejections\": [";
  for (std::size_t i = 0; i < r.rejections.size(); ++i)
    out += fmt::format("{}{{\"count\": {}, \"reason\": {}, \"example\": {}}}", i ? ", " : "", r.rejections[i].count,
                       lang::json_string(r.rejections[i].what), lang::json_string(r.rejections[i].example));
  out += "],\n  \"objectives\": [";
  for (std::size_t i = 0; i < r.objectives.size(); ++i)
    out += fmt::format("{}{{\"text\": {}, \"direction\": \"{}\"}}", i ? ", " : "", lang::json_string(r.objectives[i].text),
                       r.objectives[i].maximize ? "maximize" : "minimize");
  out += fmt::format("],\n  \"report\": {{\"mode\": {}, \"top\": {}, \"order\": {}}},\n", lang::json_string(r.mode),
                     r.top ? std::to_string(r.top) : "null", lang::json_string(r.order));
  out += "  \"columns\": [";
  for (std::size_t i = 0; i < r.columns.size(); ++i)
    out += fmt::format("{}{{\"name\": {}, \"unit\": {}}}", i ? ", " : "", lang::json_string(r.columns[i].name),
                       r.columns[i].unit.empty() ? "null" : lang::json_string(r.columns[i].unit));
  out += "],\n  \"rows\": [";
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const auto& row = r.rows[i];
    out += fmt::format("{}\n    {{\"rank\": {}, \"index\": {}, \"values\": {{", i ? "," : "",
                       row.rank ? std::to_string(row.rank) : "null", row.index);
    for (std::size_t c = 0; c < r.columns.size(); ++c) {
      std::string v = r.columns[c].numeric && std::isfinite(row.numbers[c]) ? json_number(row.numbers[c]) : lang::json_string(row.cells[c]);
      out += fmt::format("{}{}: {}", c ? ", " : "", lang::json_string(r.columns[c].name), v);
    }
    out += "}}";
  }
  out += r.rows.empty() ? "],\n" : "\n  ],\n";
  out += fmt::format("  \"best\": {},\n  \"closest\": {},\n", json_strings(r.best), json_strings(r.closest));
  out += fmt::format("  \"seconds\": {},\n  \"threads\": {}\n}}\n", json_number(r.seconds), r.threads);
  return out;
}

}  // namespace ironlaw::runtime::report
