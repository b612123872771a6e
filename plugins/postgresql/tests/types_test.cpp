// plugins/postgresql/tests/types_test.cpp — every type round-trips exactly, with edge values,
// in both transfer formats (binary, and text when a result has a column without a binary
// decoder).
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace retort::postgresql::test {
namespace {

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;

// Days since 1970-01-01 (proleptic Gregorian, astronomical years: 1 BC is year 0).
int64_t days(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

int64_t micros(int64_t h, int64_t m, int64_t s, int64_t us = 0) {
  return ((h * 60 + m) * 60 + s) * 1000000 + us;
}

class PgTypes : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!server_url()) {
      GTEST_SKIP() << "no PostgreSQL server: set RETORT_TEST_POSTGRESQL_URL (e.g. run "
                      "eval \"$(scripts/pg-server.sh start)\")";
    }
    c_ = connect_server();
  }

  // Stores the batch's rows in a fresh temporary column of `sql_type` (several rows go
  // through one pipeline), then reads them back twice — binary transfer, and text transfer
  // (forced by an int[] column) — and calls `check(batch, row)` on both, expecting `type`.
  void round_trip(const std::string& sql_type, ParamBatch& params, int64_t rows,
                  retort_value_type type, const std::function<void(const Batch&, int64_t)>& check) {
    c_.exec("DROP TABLE IF EXISTS pg_temp.v");
    c_.exec("CREATE TEMP TABLE v (id serial PRIMARY KEY, x " + sql_type + ")");
    const retort_exec_info info = c_.exec("INSERT INTO v (x) VALUES ($1)", &params);
    ASSERT_EQ(info.rows_affected, rows);
    for (const char* sql : {"SELECT x FROM v ORDER BY id",
                            "SELECT x, '{1}'::int[] AS force_text FROM v ORDER BY id"}) {
      SCOPED_TRACE(sql);
      auto batches = c_.query(sql);
      ASSERT_EQ(batches.size(), 1u);
      ASSERT_EQ(batches[0].rows(), rows);
      ASSERT_EQ(batches[0].type(0), static_cast<uint32_t>(type));
      for (int64_t r = 0; r < rows; ++r) {
        SCOPED_TRACE("row " + std::to_string(r));
        check(batches[0], r);
      }
    }
  }

  // The value type and first batch of `SELECT <expr>` (binary and text transfer).
  std::vector<Batch> select_both(const std::string& expr) {
    std::vector<Batch> out;
    for (const std::string& sql : {"SELECT " + expr, "SELECT " + expr + ", '{1}'::int[]"}) {
      auto b = c_.query(sql);
      EXPECT_EQ(b.size(), 1u) << expr;
      if (!b.empty()) out.push_back(std::move(b[0]));
    }
    return out;
  }

  Conn c_;
};

TEST_F(PgTypes, BigintsIncludingExtremesAndNull) {
  const std::vector<std::optional<int64_t>> values{0, -1, 1, std::numeric_limits<int64_t>::min(),
                                                   std::numeric_limits<int64_t>::max(), std::nullopt};
  ParamBatch p(6);
  p.int64s(values);
  round_trip("bigint", p, 6, RETORT_TYPE_INT64, [&](const Batch& b, int64_t r) {
    if (!values[r]) {
    EXPECT_TRUE(b.is_null(0, r));
    return;
  }
    EXPECT_FALSE(b.is_null(0, r));
    EXPECT_EQ(b.i64(0, r), *values[r]);
  });
}

TEST_F(PgTypes, SmallIntegerTypesAndOidReadAsInt64) {
  for (Batch& b : select_both("(-32768)::int2, 2147483647::int4, (-2147483648)::int4, "
                              "4294967295::oid")) {
    for (int c = 0; c < 4; ++c) EXPECT_EQ(b.type(c), static_cast<uint32_t>(RETORT_TYPE_INT64));
    EXPECT_EQ(b.i64(0, 0), -32768);
    EXPECT_EQ(b.i64(1, 0), 2147483647);
    EXPECT_EQ(b.i64(2, 0), -2147483648LL);
    EXPECT_EQ(b.i64(3, 0), 4294967295LL);
  }
}

