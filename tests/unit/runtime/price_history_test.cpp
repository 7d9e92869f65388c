// Dated price histories: the registry check holds each to its rules (dates in
// order, units, a status, the newest equal to the current price), the shipped
// histories pass, and the language and `zoo show` print them as dated tables.
#include <catch2/catch.hpp>

#include <string>

#include "harness.hpp"
#include "ironlaw/runtime/app/registry_check.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;
using namespace ironlaw::runtime::testing;

namespace {

// A device with a cloud price of 6.88 USD/h and the history `entries`.
std::string device(const std::string& name, const std::string& entries, const std::string& current = "6.88 USD/h") {
  return "[" + name + R"(]
name = "n"
vendor = "v"
class = "datacenter-gpu"
year = 2024
memory = "80 GiB"
bandwidth = "3.35 TB/s"
cloud_price = ")" + current + R"("
[)" + name + R"(.peak]
fp16 = "989 TFLOP/s"
[)" + name + R"(.source]
title = "t"
url = "u"
as_of = "2024-01"
)" + entries;
}

std::string entry(const std::string& name, const std::string& as_of, const std::string& value,
                  const std::string& status = "confirmed") {
  return "[[" + name + ".cloud_price_history]]\nas_of = \"" + as_of + "\"\nvalue = \"" + value + "\"\nstatus = \"" +
         status + "\"\ntitle = \"t\"\nurl = \"u\"\n";
}

std::string findings_about(const registry& reg, const std::string& name) {
  std::string out;
  for (const auto& f : check_registry(reg))
    if (f.error && f.message.find(name + ".cloud_price_history") != std::string::npos) out += to_string(f) + "\n";
  return out;
}

}  // namespace

TEST_CASE("price history: a good history passes the registry check") {
  registry reg(unit_table::builtin());
  reg.add_file("hardware/good.toml",
               device("Good", entry("Good", "2023-07", "12.29 USD/h", "recalled") + entry("Good", "2025-06-01", "6.88 USD/h")));
  CHECK(findings_about(reg, "Good").empty());
}

TEST_CASE("price history: the newest entry must be the current price") {
  registry reg(unit_table::builtin());
  reg.add_file("hardware/stale.toml", device("Stale", entry("Stale", "2023-07", "12.29 USD/h")));
  auto found = findings_about(reg, "Stale");
  CHECK(found.find("the newest entry is 12.29 USD/h, but Stale.cloud_price is 6.88 USD/h") != std::string::npos);
  CHECK(found.find("hardware/stale.toml:") == 0);  // with the file and line
}

TEST_CASE("price history: dates oldest first, real dates, units, status and keys are checked") {
  registry reg(unit_table::builtin());
  reg.add_file("hardware/bad.toml",
               device("Order", entry("Order", "2025-06", "12.29 USD/h") + entry("Order", "2023-07", "6.88 USD/h")) +
                   device("Date", entry("Date", "June 2025", "6.88 USD/h")) +
                   device("NoDay", entry("NoDay", "2023-02-30", "6.88 USD/h")) +
                   device("LeapDay", entry("LeapDay", "2024-02-29", "6.88 USD/h")) +
                   device("Unit", entry("Unit", "2025-06", "6.88 USD")) +
                   device("Status", entry("Status", "2025-06", "6.88 USD/h", "guessed")) +
                   device("Key", "[[Key.cloud_price_history]]\nas_of = \"2025-06\"\nvalue = \"6.88 USD/h\"\n"
                                 "status = \"confirmed\"\ntitle = \"t\"\nurl = \"u\"\nprice = \"1 USD\"\n") +
                   device("Missing", "[[Missing.cloud_price_history]]\nas_of = \"2025-06\"\nvalue = \"6.88 USD/h\"\n"));
  CHECK(findings_about(reg, "Order").find("'2023-07' is not after the entry before it ('2025-06')") != std::string::npos);
  CHECK(findings_about(reg, "Date").find("must be a date YYYY-MM or YYYY-MM-DD, not 'June 2025'") != std::string::npos);
  CHECK(findings_about(reg, "NoDay").find("not '2023-02-30'") != std::string::npos);  // February has no 30th
  CHECK(findings_about(reg, "LeapDay").find("must be a date") == std::string::npos);  // 2024 is a leap year
  CHECK(findings_about(reg, "Unit").find(".value must be") != std::string::npos);
  CHECK(findings_about(reg, "Status").find("must be confirmed") != std::string::npos);
  CHECK(findings_about(reg, "Key").find("Key.cloud_price_history[0].price: a price history entry has") != std::string::npos);
  auto missing = findings_about(reg, "Missing");
  CHECK(missing.find("missing 'status'") != std::string::npos);
  CHECK(missing.find("missing 'title'") != std::string::npos);
  CHECK(missing.find("missing 'url'") != std::string::npos);
}

