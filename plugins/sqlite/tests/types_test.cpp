// plugins/sqlite/tests/types_test.cpp — declared-type mapping and text forms read back.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <string>
#include <vector>

namespace retort::sqlite::test {
namespace {

int64_t utc_micros(int y, unsigned m, unsigned d, int64_t hh, int64_t mi, int64_t ss,
                   int64_t us = 0) {
  using namespace std::chrono;
  const int64_t days = sys_days{year{y} / month{m} / day{d}}.time_since_epoch().count();
  return days * 86'400'000'000LL + ((hh * 60 + mi) * 60 + ss) * 1'000'000LL + us;
}

// Reads one column of `sql`, which must produce a single batch.
Batch single_batch(Conn& c, const std::string& sql) {
  auto batches = c.query(sql);
  EXPECT_EQ(batches.size(), 1u) << sql;
  if (batches.empty()) return Batch();
  return std::move(batches[0]);
}

TEST(DeclaredTypes, MapToValueTypesLikeSqlalchemy) {
  struct Case {
    const char* declared;
    const char* value;
    retort_value_type expected;
  };
  const Case cases[] = {
      {"INTEGER", "1", RETORT_TYPE_INT64},
      {"BIGINT", "1", RETORT_TYPE_INT64},
      {"TINYINT", "1", RETORT_TYPE_INT64},
      {"BOOLEAN", "1", RETORT_TYPE_BOOL},
      {"VARCHAR(20)", "'a'", RETORT_TYPE_TEXT},
      {"NVARCHAR", "'a'", RETORT_TYPE_TEXT},
      {"CLOB", "'a'", RETORT_TYPE_TEXT},
      {"BLOB", "x'00'", RETORT_TYPE_BYTES},
      {"REAL", "1.5", RETORT_TYPE_DOUBLE},
      {"FLOAT", "1.5", RETORT_TYPE_DOUBLE},
      {"DOUBLE PRECISION", "1.5", RETORT_TYPE_DOUBLE},
      {"NUMERIC(10, 2)", "1.5", RETORT_TYPE_DECIMAL},
      {"DECIMAL", "7", RETORT_TYPE_DECIMAL},
      {"DATE", "'2024-01-02'", RETORT_TYPE_DATE},
      {"TIME", "'10:11:12'", RETORT_TYPE_TIME},
      {"DATETIME", "'2024-01-02 10:11:12'", RETORT_TYPE_TIMESTAMP},
      {"TIMESTAMP", "'2024-01-02 10:11:12'", RETORT_TYPE_TIMESTAMP},
      {"TIMESTAMP WITHOUT TIME ZONE", "'2024-01-02 10:11:12'", RETORT_TYPE_TIMESTAMP},
      {"TIMESTAMPTZ", "'2024-01-02 10:11:12+01:00'", RETORT_TYPE_TIMESTAMPTZ},
      {"JSON", "'{}'", RETORT_TYPE_JSON},
      {"UUID", "'0123456789abcdef0123456789abcdef'", RETORT_TYPE_UUID},
      {"WHATEVER", "'text'", RETORT_TYPE_TEXT},  // no affinity match: the storage class
      {"", "2.5", RETORT_TYPE_DOUBLE},
  };
  for (const Case& k : cases) {
    Conn c = connect();
    c.exec(std::string("CREATE TABLE t(v ") + k.declared + ")");
    c.exec(std::string("INSERT INTO t VALUES (") + k.value + ")");
    const Batch b = single_batch(c, "SELECT v FROM t");
    EXPECT_EQ(b.type(0), static_cast<uint32_t>(k.expected)) << k.declared;
  }
}

TEST(DateTimeText, IsoFormsParseWithFractionsTruncatedToMicroseconds) {
  Conn c = connect();
  c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, ts TIMESTAMP, tm TIME)");
  c.exec(
      "INSERT INTO t(ts, tm) VALUES ('2024-01-02', '10:11'), ('2024-01-02 03:04', '10:11:12'), "
      "('2024-01-02T03:04:05.123456789', '10:11:12.5'), ('1960-06-15 23:59:59.9', "
      "'23:59:59.999999')");
  const Batch b = single_batch(c, "SELECT ts, tm FROM t ORDER BY id");
  ASSERT_EQ(b.rows(), 4);
  EXPECT_EQ(b.i64(0, 0), utc_micros(2024, 1, 2, 0, 0, 0));
  EXPECT_EQ(b.i64(0, 1), utc_micros(2024, 1, 2, 3, 4, 0));
  EXPECT_EQ(b.i64(0, 2), utc_micros(2024, 1, 2, 3, 4, 5, 123456));
  EXPECT_EQ(b.i64(0, 3), utc_micros(1960, 6, 15, 23, 59, 59, 900000));
  EXPECT_EQ(b.i64(1, 0), (10 * 3600 + 11 * 60) * 1'000'000LL);
  EXPECT_EQ(b.i64(1, 2), (10 * 3600 + 11 * 60 + 12) * 1'000'000LL + 500'000);
  EXPECT_EQ(b.i64(1, 3), 86'400'000'000LL - 1);
}

TEST(DateTimeText, SqliteOwnTimestampsAndUnixSecondsRead) {
  Conn c = connect();
  c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, ts DATETIME)");
  c.exec("INSERT INTO t(ts) VALUES (CURRENT_TIMESTAMP), (datetime(0, 'unixepoch')), (86400)");
  const Batch b = single_batch(c, "SELECT ts FROM t ORDER BY id");
  ASSERT_EQ(b.type(0), RETORT_TYPE_TIMESTAMP);
  EXPECT_GT(b.i64(0, 0), utc_micros(2020, 1, 1, 0, 0, 0));
  EXPECT_EQ(b.i64(0, 1), 0);
  EXPECT_EQ(b.i64(0, 2), 86'400'000'000LL);
}

TEST(DateTimeText, ZoneAwareColumnsConvertOffsetsToUtc) {
  Conn c = connect();
  c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, ts TIMESTAMP WITH TIME ZONE)");
  c.exec(
      "INSERT INTO t(ts) VALUES ('2024-01-02 10:00:00+02:00'), ('2024-01-02T08:00:00Z'), "
      "('2024-01-02 03:30:00-0430'), ('2024-01-02 08:00:00')");
  const Batch b = single_batch(c, "SELECT ts FROM t ORDER BY id");
  ASSERT_EQ(b.type(0), RETORT_TYPE_TIMESTAMPTZ);
  for (int64_t r = 0; r < 4; ++r) EXPECT_EQ(b.i64(0, r), utc_micros(2024, 1, 2, 8, 0, 0)) << r;
}

TEST(DateTimeText, OffsetInANaiveColumnIsKeptAsTextRatherThanDropped) {
  Conn c = connect();
  c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, ts TIMESTAMP)");
  c.exec(
      "INSERT INTO t(ts) VALUES ('2024-01-02 10:00:00'), ('2024-01-02 10:00:00+02:00'), "
      "('2024-01-03 10:00:00')");
  auto batches = c.query("SELECT ts FROM t ORDER BY id");
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].type(0), RETORT_TYPE_TIMESTAMP);
  EXPECT_EQ(batches[1].type(0), RETORT_TYPE_TEXT);
  EXPECT_EQ(batches[1].str(0, 0), "2024-01-02 10:00:00+02:00");
  EXPECT_EQ(batches[2].type(0), RETORT_TYPE_TIMESTAMP);
}

