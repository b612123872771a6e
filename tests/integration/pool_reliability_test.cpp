// tests/integration/pool_reliability_test.cpp — the pool under load and through server
// failures, on every server backend whose URL is set: PostgreSQL (RETORT_TEST_POSTGRESQL_URL)
// and MariaDB (RETORT_TEST_MARIADB_URL).  Unset: the tests skip, saying so.
//
// - 32 threads x 2,000 checkout -> execute -> return cycles on a pool of 5 + 5 overflow: no
//   deadlock, at most 10 connections at once, none left on the server after dispose();
// - TimeoutError from an exhausted pool with a tiny timeout, without leaking slots;
// - a server session killed inside a transaction: its writes are absent, the error is a
//   disconnect, and the connection and the pool recover (pre-ping and pool invalidation);
// - a whole server restarted under a live engine (the test's own throwaway server, so other
//   tests sharing the suite's server are not disturbed): the pool recovers in-process and
//   the committed work is all there;
// - no password in logs (echo, echo_pool) or exceptions, also for a failed connect.
#include <retort/engine.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace retort;
using namespace std::chrono_literals;
namespace ev = retort::event;

struct ServerBackend {
  std::string name;
  const char* url_env;
  const char* session_id_sql;  // this session's server-side id
  const char* sessions_sql;    // ids of every session on the server
  const char* server_script;   // scripts/<x>.sh with start / restart / stop
  std::string url() const {
    const char* u = std::getenv(url_env);
    return u != nullptr ? u : "";
  }
  // Ends session `id` from another connection.
  void kill(Connection& admin, std::int64_t id) const {
    if (name == "postgresql") {
      admin.execute(text("SELECT pg_terminate_backend(CAST(:pid AS INTEGER))"), {{"pid", id}});
    } else {
      // KILL takes no bound parameter; `id` is an integer the server gave us.
      admin.exec_driver_sql("KILL CONNECTION " + std::to_string(id));
    }
    admin.commit();
  }
};

void PrintTo(const ServerBackend& b, std::ostream* os) {
  *os << b.name;
}

const ServerBackend kBackends[] = {
    {"postgresql", "RETORT_TEST_POSTGRESQL_URL", "SELECT pg_backend_pid()",
     "SELECT pid FROM pg_stat_activity", "pg-server.sh"},
    {"mariadb", "RETORT_TEST_MARIADB_URL", "SELECT CONNECTION_ID()",
     "SELECT ID FROM information_schema.PROCESSLIST", "mariadb-server.sh"},
};

std::set<std::int64_t> server_sessions(const ServerBackend& b, const std::string& url) {
  Engine admin = create_engine(url, {.poolclass = PoolClass::null});
  Connection c = admin.connect();
  std::set<std::int64_t> ids;
  for (const auto& row : c.execute(text(b.sessions_sql))) ids.insert(row.get<std::int64_t>(0));
  return ids;
}

// Waits until none of `ids` is a session on the server (session ends are asynchronous).
::testing::AssertionResult sessions_gone(const ServerBackend& b, const std::string& url,
                                         const std::set<std::int64_t>& ids) {
  std::vector<std::int64_t> left;
  for (int attempt = 0; attempt < 100; ++attempt) {
    const auto now = server_sessions(b, url);
    left.clear();
    std::set_intersection(ids.begin(), ids.end(), now.begin(), now.end(), std::back_inserter(left));
    if (left.empty()) return ::testing::AssertionSuccess();
    std::this_thread::sleep_for(50ms);
  }
  return ::testing::AssertionFailure()
         << left.size() << " session(s) still open, e.g. " << left.front();
}

std::int64_t session_id(const ServerBackend& b, Connection& c) {
  return c.execute(text(b.session_id_sql)).scalar_one<std::int64_t>();
}

class PoolReliability : public ::testing::TestWithParam<ServerBackend> {
 protected:
  void SetUp() override {
    url_ = GetParam().url();
    if (url_.empty()) GTEST_SKIP() << GetParam().url_env << " is not set";
  }
  std::string url_;
};

