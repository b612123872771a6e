// sdk/conformance/fixture.cpp — the shared fixture of the Core conformance kit.
#include <retort/conformance/backend.hpp>

namespace retort::conformance {

void CoreTest::SetUp() {
  const auto url = backend().url();
  if (!url) {
    GTEST_SKIP() << "backend '" << backend().name << "' not configured: set "
                 << backend().url_env << " to a URL to run it";
  }
  engine.emplace(create_engine(*url));
  conn.emplace(engine->connect());
}

void CoreTest::TearDown() {
  if (!engine) return;
  conn.reset();
  // A fresh connection, so a failed test's open transaction cannot block the drops.
  Connection c = engine->connect();
  for (const auto& t : tables_) {
    c.execute(text("DROP TABLE IF EXISTS " + t));
  }
  c.commit();
}

void CoreTest::create_table(const std::string& name, const std::string& columns) {
  conn->execute(text("DROP TABLE IF EXISTS " + name));
  conn->execute(text("CREATE TABLE " + name + " (" + columns + ")"));
  conn->commit();
  tables_.push_back(name);
}

std::string backend_test_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

}  // namespace retort::conformance
