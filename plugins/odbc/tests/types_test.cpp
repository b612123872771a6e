// plugins/odbc/tests/types_test.cpp — reading PostgreSQL's text forms (no database).
// SPDX-License-Identifier: MIT
#include "../types.hpp"

#include <gtest/gtest.h>

namespace retort::odbc {
namespace {

retort_interval interval(std::string_view text) {
  retort_interval v{-99, -99, -99};
  EXPECT_TRUE(parse_pg_interval(text, v)) << text;
  return v;
}

void expect_interval(std::string_view text, int32_t months, int32_t days, int64_t micros) {
  const retort_interval v = interval(text);
  EXPECT_EQ(v.months, months) << text;
  EXPECT_EQ(v.days, days) << text;
  EXPECT_EQ(v.microseconds, micros) << text;
}

TEST(OdbcTypes, PostgresStyleIntervalsParseIntoMonthsDaysAndMicroseconds) {
  expect_interval("00:00:00", 0, 0, 0);
  expect_interval("1 year 2 mons -3 days +04:05:06.5", 14, -3, 14706500000);
  expect_interval("-1 days +02:03:00", 0, -1, 7380000000);
  expect_interval("1 day", 0, 1, 0);
  expect_interval("-00:00:00.000001", 0, 0, -1);
  expect_interval("-178000000 years", -2136000000, 0, 0);
  expect_interval("2562047788:00:54.775807", 0, 0, 9223372036854775807);
  expect_interval("-2 mons -04:00:00", -2, 0, -14400000000);
}

TEST(OdbcTypes, IsoIntervalsParse) {
  expect_interval("P1Y2M-3DT4H5M6.5S", 14, -3, 14706500000);
  expect_interval("PT0S", 0, 0, 0);
  expect_interval("P2W", 0, 14, 0);
  expect_interval("PT-1.000001S", 0, 0, -1000001);
}

TEST(OdbcTypes, TextThatIsNoIntervalIsRefused) {
  retort_interval v{};
  EXPECT_FALSE(parse_pg_interval("", v));
  EXPECT_FALSE(parse_pg_interval("soon", v));
  EXPECT_FALSE(parse_pg_interval("3 fortnights", v));
  EXPECT_FALSE(parse_pg_interval("@ 1 day ago", v));  // postgres_verbose
  EXPECT_FALSE(parse_pg_interval("P1X", v));
}

TEST(OdbcTypes, PostgresqlTypeNamesRefineTheReader) {
  EXPECT_EQ(reader_for_declared("postgresql", "timestamptz", Reader::kTimestamp),
            Reader::kTimestampTz);
  EXPECT_EQ(reader_for_declared("postgresql", "timestamp", Reader::kTimestamp), Reader::kTimestamp);
  EXPECT_EQ(reader_for_declared("postgresql", "interval", Reader::kText), Reader::kInterval);
  EXPECT_EQ(reader_for_declared("postgresql", "interval day to second", Reader::kText),
            Reader::kInterval);
  EXPECT_EQ(reader_for_declared("postgresql", "jsonb", Reader::kText), Reader::kJson);
  EXPECT_EQ(reader_for_declared("postgresql", "json", Reader::kText), Reader::kJson);
  // Other dialects' drivers: the SQL type code decides.
  EXPECT_EQ(reader_for_declared("mariadb", "json", Reader::kText), Reader::kText);
  EXPECT_EQ(value_type_of(Reader::kTimestampTz), RETORT_TYPE_TIMESTAMPTZ);
  EXPECT_EQ(value_type_of(Reader::kInterval), RETORT_TYPE_INTERVAL);
  EXPECT_EQ(value_type_of(Reader::kJson), RETORT_TYPE_JSON);
}

}  // namespace
}  // namespace retort::odbc
