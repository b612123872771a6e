// Connection pools on SQLite file databases: sizes, overflow, LIFO/FIFO, timeouts, recycle,
// reset on return, invalidation, dispose, the pool classes, and the order of pool events.
#include <retort/engine.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace retort;
using namespace std::chrono_literals;
namespace ev = retort::event;

// A fresh SQLite file per test, removed afterwards.
class PoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            (std::string("retort-pool-") + info->name() + "-" + std::to_string(getpid()) + ".db");
    std::filesystem::remove(path_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    std::filesystem::remove(path_.string() + "-journal", ec);
  }
  std::string url() const { return "sqlite:///" + path_.string(); }

  // Counts connect events and records the id of each checkout.
  struct Tracker {
    std::mutex mutex;
    std::vector<std::uint64_t> checkouts;
    std::atomic<int> connects{0};
    void attach(const Engine& e) {
      ev::listen(e, ev::connect, [this](const PoolConnection&) { ++connects; });
      ev::listen(e, ev::checkout, [this](const PoolConnection& c) {
        std::lock_guard lock(mutex);
        checkouts.push_back(c.id());
      });
    }
    std::uint64_t last() {
      std::lock_guard lock(mutex);
      return checkouts.back();
    }
  };

  std::filesystem::path path_;
};

TEST_F(PoolTest, QueuePoolKeepsPoolSizeConnectionsAndClosesOverflowOnReturn) {
  Engine e = create_engine(url(), {.pool_size = 2, .max_overflow = 1});
  Tracker t;
  t.attach(e);
  {
    Connection a = e.connect(), b = e.connect(), c = e.connect();
    const PoolStatistics s = e.pool_statistics();
    EXPECT_EQ(s.pool_class, PoolClass::queue);
    EXPECT_EQ(s.checked_out, 3u);
    EXPECT_EQ(s.overflow, 1);
    EXPECT_EQ(e.pool_status(),
              "Pool size: 2  Connections in pool: 0 Current Overflow: 1 Current Checked out "
              "connections: 3");
  }
  EXPECT_EQ(e.pool_status(),
            "Pool size: 2  Connections in pool: 2 Current Overflow: 0 Current Checked out "
            "connections: 0");
  EXPECT_EQ(t.connects.load(), 3);
  { Connection a = e.connect(), b = e.connect(); }
  EXPECT_EQ(t.connects.load(), 3) << "pooled connections are reused";
}

TEST_F(PoolTest, ExhaustedPoolThrowsTimeoutErrorNamingSizeOverflowAndTimeout) {
  Engine e = create_engine(url(), {.pool_size = 1, .max_overflow = 1, .pool_timeout = 50ms});
  Connection a = e.connect(), b = e.connect();
  const auto start = std::chrono::steady_clock::now();
  try {
    Connection c = e.connect();
    FAIL() << "expected TimeoutError";
  } catch (const TimeoutError& err) {
    EXPECT_GE(std::chrono::steady_clock::now() - start, 45ms);
    EXPECT_NE(std::string(err.what()).find("QueuePool limit of size 1 overflow 1 reached"),
              std::string::npos)
        << err.what();
    EXPECT_NE(std::string(err.what()).find("timeout 0.05 s"), std::string::npos) << err.what();
  }
  EXPECT_EQ(e.pool_statistics().checked_out, 2u) << "a timeout leaks no slot";
}

TEST_F(PoolTest, WaitingCheckoutGetsTheConnectionAnotherThreadReturns) {
  Engine e = create_engine(url(), {.pool_size = 1, .max_overflow = 0, .pool_timeout = 10s});
  auto a = std::make_unique<Connection>(e.connect());
  std::thread releaser([&] {
    std::this_thread::sleep_for(50ms);
    a.reset();
  });
  Connection b = e.connect();  // waits for the release
  releaser.join();
  EXPECT_EQ(b.execute(text("SELECT 1")).scalar<int>(), 1);
}

TEST_F(PoolTest, FifoHandsOutTheOldestReturnedConnectionLifoTheNewest) {
  for (const bool lifo : {false, true}) {
    Engine e = create_engine(url(), {.pool_size = 3, .pool_use_lifo = lifo});
    Tracker t;
    t.attach(e);
    std::vector<std::uint64_t> ids;
    {
      std::vector<Connection> conns;
      for (int i = 0; i < 3; ++i) {
        conns.push_back(e.connect());
        ids.push_back(t.last());
      }
      for (auto& c : conns) c.close();  // returned in the order 1, 2, 3
    }
    Connection next = e.connect();
    EXPECT_EQ(t.last(), lifo ? ids.back() : ids.front()) << (lifo ? "LIFO" : "FIFO");
  }
}