TEST(DateTimeText, UnparseableDateIsInvalidDataNamingColumnAndValue) {
  Conn c = connect();
  c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, born DATE)");
  c.exec("INSERT INTO t(born) VALUES ('2024-01-02'), ('2024-02-30')");
  Stmt s = c.prepare("SELECT born FROM t ORDER BY id");
  retort_exec_info info{};
  ErrorBox error;
  ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK);
  // The good row comes first; the error is reported by the next fetch.
  Batch first;
  ASSERT_EQ(s.fetch(10, first, error), RETORT_OK);
  ASSERT_EQ(first.rows(), 1);
  Batch second;
  ASSERT_EQ(s.fetch(10, second, error), RETORT_INVALID_DATA);
  EXPECT_NE(error.message().find("'born'"), std::string::npos) << error.message();
  EXPECT_NE(error.message().find("2024-02-30"), std::string::npos) << error.message();
  EXPECT_EQ(error.sqlstate(), "22007");
}

TEST(NumericText, DecimalColumnsGiveExactDigitsForEveryStorageClass) {
  Conn c = connect();
  c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, d DECIMAL(30, 10))");
  c.exec(
      "INSERT INTO t(d) VALUES (0.1), (12345678901234567), (-2.5e-7), ('NaN'), (1e300), "
      "(9223372036854775807)");
  const Batch b = single_batch(c, "SELECT d FROM t ORDER BY id");
  ASSERT_EQ(b.type(0), RETORT_TYPE_DECIMAL);
  EXPECT_EQ(b.str(0, 0), "0.1");
  EXPECT_EQ(b.str(0, 1), "12345678901234567");
  EXPECT_EQ(b.str(0, 2), "-2.5e-07");
  EXPECT_EQ(b.str(0, 3), "NaN");
  EXPECT_EQ(b.str(0, 4), "1e+300");
  EXPECT_EQ(b.str(0, 5), "9223372036854775807");
}