TEST_CASE("price history: a history needs the price it dates") {
  registry reg(unit_table::builtin());
  std::string text = device("NoPrice", entry("NoPrice", "2025-06", "6.88 USD/h"));
  text.erase(text.find("cloud_price = \"6.88 USD/h\"\n"), std::string("cloud_price = \"6.88 USD/h\"\n").size());
  reg.add_file("hardware/noprice.toml", text);
  CHECK(findings_about(reg, "NoPrice").find("the entry has no cloud_price") != std::string::npos);
}

TEST_CASE("price history: the shipped histories end at the current price (AWS cut of 2025-06)") {
  const auto& reg = registry::embedded();
  for (const char* name : {"H100_SXM", "A100_40GB", "A100_80GB"}) {
    INFO(name);
    auto r = reg.find(name);
    REQUIRE(r);
    const auto* f = r->find("cloud_price_history");
    REQUIRE(f);
    const auto& entries = *std::get<list_ptr>(f->v.v);
    REQUIRE(entries.size() >= 2);
    const auto* newest = entries.back().as_record();
    CHECK(std::get<std::string>(newest->find("as_of")->v.v) == "2025-06-01");
    CHECK(newest->quantity_of("value")->si == r->quantity_of("cloud_price")->si);
    CHECK(findings_about(reg, name).empty());
  }
}

TEST_CASE("price history: the language prints a dated table in USD/h") {
  const auto& reg = registry::embedded();
  auto shown = shown_ok(eval_in(reg, "H100_SXM.cloud_price_history"), "H100_SXM.cloud_price_history");
  CHECK(shown.find("as_of       value        status     source") != std::string::npos);
  CHECK(shown.find("2023-07-27  12.29 USD/h  recalled   Next Platform") != std::string::npos);
  CHECK(shown.find("2025-06-01  6.88 USD/h   confirmed  AWS EC2 On-Demand pricing") != std::string::npos);
  CHECK(shown_ok(eval_in(reg, "H100_SXM.cloud_price"), "H100_SXM.cloud_price") == "6.88 USD/h");
  // The entity lists its histories instead of printing them inline.
  auto entity = shown_ok(eval_in(reg, "H100_SXM"), "H100_SXM");
  CHECK(entity.find("(dated prices: H100_SXM.cloud_price_history)") != std::string::npos);
  CHECK(entity.find("12.29") == std::string::npos);
}

TEST_CASE("price history: a declaration that sets its own price says so in the table") {
  const auto& reg = registry::embedded();
  auto shown = shown_ok(run_in(reg, "hardware Cheap extends H100_SXM {\n  cloud_price = 2.5 USD/h\n}\n"
                                    "print Cheap.cloud_price_history\n"),
                        "Cheap");
  CHECK(shown.find("2025-06-01  6.88 USD/h") != std::string::npos);
  CHECK(shown.find("-           2.5 USD/h    declared   Cheap.cloud_price as declared") != std::string::npos);
}

TEST_CASE("price history: zoo show lists the dates with their urls and notes") {
  auto r = cli({"zoo", "show", "H100_SXM"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("cloud_price_history:\n  2023-07-27  12.29 USD/h  recalled   Next Platform") != std::string::npos);
  CHECK(r.out.find("    url   https://www.nextplatform.com/2023/07/27/") != std::string::npos);
  CHECK(r.out.find("  2025-06-01  6.88 USD/h   confirmed  AWS EC2") != std::string::npos);
  CHECK(r.out.find("  cloud_price            6.88 USD/h") != std::string::npos);
}