TEST_F(PoolTest, RecycleReplacesConnectionsOlderThanPoolRecycle) {
  Engine fresh = create_engine(url(), {.pool_recycle = 0s});
  Tracker t;
  t.attach(fresh);
  { Connection c = fresh.connect(); }
  std::this_thread::sleep_for(2ms);
  { Connection c = fresh.connect(); }
  EXPECT_EQ(t.connects.load(), 2);

  Engine kept = create_engine(url(), {.pool_recycle = 3600s});
  Tracker k;
  k.attach(kept);
  { Connection c = kept.connect(); }
  { Connection c = kept.connect(); }
  EXPECT_EQ(k.connects.load(), 1);
}

TEST_F(PoolTest, ReturnedConnectionWithOpenTransactionIsRolledBack) {
  Engine e = create_engine(url(), {.pool_size = 1});
  std::vector<ev::ResetState> resets;
  ev::listen(e, ev::reset,
             [&](const PoolConnection&, const ev::ResetState& s) { resets.push_back(s); });
  {
    Connection c = e.connect();
    c.execute(text("CREATE TABLE pool_reset (x INTEGER)"));
    c.commit();
    c.execute(text("INSERT INTO pool_reset VALUES (1)"));
  }  // returned uncommitted
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_TRUE(resets[0].transaction_was_open);
  EXPECT_FALSE(resets[0].committed);
  Connection c = e.connect();
  EXPECT_EQ(c.execute(text("SELECT COUNT(*) FROM pool_reset")).scalar<int>(), 0);
}

TEST_F(PoolTest, ResetOnReturnCommitCommitsAndNoneLeavesNothingOpen) {
  Engine e = create_engine(url(), {.pool_reset_on_return = ResetOnReturn::commit});
  {
    Connection c = e.connect();
    c.execute(text("CREATE TABLE pool_commit (x INTEGER)"));
    c.execute(text("INSERT INTO pool_commit VALUES (1)"));
  }
  Connection c = e.connect();
  EXPECT_EQ(c.execute(text("SELECT COUNT(*) FROM pool_commit")).scalar<int>(), 1);
}

TEST_F(PoolTest, InvalidateDiscardsTheDriverConnectionAndTheConnectionReconnects) {
  Engine e = create_engine(url(), {.pool_size = 1});
  Tracker t;
  t.attach(e);
  std::vector<std::string> reasons;
  ev::listen(e, ev::invalidate, [&](const PoolConnection&, const ev::InvalidateContext& ctx) {
    reasons.emplace_back(ctx.reason);
  });
  Connection c = e.connect();
  const auto first = t.last();
  c.invalidate();
  EXPECT_TRUE(c.invalidated());
  EXPECT_EQ(reasons, std::vector<std::string>{"Connection::invalidate()"});
  EXPECT_EQ(e.pool_statistics().checked_out, 0u) << "the slot is free again";
  EXPECT_EQ(c.execute(text("SELECT 7")).scalar<int>(), 7);  // reconnects
  EXPECT_FALSE(c.invalidated());
  EXPECT_NE(t.last(), first);
  EXPECT_EQ(t.connects.load(), 2);
}