TEST_F(PgTypes, DoublesIncludingNanInfinitiesAndNegativeZero) {
  const std::vector<std::optional<double>> values{
      0.0, -0.0, 0.1, 1.0 / 3.0, 1e308, 5e-324, -123456.789,
      std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
      -std::numeric_limits<double>::infinity(), std::nullopt};
  ParamBatch p(static_cast<int64_t>(values.size()));
  p.doubles(values);
  round_trip("double precision", p, static_cast<int64_t>(values.size()), RETORT_TYPE_DOUBLE,
             [&](const Batch& b, int64_t r) {
               if (!values[r]) {
    EXPECT_TRUE(b.is_null(0, r));
    return;
  }
               const double got = b.f64(0, r);
               if (std::isnan(*values[r])) {
    EXPECT_TRUE(std::isnan(got));
    return;
  }
               EXPECT_EQ(got, *values[r]);
               EXPECT_EQ(std::signbit(got), std::signbit(*values[r]));
             });
}

TEST_F(PgTypes, RealWidensToTheSameDoubleInBothFormats) {
  for (Batch& b : select_both("0.1::real, 'NaN'::real, '-Infinity'::real")) {
    EXPECT_EQ(b.type(0), static_cast<uint32_t>(RETORT_TYPE_DOUBLE));
    EXPECT_EQ(b.f64(0, 0), static_cast<double>(0.1f));
    EXPECT_TRUE(std::isnan(b.f64(1, 0)));
    EXPECT_EQ(b.f64(2, 0), -std::numeric_limits<double>::infinity());
  }
}

TEST_F(PgTypes, NumericsAreExactTextIncludingNanAndInfinities) {
  const std::vector<std::optional<std::string>> values{
      "123456789012345678901234567890.123456789012345678901234567890",
      "0", "-1.5", "0.00000000000000000001", "-0.000001", "100000000", "12.3400", "NaN",
      "Infinity", "-Infinity", "99999999999999999999999999999999999999", std::nullopt};
  ParamBatch p(static_cast<int64_t>(values.size()));
  p.strings(RETORT_TYPE_DECIMAL, values);
  round_trip("numeric", p, static_cast<int64_t>(values.size()), RETORT_TYPE_DECIMAL,
             [&](const Batch& b, int64_t r) {
               if (!values[r]) {
    EXPECT_TRUE(b.is_null(0, r));
    return;
  }
               EXPECT_EQ(b.str(0, r), *values[r]);
             });
}

TEST_F(PgTypes, NumericWithTypmodKeepsItsScale) {
  for (Batch& b : select_both("12.3::numeric(10,4), (-0.5)::numeric(3,2), 1e-3::numeric(20,6)")) {
    EXPECT_EQ(b.str(0, 0), "12.3000");
    EXPECT_EQ(b.str(1, 0), "-0.50");
    EXPECT_EQ(b.str(2, 0), "0.001000");
  }
}

TEST_F(PgTypes, TextEmptyUnicodeLongAndNull) {
  const std::vector<std::optional<std::string>> values{
      "", "plain", "ünïcödé ✓ 日本語 🎉", "quote ' and \" and \\", "line\nbreak\ttab",
      std::string(100000, 'x'), std::nullopt};
  ParamBatch p(static_cast<int64_t>(values.size()));
  p.strings(RETORT_TYPE_TEXT, values);
  for (const char* type : {"text", "varchar(100000)"}) {
    SCOPED_TRACE(type);
    round_trip(type, p, static_cast<int64_t>(values.size()), RETORT_TYPE_TEXT,
               [&](const Batch& b, int64_t r) {
                 if (!values[r]) {
    EXPECT_TRUE(b.is_null(0, r));
    return;
  }
                 EXPECT_FALSE(b.is_null(0, r));
                 EXPECT_EQ(b.str(0, r), *values[r]);
               });
  }
}

TEST_F(PgTypes, CharAndNameReadAsText) {
  for (Batch& b : select_both("'ab'::char(4), 'pg'::name, 'x'::\"char\", 'lit'")) {
    for (int c = 0; c < 4; ++c) EXPECT_EQ(b.type(c), static_cast<uint32_t>(RETORT_TYPE_TEXT));
    EXPECT_EQ(b.str(0, 0), "ab  ");
    EXPECT_EQ(b.str(1, 0), "pg");
    EXPECT_EQ(b.str(2, 0), "x");
    EXPECT_EQ(b.str(3, 0), "lit");
  }
}

TEST_F(PgTypes, ByteaWithNulBytesEveryByteValueAndEmpty) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  const std::vector<std::optional<std::string>> values{std::string("\0\xff\x10\0\x7f", 5), "", all,
                                                       std::nullopt};
  ParamBatch p(4);
  p.strings(RETORT_TYPE_BYTES, values);
  round_trip("bytea", p, 4, RETORT_TYPE_BYTES, [&](const Batch& b, int64_t r) {
    if (!values[r]) {
    EXPECT_TRUE(b.is_null(0, r));
    return;
  }
    EXPECT_FALSE(b.is_null(0, r));
    EXPECT_EQ(b.str(0, r), *values[r]);
  });
}

