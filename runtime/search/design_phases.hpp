#pragma once
// A design's search in phases, each a file of runtime/search/, run in this
// order by search::run_design (design.cpp):
//   design_compile.cpp  the statements that read the design, checked and
//                       compiled into a plan; what the report shows
//   design_sample.cpp   the space's size; `--sample N --seed S`
//   design_search.cpp   the engine's configuration and run
//   design_shard.cpp    --shard K/N: one part searched; merge: the parts' tallies
//   design_output.cpp   --out DIR (opened before the search) and the printed report
//   design_rank.cpp     the ranked rows shown and their order
//   design_report.cpp   the report's counts, columns, units and rows
//   design_explain.cpp  refusals, the binding requirement, relaxing it, closest misses
// Internal to runtime/search/.
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "../io/file_io.hpp"
#include "../report/report.hpp"
#include "design.hpp"
#include "design_point.hpp"

namespace ironlaw::runtime::search {

// Without objectives and without `top`, the rows shown: the first 1,000 in
// shown order (the CSV of --out has every feasible design).
inline constexpr std::size_t listed = 1000;

// The statements that read a design.
struct design_statements {
  std::vector<const lang::expr*> requirements;
  std::vector<std::pair<const lang::expr*, bool>> objectives;  // the expression, maximized
  std::vector<const lang::report_stmt*> reports;
};

// A design compiled: the loop's part, the compiler its closures came from, the space.
struct design_plan {
  compiled_design cd;
  std::unique_ptr<compiler> comp;   // cd.comp; on the heap, so the plan may move
  std::vector<std::string> fields;  // the solver's result fields, in order
  std::vector<dim> objective_dims;  // each objective's dimension, for its unit
  std::uint64_t space = 1;          // the number of points
  bool overflow = false;            // more than 64 bits count
};

// What the report shows: the first `report` statement, or every axis and the metrics read.
struct report_spec {
  std::string mode = "pareto";  // pareto, feasible, all
  std::uint64_t top = 0;        // 0: no limit
  bool solver_has_binding = false;
  std::vector<std::string> shown;  // the columns
  std::string csv_header;          // of the full CSV (--out)
  // `binding` is the report's column (the requirement with the least slack)
  // unless the solver has a field of that name (train's largest step term);
  // `binding_requirement` is the report's column always.
  [[nodiscard]] bool requirement_column(const std::string& name) const {
    return name == "binding_requirement" || (name == "binding" && !solver_has_binding);
  }
};

// A compiled design and what it came from: what the phases after compiling read.
struct design_job {
  const design_context& ctx;
  const lang::design_stmt& d;
  const lang::source_ptr& source;
  const design_statements& parts;
  const design_plan& plan;
  const report_spec& spec;
};

// --- design_compile.cpp
design_statements statements_of(const lang::program& program, const std::string& design);
// Checked at the representative point, so a wrong metric is an error at its
// span (E0212, E0608), then the reports (ctx.check_report).
bool check_statements(const design_context& ctx, const design_statements& parts, const lang::source_ptr& source,
                      lang::diagnostics& diags, std::vector<dim>& objective_dims);
// The solver's typed path for the design (design_point.hpp), when it has one
// and the compiled code never reads the record; called by compile_design.
void prepare_typed(design_plan& plan);
// The solver, its fixed arguments, the axes and the compiled filters, requirements and objectives.
bool compile_design(const design_context& ctx, const lang::design_stmt& d, const design_statements& parts,
                    const lang::source_ptr& source, lang::diagnostics& diags, design_plan& plan);
report_spec choose_report(const design_context& ctx, const lang::design_stmt& d, const design_statements& parts,
                          const design_plan& plan, const record& representative, const lang::source_ptr& source,
                          lang::diagnostics& diags);
// The sort key without objectives, the fields the compiled code reads, the full CSV's units and header.
void finish_plan(design_plan& plan, report_spec& spec, const record& representative, const unit_table& units,
                 bool objectives);

// --- design_sample.cpp
// The space's size times one more axis; `overflow` once it no longer fits in
// 64 bits (and from then on).
void grow_space(std::uint64_t& space, bool& overflow, std::size_t axis);
// The points searched: every one, or (--sample N) that many distinct ones,
// uniformly at random (--seed S), in enumeration order.
struct point_sample {
  bool sampled = false;
  std::vector<std::uint64_t> indices;
};
point_sample sample_points(const search_options& options, std::uint64_t space, bool overflow);

// --- design_search.cpp
struct search_run {
  tally t;
  double seconds = 0;  // wall time
  std::size_t threads = 1;
  bool track_relax = false;  // the relaxation archives were kept
};
engine_config configure_search(const design_job& job, const point_sample& sample);
search_run search_space(engine_config config, const search_options& options, const std::string& design);

// --- design_shard.cpp
// --shard K/N: searches that part of the positions and adds its tally to
// options.shard_results; nothing is reported. E1212 when the design reads a
// design searched before it (each part would read its own part's best).
bool search_part(const design_job& job, engine_config config, lang::diagnostics& diags);
// merge: the design's merged tally from options.shard_results, or E1212 when
// it is not a search of this design as compiled now.
bool replay_search(const design_job& job, const engine_config& config, lang::diagnostics& diags, search_run& run);

// --- design_output.cpp
// `--out DIR` (runtime/io/file_io.hpp): every file checked before the search,
// each written to a temporary and renamed over its name only when complete.
class design_output {
 public:
  design_output(const design_context& ctx, const lang::design_stmt& d, const lang::source_ptr& source,
                lang::diagnostics& diags)
      : ctx_(ctx), d_(d), source_(source), diags_(diags) {}
  // The directory, its manifest and the full CSV (its header written, the
  // search's rows sent to it); true without --out.
  bool open(const std::string& csv_header, engine_config& config);
  // The report printed in the chosen format (or added to the run's JSON
  // document); with --out, the CSV committed and the table, JSON and SVG written.
  bool finish(std::ostream& out, const report::design_report& rep);

