// The function table is filled by the bind layer (runtime/bind/table.cpp);
// the CLI does it in run_cli and the interpreter on construction. Tests that
// use a lower layer alone (the evaluator, validate) get it from this listener.
#define CATCH_CONFIG_EXTERNAL_INTERFACES  // for TestEventListenerBase
#include <catch2/catch.hpp>

#include "../../../runtime/bind/bindings.hpp"

namespace {

struct install_builtins_listener : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  void testRunStarting(Catch::TestRunInfo const&) override { ironlaw::runtime::bindings::install(); }
};

}  // namespace

CATCH_REGISTER_LISTENER(install_builtins_listener)

TEST_CASE("the function table holds every solver once, after install", "[builtins]") {
  using namespace ironlaw::runtime;
  bindings::install();
  bindings::install();  // a second install changes nothing
  const auto& all = builtins();
  REQUIRE(all.size() > 20);
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = i + 1; j < all.size(); ++j) REQUIRE(all[i].name != all[j].name);
  REQUIRE(find_builtin("decode") != nullptr);
  REQUIRE(find_builtin("sensitivity") != nullptr);
  REQUIRE(!builtin_words().empty());
}