TEST_P(PoolReliability, ThirtyTwoThreadsShareFivePlusFiveConnectionsWithoutDeadlockOrLeak) {
  const ServerBackend& b = GetParam();
  Engine e = create_engine(url_, {.pool_size = 5, .max_overflow = 5});
  constexpr int kThreads = 32, kCycles = 2000;
  std::atomic<int> in_use{0}, max_in_use{0}, cycles{0};
  std::mutex mutex;
  std::set<std::int64_t> sessions;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      std::set<std::int64_t> mine;
      for (int i = 0; i < kCycles; ++i) {
        Connection c = e.connect();
        const int now = ++in_use;
        int seen = max_in_use.load();
        while (now > seen && !max_in_use.compare_exchange_weak(seen, now)) {
        }
        mine.insert(session_id(b, c));
        --in_use;
        ++cycles;
      }
      std::lock_guard lock(mutex);
      sessions.insert(mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(cycles.load(), kThreads * kCycles);
  EXPECT_LE(max_in_use.load(), 10);
  const PoolStatistics s = e.pool_statistics();
  EXPECT_EQ(s.checked_out, 0u);
  EXPECT_EQ(s.checked_in, 5u) << e.pool_status();
  e.dispose();
  EXPECT_EQ(e.pool_statistics().checked_in, 0u);
  EXPECT_TRUE(sessions_gone(b, url_, sessions));
}

TEST_P(PoolReliability, ExhaustedPoolRaisesTimeoutErrorAndLeaksNothing) {
  const ServerBackend& b = GetParam();
  Engine e = create_engine(url_, {.pool_size = 2, .max_overflow = 0, .pool_timeout = 1ms});
  std::atomic<int> ok{0}, timeouts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        try {
          Connection c = e.connect();
          session_id(b, c);
          std::this_thread::sleep_for(1ms);  // hold it, so that others time out
          ++ok;
        } catch (const TimeoutError& err) {
          EXPECT_NE(std::string(err.what()).find("limit of size 2 overflow 0"), std::string::npos);
          ++timeouts;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok + timeouts, 16 * 50);
  EXPECT_GT(timeouts.load(), 0);
  EXPECT_GT(ok.load(), 0);
  EXPECT_EQ(e.pool_statistics().checked_out, 0u);
  Connection c = e.connect();  // every slot came back
  Connection d = e.connect();
  EXPECT_EQ(e.pool_statistics().checked_out, 2u);
}

TEST_P(PoolReliability, KilledSessionLosesItsTransactionIsADisconnectAndTheNextCheckoutWorks) {
  const ServerBackend& b = GetParam();
  Engine admin_engine = create_engine(url_, {.poolclass = PoolClass::null});
  Connection admin = admin_engine.connect();
  admin.execute(text("DROP TABLE IF EXISTS pool_rel_kill"));
  admin.execute(text("CREATE TABLE pool_rel_kill (id INTEGER PRIMARY KEY)"));
  admin.commit();

  Engine e = create_engine(url_, {.pool_size = 3, .pool_pre_ping = true});
  std::atomic<int> disconnects{0}, invalidations{0};
  ev::listen(e, ev::handle_error, [&](ev::ExceptionContext& ctx) {
    if (ctx.is_disconnect) ++disconnects;
  });
  ev::listen(e, ev::invalidate,
             [&](const PoolConnection&, const ev::InvalidateContext&) { ++invalidations; });
  Connection idle = e.connect();  // made before the failure, then idle in the pool
  const std::int64_t idle_session = session_id(b, idle);
  Connection c = e.connect();
  const std::int64_t victim = session_id(b, c);
  ASSERT_NE(victim, idle_session);
  idle.close();
  c.rollback();  // session_id() autobegan
  {
    Transaction tx = c.begin();
    c.execute(text("INSERT INTO pool_rel_kill (id) VALUES (:id)"), {{"id", 1}});
    b.kill(admin, victim);
    ASSERT_TRUE(sessions_gone(b, url_, {victim}));
    try {
      c.execute(text("INSERT INTO pool_rel_kill (id) VALUES (:id)"), {{"id", 2}});
      FAIL() << "the killed session answered";
    } catch (const OperationalError& err) {
      EXPECT_TRUE(err.connection_invalidated()) << err.what();
    }
    EXPECT_TRUE(c.invalidated());
    EXPECT_THROW(c.execute(text("SELECT 1")), PendingRollbackError);
  }  // the Transaction rolls back: the only way on
  EXPECT_EQ(disconnects.load(), 1);
  EXPECT_GE(invalidations.load(), 1);
  EXPECT_EQ(admin.execute(text("SELECT COUNT(*) FROM pool_rel_kill")).scalar<int>(), 0);
  admin.commit();

  // The same Connection reconnects, and a checkout of the idle connection made before the
  // disconnect gets a fresh one (pool-wide invalidation, and pre-ping besides).
  EXPECT_NE(session_id(b, c), victim);
  c.close();
  Connection d = e.connect();
  EXPECT_NE(session_id(b, d), idle_session);
  d.execute(text("INSERT INTO pool_rel_kill (id) VALUES (:id)"), {{"id", 3}});
  d.commit();
  EXPECT_EQ(admin.execute(text("SELECT COUNT(*) FROM pool_rel_kill")).scalar<int>(), 1);
  admin.execute(text("DROP TABLE pool_rel_kill"));
  admin.commit();
}

TEST_P(PoolReliability, PrePingReplacesAnIdleConnectionWhoseSessionWasKilled) {
  const ServerBackend& b = GetParam();
  Engine admin_engine = create_engine(url_, {.poolclass = PoolClass::null});
  Connection admin = admin_engine.connect();
  Engine e = create_engine(url_, {.pool_size = 1, .pool_pre_ping = true});
  std::int64_t first = 0;
  {
    Connection c = e.connect();
    first = session_id(b, c);
  }
  b.kill(admin, first);
  ASSERT_TRUE(sessions_gone(b, url_, {first}));
  Connection c = e.connect();  // no error reaches the application
  EXPECT_NE(session_id(b, c), first);
}

TEST_P(PoolReliability, NoPasswordInLogsOrExceptionsEvenWhenConnectingFails) {
  const ServerBackend& b = GetParam();
  const URL good = make_url(url_);
  ASSERT_TRUE(good.password().has_value());
  std::mutex mutex;
  std::string logged;
  auto sink = make_log_sink([&](const LogRecord& r) {
    std::lock_guard lock(mutex);
    logged += std::string(r.logger) + ": " + std::string(r.message) + "\n";
  });

  const std::string wrong =
      "Wr0ng-pw-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed());
  const URL bad = URL::create(good.drivername(), good.username(), wrong, good.host(), good.port(),
                              good.database(), good.query());
  Engine failing = create_engine(bad, {.echo = true, .echo_pool = true, .log_sink = sink});
  try {
    failing.connect();
    FAIL() << "connected with a wrong password";
  } catch (const DBAPIError& err) {
    const std::string what = err.what();
    EXPECT_EQ(what.find(wrong), std::string::npos) << what;
    EXPECT_NE(what.find(":***@"), std::string::npos) << what;
  }
  std::ostringstream printed;
  printed << failing.url() << " " << failing.url().render_as_string();
  EXPECT_EQ(printed.str().find(wrong), std::string::npos);

  Engine e = create_engine(
      url_, {.hide_parameters = false, .echo = true, .echo_pool = true, .log_sink = sink});
  {
    Connection c = e.connect();
    c.execute(text("SELECT :x"), {{"x", 1}});
    try {
      c.execute(text("SELECT * FROM pool_rel_no_such_table"));
    } catch (const DBAPIError& err) {
      EXPECT_EQ(std::string(err.what()).find(*good.password()), std::string::npos);
    }
    c.rollback();
    c.invalidate();
  }
  e.dispose();
  std::lock_guard lock(mutex);
  EXPECT_NE(logged.find("retort.engine.Engine: SELECT"), std::string::npos) << logged;
  EXPECT_EQ(logged.find(wrong), std::string::npos) << logged;
  EXPECT_EQ(logged.find(*good.password()), std::string::npos) << logged;
  (void)b;
}

// The test's own throwaway server (scripts/<backend>-server.sh start / restart / stop): a
// restart would break the other tests sharing the suite's server.
class OwnServer {
 public:
  explicit OwnServer(const ServerBackend& b) {
    script_ = std::filesystem::path(RETORT_SOURCE_DIR) / "scripts" / b.server_script;
    if (!std::filesystem::exists(script_)) return;
    const std::string out = run("bash '" + script_.string() + "' start 2>/dev/null");
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      const auto eq = line.find('=');
      if (line.rfind("export ", 0) != 0 || eq == std::string::npos) continue;
      const std::string key = line.substr(7, eq - 7), value = line.substr(eq + 1);
      if (key == b.url_env) url_ = value;
      if (key.find("STATE_DIR") != std::string::npos) state_ = value;
    }
  }
  ~OwnServer() {
    if (!state_.empty()) run("bash '" + script_.string() + "' stop '" + state_ + "' 2>/dev/null");
  }
  const std::string& url() const { return url_; }
  bool restart() const {
    return std::system(("bash '" + script_.string() + "' restart '" + state_ + "' >/dev/null 2>&1")
                           .c_str()) == 0;
  }

 private:
  static std::string run(const std::string& cmd) {
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r")) {
      std::array<char, 512> buf{};
      while (std::fgets(buf.data(), buf.size(), p) != nullptr) out += buf.data();
      pclose(p);
    }
    return out;
  }
  std::filesystem::path script_;
  std::string url_, state_;
};

