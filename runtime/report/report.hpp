#pragma once
// A design search's outcome as a report: what was searched, the ranked rows
// to show, why designs failed, the closest misses; printed as a table, CSV,
// JSON or Markdown, and plotted as SVG. Knows nothing of the search itself.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "roofline.hpp"

namespace ironlaw::runtime::report {

struct column {
  std::string name;
  std::string unit;     // the unit every cell is printed in; empty: none
  bool numeric = false; // a quantity (plottable)
};

struct row {
  std::uint64_t index = 0;           // the point's position in the enumeration
  std::size_t rank = 0;              // Pareto rank; 0: infeasible
  std::vector<std::string> cells;    // one per column, without the unit
  std::vector<double> numbers;       // one per column, in the column's unit (NaN: not a number)
  std::vector<double> objectives;    // one per objective, in the objective's unit
  std::optional<roofline_point> roof;  // where the solver's result has a roofline (roofline.hpp)
};

struct count_line {
  std::uint64_t count = 0;
  std::string what;     // "failed d.itl <= 20 ms", "rejected by decode: ..."
  std::string example;  // the first such point's whole message, when it says more
};

struct objective {
  std::string text;  // `d.itl`
  bool maximize = false;
};

struct design_report {
  std::string design, solver, title;
  std::vector<std::pair<std::string, std::size_t>> axes;  // name, number of values
  std::uint64_t space = 0, visited = 0, excluded = 0, rejected = 0, evaluated = 0, feasible = 0;
  bool sampled = false;
  std::uint64_t seed = 0;
  std::string mode;         // pareto, feasible, all
  std::uint64_t top = 0;    // 0: no limit
  std::string order;        // how rows are ordered, in words
  std::vector<objective> objectives;
  std::vector<std::string> requirements;
  std::vector<std::uint64_t> failed;  // per requirement
  std::vector<count_line> rejections;
  std::vector<column> columns;
  std::vector<row> rows;
  // Every kept point's objective values in the objectives' units, and its rank
  // (the plot draws them all; the rows are the ones labelled).
  std::vector<std::pair<std::size_t, std::vector<double>>> cloud;
  std::vector<std::string> objective_units;
  std::vector<std::string> best;     // lines about the best design: its binding constraint, what relaxing it buys
  std::vector<std::string> closest;  // when nothing is feasible: the nearest misses
  double seconds = 0;                // wall time of the search (JSON only: the rest is reproducible)
  std::size_t threads = 1;
};

std::string to_table(const design_report& r);
std::string to_markdown(const design_report& r);
std::string to_csv(const design_report& r);
std::string to_json(const design_report& r);
// The Pareto plot: objective against objective (a grid of pairs for three or
// more), the shown designs labelled by rank.
std::string to_svg(const design_report& r);
// The roofline plot of the reported rows whose results have one.
std::string to_roofline_svg(const design_report& r);
// A row in a plot's legend: its cells with their columns' names and units.
std::string row_summary(const design_report& r, const row& row);

// "3,120": thousands separated, for counts people read.
std::string with_commas(std::uint64_t n);
// A cell: 3 significant digits (whole numbers exactly), thousands separated
// from 1,000 to below 1e12 ("989,000" beside "1,050,000", not "988596" beside "1.05e6").
std::string readable_number(double x);

}  // namespace ironlaw::runtime::report
