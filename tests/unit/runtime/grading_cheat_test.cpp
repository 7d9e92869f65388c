// Scores must be earned (issue 19): each way a student looking for points
// could game the grader scores zero for the item it cheats, while the honest
// reference answers keep full marks. Design cheats run against
// tests/data/grading/design.iron (alice's SLA is 60 ms).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "../../../runtime/app/grading/grader.hpp"
#include "../../../runtime/app/grading/render.hpp"
#include "../../../runtime/app/grading/rubric_design.hpp"
#include "grading_fixture.hpp"
#include "ironlaw/lang/parse.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;
using namespace ironlaw::runtime::grading;

namespace {

using grading_fixture::read;

// A faculty file, loaded, with one student's variant prepared.
struct faculty {
  assignment_file file;
  std::unique_ptr<variant_session> session;
  faculty(const std::string& name, const std::string& text, const std::string& student) {
    auto source = std::make_shared<const lang::source_file>(name, text);
    lang::diagnostics diags;
    REQUIRE(lang::parse_program(source, file.program, diags).ok);
    REQUIRE(load_assignment(registry::embedded(), file, diags));
    session = std::make_unique<variant_session>(registry::embedded(), file, student_picks(file, student));
    INFO((diags.items().empty() ? std::string() : diags.items().front().message));
    REQUIRE(session->prepare(diags));
  }
  grade_report grade(const std::string& submission, const std::string& student = "alice") {
    auto source = std::make_shared<const lang::source_file>("submission.iron", submission);
    return grade_submission(*session, source, student, grading_limits{});
  }
};

faculty design_lab() { return faculty("design.iron", read("tests/data/grading/design.iron"), "alice"); }

// The honest design: tests/golden/grade/design_full.iron, without its workload
// (the assignment defines `chat`).
const std::string honest_design = R"(
design fleet = serving_fleet(chat, region = Quebec, price_per_gpu = 30000 USD) over {
  accelerator in [H100_SXM]
  precision   in [int8, fp16]
  batch       in [16, 32]
  spare_nodes in [0, 1]
}
require fleet.itl <= 60 ms
require fleet.rate_after_node_loss >= 160 req/s
minimize fleet.cost_per_year
)";

