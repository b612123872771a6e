// sdk/tests/statement_cache_test.cpp — retort::sdk::StatementCache: LRU order, eviction
// through the deleter, capacity 0, checkout exclusivity, shared lookups.
// SPDX-License-Identifier: MIT
#include <retort/sdk/statement_cache.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::sdk {
namespace {

using namespace std::string_view_literals;

// Records the handles the cache frees, in order.
struct RecordFreed {
  std::vector<int>* freed;
  void operator()(int handle) const noexcept { freed->push_back(handle); }
};

using IntCache = StatementCache<int, RecordFreed>;

TEST(SdkStatementCache, TakeChecksOutWhatWasGivenBack) {
  std::vector<int> freed;
  IntCache cache(4, RecordFreed{&freed});
  EXPECT_EQ(cache.take("SELECT 1"), std::nullopt);
  cache.give_back("SELECT 1", 1);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.take("SELECT 1"), 1);
  EXPECT_TRUE(cache.empty());
  EXPECT_TRUE(freed.empty());
}

TEST(SdkStatementCache, ACheckedOutHandleIsNeverHandedOutTwice) {
  std::vector<int> freed;
  IntCache cache(4, RecordFreed{&freed});
  cache.give_back("SELECT 1", 1);
  const std::optional<int> first = cache.take("SELECT 1");
  ASSERT_EQ(first, 1);
  // A second user of the same SQL finds nothing while the first holds the handle, so it
  // prepares its own (2).
  EXPECT_EQ(cache.take("SELECT 1"), std::nullopt);
  cache.give_back("SELECT 1", *first);
  // The duplicate is freed; the entry already cached stays.
  cache.give_back("SELECT 1", 2);
  EXPECT_EQ(freed, std::vector<int>{2});
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.take("SELECT 1"), 1);
}

TEST(SdkStatementCache, RecycledEntriesTakeTheKeyTheyAreGivenBackUnder) {
  // take() keeps the entry's nodes for the next give_back, which may be for other SQL (of
  // another length): every key must still find its own handle afterwards.
  std::vector<int> freed;
  IntCache cache(8, RecordFreed{&freed});
  const std::string long_sql(200, 'x');
  cache.give_back(long_sql, 1);
  cache.give_back("b", 2);
  ASSERT_EQ(cache.take(long_sql), 1);
  cache.give_back("c", 3);  // reuses the long entry's nodes
  ASSERT_EQ(cache.take("b"), 2);
  ASSERT_EQ(cache.take("c"), 3);
  cache.give_back(long_sql, 1);  // onto the short key's nodes
  cache.give_back("c", 3);
  cache.give_back("b", 2);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.take("c"), 3);
  EXPECT_EQ(cache.take(long_sql), 1);
  EXPECT_EQ(cache.take("b"), 2);
  EXPECT_EQ(cache.take("b"), std::nullopt);
  EXPECT_TRUE(cache.empty());
  EXPECT_TRUE(freed.empty());  // spares are never handed to the deleter
  // Many rounds of one statement checked out and in, as an execute loop does.
  for (int i = 0; i < 100; ++i) {
    cache.give_back("loop", 7);
    ASSERT_EQ(cache.take("loop"), 7);
  }
  cache.give_back("loop", 7);
  cache.clear();
  EXPECT_EQ(freed, std::vector<int>{7});
}

TEST(SdkStatementCache, RecycledEntriesAreEvictedInOrder) {
  std::vector<int> freed;
  IntCache cache(2, RecordFreed{&freed});
  cache.give_back("a", 1);
  cache.give_back("b", 2);
  ASSERT_EQ(cache.take("a"), 1);
  cache.give_back("a", 1);  // recycled node, most recently used
  cache.give_back("c", 3);  // evicts b
  EXPECT_EQ(freed, std::vector<int>{2});
  EXPECT_EQ(cache.take("a"), 1);
  EXPECT_EQ(cache.take("c"), 3);
}

TEST(SdkStatementCache, EvictsTheLeastRecentlyUsedThroughTheDeleter) {
  std::vector<int> freed;
  IntCache cache(2, RecordFreed{&freed});
  cache.give_back("a", 1);
  cache.give_back("b", 2);
  // Checking `a` out and back in makes it the most recently used.
  cache.give_back("a", *cache.take("a"));
  cache.give_back("c", 3);
  EXPECT_EQ(freed, std::vector<int>{2});
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.take("b"), std::nullopt);
  cache.give_back("d", 4);  // `a` is now the oldest
  EXPECT_EQ(freed, (std::vector<int>{2, 1}));
  EXPECT_EQ(cache.take("c"), 3);
  EXPECT_EQ(cache.take("d"), 4);
}