TEST_F(PgTypes, ByteaInEscapeOutputFormatDecodes) {
  c_.exec("SET bytea_output = 'escape'");
  for (Batch& b : select_both("'\\x00ff5c41'::bytea")) {
    EXPECT_EQ(b.str(0, 0), std::string("\0\xff\\A", 4));
  }
}

TEST_F(PgTypes, Booleans) {
  ParamBatch p(3);
  p.bools({1, 0, std::nullopt});
  round_trip("boolean", p, 3, RETORT_TYPE_BOOL, [&](const Batch& b, int64_t r) {
    if (r == 2) {
    EXPECT_TRUE(b.is_null(0, r));
    return;
  }
    EXPECT_EQ(b.fixed<uint8_t>(0, r), r == 0 ? 1 : 0);
  });
}

TEST_F(PgTypes, DatesAcrossEpochsErasAndInfinities) {
  const std::vector<std::optional<int32_t>> values{
      static_cast<int32_t>(days(2024, 2, 29)), static_cast<int32_t>(days(1969, 12, 31)),
      static_cast<int32_t>(days(1, 1, 1)),     static_cast<int32_t>(days(9999, 12, 31)),
      0,                                        static_cast<int32_t>(days(-43, 3, 15)),  // 44 BC
      static_cast<int32_t>(days(2000, 1, 1)),  INT32_MAX,  // infinity
      INT32_MIN,                                std::nullopt};
  ParamBatch p(static_cast<int64_t>(values.size()));
  p.dates(values);
  round_trip("date", p, static_cast<int64_t>(values.size()), RETORT_TYPE_DATE,
             [&](const Batch& b, int64_t r) {
               if (!values[r]) {
    EXPECT_TRUE(b.is_null(0, r));
    return;
  }
               EXPECT_EQ(b.fixed<int32_t>(0, r), *values[r]);
             });
  EXPECT_EQ(c_.text("SELECT x::text FROM v WHERE id = 6"), "0044-03-15 BC");
  EXPECT_EQ(c_.text("SELECT x::text FROM v WHERE id = 8"), "infinity");
  EXPECT_EQ(c_.text("SELECT x::text FROM v WHERE id = 9"), "-infinity");
}

TEST_F(PgTypes, TimesWithMicroseconds) {
  const std::vector<std::optional<int64_t>> values{0, micros(23, 59, 59, 999999),
                                                   micros(12, 0, 0, 250000), micros(24, 0, 0),
                                                   std::nullopt};
  ParamBatch p(5);
  p.micros(RETORT_TYPE_TIME, values);
  round_trip("time", p, 5, RETORT_TYPE_TIME, [&](const Batch& b, int64_t r) {
    if (!values[r]) {
    EXPECT_TRUE(b.is_null(0, r));
    return;
  }
    EXPECT_EQ(b.i64(0, r), *values[r]);
  });
}

TEST_F(PgTypes, TimestampsWithMicrosecondsErasAndInfinities) {
  const std::vector<std::optional<int64_t>> values{
      days(2024, 3, 10) * kMicrosPerDay + micros(2, 0, 0, 123456),
      -1,  // 1969-12-31 23:59:59.999999
      days(1, 1, 1) * kMicrosPerDay,
      days(9999, 12, 31) * kMicrosPerDay + micros(23, 59, 59, 999999),
      days(-43, 3, 15) * kMicrosPerDay + micros(12, 0, 0, 1),
      INT64_MAX,
      INT64_MIN,
      std::nullopt};
  ParamBatch p(static_cast<int64_t>(values.size()));
  p.micros(RETORT_TYPE_TIMESTAMP, values);
  round_trip("timestamp", p, static_cast<int64_t>(values.size()), RETORT_TYPE_TIMESTAMP,
             [&](const Batch& b, int64_t r) {
               if (!values[r]) {
    EXPECT_TRUE(b.is_null(0, r));
    return;
  }
               EXPECT_EQ(b.i64(0, r), *values[r]);
             });
  EXPECT_EQ(c_.text("SELECT x::text FROM v WHERE id = 1"), "2024-03-10 02:00:00.123456");
  EXPECT_EQ(c_.text("SELECT x::text FROM v WHERE id = 5"), "0044-03-15 12:00:00.000001 BC");
}