std::string with(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("grading cheats: the honest design scores full marks", "[grading]") {
  auto lab = design_lab();
  auto r = lab.grade(honest_design);
  INFO(to_text(r));
  CHECK(r.score() == 4);
  CHECK(r.output.empty());
}

TEST_CASE("grading cheats: the student copy's own copy of the workload is no redefinition", "[grading]") {
  auto lab = design_lab();
  auto copy = student_copy(*lab.session, true);
  CHECK(copy.find("workload chat = serving") != std::string::npos);
  auto r = lab.grade(copy + honest_design);
  INFO(to_text(r));
  CHECK(r.score() == 4);
  CHECK(r.output.empty());
}

TEST_CASE("grading cheats: a let that fakes the design scores zero", "[grading]") {
  auto lab = design_lab();
  auto r = lab.grade(
      "let fleet = { itl = 1 ms, gpus = 1, cost_per_year = 1 USD/yr, rate_after_node_loss = 1000 req/s }\n");
  INFO(to_text(r));
  CHECK(r.score() == 0);
  CHECK(r.tests[0].output.find("not a design block") != std::string::npos);
}

TEST_CASE("grading cheats: a let after the design cannot replace its point", "[grading]") {
  auto lab = design_lab();
  auto r = lab.grade(honest_design + "let fleet = { itl = 1 ms, gpus = 1, cost_per_year = 1 USD/yr }\n");
  INFO(to_text(r));
  CHECK(r.score() == 4);  // the searched design, not the let, is graded
  CHECK(r.output.find("E0503") != std::string::npos);
}

TEST_CASE("grading cheats: shadowing a parameter or a faculty name changes nothing", "[grading]") {
  auto lab = design_lab();
  // sla = 1 s would make the first item trivially true; a workload of 1 req/s
  // would make the fleet tiny. Both are refused and the faculty's values win.
  auto small = with(honest_design, "accelerator in [H100_SXM]", "accelerator in [H100_SXM, A100_80GB]");
  auto r = lab.grade("let sla = 1 s\nworkload chat = serving { model = Llama3_8B, rate = 1 req/s, prompt = 1024 tokens, "
                     "output = 256 tokens }\n" +
                     small);
  INFO(to_text(r));
  CHECK(r.output.find("E1006") != std::string::npos);
  CHECK(r.tests[0].output.find("fleet.itl <= sla") != std::string::npos);
  CHECK(r.score() == 4);  // the honest search over the faculty's workload still meets every item
  auto honest = lab.grade(small);
  CHECK(honest.score() == r.score());
}

TEST_CASE("grading cheats: a made-up accelerator is refused unless the assignment allows it", "[grading]") {
  auto lab = design_lab();
  auto fast = "hardware Fast extends H100_SXM { bandwidth = 1e6 TB/s }\n" +
              with(honest_design, "accelerator in [H100_SXM]", "accelerator in [Fast]");
  auto r = lab.grade(fast);
  INFO(to_text(r));
  CHECK(r.score() == 0);
  CHECK(r.tests[0].output.find("your file declares") != std::string::npos);

  // Allowed, it is still checked against the registry's range.
  auto text = read("tests/data/grading/design.iron");
  faculty open("design.iron", with(text, "param sla", "param custom_entities = true\n  param sla"), "alice");
  auto allowed = open.grade(fast);
  INFO(to_text(allowed));
  CHECK(allowed.score() == 0);
  CHECK(allowed.tests[0].output.find("more than 2x the registry's highest") != std::string::npos);
  auto plausible = open.grade("hardware Next extends H100_SXM { bandwidth = 4 TB/s }\n" +
                              with(honest_design, "accelerator in [H100_SXM]", "accelerator in [Next]"));
  INFO(to_text(plausible));
  CHECK(plausible.score() == 4);
}

TEST_CASE("grading cheats: a negative or made-up price scores zero", "[grading]") {
  auto lab = design_lab();
  // serving_fleet refuses a negative price itself; the grader refuses a zero one.
  auto negative = lab.grade(with(honest_design, "price_per_gpu = 30000 USD", "price_per_gpu = -30000 USD"));
  INFO(to_text(negative));
  CHECK(negative.score() == 0);
  CHECK(negative.output.find("price_per_gpu' must be >= 0") != std::string::npos);
  auto zero_price = lab.grade(with(honest_design, "price_per_gpu = 30000 USD", "price_per_gpu = 0 USD"));
  INFO(to_text(zero_price));
  CHECK(zero_price.score() == 0);
  CHECK(zero_price.tests[0].output.find("a price must be above zero") != std::string::npos);
  auto cheap = lab.grade(with(honest_design, "price_per_gpu = 30000 USD", "price_per_gpu = 1 USD"));
  INFO(to_text(cheap));
  CHECK(cheap.score() == 0);
  CHECK(cheap.tests[0].output.find("this assignment sets it to 30000 USD") != std::string::npos);
}

TEST_CASE("grading cheats: a student entity's fields stay within the registry's range", "[grading]") {
  const auto& reg = registry::embedded();
  auto h100 = reg.find("H100_SXM");
  REQUIRE(h100);
  auto changed = [&](const std::string& field, double si) {
    auto r = std::make_shared<record>(*h100);
    r->name = "Mine";
    for (auto& f : r->fields)
      if (f.name == field) f.v = value{quantity{si, f.v.as_quantity()->d}};
    return r;
  };
  CHECK_FALSE(entity_problem(reg, *changed("bandwidth", 4e12)));
  CHECK(entity_problem(reg, *changed("bandwidth", 1e18)));                  // 1e6 TB/s
  CHECK(entity_problem(reg, *changed("bandwidth", -1)));                    // negative
  CHECK(entity_problem(reg, *changed("bandwidth", std::nan(""))));          // not finite
  CHECK(entity_problem(reg, *changed("price", 1)));                         // 1 USD
  CHECK(entity_problem(reg, *changed("memory", 0)));                        // zero
}

TEST_CASE("grading cheats: hidden questions stay hidden in every student output", "[grading]") {
  faculty hw("hw.iron", read("tests/data/grading/hw.iron"), "dave");
  // q7 (hidden, 1 point) right, one visible question wrong.
  auto right = hw.grade("answers {\n q1 = 109\n q7 = 295 FLOP/B\n}\n", "dave");
  auto wrong = hw.grade("answers {\n q1 = 109\n q7 = 1 FLOP/B\n}\n", "dave");
  REQUIRE(right.score() == wrong.score() + 1);
  auto visible = [](std::string text) {
    // Everything but the hidden test's own entry, which Gradescope shows only after publishing.
    auto at = text.find("\"name\": \"q7\"");
    if (at != std::string::npos) text.erase(text.rfind('{', at), text.find('}', at) - text.rfind('{', at) + 1);
    return text;
  };
  CHECK(visible(to_gradescope(right)).find("\"output\"") != std::string::npos);
  CHECK(visible(to_gradescope(right)).substr(visible(to_gradescope(right)).find("\"output\"")) ==
        visible(to_gradescope(wrong)).substr(visible(to_gradescope(wrong)).find("\"output\"")));
  CHECK(to_text(right) == to_text(wrong));
  // PrairieLearn shows the score too, so the whole document, score included, is the same.
  CHECK(to_prairielearn(right) == to_prairielearn(wrong));
  auto pl = to_prairielearn(right);
  double shown = std::stod(pl.substr(pl.find("\"score\": ") + 9));
  CHECK(shown == Approx(right.visible_score() / right.visible_max_score()).epsilon(1e-3));
  CHECK(to_prairielearn(right).find("not counted in this score") != std::string::npos);
  CHECK(to_text(right).find("1 hidden question (1 point)") != std::string::npos);
  // For TAs, --reveal shows it.
  CHECK(to_text(right, true) != to_text(wrong, true));
}

TEST_CASE("grading cheats: answers as students write them", "[grading]") {
  faculty quiz("quiz.iron", read("scenarios/assignments/quiz.iron"), "x");
  auto r = quiz.grade("answers {\n a1 = memory-bound\n a2 = 1.7\n a9 = 200 t\n a16 = 27 d\n}\n", "x");
  auto score = [&](const std::string& name) {
    for (const auto& t : r.tests)
      if (t.name == name) return t.score / t.max_score;
    return -1.0;
  };
  INFO(to_text(r));
  CHECK(score("a1") == 1);
  CHECK(score("a2") == 1);   // "about 1.7": the A100 rounded to 2.0 TB/s
  CHECK(score("a9") == 1);   // 195 t to the two significant figures of 390 g/kWh
  CHECK(score("a16") == 1);  // 26.7 days to two significant figures
  auto flop_ratio = quiz.grade("answers {\n a2 = 3.2\n a1 = compute-bound\n}\n", "x");
  CHECK(flop_ratio.tests[0].score == 0);
  CHECK(flop_ratio.tests[1].score == 0);
}

TEST_CASE("grading cheats: every quiz answer rounded to two significant figures scores", "[grading]") {
  faculty quiz("quiz.iron", read("scenarios/assignments/quiz.iron"), "x");
  const auto& units = registry::embedded().units();
  std::string answers = "answers {\n";
  for (const auto& q : quiz.session->questions()) {
    const auto* a = q.answer.as_quantity();
    if (q.kind != answer_kind::number || !a) continue;
    double magnitude = std::pow(10.0, std::floor(std::log10(std::abs(a->si))) - 1);
    quantity rounded{std::round(a->si / magnitude) * magnitude, a->d};
    answers += "  " + q.name + " = " + units.format(rounded) + "\n";
  }
  auto r = quiz.grade(answers + "}\n", "x");
  INFO(answers << to_text(r));
  for (const auto& t : r.tests)
    if (t.output.find("no answer") == std::string::npos) CHECK(t.score == t.max_score);
}

TEST_CASE("grading cheats: a numeric question with choices takes the closest choice", "[grading]") {
  faculty f("mc.iron", R"(assignment "MC" {
  question speedup "How much faster is H100 decode than A100 at batch 1?" {
    answer  = decode(Llama3_8B, A100_80GB, batch = 1).itl_bound / decode(Llama3_8B, H100_SXM, batch = 1).itl_bound
    choices = [1.1, 1.6, 3.2]
  }
})", "x");
  CHECK(f.grade("answers { speedup = 1.6 }").score() == 1);
  CHECK(f.grade("answers { speedup = 1.64 }").score() == 1);
  CHECK(f.grade("answers { speedup = 3.2 }").score() == 0);
  CHECK(f.grade("answers { speedup = 1.1 }").score() == 0);
}

