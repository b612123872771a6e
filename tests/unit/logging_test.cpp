// echo / echo_pool logging through a LogSink, hide_parameters, and the default sink.
#include <retort/engine.hpp>

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

namespace {

using namespace retort;

struct Captured {
  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> lines;  // logger, message
  std::shared_ptr<LogSink> sink() {
    return make_log_sink([this](const LogRecord& r) {
      std::lock_guard lock(mutex);
      lines.emplace_back(std::string(r.logger), std::string(r.message));
    });
  }
  bool has(std::string_view logger, std::string_view needle) {
    std::lock_guard lock(mutex);
    for (const auto& [l, m] : lines) {
      if (l == logger && m.find(needle) != std::string::npos) return true;
    }
    return false;
  }
  std::string all() {
    std::string out;
    for (const auto& [l, m] : lines) out += l + ": " + m + "\n";
    return out;
  }
};

TEST(EngineEcho, LogsStatementsTimingAndTransactionsWithParametersHiddenByDefault) {
  Captured cap;
  Engine e = create_engine("sqlite://", {.echo = true, .log_sink = cap.sink()});
  Connection c = e.connect();
  c.execute(text("CREATE TABLE echo_t (x TEXT)"));
  c.execute(text("INSERT INTO echo_t VALUES (:x)"), {{"x", "secret-value"}});
  c.commit();
  EXPECT_TRUE(cap.has("retort.engine.Engine", "BEGIN (implicit)")) << cap.all();
  EXPECT_TRUE(cap.has("retort.engine.Engine", "INSERT INTO echo_t VALUES (?)")) << cap.all();
  EXPECT_TRUE(cap.has("retort.engine.Engine", "[executed in ")) << cap.all();
  EXPECT_TRUE(cap.has("retort.engine.Engine", "hidden due to hide_parameters")) << cap.all();
  EXPECT_TRUE(cap.has("retort.engine.Engine", "COMMIT")) << cap.all();
  EXPECT_EQ(cap.all().find("secret-value"), std::string::npos) << cap.all();
}

TEST(EngineEcho, ShowsParametersWhenNotHidden) {
  Captured cap;
  Engine e =
      create_engine("sqlite://", {.hide_parameters = false, .echo = true, .log_sink = cap.sink()});
  Connection c = e.connect();
  c.execute(text("SELECT :a, :b"), {{"a", 1}, {"b", "two"}});
  c.exec_driver_sql("SELECT ?", std::vector<Value>{Value(3)});
  EXPECT_TRUE(cap.has("retort.engine.Engine", "{'a': 1, 'b': 'two'}")) << cap.all();
  EXPECT_TRUE(cap.has("retort.engine.Engine", "(3)")) << cap.all();
}

TEST(EngineEcho, OffLogsNothingAndEchoPoolLogsPoolActivity) {
  Captured cap;
  Engine quiet = create_engine("sqlite://", {.log_sink = cap.sink()});
  quiet.connect().execute(text("SELECT 1"));
  EXPECT_TRUE(cap.lines.empty()) << cap.all();

  Engine e = create_engine(
      "sqlite://", {.poolclass = PoolClass::queue, .echo_pool = true, .log_sink = cap.sink()});
  { Connection c = e.connect(); }
  e.dispose();
  EXPECT_TRUE(cap.has("retort.pool.QueuePool", "Created new connection 1")) << cap.all();
  EXPECT_TRUE(cap.has("retort.pool.QueuePool", "checked out from pool")) << cap.all();
  EXPECT_TRUE(cap.has("retort.pool.QueuePool", "returned to pool")) << cap.all();
  EXPECT_TRUE(cap.has("retort.pool.QueuePool", "Pool disposed")) << cap.all();
}

TEST(EngineEcho, LogRecordsPassThePasswordMasking) {
  Captured cap;
  Engine e = create_engine("sqlite://", {.echo = true, .log_sink = cap.sink()});
  e.connect().execute(text("SELECT 'postgresql://scott:hunter2@db/x', 'host=db password=hunter2'"));
  EXPECT_EQ(cap.all().find("hunter2"), std::string::npos) << cap.all();
  EXPECT_TRUE(cap.has("retort.engine.Engine", "scott:***@db")) << cap.all();
  EXPECT_TRUE(cap.has("retort.engine.Engine", "password=***")) << cap.all();
}

TEST(DefaultLogSink, EnginesWithoutASinkUseTheReplaceableDefault) {
  Captured cap;
  set_default_log_sink(cap.sink());
  Engine e = create_engine("sqlite://", {.echo = true});
  e.connect().execute(text("SELECT 42"));
  set_default_log_sink(nullptr);
  EXPECT_TRUE(cap.has("retort.engine.Engine", "SELECT 42")) << cap.all();
  EXPECT_EQ(default_log_sink(), stderr_log_sink());
}

TEST(DefaultLogSink, SinkExceptionsAreSwallowed) {
  Engine e =
      create_engine("sqlite://", {.echo = true, .log_sink = make_log_sink([](const LogRecord&) {
                                                  throw std::runtime_error("logger broke");
                                                })});
  EXPECT_EQ(e.connect().execute(text("SELECT 1")).scalar<int>(), 1);
}

}  // namespace