TEST_F(PgTypes, TimestamptzIsAnInstantWhateverTheSessionTimeZone) {
  const std::vector<std::optional<int64_t>> values{
      days(2024, 3, 10) * kMicrosPerDay + micros(2, 0, 0, 123456),
      days(1900, 1, 1) * kMicrosPerDay,  // Kathmandu's LMT offset then: +05:41:16
      -1, INT64_MAX, INT64_MIN, std::nullopt};
  ParamBatch p(static_cast<int64_t>(values.size()));
  p.micros(RETORT_TYPE_TIMESTAMPTZ, values);
  for (const char* zone : {"UTC", "Asia/Kathmandu", "America/St_Johns"}) {
    SCOPED_TRACE(zone);
    c_.exec(std::string("SET TimeZone = '") + zone + "'");
    round_trip("timestamptz", p, static_cast<int64_t>(values.size()), RETORT_TYPE_TIMESTAMPTZ,
               [&](const Batch& b, int64_t r) {
                 if (!values[r]) {
    EXPECT_TRUE(b.is_null(0, r));
    return;
  }
                 EXPECT_EQ(b.i64(0, r), *values[r]);
               });
  }
  EXPECT_EQ(c_.text("SELECT x::text FROM v WHERE id = 1"), "2024-03-09 22:30:00.123456-03:30");
  c_.exec("SET TimeZone = 'Asia/Kathmandu'");
  EXPECT_EQ(c_.text("SELECT x::text FROM v WHERE id = 2"), "1900-01-01 05:41:16+05:41:16");
}

TEST_F(PgTypes, TimestampWrittenInOneZoneReadsAsTheSameWallClock) {
  c_.exec("SET TimeZone = 'Europe/Berlin'");
  for (Batch& b : select_both("'2024-07-01 12:00:00'::timestamp, "
                              "'2024-07-01 12:00:00+02'::timestamptz")) {
    EXPECT_EQ(b.type(0), static_cast<uint32_t>(RETORT_TYPE_TIMESTAMP));
    EXPECT_EQ(b.type(1), static_cast<uint32_t>(RETORT_TYPE_TIMESTAMPTZ));
    EXPECT_EQ(b.i64(0, 0), days(2024, 7, 1) * kMicrosPerDay + micros(12, 0, 0));
    EXPECT_EQ(b.i64(1, 0), days(2024, 7, 1) * kMicrosPerDay + micros(10, 0, 0));
  }
}

TEST_F(PgTypes, IntervalsKeepMonthsDaysAndMicrosecondsApart) {
  const std::vector<std::optional<retort_interval>> values{
      retort_interval{14, -3, micros(4, 5, 6, 7)},
      retort_interval{0, 0, 0},
      retort_interval{-1, 0, -1},
      retort_interval{0, 1, micros(-25, 0, 0)},
      retort_interval{120000, 100000, int64_t{1000000} * 3600 * 24 * 365 * 100},
      std::nullopt};
  ParamBatch p(static_cast<int64_t>(values.size()));
  p.intervals(values);
  round_trip("interval", p, static_cast<int64_t>(values.size()), RETORT_TYPE_INTERVAL,
             [&](const Batch& b, int64_t r) {
               if (!values[r]) {
    EXPECT_TRUE(b.is_null(0, r));
    return;
  }
               const auto v = b.fixed<retort_interval>(0, r);
               EXPECT_EQ(v.months, values[r]->months);
               EXPECT_EQ(v.days, values[r]->days);
               EXPECT_EQ(v.microseconds, values[r]->microseconds);
             });
  EXPECT_EQ(c_.text("SELECT x::text FROM v WHERE id = 1"), "1 year 2 mons -3 days +04:05:06.000007");
}

TEST_F(PgTypes, Uuids) {
  std::array<uint8_t, 16> a{}, ff{};
  for (int i = 0; i < 16; ++i) a[i] = static_cast<uint8_t>(i * 17);
  ff.fill(0xff);
  const std::vector<std::optional<std::array<uint8_t, 16>>> values{a, ff, std::nullopt};
  ParamBatch p(3);
  p.uuids(values);
  round_trip("uuid", p, 3, RETORT_TYPE_UUID, [&](const Batch& b, int64_t r) {
    if (!values[r]) {
    EXPECT_TRUE(b.is_null(0, r));
    return;
  }
    EXPECT_EQ((b.fixed<std::array<uint8_t, 16>>(0, r)), *values[r]);
  });
  EXPECT_EQ(c_.text("SELECT x::text FROM v WHERE id = 1"), "00112233-4455-6677-8899-aabbccddeeff");
}