TEST(SdkStatementCache, FindKeepsTheEntryAndMakesItTheMostRecentlyUsed) {
  std::vector<int> freed;
  IntCache cache(2, RecordFreed{&freed});
  cache.give_back("a", 1);
  cache.give_back("b", 2);
  int* found = cache.find("a");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(*found, 1);
  EXPECT_EQ(cache.size(), 2u);
  cache.give_back("c", 3);
  EXPECT_EQ(freed, std::vector<int>{2});
  EXPECT_EQ(cache.find("b"), nullptr);
  EXPECT_NE(cache.find("a"), nullptr);
}

TEST(SdkStatementCache, CapacityZeroCachesNothing) {
  std::vector<int> freed;
  IntCache cache(0, RecordFreed{&freed});
  cache.give_back("a", 1);
  cache.give_back("a", 2);
  EXPECT_EQ(freed, (std::vector<int>{1, 2}));
  EXPECT_TRUE(cache.empty());
  EXPECT_EQ(cache.take("a"), std::nullopt);
  EXPECT_EQ(cache.find("a"), nullptr);
}

TEST(SdkStatementCache, CapacityOneKeepsOnlyTheLatest) {
  std::vector<int> freed;
  IntCache cache(1, RecordFreed{&freed});
  cache.give_back("a", 1);
  cache.give_back("b", 2);
  EXPECT_EQ(freed, std::vector<int>{1});
  EXPECT_EQ(cache.take("b"), 2);
}

TEST(SdkStatementCache, ClearAndTheDestructorFreeEveryCachedHandle) {
  std::vector<int> freed;
  {
    IntCache cache(4, RecordFreed{&freed});
    cache.give_back("a", 1);
    cache.give_back("b", 2);
    cache.clear();
    EXPECT_EQ(freed, (std::vector<int>{1, 2}));  // least recently used first
    EXPECT_TRUE(cache.empty());
    cache.give_back("c", 3);
    const std::optional<int> out = cache.take("c");
    cache.give_back("d", 4);
    EXPECT_EQ(out, 3);  // a checked-out handle is the caller's: never freed by the cache
  }
  EXPECT_EQ(freed, (std::vector<int>{1, 2, 4}));
}

TEST(SdkStatementCache, KeysAreByteStringsNotCStrings) {
  // Drivers may append binary data (parameter type OIDs) after a NUL.
  std::vector<int> freed;
  IntCache cache(4, RecordFreed{&freed});
  cache.give_back("SELECT $1\0\x17\0\0\0"sv, 1);
  cache.give_back("SELECT $1\0\x19\0\0\0"sv, 2);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.take("SELECT $1"), std::nullopt);
  EXPECT_EQ(cache.take("SELECT $1\0\x19\0\0\0"sv), 2);
}

TEST(SdkStatementCache, KeysOutliveTheCallersString) {
  std::vector<int> freed;
  IntCache cache(4, RecordFreed{&freed});
  {
    std::string sql = "SELECT 42";
    cache.give_back(sql, 1);
    sql.assign("overwritten");
  }
  EXPECT_EQ(cache.take(std::string("SELECT 42")), 1);
}

// Move-only handles work, and a stateful deleter sees each one exactly once.
struct CountFreed {
  int* count;
  void operator()(std::unique_ptr<int> handle) const noexcept {
    if (handle != nullptr) ++*count;
  }
};

TEST(SdkStatementCache, HoldsMoveOnlyHandles) {
  int count = 0;
  {
    StatementCache<std::unique_ptr<int>, CountFreed> cache(1, CountFreed{&count});
    cache.give_back("a", std::make_unique<int>(1));
    std::optional<std::unique_ptr<int>> a = cache.take("a");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(**a, 1);
    cache.give_back("a", std::move(*a));
    cache.give_back("b", std::make_unique<int>(2));  // evicts `a`
    EXPECT_EQ(count, 1);
  }
  EXPECT_EQ(count, 2);
}

// Shared handles: `find` hands out copies while the cache keeps its own.
struct DropShared {
  std::vector<std::string>* dropped;
  void operator()(std::shared_ptr<const std::string> name) const noexcept {
    try {
      dropped->push_back(*name);
    } catch (...) {
    }
  }
};

TEST(SdkStatementCache, FindSharesHandlesWithoutCheckingThemOut) {
  std::vector<std::string> dropped;
  StatementCache<std::shared_ptr<const std::string>, DropShared> cache(1, DropShared{&dropped});
  cache.give_back("SELECT 1", std::make_shared<const std::string>("s1"));
  const std::shared_ptr<const std::string> a = *cache.find("SELECT 1");
  const std::shared_ptr<const std::string> b = *cache.find("SELECT 1");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.use_count(), 3);
  cache.give_back("SELECT 2", std::make_shared<const std::string>("s2"));
  EXPECT_EQ(dropped, std::vector<std::string>{"s1"});
  EXPECT_EQ(a.use_count(), 2);  // evicted from the cache; its users keep it alive
}

}  // namespace
}  // namespace retort::sdk
