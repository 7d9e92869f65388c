// The test registration (tests/cmake/register_catch_tests.py) must give CTest
// one test per case even when a name holds what CMake lists and Catch2 test
// specs treat specially; tools/check_test_counts.py then proves this case ran.
#include <catch2/catch.hpp>

TEST_CASE(R"(registration: a name with ; , [brackets] \ "quotes" * and ~ runs as itself)") {
  CHECK(Catch::getResultCapture().getCurrentTestName() ==
        R"(registration: a name with ; , [brackets] \ "quotes" * and ~ runs as itself)");
}
