// sdk/conformance/types_test.cpp — every value type round-trips unchanged.
#include <retort/conformance/backend.hpp>

#include <gmock/gmock.h>

#include <cmath>
#include <limits>

namespace retort::conformance {

using namespace std::chrono;

namespace {

// Stores `v` in rt_types.v and reads it back as T.
template <typename T>
T round_trip(Connection& conn, const Value& v) {
  conn.execute(text("DELETE FROM rt_types"));
  conn.execute(text("INSERT INTO rt_types (id, v) VALUES (1, :v)"), {{"v", v}});
  return conn.execute(text("SELECT v FROM rt_types WHERE id = 1")).scalar_one<T>();
}

}  // namespace

#define RT_TYPE_TABLE(type) create_table("rt_types", "id " + backend().type_int + " PRIMARY KEY, v " + (type))

TEST_P(TypesTest, IntegersRoundTripIncludingExtremes) {
  RT_TYPE_TABLE(backend().type_bigint);
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(round_trip<int64_t>(*conn, v), v);
  }
}

TEST_P(TypesTest, DoublesRoundTripExactly) {
  if (!backend().exact_doubles) {
    GTEST_SKIP() << "requires: exact_doubles (the " << backend().name
                 << " driver converts doubles through text of fewer than 17 digits)";
  }
  RT_TYPE_TABLE(backend().type_double);
  for (double v : {0.0, -0.5, 1e308, 5e-324, 0.1, 1.0 / 3.0, -123456.789}) {
    EXPECT_EQ(round_trip<double>(*conn, v), v);
  }
}

TEST_P(TypesTest, TextRoundTripsUnicodeAndKeepsEmptyDistinctFromNull) {
  RT_TYPE_TABLE(backend().type_text);
  for (const char* v : {"", "plain", "ünïcödé ✓ 日本語 🎉", "quote ' and \" and \\", "line\nbreak"}) {
    EXPECT_EQ(round_trip<std::string>(*conn, v), v);
  }
  EXPECT_EQ(round_trip<std::optional<std::string>>(*conn, Value()), std::nullopt);
  EXPECT_EQ(round_trip<std::optional<std::string>>(*conn, ""), "");
}

TEST_P(TypesTest, BytesRoundTripWithNulBytes) {
  RT_TYPE_TABLE(backend().type_bytes);
  const Bytes v{0x00, 0xff, 0x10, 0x00, 0x7f};
  EXPECT_EQ(round_trip<Bytes>(*conn, v), v);
  EXPECT_EQ(round_trip<Bytes>(*conn, Bytes{}), Bytes{});
}

TEST_P(TypesTest, BooleansRoundTrip) {
  RT_TYPE_TABLE(backend().type_bool);
  EXPECT_TRUE(round_trip<bool>(*conn, true));
  EXPECT_FALSE(round_trip<bool>(*conn, false));
}

TEST_P(TypesTest, DatesRoundTripAcrossTheEpochAndLeapDays) {
  RT_TYPE_TABLE(backend().type_date);
  for (auto d : {Date(year(2024) / 2 / 29), Date(year(1969) / 12 / 31), Date(year(1) / 1 / 1),
                 Date(year(9999) / 12 / 31), Date(year(1970) / 1 / 1)}) {
    EXPECT_EQ(round_trip<Date>(*conn, d), d);
  }
}

TEST_P(TypesTest, TimesRoundTripWithMicroseconds) {
  RT_TYPE_TABLE(backend().type_time);
  for (auto t : {Time{0us}, Time{hours(23) + minutes(59) + seconds(59) + 999999us},
                 Time{hours(12) + 250000us}}) {
    EXPECT_EQ(round_trip<Time>(*conn, t), t);
  }
}

TEST_P(TypesTest, TimestampsRoundTripBeforeAndAfterTheEpoch) {
  RT_TYPE_TABLE(backend().type_timestamp);
  const DateTime base = local_days(year(2024) / 3 / 10) + microseconds(0);
  for (auto t : {base + hours(2) + 123456us, local_days(year(1969) / 12 / 31) + hours(23) + 1us + microseconds(0),
                 local_days(year(1900) / 1 / 1) + microseconds(0),
                 local_days(year(2999) / 12 / 31) + hours(23) + minutes(59) + seconds(59) + microseconds(0)}) {
    EXPECT_EQ(round_trip<DateTime>(*conn, t), t);
  }
}

TEST_P(TypesTest, DecimalsRoundTripExactlyAsText) {
  RT_TYPE_TABLE("TEXT");  // exact storage everywhere; NUMERIC columns are the type issue's job
  for (const char* v : {"0", "-1.5", "12345678901234567890.123456"}) {
    EXPECT_EQ(round_trip<std::string>(*conn, Decimal{v}), v);
  }
}

TEST_P(TypesTest, NullsReadAsNulloptForEveryType) {
  create_table("rt_nulls", "i " + backend().type_bigint + ", d " + backend().type_double + ", t " +
                               backend().type_text + ", b " + backend().type_bool + ", dt " +
                               backend().type_timestamp);
  conn->execute(text("INSERT INTO rt_nulls (i, d, t, b, dt) VALUES (:i, :d, :t, :b, :dt)"),
                {{"i", nullptr}, {"d", nullptr}, {"t", nullptr}, {"b", nullptr}, {"dt", nullptr}});
  auto row = conn->execute(text("SELECT i, d, t, b, dt FROM rt_nulls")).one();
  EXPECT_EQ(row.get<std::optional<int64_t>>("i"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<double>>("d"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<std::string>>("t"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<bool>>("b"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<DateTime>>("dt"), std::nullopt);
  EXPECT_TRUE(row["i"].is_null());
}

TEST_P(TypesTest, NarrowIntegersAreRangeChecked) {
  RT_TYPE_TABLE(backend().type_bigint);
  EXPECT_EQ(round_trip<int8_t>(*conn, 127), 127);
  try {
    round_trip<int8_t>(*conn, 300);
    FAIL() << "expected TypeConversionError";
  } catch (const TypeConversionError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("does not fit in int8_t"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("'v'"));
  }
}

}  // namespace retort::conformance
