// Driver SQL through postgresql+odbc with ODBC's `?` markers: each gets the same cast to its
// parameter's type as the dialect's `$n` (psqlODBC sends parameters untyped), so typed
// arithmetic and comparisons work as they do through libpq.
//
// Needs RETORT_TEST_ODBC_POSTGRESQL_URL (scripts/odbc-config.sh); skips, saying so, without it.
#include <retort/engine.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace retort;

class OdbcDriverSql : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("RETORT_TEST_ODBC_POSTGRESQL_URL");
    if (url == nullptr || *url == '\0') {
      GTEST_SKIP() << "RETORT_TEST_ODBC_POSTGRESQL_URL is not set (scripts/odbc-config.sh)";
    }
    engine_.emplace(create_engine(url));
  }
  std::optional<Engine> engine_;
};

TEST_F(OdbcDriverSql, QuestionMarkParametersAreTypedLikeDollarParameters) {
  auto conn = engine_->connect();
  const std::vector<Value> two_ints{Value(40), Value(2)};
  // Untyped, PostgreSQL would say "operator is not unique: unknown + unknown".
  EXPECT_EQ(conn.exec_driver_sql("SELECT ? + ?", two_ints).scalar_one<std::int64_t>(), 42);
  EXPECT_EQ(conn.exec_driver_sql("SELECT $1 + $2", two_ints).scalar_one<std::int64_t>(), 42);
  const std::vector<Value> a_double{Value(1.5)};
  EXPECT_DOUBLE_EQ(conn.exec_driver_sql("SELECT ? * 2", a_double).scalar_one<double>(), 3.0);
  const std::vector<Value> a_bool{Value(true)};
  EXPECT_TRUE(conn.exec_driver_sql("SELECT NOT NOT ?", a_bool).scalar_one<bool>());
}

TEST_F(OdbcDriverSql, QuestionMarksInLiteralsAndCommentsAreNotParameters) {
  auto conn = engine_->connect();
  const std::vector<Value> one{Value(5)};
  EXPECT_EQ(
      conn.exec_driver_sql("SELECT length('a?b') + ? /* why? */", one).scalar_one<std::int64_t>(),
      8);
}

}  // namespace