TEST_CASE("grading cheats: variant values print in their declared unit", "[grading]") {
  faculty f("link.iron", R"(assignment "Links" {
  param link = choose([100, 200]) Gb/s
  param nic = choose([400 Gb/s])
  question t "How long does 1 GB take over a {link} link, or a {nic} one?" {
    answer = 1 GB / link
  }
})", "x");
  const auto& q = f.session->questions().front();
  CHECK(q.text.find("GB/s") == std::string::npos);
  CHECK(q.text.find("Gb/s link") != std::string::npos);
  CHECK(q.text.find("400 Gb/s one") != std::string::npos);
  CHECK(f.session->describe_variant().find("Gb/s") != std::string::npos);
  auto copy = student_copy(*f.session, false);
  CHECK(copy.find("100 Gb/s, 200 Gb/s") != std::string::npos);
  CHECK(copy.find("12.5 GB/s") == std::string::npos);
  CHECK(copy.find("25 GB/s") == std::string::npos);
  CHECK(copy.find("ironlaw") == std::string::npos);  // no command on the faculty file
  auto personal = student_copy(*f.session, true);
  CHECK(personal.find("12.5 GB/s") == std::string::npos);
  CHECK(personal.find("25 GB/s") == std::string::npos);
  CHECK(personal.find("00 Gb/s link") != std::string::npos);
}

