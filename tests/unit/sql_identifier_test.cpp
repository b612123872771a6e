// Identifier quoting and the dialect's identifier length limit.
#include "support/sql_expect.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/ddl.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

namespace {

using namespace retort;
using retort::testing::expect_sql;

TEST(SqlIdentifier, NameLongerThanPostgresqlLimitIsAnIdentifierError) {
  MetaData metadata;
  const std::string long_name(64, 'c');
  Table t("t", metadata, {Column(long_name, Integer())});
  // 64 bytes: fine where there is no limit, too long for PostgreSQL's 63.
  expect_sql(select(t), {{"sqlite", "SELECT t." + long_name + " FROM t"}});
  try {
    (void)select(t).compile("postgresql");
    FAIL() << "expected IdentifierError";
  } catch (const IdentifierError& e) {
    EXPECT_EQ(std::string(e.what()),
              "Identifier '" + long_name +
                  "' exceeds the maximum identifier length of the 'postgresql' dialect, 63 (it "
                  "has 64 bytes); choose a shorter name");
  }
  // IdentifierError is a CompileError.
  EXPECT_THROW((void)CreateTable(t).compile("postgresql"), CompileError);
}

TEST(SqlIdentifier, NameOfExactlyTheLimitIsAccepted) {
  MetaData metadata;
  const std::string name(63, 'c');
  Table t(name, metadata, {Column("x", Integer())});
  expect_sql(select(t), {{"postgresql", "SELECT " + name + ".x FROM " + name}});
}

TEST(SqlIdentifier, ReservedWordsAndUnusualNamesAreQuotedPerDialect) {
  MetaData metadata;
  Table t("user", metadata,
          {Column("select", Integer()), Column("Mixed", Integer()), Column("has\"quote", Integer()),
           Column("1st", Integer())});
  expect_sql(select(t),
             {{"default",
               "SELECT \"user\".\"select\", \"user\".\"Mixed\", \"user\".\"has\"\"quote\", "
               "\"user\".\"1st\" FROM \"user\""},
              {"postgresql",
               "SELECT \"user\".\"select\", \"user\".\"Mixed\", \"user\".\"has\"\"quote\", "
               "\"user\".\"1st\" FROM \"user\""}});
}

}  // namespace