TEST_P(PoolReliability, WholeServerRestartIsSurvivedInProcessWithCommittedWorkIntact) {
  const ServerBackend& b = GetParam();
  OwnServer server(b);
  if (server.url().empty())
    GTEST_SKIP() << "could not start a throwaway server with " << b.server_script;
  Engine pinging = create_engine(server.url(), {.pool_size = 3, .pool_pre_ping = true});
  Engine plain = create_engine(server.url(), {.pool_size = 3});
  {
    Connection c = plain.connect();
    c.execute(text("CREATE TABLE pool_rel_restart (id INTEGER PRIMARY KEY)"));
    std::vector<Params> rows;
    for (int i = 0; i < 100; ++i) rows.push_back({{"id", i}});
    c.execute(text("INSERT INTO pool_rel_restart (id) VALUES (:id)"), rows);
    c.commit();
  }
  for (Engine* e : {&pinging, &plain}) {  // three idle connections in each pool
    Connection x = e->connect(), y = e->connect(), z = e->connect();
  }
  Connection in_use = plain.connect();
  EXPECT_EQ(in_use.execute(text("SELECT COUNT(*) FROM pool_rel_restart")).scalar<int>(), 100);
  in_use.rollback();

  ASSERT_TRUE(server.restart());

  // With pre-ping no error ever reaches the application.
  {
    Connection x = pinging.connect(), y = pinging.connect(), z = pinging.connect();
    for (Connection* c : {&x, &y, &z}) {
      EXPECT_EQ(c->execute(text("SELECT COUNT(*) FROM pool_rel_restart")).scalar<int>(), 100);
    }
  }
  // Without it, the first use of a dead connection fails as a disconnect, which invalidates
  // the pool: the connections made before it are replaced at their next checkout.
  try {
    in_use.execute(text("SELECT 1"));
    FAIL() << "a connection from before the restart still answered";
  } catch (const DBAPIError& err) {
    EXPECT_TRUE(err.connection_invalidated()) << err.what();
  }
  EXPECT_TRUE(in_use.invalidated());
  in_use.rollback();  // ends the transaction the failed statement may have begun
  EXPECT_EQ(in_use.execute(text("SELECT COUNT(*) FROM pool_rel_restart")).scalar<int>(), 100);
  Connection x = plain.connect(), y = plain.connect();
  for (Connection* c : {&x, &y}) {
    EXPECT_EQ(c->execute(text("SELECT COUNT(*) FROM pool_rel_restart")).scalar<int>(), 100);
  }
}