TEST_F(PgTypes, JsonKeepsItsTextAndJsonbIsNormalised) {
  const std::string doc = R"({"b": [1, 2.50, "x"],   "a": null, "u": "ü"})";
  ParamBatch p(2);
  p.strings(RETORT_TYPE_JSON, {doc, std::nullopt});
  round_trip("json", p, 2, RETORT_TYPE_JSON, [&](const Batch& b, int64_t r) {
    if (r == 1) {
    EXPECT_TRUE(b.is_null(0, r));
    return;
  }
    EXPECT_EQ(b.str(0, r), doc);
  });
  round_trip("jsonb", p, 2, RETORT_TYPE_JSON, [&](const Batch& b, int64_t r) {
    if (r == 1) {
    EXPECT_TRUE(b.is_null(0, r));
    return;
  }
    EXPECT_EQ(b.str(0, r), R"({"a": null, "b": [1, 2.50, "x"], "u": "ü"})");
  });
}

TEST_F(PgTypes, TypesWithoutADecoderArriveAsTheirText) {
  c_.exec("DROP TYPE IF EXISTS pg_temp.mood");
  c_.exec("CREATE TYPE pg_temp.mood AS ENUM ('sad', 'happy')");
  auto batches = c_.query(
      "SELECT '192.168.0.1/24'::inet, '10.0.0.0/8'::cidr, 'happy'::pg_temp.mood, "
      "ARRAY[1, NULL, 3], ARRAY['a b', 'c'], '12:34:56.789+05:30'::timetz, 42::int8");
  ASSERT_EQ(batches.size(), 1u);
  const Batch& b = batches[0];
  for (int c = 0; c < 6; ++c) EXPECT_EQ(b.type(c), static_cast<uint32_t>(RETORT_TYPE_TEXT)) << c;
  EXPECT_EQ(b.str(0, 0), "192.168.0.1/24");
  EXPECT_EQ(b.str(1, 0), "10.0.0.0/8");
  EXPECT_EQ(b.str(2, 0), "happy");
  EXPECT_EQ(b.str(3, 0), "{1,NULL,3}");
  EXPECT_EQ(b.str(4, 0), "{\"a b\",c}");
  EXPECT_EQ(b.str(5, 0), "12:34:56.789+05:30");
  EXPECT_EQ(b.i64(6, 0), 42);
}

TEST_F(PgTypes, TimetzInBinaryTransferMatchesItsText) {
  for (const char* v : {"12:34:56.789+05:30", "00:00:00+00", "23:59:59.999999-12",
                        "04:05:06-08:00:30", "10:00:00.5+14"}) {
    const std::string expected = c_.text(std::string("SELECT '") + v + "'::timetz::text");
    for (Batch& b : select_both(std::string("'") + v + "'::timetz")) {
      EXPECT_EQ(b.type(0), static_cast<uint32_t>(RETORT_TYPE_TEXT));
      EXPECT_EQ(b.str(0, 0), expected);
    }
  }
}

TEST_F(PgTypes, EveryParameterTypeComesBackThroughSelect) {
  ParamBatch p(1);
  p.int64s({7}).doubles({2.5}).bools({1}).strings(RETORT_TYPE_TEXT, {"t"})
      .strings(RETORT_TYPE_BYTES, {std::string("\0b", 2)})
      .strings(RETORT_TYPE_DECIMAL, {"1.10"})
      .dates({10})
      .micros(RETORT_TYPE_TIME, {5})
      .micros(RETORT_TYPE_TIMESTAMP, {6})
      .micros(RETORT_TYPE_TIMESTAMPTZ, {7})
      .intervals({retort_interval{1, 2, 3}})
      .uuids({std::array<uint8_t, 16>{1}})
      .strings(RETORT_TYPE_JSON, {"[1]"})
      .nulls();
  auto batches = c_.query("SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14", &p);
  ASSERT_EQ(batches.size(), 1u);
  const Batch& b = batches[0];
  const retort_value_type expected[] = {
      RETORT_TYPE_INT64, RETORT_TYPE_DOUBLE,    RETORT_TYPE_BOOL,        RETORT_TYPE_TEXT,
      RETORT_TYPE_BYTES, RETORT_TYPE_DECIMAL,   RETORT_TYPE_DATE,        RETORT_TYPE_TIME,
      RETORT_TYPE_TIMESTAMP, RETORT_TYPE_TIMESTAMPTZ, RETORT_TYPE_INTERVAL, RETORT_TYPE_UUID,
      RETORT_TYPE_JSON, RETORT_TYPE_TEXT};
  for (int c = 0; c < 14; ++c) EXPECT_EQ(b.type(c), static_cast<uint32_t>(expected[c])) << c;
  EXPECT_EQ(b.i64(0, 0), 7);
  EXPECT_EQ(b.f64(1, 0), 2.5);
  EXPECT_EQ(b.str(3, 0), "t");
  EXPECT_EQ(b.str(4, 0), std::string("\0b", 2));
  EXPECT_EQ(b.str(5, 0), "1.10");
  EXPECT_EQ(b.fixed<int32_t>(6, 0), 10);
  EXPECT_EQ(b.i64(7, 0), 5);
  EXPECT_EQ(b.i64(8, 0), 6);
  EXPECT_EQ(b.i64(9, 0), 7);
  EXPECT_EQ(b.fixed<retort_interval>(10, 0).days, 2);
  EXPECT_EQ(b.str(12, 0), "[1]");
  EXPECT_TRUE(b.is_null(13, 0));
}

