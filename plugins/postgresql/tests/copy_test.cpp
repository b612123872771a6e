// plugins/postgresql/tests/copy_test.cpp — bulk loading (retort_driver.bulk_load_begin):
// every value type through COPY, many batches in one COPY, and failures that abort it.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>

#include <climits>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace retort::postgresql::test {
namespace {

// A load in progress, aborted when the test leaves it open.
class Load {
 public:
  Load() = default;
  Load(const Load&) = delete;
  Load& operator=(const Load&) = delete;
  ~Load() {
    if (load_ != nullptr) load_->abort(load_);
  }
  retort_status begin(Conn& c, const std::string& table, const std::vector<std::string>& columns,
                      ErrorBox& error) {
    std::vector<const char*> names;
    for (const auto& n : columns) names.push_back(n.c_str());
    return driver().bulk_load_begin(c.get(), table.c_str(), names.data(),
                                    static_cast<int32_t>(names.size()), &load_, error.get());
  }
  retort_status write(ParamBatch& rows, ErrorBox& error) {
    return load_->write(load_, rows.get(), error.get());
  }
  retort_status finish(int64_t& loaded, ErrorBox& error) {
    retort_bulk_load* l = std::exchange(load_, nullptr);
    return l->finish(l, &loaded, error.get());
  }
  void abort() {
    retort_bulk_load* l = std::exchange(load_, nullptr);
    l->abort(l);
  }