INSTANTIATE_TEST_SUITE_P(Servers, PoolReliability, ::testing::ValuesIn(kBackends),
                         [](const auto& info) { return info.param.name; });

// PostgreSQL notices arrive through the plugin's host log, and so through the default sink.
TEST(PluginLogging, ServerNoticesReachTheDefaultLogSink) {
  const char* url = std::getenv("RETORT_TEST_POSTGRESQL_URL");
  if (url == nullptr) GTEST_SKIP() << "RETORT_TEST_POSTGRESQL_URL is not set";
  std::mutex mutex;
  std::string logged;
  set_default_log_sink(make_log_sink([&](const LogRecord& r) {
    std::lock_guard lock(mutex);
    logged += std::string(r.logger) + " " + std::string(to_string(r.level)) + ": " +
              std::string(r.message) + "\n";
  }));
  {
    Engine e = create_engine(url);
    Connection c = e.connect();
    c.exec_driver_sql("DO $$ BEGIN RAISE WARNING 'retort pool notice test'; END $$");
  }
  set_default_log_sink(nullptr);
  std::lock_guard lock(mutex);
  EXPECT_NE(logged.find("retort.plugin.postgresql warning: "), std::string::npos) << logged;
  EXPECT_NE(logged.find("retort pool notice test"), std::string::npos) << logged;
}

}  // namespace