TEST_F(PgTypes, TextParametersTakeTheTypeTheContextNeeds) {
  ScratchTable t("ctx", "id integer PRIMARY KEY, name varchar(20), born date, score numeric");
  ParamBatch p(1);
  p.strings(RETORT_TYPE_TEXT, {"42"}).strings(RETORT_TYPE_TEXT, {"ada"})
      .strings(RETORT_TYPE_TEXT, {"1815-12-10"}).strings(RETORT_TYPE_TEXT, {"3.25"});
  c_.exec("INSERT INTO " + t.name() + " (id, name, born, score) VALUES ($1, $2, $3, $4)", &p);
  ParamBatch where(1);
  where.strings(RETORT_TYPE_TEXT, {"ada"});
  EXPECT_EQ(c_.scalar("SELECT id::int8 FROM " + t.name() + " WHERE name = $1", &where), 42);
  ParamBatch jsonb(1);
  jsonb.strings(RETORT_TYPE_JSON, {R"({"k": 1})"});
  EXPECT_EQ(c_.text("SELECT ($1::jsonb ->> 'k')", &jsonb), "1");
}

TEST_F(PgTypes, TextWithANulByteIsInvalidDataAndNothingIsSent) {
  ParamBatch p(1);
  p.strings(RETORT_TYPE_TEXT, {std::string("a\0b", 3)});
  ErrorBox error;
  EXPECT_EQ(c_.try_exec("SELECT $1", &p, error), RETORT_INVALID_DATA);
  EXPECT_EQ(error.sqlstate(), "22021");
  EXPECT_NE(error.message().find("$1"), std::string::npos) << error.message();
  EXPECT_EQ(c_.scalar("SELECT 1::int8"), 1);
}

TEST_F(PgTypes, DescribeReportsValueAndDeclaredTypes) {
  Stmt s = c_.prepare("SELECT 1::int4 AS a, 'x'::varchar(20) AS b, 1.5::numeric(10,2) AS c, "
                      "now() AS d, '{}'::int[] AS e");
  retort_exec_info info{};
  ErrorBox error;
  ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK) << error.message();
  ASSERT_EQ(info.column_count, 5);
  const struct {
    const char* name;
    retort_value_type type;
    const char* declared;
  } expected[] = {{"a", RETORT_TYPE_INT64, "integer"},
                  {"b", RETORT_TYPE_TEXT, "character varying(20)"},
                  {"c", RETORT_TYPE_DECIMAL, "numeric(10,2)"},
                  {"d", RETORT_TYPE_TIMESTAMPTZ, "timestamp with time zone"},
                  {"e", RETORT_TYPE_TEXT, nullptr}};
  for (int i = 0; i < 5; ++i) {
    retort_column_desc d{};
    ASSERT_EQ(s.describe(i, d, error), RETORT_OK);
    EXPECT_EQ(std::string(d.name, d.name_length), expected[i].name);
    EXPECT_EQ(d.type, static_cast<uint32_t>(expected[i].type)) << i;
    if (expected[i].declared == nullptr) {
      EXPECT_EQ(d.declared_type, nullptr);
    } else {
      EXPECT_STREQ(d.declared_type, expected[i].declared);
    }
  }
  retort_column_desc d{};
  EXPECT_EQ(s.describe(5, d, error), RETORT_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace retort::postgresql::test