 private:
  bool failed(const files::problem& p);
  const design_context& ctx_;
  const lang::design_stmt& d_;
  const lang::source_ptr& source_;
  lang::diagnostics& diags_;
  files::output_dir dir_;
  files::atomic_file csv_;
};

// --- design_rank.cpp
// The rows: the ranked feasible designs within the limit, then (for `all`)
// the closest misses, each evaluated again for its record.
struct shown_designs {
  std::vector<entry> ranked;
  std::vector<std::pair<std::uint64_t, std::size_t>> points;  // index, rank (0: a miss)
  std::vector<record_ptr> records;
  std::vector<point_result> results;
};
shown_designs rank_designs(const design_job& job, const tally& t);
// The rows' order, in words.
std::string row_order(const design_job& job, const std::vector<report::objective>& objectives);

// --- design_report.cpp
// The objectives' values in the units they are shown in (maximized ones positive again).
struct objective_scale {
  std::vector<bool> maximize;
  std::vector<std::pair<std::string, double>> units;
  [[nodiscard]] std::vector<double> operator()(const std::vector<double>& minimized) const;
};
using column_units = std::vector<std::pair<std::string, double>>;
report::design_report report_header(const design_job& job, const point_sample& sample, const search_run& run);
column_units report_columns(report::design_report& rep, const report_spec& spec, const shown_designs& shown,
                            const unit_table& units);
objective_scale report_objective_units(report::design_report& rep, const design_job& job, const shown_designs& shown);
void report_rows(report::design_report& rep, const design_job& job, const shown_designs& shown,
                 const column_units& columns, const objective_scale& scale);
// "12.5%": a slack as a percentage, its sign dropped.
std::string slack_percent(double slack);

// --- design_explain.cpp
// Refusals grouped by reason, each with its first point's whole message.
void explain_rejections(report::design_report& rep, const compiled_design& cd, const tally& t);
// The best design's binding requirement, and what relaxing it alone would admit.
void explain_best(report::design_report& rep, const design_job& job, const search_run& run,
                  const shown_designs& shown, const objective_scale& scale);
// When nothing is feasible: the nearest misses.
void explain_closest(report::design_report& rep, const design_job& job, const tally& t);

}  // namespace ironlaw::runtime::search
