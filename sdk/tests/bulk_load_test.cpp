// sdk/tests/bulk_load_test.cpp — make_driver's bulk loading slot: present only for a
// connection class with bulk_load(), and the retort_bulk_load it returns (write, finish,
// abort: errors as values, the object freed by finish or abort).
#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

using retort::sdk::Error;

struct Journal {
  std::string table;
  std::vector<std::string> columns;
  int64_t rows = 0;
  int aborted = 0;
  int destroyed = 0;
};
Journal journal;

class FakeLoad {
 public:
  ~FakeLoad() { ++journal.destroyed; }
  void write(const retort_batch& rows) {
    if (rows.column_count != static_cast<int32_t>(journal.columns.size())) {
      throw Error(RETORT_INVALID_ARGUMENT, "wrong column count");
    }
    journal.rows += rows.row_count;
  }
  int64_t finish() {
    if (journal.rows > 100) {
      throw Error(RETORT_INTEGRITY, "too many rows", "23505").detail("constraint_name", "pk");
    }
    return journal.rows;
  }
  void abort() noexcept { ++journal.aborted; }
};

struct FakeStatement {
  void execute(const retort_batch*, retort_exec_info&) {}
  void describe(int32_t, retort_column_desc&) {}
  void fetch(int64_t, retort_batch&) {}
};

struct PlainConnection {
  static std::unique_ptr<PlainConnection> connect(const retort_connect_params&) {
    return std::make_unique<PlainConnection>();
  }
  std::unique_ptr<FakeStatement> prepare(std::string_view) {
    return std::make_unique<FakeStatement>();
  }
  void begin() {}
  void commit() {}
  void rollback() {}
};

struct LoadingConnection : PlainConnection {
  static std::unique_ptr<LoadingConnection> connect(const retort_connect_params&) {
    return std::make_unique<LoadingConnection>();
  }
  std::unique_ptr<FakeLoad> bulk_load(std::string_view table,
                                      std::span<const std::string_view> columns) {
    journal.table = table;
    journal.columns.assign(columns.begin(), columns.end());
    return std::make_unique<FakeLoad>();
  }
};

const char* const kDialects[] = {"fake", nullptr};

const retort_driver& loading_driver() {
  return retort::sdk::make_driver<LoadingConnection, FakeStatement>({"loading", kDialects, ""});
}

retort_error make_error() {
  retort_error e{};
  e.struct_size = sizeof e;
  return e;
}

retort_bulk_load* begin_load(const std::vector<const char*>& columns) {
  journal = {};
  LoadingConnection conn;
  retort_bulk_load* load = nullptr;
  retort_error e = make_error();
  EXPECT_EQ(loading_driver().bulk_load_begin(reinterpret_cast<retort_connection*>(&conn), "\"t\"",
                                             columns.data(), static_cast<int32_t>(columns.size()),
                                             &load, &e),
            RETORT_OK);
  return load;
}

retort_batch rows_of(int32_t columns, int64_t rows) {
  retort_batch b{};
  b.struct_size = sizeof b;
  b.column_count = columns;
  b.row_count = rows;
  return b;
}

TEST(SdkBulkLoad, SlotIsSetOnlyForConnectionsWithBulkLoad) {
  const retort_driver& plain =
      retort::sdk::make_driver<PlainConnection, FakeStatement>({"plain", kDialects, ""});
  EXPECT_FALSE(RETORT_HAS_FIELD(&plain, retort_driver, bulk_load_begin));
  EXPECT_TRUE(RETORT_HAS_FIELD(&loading_driver(), retort_driver, bulk_load_begin));
}

TEST(SdkBulkLoad, BatchesAreWrittenAndFinishReportsTheRowsAndFreesTheLoad) {
  retort_bulk_load* load = begin_load({"\"a\"", "\"b\""});
  ASSERT_NE(load, nullptr);
  EXPECT_EQ(load->struct_size, sizeof(retort_bulk_load));
  EXPECT_EQ(journal.table, "\"t\"");
  EXPECT_EQ(journal.columns, (std::vector<std::string>{"\"a\"", "\"b\""}));
  retort_error e = make_error();
  const retort_batch b = rows_of(2, 30);
  ASSERT_EQ(load->write(load, &b, &e), RETORT_OK);
  ASSERT_EQ(load->write(load, &b, &e), RETORT_OK);
  int64_t loaded = -1;
  ASSERT_EQ(load->finish(load, &loaded, &e), RETORT_OK);
  EXPECT_EQ(loaded, 60);
  EXPECT_EQ(journal.destroyed, 1);
  EXPECT_EQ(journal.aborted, 0);
}

TEST(SdkBulkLoad, WriteErrorsAreValuesAndAbortFreesTheLoad) {
  retort_bulk_load* load = begin_load({"\"a\""});
  retort_error e = make_error();
  const retort_batch wrong = rows_of(3, 1);
  ASSERT_EQ(load->write(load, &wrong, &e), RETORT_INVALID_ARGUMENT);
  EXPECT_STREQ(e.message, "wrong column count");
  e.release(&e);
  load->abort(load);
  EXPECT_EQ(journal.aborted, 1);
  EXPECT_EQ(journal.destroyed, 1);
}

TEST(SdkBulkLoad, FailedFinishFillsTheErrorAndStillFreesTheLoad) {
  retort_bulk_load* load = begin_load({"\"a\""});
  retort_error e = make_error();
  const retort_batch many = rows_of(1, 101);
  ASSERT_EQ(load->write(load, &many, &e), RETORT_OK);
  int64_t loaded = -1;
  ASSERT_EQ(load->finish(load, &loaded, &e), RETORT_INTEGRITY);
  EXPECT_STREQ(e.sqlstate, "23505");
  ASSERT_EQ(e.detail_count, 1u);
  EXPECT_STREQ(e.details[0].value, "pk");
  EXPECT_EQ(loaded, -1);
  e.release(&e);
  EXPECT_EQ(journal.destroyed, 1);
}

}  // namespace