TEST(NumericText, BooleanColumnHoldingTwoIsReadAsAnInteger) {
  Conn c = connect();
  c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, b BOOLEAN)");
  c.exec("INSERT INTO t(b) VALUES (1), (0), (2)");
  auto batches = c.query("SELECT b FROM t ORDER BY id");
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].type(0), RETORT_TYPE_BOOL);
  EXPECT_EQ(batches[0].rows(), 2);
  EXPECT_EQ(batches[1].type(0), RETORT_TYPE_INT64);
  EXPECT_EQ(batches[1].i64(0, 0), 2);
}

TEST(NumericText, IntegerTooLargeForADoubleEndsARealBatchInsteadOfRounding) {
  Conn c = connect();
  c.exec("CREATE TABLE t(r REAL)");
  c.exec("INSERT INTO t VALUES (1.5)");
  // A compound SELECT reports the declared type of its first arm for every row.
  auto batches = c.query("SELECT r FROM t UNION ALL SELECT 5 UNION ALL SELECT 9007199254740993");
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].type(0), RETORT_TYPE_DOUBLE);
  ASSERT_EQ(batches[0].rows(), 2);
  EXPECT_EQ(batches[0].f64(0, 1), 5.0);
  EXPECT_EQ(batches[1].type(0), RETORT_TYPE_INT64);
  EXPECT_EQ(batches[1].i64(0, 0), 9007199254740993);
}

TEST(UuidText, DashedHexAndSixteenByteBlobsRead) {
  Conn c = connect();
  c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, u UUID)");
  c.exec(
      "INSERT INTO t(u) VALUES ('0123ABCD-4567-89ab-cdef-0123456789AB'), "
      "(x'0123abcd456789abcdef0123456789ab'), ('0123abcd456789abcdef0123456789ab')");
  const Batch b = single_batch(c, "SELECT u FROM t ORDER BY id");
  ASSERT_EQ(b.type(0), RETORT_TYPE_UUID);
  const std::array<uint8_t, 16> expected{0x01, 0x23, 0xab, 0xcd, 0x45, 0x67, 0x89, 0xab,
                                         0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab};
  for (int64_t r = 0; r < 3; ++r) EXPECT_EQ(b.uuid(0, r), expected) << r;
}

TEST(JsonText, NumbersStoredByNumericAffinityReadBackAsJson) {
  Conn c = connect();
  c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, j JSON)");
  ParamBatch params(3);
  params.strings(RETORT_TYPE_JSON, {"42", "1.25", "\"text\""});
  c.exec("INSERT INTO t(j) VALUES (?)", &params);
  const Batch b = single_batch(c, "SELECT j, typeof(j) FROM t ORDER BY id");
  ASSERT_EQ(b.type(0), RETORT_TYPE_JSON);
  EXPECT_EQ(b.str(0, 0), "42");
  EXPECT_EQ(b.str(1, 0), "integer");
  EXPECT_EQ(b.str(0, 1), "1.25");
  EXPECT_EQ(b.str(0, 2), "\"text\"");
}

}  // namespace
}  // namespace retort::sqlite::test