TEST_F(PoolTest, InvalidatedInsideATransactionNeedsRollbackFirst) {
  Engine e = create_engine(url());
  Connection c = e.connect();
  c.execute(text("CREATE TABLE pool_pending (x INTEGER)"));
  c.commit();
  {
    Transaction tx = c.begin();
    c.execute(text("INSERT INTO pool_pending VALUES (1)"));
    c.invalidate();
    EXPECT_TRUE(tx.is_active());
    EXPECT_THROW(c.execute(text("SELECT 1")), PendingRollbackError);
    EXPECT_THROW(c.execute(text("SELECT 1")), PendingRollbackError);
  }  // the Transaction's rollback ends it
  EXPECT_FALSE(c.in_transaction());
  EXPECT_EQ(c.execute(text("SELECT COUNT(*) FROM pool_pending")).scalar<int>(), 0);

  c.execute(text("INSERT INTO pool_pending VALUES (2)"));  // autobegun
  c.invalidate();
  EXPECT_THROW(c.execute(text("SELECT 1")), PendingRollbackError);
  c.rollback();
  EXPECT_EQ(c.execute(text("SELECT COUNT(*) FROM pool_pending")).scalar<int>(), 0);

  c.execute(text("INSERT INTO pool_pending VALUES (3)"));
  c.invalidate();
  try {
    c.commit();
    FAIL() << "committed a lost transaction";
  } catch (const PendingRollbackError& e) {
    EXPECT_NE(std::string(e.what()).find("work is lost"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(c.in_transaction()) << "a failed commit of a lost transaction ends it";
  EXPECT_EQ(c.execute(text("SELECT COUNT(*) FROM pool_pending")).scalar<int>(), 0);
}

TEST_F(PoolTest, DisposeClosesIdleConnectionsAndCheckedOutOnesWhenReturned) {
  Engine e = create_engine(url(), {.pool_size = 3});
  Tracker t;
  t.attach(e);
  std::atomic<int> closed_in_pool{0};
  { Connection a = e.connect(), b = e.connect(); }
  Connection held = e.connect();
  EXPECT_EQ(e.pool_statistics().checked_in, 1u);
  e.dispose();
  EXPECT_EQ(e.pool_statistics().checked_in, 0u);
  EXPECT_EQ(e.pool_statistics().checked_out, 1u);
  held.close();
  EXPECT_EQ(e.pool_statistics().checked_in, 0u) << "a connection from before dispose() is closed";
  const int before = t.connects.load();
  Connection again = e.connect();
  EXPECT_EQ(t.connects.load(), before + 1);
  EXPECT_EQ(closed_in_pool.load(), 0);
}

TEST_F(PoolTest, NullPoolConnectsOnEveryCheckout) {
  Engine e = create_engine(url(), {.poolclass = PoolClass::null});
  Tracker t;
  t.attach(e);
  { Connection c = e.connect(); }
  { Connection c = e.connect(); }
  EXPECT_EQ(t.connects.load(), 2);
  EXPECT_EQ(e.pool_status(), "NullPool");
  EXPECT_EQ(e.pool_statistics().checked_out, 0u);
}

TEST_F(PoolTest, StaticPoolReusesItsOneConnectionAndMakesOthersWait) {
  Engine e = create_engine(url(), {.poolclass = PoolClass::static_, .pool_timeout = 30ms});
  Tracker t;
  t.attach(e);
  std::uint64_t first = 0;
  {
    Connection c = e.connect();
    first = t.last();
    EXPECT_THROW(e.connect(), TimeoutError);
  }
  Connection c = e.connect();
  EXPECT_EQ(t.last(), first);
  EXPECT_EQ(t.connects.load(), 1);
  EXPECT_EQ(e.pool_status(), "StaticPool");
}

TEST(SingletonThreadPool, IsTheDefaultForSqliteMemoryAndKeepsOneDatabasePerThread) {
  Engine e = create_engine("sqlite://");
  EXPECT_EQ(e.pool_statistics().pool_class, PoolClass::singleton_thread);
  EXPECT_EQ(create_engine("sqlite:///:memory:").pool_statistics().pool_class,
            PoolClass::singleton_thread);
  {
    Connection c = e.connect();
    c.execute(text("CREATE TABLE pool_memory (x INTEGER)"));
    c.execute(text("INSERT INTO pool_memory VALUES (5)"));
    c.commit();
    EXPECT_THROW(e.connect(), InvalidRequestError) << "the thread's connection is in use";
  }
  {
    Connection c = e.connect();  // the same in-memory database
    EXPECT_EQ(c.execute(text("SELECT x FROM pool_memory")).scalar<int>(), 5);
  }
  std::thread other([&] {
    Connection c = e.connect();  // another thread: its own database
    EXPECT_THROW(c.execute(text("SELECT x FROM pool_memory")), DBAPIError);
  });
  other.join();
  EXPECT_EQ(e.pool_status(), "SingletonThreadPool size: 2");
}

TEST_F(PoolTest, PoolAndEngineEventsFireInOrder) {
  Engine e = create_engine(url());
  std::vector<std::string> log;
  const auto add = [&](const char* name) {
    return [&log, name](auto&&...) { log.emplace_back(name); };
  };
  ev::listen(e, ev::first_connect, add("first_connect"));
  ev::listen(e, ev::connect, add("connect"));
  ev::listen(e, ev::checkout, add("checkout"));
  ev::listen(e, ev::checkin, add("checkin"));
  ev::listen(e, ev::reset, add("reset"));
  ev::listen(e, ev::before_execute, add("before_execute"));
  ev::listen(e, ev::after_execute, add("after_execute"));
  ev::listen(e, ev::before_cursor_execute, add("before_cursor_execute"));
  ev::listen(e, ev::after_cursor_execute, add("after_cursor_execute"));
  {
    Connection c = e.connect();
    c.execute(text("SELECT 1"));
  }
  { Connection c = e.connect(); }
  EXPECT_EQ(log, (std::vector<std::string>{"first_connect", "connect", "checkout", "before_execute",
                                           "before_cursor_execute", "after_cursor_execute",
                                           "after_execute", "reset", "checkin", "checkout", "reset",
                                           "checkin"}));
}

TEST_F(PoolTest, BeforeCursorExecuteMayRewriteTheSqlAndAfterSeesRowcountAndTiming) {
  Engine e = create_engine(url());
  std::string seen;
  std::int64_t rowcount = -2;
  ev::listen(e, ev::before_cursor_execute,
             [](ev::CursorExecuteContext& c) { c.statement += " /* traced */"; });
  ev::listen(e, ev::after_cursor_execute, [&](const ev::CursorExecuteContext& c) {
    seen = c.statement;
    rowcount = c.rowcount;
    EXPECT_GE(c.elapsed.count(), 0);
  });
  Connection c = e.connect();
  c.execute(text("CREATE TABLE pool_traced (x INTEGER)"));
  c.execute(text("INSERT INTO pool_traced VALUES (:x)"), {{{"x", 1}}, {{"x", 2}}});
  EXPECT_EQ(seen, "INSERT INTO pool_traced VALUES (?) /* traced */");
  EXPECT_EQ(rowcount, 2);
  EXPECT_EQ(c.execute(text("SELECT SUM(x) FROM pool_traced")).scalar<int>(), 3);
}

TEST_F(PoolTest, RemovedListenerIsNotCalled) {
  Engine e = create_engine(url());
  int calls = 0;
  ev::Listener l = ev::listen(e, ev::checkout, [&](const PoolConnection&) { ++calls; });
  EXPECT_TRUE(l.active());
  { Connection c = e.connect(); }
  l.remove();
  EXPECT_FALSE(l.active());
  { Connection c = e.connect(); }
  EXPECT_EQ(calls, 1);
  EXPECT_THROW(ev::listen(e, ev::checkout, ev::PoolListener{}), ArgumentError);
}

TEST_F(PoolTest, ConnectListenerCanConfigureEachNewConnection) {
  Engine e = create_engine(url());
  ev::listen(e, ev::connect,
             [](const PoolConnection& c) { c.exec_driver_sql("PRAGMA user_version = 42"); });
  Connection c = e.connect();
  EXPECT_EQ(c.execute(text("PRAGMA user_version")).scalar<int>(), 42);
}

TEST_F(PoolTest, FailingConnectListenerClosesTheConnectionAndFreesTheSlot) {
  Engine e = create_engine(url(), {.pool_size = 1, .max_overflow = 0, .pool_timeout = 20ms});
  bool fail = true;
  ev::listen(e, ev::connect, [&](const PoolConnection&) {
    if (fail) throw std::runtime_error("listener says no");
  });
  EXPECT_THROW(e.connect(), std::runtime_error);
  fail = false;
  Connection c = e.connect();  // the slot was not leaked
  EXPECT_EQ(e.pool_statistics().checked_out, 1u);
}

TEST_F(PoolTest, HandleErrorSeesTheErrorAndMayMarkItADisconnect) {
  Engine e = create_engine(url());
  std::string message;
  bool was_disconnect = true;
  bool mark = false;
  ev::listen(e, ev::handle_error, [&](ev::ExceptionContext& ctx) {
    message = ctx.error.driver_message();
    was_disconnect = ctx.is_disconnect;
    EXPECT_EQ(ctx.statement, "SELECT * FROM pool_no_such_table");
    if (mark) ctx.is_disconnect = true;
  });
  Connection c = e.connect();
  EXPECT_THROW(c.execute(text("SELECT * FROM pool_no_such_table")), ProgrammingError);
  EXPECT_NE(message.find("no such table"), std::string::npos) << message;
  EXPECT_FALSE(was_disconnect);
  EXPECT_FALSE(c.invalidated());

  c.rollback();
  mark = true;
  try {
    c.execute(text("SELECT * FROM pool_no_such_table"));
    FAIL();
  } catch (const DBAPIError& err) {
    EXPECT_TRUE(err.connection_invalidated());
  }
  EXPECT_TRUE(c.invalidated());
}

TEST_F(PoolTest, HandleErrorListenerMayThrowItsOwnException) {
  struct AppError : std::runtime_error {
    using std::runtime_error::runtime_error;
  };
  Engine e = create_engine(url());
  ev::listen(e, ev::handle_error, [](ev::ExceptionContext&) { throw AppError("translated"); });
  Connection c = e.connect();
  EXPECT_THROW(c.execute(text("SELEC 1")), AppError);
}

TEST_F(PoolTest, ManyThreadsShareASmallPoolWithoutDeadlockOrLeak) {
  Engine e = create_engine(url(), {.pool_size = 2, .max_overflow = 2});
  {
    Connection c = e.connect();
    c.execute(text("CREATE TABLE pool_threads (x INTEGER)"));
    c.commit();
  }
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 150; ++i) {
        Connection c = e.connect();
        if (c.execute(text("SELECT COUNT(*) FROM pool_threads")).scalar<int>() == 0) ++done;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(done.load(), 8 * 150);
  const PoolStatistics s = e.pool_statistics();
  EXPECT_EQ(s.checked_out, 0u);
  EXPECT_LE(s.checked_in, 2u);
}

}  // namespace