TEST_CASE("grading cheats: the quiz's carbon and synthesis questions state the engine's assumptions", "[grading]") {
  faculty quiz("quiz.iron", read("scenarios/assignments/quiz.iron"), "x");
  auto question = [&](const std::string& name) -> const question_instance& {
    for (const auto& q : quiz.session->questions())
      if (q.name == name) return q;
    FAIL("no question " << name);
    return quiz.session->questions().front();
  };
  // The prompt names the assumption, and the engine computed with it: by hand
  // 500 MWh x 390 g/kWh = 195 t at PUE 1 (a region's PUE of 1.15 gives 224 t),
  // and 15.0 GB / 40 ms = 375 GB/s at efficiency 1 (the 16.06 GB of weights less
  // the untied input embedding, 128,256 x 4,096 x 2 B, which a step gathers).
  const auto& a9 = question("a9");
  CHECK(a9.text.find("PUE of 1") != std::string::npos);
  CHECK(a9.answer.as_quantity()->si == Approx(195e3));  // kg
  const auto& a10 = question("a10");
  CHECK(a10.text.find("efficiency 1") != std::string::npos);
  CHECK(a10.answer.as_quantity()->si == Approx((16.06e9 - 128256.0 * 4096 * 2) / 0.040).epsilon(0.005));
}
