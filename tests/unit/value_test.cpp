// tests/unit/value_test.cpp — Value::repr, Params, Uuid, ISO formatting of dates and times.
#include <retort/exceptions.hpp>
#include <retort/value.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <string>

namespace retort {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono;
using namespace std::chrono_literals;

Date ymd(int y, unsigned m, unsigned d) {
  return sys_days(year(y) / month(m) / day(d));
}

template <typename F>
std::string argument_error(F&& f) {
  try {
    f();
  } catch (const ArgumentError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no ArgumentError thrown";
  return {};
}

// ---------------------------------------------------------------------------------------------
// Value construction
// ---------------------------------------------------------------------------------------------

TEST(ValueConstruct, NullFromEveryNullSpelling) {
  EXPECT_TRUE(Value().is_null());
  EXPECT_TRUE(Value(null_value).is_null());
  EXPECT_TRUE(Value(std::nullopt).is_null());
  EXPECT_TRUE(Value(nullptr).is_null());
  EXPECT_TRUE(Value(std::optional<int>()).is_null());
}

TEST(ValueConstruct, IntegersWidenToInt64) {
  EXPECT_EQ(Value(std::int8_t{-5}).as<std::int64_t>(), -5);
  EXPECT_EQ(Value(std::uint32_t{4000000000u}).as<std::int64_t>(), 4000000000);
  EXPECT_EQ(Value(std::uint64_t{INT64_MAX}).as<std::int64_t>(), INT64_MAX);
  EXPECT_EQ(Value(std::optional<short>(7)).as<std::int64_t>(), 7);
}

TEST(ValueConstruct, UnsignedAboveInt64MaxThrowsArgumentError) {
  const std::string m = argument_error([] { Value(std::uint64_t{INT64_MAX} + 1); });
  EXPECT_EQ(m,
            "unsigned parameter value out of range for a 64-bit signed integer (the maximum is "
            "9223372036854775807)");
}

TEST(ValueConstruct, ThrowIntegerOutOfRangeIsAnArgumentError) {
  EXPECT_THROW(throw_integer_out_of_range("x"), ArgumentError);
  EXPECT_THAT(argument_error([] { throw_integer_out_of_range("column 'n'"); }),
              HasSubstr("column 'n' out of range"));
}

TEST(ValueConstruct, BoolStaysBoolAndStringsStayStrings) {
  EXPECT_TRUE(Value(true).holds<bool>());
  EXPECT_TRUE(Value("x").holds<std::string>());
  EXPECT_TRUE(Value(std::string_view("x")).holds<std::string>());
  EXPECT_TRUE(Value(1.5f).holds<double>());
}

// ---------------------------------------------------------------------------------------------
// repr
// ---------------------------------------------------------------------------------------------

TEST(ValueRepr, NullBoolAndIntegers) {
  EXPECT_EQ(Value().repr(), "NULL");
  EXPECT_EQ(Value(true).repr(), "true");
  EXPECT_EQ(Value(false).repr(), "false");
  EXPECT_EQ(Value(42).repr(), "42");
  EXPECT_EQ(Value(INT64_MIN).repr(), "-9223372036854775808");
}

TEST(ValueRepr, DoublesUseShortestExactFormAndAlwaysLookFloatingPoint) {
  EXPECT_EQ(Value(1.0).repr(), "1.0");
  EXPECT_EQ(Value(-3.0).repr(), "-3.0");
  EXPECT_EQ(Value(0.1).repr(), "0.1");
  EXPECT_EQ(Value(2.5).repr(), "2.5");
  EXPECT_EQ(Value(1e300).repr(), "1e+300");
  EXPECT_EQ(Value(std::numeric_limits<double>::infinity()).repr(), "inf");
  EXPECT_EQ(Value(std::nan("")).repr(), "nan");
}

TEST(ValueRepr, StringsAreQuotedAndEscaped) {
  EXPECT_EQ(Value("hello").repr(), "'hello'");
  EXPECT_EQ(Value("").repr(), "''");
  EXPECT_EQ(Value("it's").repr(), R"('it\'s')");
  EXPECT_EQ(Value(R"(a\b)").repr(), R"('a\\b')");
  EXPECT_EQ(Value("l1\nl2\r\tx").repr(), R"('l1\nl2\r\tx')");
  EXPECT_EQ(Value(std::string("nul\0bel\a", 8)).repr(), R"('nul\x00bel\x07')");
  EXPECT_EQ(Value("grüße").repr(), "'grüße'");
}

TEST(ValueRepr, LongStringsShowBothEnds) {
  const std::string s = std::string(200, 'a') + std::string(200, 'b');
  const std::string r = Value(s).repr();
  EXPECT_EQ(r, "'" + std::string(150, 'a') + " ... (100 characters truncated) ... " +
                   std::string(150, 'b') + "'");
  EXPECT_EQ(Value(std::string(300, 'x')).repr(), "'" + std::string(300, 'x') + "'");
}

TEST(ValueRepr, LongStringIsNotCutInsideAUtf8Character) {
  std::string s;
  for (int i = 0; i < 200; ++i) s += "é";  // 2 bytes each
  const std::string r = Value(s).repr();
  EXPECT_THAT(r, HasSubstr(" ... (50 characters truncated) ... "));
  // Both visible ends consist of whole characters.
  EXPECT_EQ(r.substr(1, 150), [] {
    std::string e;
    for (int i = 0; i < 75; ++i) e += "é";
    return e;
  }());
}

TEST(ValueRepr, BytesAsHex) {
  EXPECT_EQ(Value(Bytes{}).repr(), "x''");
  EXPECT_EQ(Value(Bytes{0x00, 0x7f, 0xff, 0x0a}).repr(), "x'007fff0a'");
}

TEST(ValueRepr, BytesTruncatedAfter32) {
  Bytes b(100);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(Value(b).repr(),
            "x'000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f…' (100 bytes)");
  b.resize(32);
  EXPECT_EQ(Value(b).repr(), "x'000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'");
}

TEST(ValueRepr, DecimalAndJsonAreRaw) {
  EXPECT_EQ(Value(Decimal{"-12.3400"}).repr(), "-12.3400");
  EXPECT_EQ(Value(Json{R"({"a": [1, "x"]})"}).repr(), R"({"a": [1, "x"]})");
}

TEST(ValueRepr, DatesAndTimesAreIso) {
  EXPECT_EQ(Value(ymd(2024, 2, 29)).repr(), "2024-02-29");
  EXPECT_EQ(Value(year(2024) / 2 / 29).repr(), "2024-02-29");
  EXPECT_EQ(Value(Time{13h + 45min + 250ms}).repr(), "13:45:00.250000");
  EXPECT_EQ(
      Value(DateTime(local_days(year(2024) / 2 / 29).time_since_epoch() + 1h + 2min + 3s + 4us))
          .repr(),
      "2024-02-29 01:02:03.000004");
  EXPECT_EQ(Value(DateTimeTz(sys_days(year(2024) / 2 / 29)) + 1s).repr(),
            "2024-02-29 00:00:01.000000+00:00");
}

TEST(ValueRepr, IntervalUuidAreReadable) {
  EXPECT_EQ(Value(Interval{14, 3, 4h + 5min + 6s + 500ms}).repr(), "P1Y2M3DT4H5M6.5S");
  EXPECT_EQ(Value(Uuid::parse("123e4567-e89b-12d3-a456-426614174000")).repr(),
            "123e4567-e89b-12d3-a456-426614174000");
}

TEST(ValueRepr, StreamOperatorPrintsRepr) {
  std::ostringstream out;
  out << Value("x") << ' ' << Value(3) << ' ' << Value();
  EXPECT_EQ(out.str(), "'x' 3 NULL");
}

// ---------------------------------------------------------------------------------------------
// to_iso_string
// ---------------------------------------------------------------------------------------------

TEST(IsoDate, EpochAndLeapDay) {
  EXPECT_EQ(to_iso_string(Date{}), "1970-01-01");
  EXPECT_EQ(to_iso_string(ymd(2000, 2, 29)), "2000-02-29");
  EXPECT_EQ(to_iso_string(ymd(1969, 12, 31)), "1969-12-31");
}

TEST(IsoDate, MatchesChronoAcrossEightCenturies) {
  for (int d = -146097 * 2; d < 146097 * 2; d += 3) {
    const Date date{days(d)};
    const year_month_day c(date);
    const int y = static_cast<int>(c.year());
    char expected[32];
    std::snprintf(expected, sizeof expected, "%s%04d-%02u-%02u", y < 0 ? "-" : "", std::abs(y),
                  static_cast<unsigned>(c.month()), static_cast<unsigned>(c.day()));
    ASSERT_EQ(to_iso_string(date), expected) << d;
  }
}

TEST(IsoDate, SmallYearsArePaddedToFourDigits) {
  EXPECT_EQ(to_iso_string(ymd(999, 12, 31)), "0999-12-31");
  EXPECT_EQ(to_iso_string(ymd(1, 1, 1)), "0001-01-01");
  EXPECT_EQ(to_iso_string(ymd(0, 3, 1)), "0000-03-01");
}

TEST(IsoDate, NegativeYearsAreAstronomical) {
  EXPECT_EQ(to_iso_string(ymd(-1, 12, 31)), "-0001-12-31");
  EXPECT_EQ(to_iso_string(ymd(-44, 3, 15)), "-0044-03-15");
}

TEST(IsoDate, YearsAbove9999HaveMoreDigits) {
  EXPECT_EQ(to_iso_string(ymd(10000, 1, 1)), "10000-01-01");
  EXPECT_EQ(to_iso_string(ymd(32767, 12, 31)), "32767-12-31");
}

TEST(IsoDate, DayCountsBeyondChronoYearsStillFormat) {
  // year_month_day cannot represent this; the formatter must not wrap around.
  EXPECT_EQ(to_iso_string(Date{days(1'000'000'000)}), "2739877-01-03");
}

TEST(IsoTime, AlwaysSixFractionalDigits) {
  EXPECT_EQ(to_iso_string(Time{}), "00:00:00.000000");
  EXPECT_EQ(to_iso_string(Time{13h + 45min + 250ms}), "13:45:00.250000");
  EXPECT_EQ(to_iso_string(Time{23h + 59min + 59s + 999999us}), "23:59:59.999999");
}

TEST(IsoTime, DurationsBeyondADayOrNegative) {
  EXPECT_EQ(to_iso_string(Time{838h + 59min + 59s}), "838:59:59.000000");
  EXPECT_EQ(to_iso_string(Time{-(1h + 30min)}), "-01:30:00.000000");
  EXPECT_EQ(to_iso_string(Time{-1us}), "-00:00:00.000001");
}

TEST(IsoDateTime, FormatsDateAndTime) {
  const DateTime t(local_days(year(2024) / 3 / 10).time_since_epoch() + 2h + 3min + 4s + 5us);
  EXPECT_EQ(to_iso_string(t), "2024-03-10 02:03:04.000005");
  EXPECT_EQ(to_iso_string(DateTime{}), "1970-01-01 00:00:00.000000");
}

TEST(IsoDateTime, NegativeEpochValuesRoundTowardsThePast) {
  EXPECT_EQ(to_iso_string(DateTime(microseconds(-1))), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(to_iso_string(DateTime(-24h)), "1969-12-31 00:00:00.000000");
  EXPECT_EQ(to_iso_string(DateTime(-24h - 1us)), "1969-12-30 23:59:59.999999");
  const DateTime ancient(local_days(year(-1) / 12 / 31).time_since_epoch() + 23h + 30min);
  EXPECT_EQ(to_iso_string(ancient), "-0001-12-31 23:30:00.000000");
}

TEST(IsoDateTime, SmallAndLargeYears) {
  EXPECT_EQ(to_iso_string(DateTime(local_days(year(5) / 6 / 7).time_since_epoch())),
            "0005-06-07 00:00:00.000000");
  EXPECT_EQ(to_iso_string(DateTime(local_days(year(12345) / 6 / 7).time_since_epoch())),
            "12345-06-07 00:00:00.000000");
}

TEST(IsoDateTimeTz, UtcOffsetIsAppended) {
  EXPECT_EQ(to_iso_string(DateTimeTz{}), "1970-01-01 00:00:00.000000+00:00");
  EXPECT_EQ(to_iso_string(DateTimeTz(microseconds(-1))), "1969-12-31 23:59:59.999999+00:00");
  EXPECT_EQ(to_iso_string(DateTimeTz(sys_days(year(2038) / 1 / 19)) + 3h + 14min + 8s),
            "2038-01-19 03:14:08.000000+00:00");
}

TEST(IsoInterval, Iso8601LikePostgres) {
  EXPECT_EQ(to_iso_string(Interval{}), "PT0S");
  EXPECT_EQ(to_iso_string(Interval{14, 3, 4h + 5min + 6s + 7us}), "P1Y2M3DT4H5M6.000007S");
  EXPECT_EQ(to_iso_string(Interval{0, 0, 90s}), "PT1M30S");
  EXPECT_EQ(to_iso_string(Interval{12, 0, 0us}), "P1Y");
  EXPECT_EQ(to_iso_string(Interval{0, 1, 0us}), "P1D");
  EXPECT_EQ(to_iso_string(Interval{0, 0, 250ms}), "PT0.25S");
}

TEST(IsoInterval, EachFieldCarriesItsOwnSign) {
  EXPECT_EQ(to_iso_string(Interval{-13, 3, -(4h + 5min)}), "P-1Y-1M3DT-4H-5M");
  EXPECT_EQ(to_iso_string(Interval{0, -2, -500ms}), "P-2DT-0.5S");
}

// ---------------------------------------------------------------------------------------------
// Uuid
// ---------------------------------------------------------------------------------------------

TEST(UuidParse, CanonicalForm) {
  const Uuid u = Uuid::parse("123e4567-e89b-12d3-a456-426614174000");
  EXPECT_EQ(u.bytes[0], 0x12);
  EXPECT_EQ(u.bytes[1], 0x3e);
  EXPECT_EQ(u.bytes[15], 0x00);
  EXPECT_EQ(u.bytes[14], 0x40);
  EXPECT_EQ(u.to_string(), "123e4567-e89b-12d3-a456-426614174000");
}

TEST(UuidParse, HyphensOptionalUppercaseAndBracesAccepted) {
  const Uuid expected = Uuid::parse("123e4567-e89b-12d3-a456-426614174000");
  EXPECT_EQ(Uuid::parse("123e4567e89b12d3a456426614174000"), expected);
  EXPECT_EQ(Uuid::parse("123E4567-E89B-12D3-A456-426614174000"), expected);
  EXPECT_EQ(Uuid::parse("{123e4567-e89b-12d3-a456-426614174000}"), expected);
}

TEST(UuidParse, NilAndMax) {
  EXPECT_EQ(Uuid::parse("00000000-0000-0000-0000-000000000000"), Uuid{});
  EXPECT_EQ(Uuid::parse("ffffffff-ffff-ffff-ffff-ffffffffffff").to_string(),
            "ffffffff-ffff-ffff-ffff-ffffffffffff");
}

TEST(UuidParse, WrongLengthIsAnArgumentError) {
  EXPECT_EQ(argument_error([] { Uuid::parse("123"); }),
            "Invalid UUID '123': 3 characters (expected 32 hexadecimal digits, optionally as "
            "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
  EXPECT_THROW(Uuid::parse(""), ArgumentError);
  EXPECT_THROW(Uuid::parse("123e4567-e89b-12d3-a456-4266141740001"), ArgumentError);
}

TEST(UuidParse, BadCharacterNamesPosition) {
  EXPECT_THAT(argument_error([] { Uuid::parse("123e4567-e89b-12d3-a456-42661417400g"); }),
              HasSubstr("invalid character at position 36"));
  EXPECT_THAT(argument_error([] { Uuid::parse("{123e4567-e89b-12d3-a456-42661417400g}"); }),
              HasSubstr("invalid character at position 37"));
}

TEST(UuidParse, MisplacedHyphenIsRejected) {
  EXPECT_THAT(argument_error([] { Uuid::parse("123e456-7e89b-12d3-a456-426614174000"); }),
              HasSubstr("invalid character at position 8"));
  EXPECT_THAT(argument_error([] { Uuid::parse("123e4567xe89b-12d3-a456-426614174000"); }),
              HasSubstr("'-' missing at position 9"));
}

TEST(UuidParse, LongGarbageIsTruncatedInMessage) {
  const std::string m = argument_error([] { Uuid::parse(std::string(1000, 'z')); });
  EXPECT_LT(m.size(), 250u);
  EXPECT_THAT(m, HasSubstr("1000 characters"));
}

TEST(UuidOrder, ComparesByBytes) {
  EXPECT_LT(Uuid::parse("00000000-0000-0000-0000-000000000001"),
            Uuid::parse("00000000-0000-0000-0000-000000000002"));
}

// ---------------------------------------------------------------------------------------------
// Params
// ---------------------------------------------------------------------------------------------

TEST(ParamsTest, FindReturnsValueOrNull) {
  const Params p{{"id", 1}, {"name", "x"}};
  ASSERT_NE(p.find("id"), nullptr);
  EXPECT_EQ(*p.find("id"), Value(1));
  EXPECT_EQ(*p.find("name"), Value("x"));
  EXPECT_EQ(p.find("missing"), nullptr);
  EXPECT_EQ(p.size(), 2u);
}

TEST(ParamsTest, SetReplacesExistingValueInPlace) {
  Params p;
  p.set("a", 1).set("b", 2).set("a", "three");
  EXPECT_EQ(p.size(), 2u);
  EXPECT_EQ(p.items()[0].first, "a");
  EXPECT_EQ(*p.find("a"), Value("three"));
  EXPECT_EQ(*p.find("b"), Value(2));
}

TEST(ParamsTest, EmptyParams) {
  const Params p;
  EXPECT_TRUE(p.empty());
  EXPECT_EQ(p.find("x"), nullptr);
}

TEST(ParamsTest, NullValueIsFoundNotMissing) {
  const Params p{{"x", std::nullopt}};
  ASSERT_NE(p.find("x"), nullptr);
  EXPECT_TRUE(p.find("x")->is_null());
}

}  // namespace
}  // namespace retort