 private:
  retort_bulk_load* load_ = nullptr;
};

class PgCopy : public ::testing::Test {
 protected:
  void SetUp() override {
    RETORT_PG_REQUIRE_SERVER();
    c_ = connect_server();
    c_.exec("SET TimeZone = 'UTC'");
  }
  void begin() {
    ErrorBox e;
    ASSERT_EQ(c_.call(driver().begin, e), RETORT_OK) << e.message();
  }
  void commit() {
    ErrorBox e;
    ASSERT_EQ(c_.call(driver().commit, e), RETORT_OK) << e.message();
  }
  void rollback() {
    ErrorBox e;
    ASSERT_EQ(c_.call(driver().rollback, e), RETORT_OK) << e.message();
  }
  Conn c_;
};

TEST_F(PgCopy, DriverTableHasTheBulkLoadSlot) {
  EXPECT_TRUE(RETORT_HAS_FIELD(&driver(), retort_driver, bulk_load_begin));
}

TEST_F(PgCopy, EveryValueTypeLoadsExactlyIncludingNullsAndExtremes) {
  ScratchTable t("copy_types",
                 "k int, b bool, i int8, d float8, n numeric, s text, v varchar(20), "
                 "by bytea, dt date, tm time, ts timestamp, tz timestamptz, iv interval, "
                 "u uuid, j jsonb, js json, dn numeric");
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const retort_interval iv1{14, -3, 3723000004};
  const retort_interval iv2{-1, 0, -1};
  const std::array<uint8_t, 16> u1{0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8,
                                   0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11};
  ParamBatch p(4);
  p.int64s({1, 2, 3, 4})
      .bools({1, 0, std::nullopt, 1})
      .int64s({INT64_MIN, INT64_MAX, std::nullopt, 0})
      .doubles({kNaN, kInf, std::nullopt, -kInf})
      .strings(RETORT_TYPE_DECIMAL,
               {"NaN", "-123456789012345678901234567890.000000000001", std::nullopt, "Infinity"})
      .strings(RETORT_TYPE_TEXT,
               {std::string("tab\there\nnew\\line\rcr"), "héllo ✓ 🎉", std::nullopt, ""})
      .strings(RETORT_TYPE_TEXT, {"\\N", "x", std::nullopt, "twenty chars exactly"})
      .strings(RETORT_TYPE_BYTES, {std::string("\0\1\xff\\", 4), "", std::nullopt, "\t\n"})
      .dates({-719528, 0, std::nullopt, INT32_MAX})  // 0001-01-01 BC, 1970, infinity
      .micros(RETORT_TYPE_TIME, {0, 86400000000, std::nullopt, 45296789012})
      .micros(RETORT_TYPE_TIMESTAMP,
              {-62167219200000000, 1700000000123456, std::nullopt, INT64_MIN})
      .micros(RETORT_TYPE_TIMESTAMPTZ, {-1, 946684800000000, std::nullopt, INT64_MAX})
      .intervals({iv1, iv2, std::nullopt, retort_interval{0, 0, 0}})
      .uuids({u1, std::array<uint8_t, 16>{}, std::nullopt, u1})
      .strings(RETORT_TYPE_JSON, {R"({"a": [1, "t\tb"]})", "null", std::nullopt, "\"\\\\\""})
      .strings(RETORT_TYPE_JSON, {R"({"k":  1})", "[]", std::nullopt, "1"})
      .doubles({0.1, -0.0, std::nullopt, 1.5e-7});
  Load load;
  ErrorBox error;
  ASSERT_EQ(load.begin(c_, t.name(),
                       {"k", "b", "i", "d", "n", "s", "v", "by", "dt", "tm", "ts", "tz", "iv", "u",
                        "j", "js", "dn"},
                       error),
            RETORT_OK)
      << error.message();
  ASSERT_EQ(load.write(p, error), RETORT_OK) << error.message();
  int64_t loaded = -1;
  ASSERT_EQ(load.finish(loaded, error), RETORT_OK) << error.message();
  EXPECT_EQ(loaded, 4);

  const std::string row =
      "SELECT concat_ws('|', coalesce(b::text,'∅'), coalesce(i::text,'∅'), coalesce(d::text,'∅'), "
      "coalesce(n::text,'∅'), coalesce(s,'∅'), coalesce(v,'∅'), coalesce(encode(by,'hex'),'∅'), "
      "coalesce(dt::text,'∅'), coalesce(tm::text,'∅'), coalesce(ts::text,'∅'), "
      "coalesce(tz::text,'∅'), coalesce(iv::text,'∅'), coalesce(u::text,'∅'), "
      "coalesce(j::text,'∅'), coalesce(js::text,'∅'), coalesce(dn::text,'∅')) FROM " +
      t.name() + " WHERE k = ";
  EXPECT_EQ(c_.text(row + "1"),
            "true|-9223372036854775808|NaN|NaN|tab\there\nnew\\line\rcr|\\N|0001ff5c|"
            "0001-01-01 BC|00:00:00|0001-01-01 00:00:00 BC|1969-12-31 23:59:59.999999+00|"
            "1 year 2 mons -3 days +01:02:03.000004|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|"
            "{\"a\": [1, \"t\\tb\"]}|{\"k\":  1}|0.1");
  EXPECT_EQ(c_.text(row + "2"),
            "false|9223372036854775807|Infinity|-123456789012345678901234567890.000000000001|"
            "héllo ✓ 🎉|x||1970-01-01|24:00:00|2023-11-14 22:13:20.123456|2000-01-01 00:00:00+00|"
            "-1 mons -00:00:00.000001|00000000-0000-0000-0000-000000000000|null|[]|0");
  EXPECT_EQ(c_.text(row + "3"), "∅|∅|∅|∅|∅|∅|∅|∅|∅|∅|∅|∅|∅|∅|∅|∅");
  EXPECT_EQ(c_.text(row + "4"),
            "true|0|-Infinity|Infinity||twenty chars exactly|090a|infinity|12:34:56.789012|"
            "-infinity|infinity|00:00:00|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|\"\\\\\"|1|"
            "0.00000015");
  // Exact float round trip: the stored double is the one sent.
  EXPECT_EQ(c_.scalar("SELECT count(*) FROM " + t.name() +
                      " WHERE k = 1 AND dn = 0.1::float8 AND d = 'NaN'::float8"),
            1);
}

TEST_F(PgCopy, ManyBatchesStreamThroughOneCopy) {
  ScratchTable t("copy_many", "id int8 PRIMARY KEY, name text, x float8");
  begin();
  Load load;
  ErrorBox error;
  ASSERT_EQ(load.begin(c_, t.name(), {"id", "name", "x"}, error), RETORT_OK) << error.message();
  constexpr int kBatches = 5, kRows = 20000;
  for (int b = 0; b < kBatches; ++b) {
    std::vector<std::optional<int64_t>> ids;
    std::vector<std::optional<std::string>> names;
    std::vector<std::optional<double>> xs;
    for (int r = 0; r < kRows; ++r) {
      const int64_t id = int64_t{b} * kRows + r;
      ids.push_back(id);
      names.push_back(r % 7 == 0 ? std::nullopt
                                 : std::optional<std::string>("n" + std::to_string(id)));
      xs.push_back(id * 0.5);
    }
    ParamBatch p(kRows);
    p.int64s(ids).strings(RETORT_TYPE_TEXT, names).doubles(xs);
    ASSERT_EQ(load.write(p, error), RETORT_OK) << error.message();
  }
  int64_t loaded = 0;
  ASSERT_EQ(load.finish(loaded, error), RETORT_OK) << error.message();
  EXPECT_EQ(loaded, kBatches * kRows);
  commit();
  EXPECT_EQ(c_.scalar("SELECT count(*) FROM " + t.name()), kBatches * kRows);
  EXPECT_EQ(c_.scalar("SELECT count(*) FROM " + t.name() + " WHERE name IS NULL"),
            kBatches * ((kRows + 6) / 7));
  EXPECT_EQ(c_.scalar("SELECT sum(x)::int8 FROM " + t.name()),
            int64_t{kBatches} * kRows * (kBatches * kRows - 1) / 4);
}

TEST_F(PgCopy, UniqueViolationIsIntegrityWithConstraintNameAndLeavesTableUnchanged) {
  ScratchTable t("copy_uniq", "id int CONSTRAINT rt_copy_uniq_pk PRIMARY KEY, s text");
  c_.exec("INSERT INTO " + t.name() + " VALUES (5, 'old')");
  begin();
  Load load;
  ErrorBox error;
  ASSERT_EQ(load.begin(c_, t.name(), {"id", "s"}, error), RETORT_OK) << error.message();
  ParamBatch p(3);
  p.int64s({4, 5, 6}).strings(RETORT_TYPE_TEXT, {"a", "b", "c"});
  ASSERT_EQ(load.write(p, error), RETORT_OK) << error.message();
  int64_t loaded = -1;
  ASSERT_EQ(load.finish(loaded, error), RETORT_INTEGRITY);
  EXPECT_EQ(error.sqlstate(), "23505");
  EXPECT_EQ(error.detail("constraint_name"), "rt_copy_uniq_pk") << error.details();
  EXPECT_EQ(error.message(), "duplicate key value violates unique constraint \"rt_copy_uniq_pk\"");
  // The transaction is failed, like after any statement error; a rollback recovers it.
  ErrorBox failed;
  EXPECT_EQ(c_.try_exec("SELECT 1", nullptr, failed), RETORT_INTERNAL);
  EXPECT_EQ(failed.sqlstate(), "25P02");
  rollback();
  EXPECT_EQ(c_.scalar("SELECT count(*) FROM " + t.name()), 1);
  EXPECT_EQ(c_.text("SELECT s FROM " + t.name()), "old");
}

TEST_F(PgCopy, NotNullViolationIsIntegrityNamingTheColumn) {
  ScratchTable t("copy_notnull", "id int NOT NULL, s text");
  begin();
  Load load;
  ErrorBox error;
  ASSERT_EQ(load.begin(c_, t.name(), {"id", "s"}, error), RETORT_OK) << error.message();
  ParamBatch p(2);
  p.int64s({1, std::nullopt}).strings(RETORT_TYPE_TEXT, {"a", "b"});
  ASSERT_EQ(load.write(p, error), RETORT_OK) << error.message();
  int64_t loaded = -1;
  ASSERT_EQ(load.finish(loaded, error), RETORT_INTEGRITY);
  EXPECT_EQ(error.sqlstate(), "23502");
  EXPECT_EQ(error.detail("column_name"), "id");
  rollback();
  EXPECT_EQ(c_.scalar("SELECT count(*) FROM " + t.name()), 0);
}

TEST_F(PgCopy, AbortDiscardsTheRowsAndTheConnectionStaysUsable) {
  ScratchTable t("copy_abort", "id int");
  begin();
  {
    Load load;
    ErrorBox error;
    ASSERT_EQ(load.begin(c_, t.name(), {"id"}, error), RETORT_OK) << error.message();
    ParamBatch p(2);
    p.int64s({1, 2});
    ASSERT_EQ(load.write(p, error), RETORT_OK) << error.message();
    load.abort();
  }
  rollback();
  EXPECT_EQ(c_.scalar("SELECT count(*) FROM " + t.name()), 0);
  c_.exec("INSERT INTO " + t.name() + " VALUES (7)");
  EXPECT_EQ(c_.scalar("SELECT sum(id) FROM " + t.name()), 7);
}

TEST_F(PgCopy, UnknownColumnFailsAtBeginWithTheServersError) {
  ScratchTable t("copy_nocol", "id int");
  Load load;
  ErrorBox error;
  ASSERT_EQ(load.begin(c_, t.name(), {"id", "nope"}, error), RETORT_SYNTAX);
  EXPECT_EQ(error.sqlstate(), "42703");
  EXPECT_NE(error.message().find("nope"), std::string::npos) << error.message();
  EXPECT_EQ(c_.scalar("SELECT 41 + 1"), 42);
}

TEST_F(PgCopy, ValueTheColumnRejectsIsDataErrorAtFinish) {
  ScratchTable t("copy_baddata", "id int");
  begin();
  Load load;
  ErrorBox error;
  ASSERT_EQ(load.begin(c_, t.name(), {"id"}, error), RETORT_OK) << error.message();
  ParamBatch p(1);
  p.int64s({int64_t{1} << 40});  // too big for int4
  ASSERT_EQ(load.write(p, error), RETORT_OK) << error.message();
  int64_t loaded = -1;
  ASSERT_EQ(load.finish(loaded, error), RETORT_INVALID_DATA);
  EXPECT_EQ(error.sqlstate(), "22003");
  rollback();
  EXPECT_EQ(c_.scalar("SELECT count(*) FROM " + t.name()), 0);
}

TEST_F(PgCopy, NulInTextIsRejectedByWriteAndAbortsTheCopy) {
  ScratchTable t("copy_nul", "s text");
  begin();
  Load load;
  ErrorBox error;
  ASSERT_EQ(load.begin(c_, t.name(), {"s"}, error), RETORT_OK) << error.message();
  ParamBatch p(2);
  p.strings(RETORT_TYPE_TEXT, {"fine", std::string("a\0b", 3)});
  ASSERT_EQ(load.write(p, error), RETORT_INVALID_DATA);
  EXPECT_EQ(error.sqlstate(), "22021");
  EXPECT_NE(error.message().find("row 1"), std::string::npos) << error.message();
  load.abort();
  rollback();
  EXPECT_EQ(c_.scalar("SELECT count(*) FROM " + t.name()), 0);
}

TEST_F(PgCopy, WrongColumnCountIsInvalidArgument) {
  ScratchTable t("copy_count", "a int, b int");
  begin();
  Load load;
  ErrorBox error;
  ASSERT_EQ(load.begin(c_, t.name(), {"a", "b"}, error), RETORT_OK) << error.message();
  ParamBatch p(1);
  p.int64s({1});
  ASSERT_EQ(load.write(p, error), RETORT_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("2 columns"), std::string::npos) << error.message();
  load.abort();
  rollback();
  EXPECT_EQ(c_.scalar("SELECT 1"), 1);
}

}  // namespace
}  // namespace retort::postgresql::test
