// plugins/mariadb/tests/driver_test.cpp — the mariadbc driver against a real server, through
// the C ABI: connect options and errors, types, executemany, streaming, cancel.
// SPDX-License-Identifier: MIT
#include "driver_fixture.hpp"

#include <retort/plugin_abi.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <tuple>

namespace retort::mariadb::test {
namespace {

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

TEST(MariadbConnect, ReportsTheMariadbServerVersionAndPings) {
  RETORT_MARIADB_REQUIRE_SERVER();
  Conn c = connect_server();
  char buffer[128];
  size_t length = sizeof buffer;
  ErrorBox error;
  ASSERT_EQ(driver().server_version(c.get(), buffer, &length, error.get()), RETORT_OK);
  EXPECT_TRUE(contains(buffer, "MariaDB")) << buffer;
  const std::string version = buffer;
  EXPECT_EQ(version, c.text("SELECT VERSION()"));
  EXPECT_EQ(c.call(driver().ping, error), RETORT_OK) << error.message();
}

TEST(MariadbConnect, SessionIsUtf8mb4) {
  RETORT_MARIADB_REQUIRE_SERVER();
  Conn c = connect_server();
  EXPECT_EQ(c.text("SELECT @@character_set_client"), "utf8mb4");
  EXPECT_EQ(c.text("SELECT @@character_set_results"), "utf8mb4");
}

TEST(MariadbConnect, InitCommandAndTimeoutsAreApplied) {
  RETORT_MARIADB_REQUIRE_SERVER();
  Conn c = connect_server({{"init_command", "SET @retort_init = 42"},
                           {"connect_timeout", "5"},
                           {"read_timeout", "30"},
                           {"write_timeout", "30"}});
  EXPECT_EQ(c.scalar("SELECT @retort_init"), 42);
}

TEST(MariadbConnect, UnknownOptionIsInvalidArgumentListingTheAcceptedOnes) {
  ConnectSpec spec;
  spec.host = "127.0.0.1";
  spec.query = {{"sslmode", "require"}};
  Conn c;
  ErrorBox error;
  ASSERT_EQ(connect(spec, c, error), RETORT_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(error.message(), "unknown connect option 'sslmode'")) << error.message();
  EXPECT_TRUE(contains(error.message(), "ssl_mode")) << error.message();
  EXPECT_TRUE(contains(error.message(), "unix_socket")) << error.message();
}

TEST(MariadbConnect, BadOptionValuesNameTheKey) {
  for (const auto& [key, value, expected] :
       {std::tuple<std::string, std::string, std::string>{"connect_timeout", "soon",
                                                          "option 'connect_timeout' must be"},
        {"ssl_mode", "sometimes", "option 'ssl_mode' must be one of disabled"},
        {"charset", "latin1", "option 'charset' must be utf8mb4"},
        {"stream_results", "maybe", "option 'stream_results' must be true or false"}}) {
    ConnectSpec spec;
    spec.host = "127.0.0.1";
    spec.options = {{key, value}};
    Conn c;
    ErrorBox error;
    EXPECT_EQ(connect(spec, c, error), RETORT_INVALID_ARGUMENT) << key;
    EXPECT_TRUE(contains(error.message(), expected)) << error.message();
  }
}

TEST(MariadbConnect, WrongPasswordIsUnauthenticatedAndNeverEchoesThePassword) {
  RETORT_MARIADB_REQUIRE_SERVER();
  ConnectSpec spec = server_spec();
  spec.password = "not-the-Secret-pw-4711";
  Conn c;
  ErrorBox error;
  ASSERT_EQ(connect(spec, c, error), RETORT_UNAUTHENTICATED);
  EXPECT_EQ(error.vendor_code(), 1045);
  EXPECT_EQ(error.sqlstate(), "28000");
  EXPECT_TRUE(contains(error.message(), "could not connect to 127.0.0.1:")) << error.message();
  EXPECT_TRUE(contains(error.message(), "Access denied for user")) << error.message();
  EXPECT_FALSE(contains(error.message(), "not-the-Secret-pw-4711")) << error.message();
}

TEST(MariadbConnect, UnknownDatabaseIsNotFound) {
  RETORT_MARIADB_REQUIRE_SERVER();
  ConnectSpec spec = server_spec();
  spec.database = "retort_no_such_db";
  Conn c;
  ErrorBox error;
  const retort_status st = connect(spec, c, error);
  // 1049 Unknown database; a user without global privileges gets 1044 (access denied to it).
  if (error.vendor_code() == 1044) {
    EXPECT_EQ(st, RETORT_UNAUTHORIZED) << error.message();
  } else {
    EXPECT_EQ(error.vendor_code(), 1049) << error.message();
    EXPECT_EQ(st, RETORT_NOT_FOUND) << error.message();
  }
  EXPECT_TRUE(contains(error.message(), "retort_no_such_db")) << error.message();
}

// scripts/mariadb-server.sh serves TLS with a certificate for 127.0.0.1 signed by a throwaway
// CA, whose certificate it exports as RETORT_TEST_MARIADB_CA.
std::string test_server_ca() {
  const char* ca = std::getenv("RETORT_TEST_MARIADB_CA");
  return ca != nullptr ? ca : "";
}

// A session status variable ("" when the server has no such row or an empty value).
std::string session_status(Conn& c, const std::string& name) {
  auto batches = c.query("SHOW SESSION STATUS LIKE '" + name + "'");
  return batches.empty() || batches[0].rows() == 0 ? "" : batches[0].str(1, 0);
}

TEST(MariadbConnect, VerifiedTlsWithTheServersCertificateAuthority) {
  RETORT_MARIADB_REQUIRE_SERVER();
  const std::string ca = test_server_ca();
  if (ca.empty()) GTEST_SKIP() << "RETORT_TEST_MARIADB_CA is not set (mariadb-server.sh sets it)";
  Conn c = connect_server({{"ssl_mode", "verify_identity"}, {"ssl_ca", ca}});
  ASSERT_TRUE(c);
  EXPECT_TRUE(session_status(c, "Ssl_version").starts_with("TLSv1"));
  EXPECT_FALSE(session_status(c, "Ssl_cipher").empty());
  Conn plain = connect_server({{"ssl_mode", "disabled"}});
  EXPECT_EQ(session_status(plain, "Ssl_cipher"), "");
}

TEST(MariadbConnect, CertificateThatDoesNotVerifyIsRefusedWithoutThePassword) {
  RETORT_MARIADB_REQUIRE_SERVER();
  const std::string ca = test_server_ca();
  if (ca.empty()) GTEST_SKIP() << "RETORT_TEST_MARIADB_CA is not set (mariadb-server.sh sets it)";
  // The server's own certificate is no certificate authority: verification must fail.
  const std::string not_a_ca = ca.substr(0, ca.rfind('/')) + "/server.crt";
  ConnectSpec spec = server_spec();
  spec.options = {{"ssl_mode", "verify_identity"}, {"ssl_ca", not_a_ca}};
  Conn c;
  ErrorBox error;
  EXPECT_EQ(connect(spec, c, error), RETORT_DISCONNECTED) << error.message();
  EXPECT_FALSE(c);
  EXPECT_TRUE(contains(error.message(), "could not connect to 127.0.0.1:")) << error.message();
  EXPECT_TRUE(contains(error.message(), "certificate")) << error.message();
  EXPECT_FALSE(contains(error.message(), *server_spec().password)) << error.message();
}

TEST(MariadbConnect, UnreachablePortIsDisconnectedNamingHostAndPort) {
  ConnectSpec spec;
  spec.host = "127.0.0.1";
  spec.port = 1;
  spec.username = "x";
  Conn c;
  ErrorBox error;
  ASSERT_EQ(connect(spec, c, error), RETORT_DISCONNECTED);
  EXPECT_EQ(error.sqlstate(), "08001");
  EXPECT_TRUE(contains(error.message(), "could not connect to 127.0.0.1:1:")) << error.message();
}

// --- errors ----------------------------------------------------------------------------------

TEST(MariadbErrors, DuplicateKeyIsIntegrityWithTheKeyName) {
  RETORT_MARIADB_REQUIRE_SERVER();
  ScratchTable t("dup", "id INT PRIMARY KEY, code VARCHAR(10), UNIQUE KEY uq_code (code)");
  Conn c = connect_server();
  c.exec("INSERT INTO " + t.name() + " VALUES (1, 'a')");
  ErrorBox error;
  ASSERT_EQ(c.try_exec("INSERT INTO " + t.name() + " VALUES (2, 'a')", nullptr, error),
            RETORT_INTEGRITY);
  EXPECT_EQ(error.vendor_code(), 1062);
  EXPECT_EQ(error.sqlstate(), "23000");
  EXPECT_EQ(error.detail("constraint_name"), std::optional<std::string>("uq_code"));
  error.reset();
  ASSERT_EQ(c.try_exec("INSERT INTO " + t.name() + " VALUES (1, 'b')", nullptr, error),
            RETORT_INTEGRITY);
  EXPECT_EQ(error.detail("constraint_name"), std::optional<std::string>("PRIMARY"));
}

TEST(MariadbErrors, ForeignKeyAndNotNullViolationsAreIntegrity) {
  RETORT_MARIADB_REQUIRE_SERVER();
  ScratchTable parent("fkp", "id INT PRIMARY KEY");
  ScratchTable child("fkc",
                     "id INT PRIMARY KEY, p INT NOT NULL, CONSTRAINT fk_rt_child FOREIGN "
                     "KEY (p) REFERENCES " +
                         parent.name() + " (id)");
  Conn c = connect_server();
  ErrorBox error;
  ASSERT_EQ(c.try_exec("INSERT INTO " + child.name() + " VALUES (1, 7)", nullptr, error),
            RETORT_INTEGRITY);
  EXPECT_EQ(error.vendor_code(), 1452);
  EXPECT_EQ(error.detail("constraint_name"), std::optional<std::string>("fk_rt_child"));
  error.reset();
  ParamBatch nulls(1);
  nulls.nulls();
  ASSERT_EQ(c.try_exec("INSERT INTO " + child.name() + " VALUES (2, ?)", &nulls, error),
            RETORT_INTEGRITY);
  EXPECT_EQ(error.vendor_code(), 1048);
  c.exec("INSERT INTO " + parent.name() + " VALUES (7)");
  c.exec("INSERT INTO " + child.name() + " VALUES (1, 7)");
  error.reset();
  ASSERT_EQ(c.try_exec("DELETE FROM " + parent.name(), nullptr, error), RETORT_INTEGRITY);
  EXPECT_EQ(error.vendor_code(), 1451);
  c.exec("DELETE FROM " + child.name());
}

TEST(MariadbErrors, LockWaitTimeoutIsATimeoutMarkedAsSuch) {
  RETORT_MARIADB_REQUIRE_SERVER();
  ScratchTable t("lock", "id INT PRIMARY KEY, v INT");
  Conn a = connect_server();
  a.exec("INSERT INTO " + t.name() + " VALUES (1, 0)");
  Conn b = connect_server({{"init_command", "SET SESSION innodb_lock_wait_timeout = 1"}});
  ErrorBox error;
  ASSERT_EQ(a.call(driver().begin, error), RETORT_OK);
  a.exec("UPDATE " + t.name() + " SET v = 1 WHERE id = 1");
  ASSERT_EQ(b.try_exec("UPDATE " + t.name() + " SET v = 2 WHERE id = 1", nullptr, error),
            RETORT_TIMEOUT);
  EXPECT_EQ(error.vendor_code(), 1205);
  EXPECT_EQ(error.detail("retort.kind"), std::optional<std::string>("lock_wait_timeout"));
  ErrorBox e2;
  EXPECT_EQ(a.call(driver().rollback, e2), RETORT_OK);
}

TEST(MariadbErrors, DeadlockIsATransactionRollbackMarkedDeadlock) {
  RETORT_MARIADB_REQUIRE_SERVER();
  ScratchTable t("dead", "id INT PRIMARY KEY, v INT");
  Conn a = connect_server();
  a.exec("INSERT INTO " + t.name() + " VALUES (1, 0), (2, 0)");
  Conn b = connect_server();
  ErrorBox ea, eb;
  ASSERT_EQ(a.call(driver().begin, ea), RETORT_OK);
  ASSERT_EQ(b.call(driver().begin, eb), RETORT_OK);
  a.exec("UPDATE " + t.name() + " SET v = 1 WHERE id = 1");
  b.exec("UPDATE " + t.name() + " SET v = 1 WHERE id = 2");
  retort_status sa = RETORT_OK;
  std::thread other(
      [&] { sa = a.try_exec("UPDATE " + t.name() + " SET v = 2 WHERE id = 2", nullptr, ea); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const retort_status sb =
      b.try_exec("UPDATE " + t.name() + " SET v = 2 WHERE id = 1", nullptr, eb);
  other.join();
  // One of the two is chosen as the victim.
  ErrorBox& victim = sb != RETORT_OK ? eb : ea;
  EXPECT_EQ(sb != RETORT_OK ? sb : sa, RETORT_TRANSACTION_ROLLBACK);
  EXPECT_EQ(victim.vendor_code(), 1213);
  EXPECT_EQ(victim.sqlstate(), "40001");
  EXPECT_EQ(victim.detail("retort.kind"), std::optional<std::string>("deadlock"));
  ErrorBox r1, r2;
  a.call(driver().rollback, r1);
  b.call(driver().rollback, r2);
}

TEST(MariadbErrors, KilledSessionIsDisconnected) {
  RETORT_MARIADB_REQUIRE_SERVER();
  Conn a = connect_server();
  Conn b = connect_server();
  const int64_t id = a.scalar("SELECT CONNECTION_ID()");
  b.exec("KILL " + std::to_string(id));
  ErrorBox error;
  EXPECT_EQ(a.try_exec("SELECT 1", nullptr, error), RETORT_DISCONNECTED) << error.message();
  EXPECT_TRUE(error.vendor_code() == 2006 || error.vendor_code() == 2013 ||
              error.vendor_code() == 1927)
      << error.vendor_code() << " " << error.message();
}

// --- types -----------------------------------------------------------------------------------

TEST(MariadbTypes, IntegersDecimalsAndTextRoundTripExactly) {
  RETORT_MARIADB_REQUIRE_SERVER();
  ScratchTable t("types",
                 "i BIGINT, d DECIMAL(65, 30), s VARCHAR(20), b BLOB, f FLOAT, "
                 "x DOUBLE, u BIGINT UNSIGNED");
  Conn c = connect_server();
  ParamBatch p(3);
  p.int64s({INT64_MIN, INT64_MAX, std::nullopt});
  p.strings(RETORT_TYPE_DECIMAL,
            {"-12345678901234567890123456789012345.123456789012345678901234567891",
             "0.000000000000000000000000000001", std::nullopt});
  p.strings(RETORT_TYPE_TEXT, {"h\xc3\xa9llo \xf0\x9f\x98\x80", "", std::nullopt});
  p.strings(RETORT_TYPE_BYTES, {std::string("a\0b", 3), "", std::nullopt});
  p.doubles({0.1f, -3.5, std::nullopt});
  p.doubles({0.1, -1e308, std::nullopt});
  p.int64s({5, 0, std::nullopt});
  retort_exec_info info{};
  {
    Stmt s = c.prepare("INSERT INTO " + t.name() + " VALUES (?, ?, ?, ?, ?, ?, ?)");
    ErrorBox error;
    ASSERT_EQ(s.execute(&p, info, error), RETORT_OK) << error.message();
    EXPECT_EQ(info.rows_affected, 3);
  }
  auto batches = c.query("SELECT i, d, s, b, f, x, u FROM " + t.name() + " ORDER BY i IS NULL, i");
  ASSERT_EQ(batches.size(), 1u);
  const Batch& b = batches[0];
  ASSERT_EQ(b.rows(), 3);
  EXPECT_EQ(b.type(0), static_cast<uint32_t>(RETORT_TYPE_INT64));
  EXPECT_EQ(b.i64(0, 0), INT64_MIN);
  EXPECT_EQ(b.i64(0, 1), INT64_MAX);
  EXPECT_EQ(b.type(1), static_cast<uint32_t>(RETORT_TYPE_DECIMAL));
  EXPECT_EQ(b.str(1, 0), "-12345678901234567890123456789012345.123456789012345678901234567891");
  EXPECT_EQ(b.str(1, 1), "0.000000000000000000000000000001");
  EXPECT_EQ(b.type(2), static_cast<uint32_t>(RETORT_TYPE_TEXT));
  EXPECT_EQ(b.str(2, 0), "h\xc3\xa9llo \xf0\x9f\x98\x80");
  EXPECT_EQ(b.str(2, 1), "");
  EXPECT_FALSE(b.is_null(2, 1));
  EXPECT_EQ(b.type(3), static_cast<uint32_t>(RETORT_TYPE_BYTES));
  EXPECT_EQ(b.str(3, 0), std::string("a\0b", 3));
  EXPECT_EQ(b.f64(4, 0), static_cast<double>(0.1f));
  EXPECT_EQ(b.f64(5, 1), -1e308);
  EXPECT_EQ(b.i64(6, 0), 5);
  for (int col = 0; col < 7; ++col) EXPECT_TRUE(b.is_null(col, 2)) << col;
}

TEST(MariadbTypes, UnsignedBigintBeyondInt64IsADataErrorNamingTheColumn) {
  RETORT_MARIADB_REQUIRE_SERVER();
  Conn c = connect_server();
  Stmt s = c.prepare("SELECT CAST(18446744073709551615 AS UNSIGNED) AS big");
  retort_exec_info info{};
  ErrorBox error;
  ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK) << error.message();
  Batch out;
  ASSERT_EQ(s.fetch(10, out, error), RETORT_INVALID_DATA);
  EXPECT_EQ(error.message(),
            "column 'big': the unsigned value 18446744073709551615 does not fit a signed 64-bit "
            "integer; CAST it to DECIMAL");
}

TEST(MariadbTypes, DatesTimesAndDatetimesKeepMicroseconds) {
  RETORT_MARIADB_REQUIRE_SERVER();
  ScratchTable t("dt", "d DATE, tm TIME(6), ts DATETIME(6)");
  Conn c = connect_server();
  ParamBatch p(2);
  p.dates({-719162 + 365, 19000});  // 0002-01-01, 2022-01-08
  p.micros(RETORT_TYPE_TIME, {int64_t{-838} * 3600000000 - 1, int64_t{86399999999}});
  p.micros(RETORT_TYPE_TIMESTAMP,
           {int64_t{-30610224000000000} + 123456, int64_t{1700000000123456}});
  c.exec("INSERT INTO " + t.name() + " VALUES (?, ?, ?)", &p);
  auto batches = c.query("SELECT d, tm, ts FROM " + t.name() + " ORDER BY d");
  ASSERT_EQ(batches.size(), 1u);
  const Batch& b = batches[0];
  ASSERT_EQ(b.rows(), 2);
  EXPECT_EQ(b.type(0), static_cast<uint32_t>(RETORT_TYPE_DATE));
  EXPECT_EQ(b.type(1), static_cast<uint32_t>(RETORT_TYPE_TIME));
  EXPECT_EQ(b.type(2), static_cast<uint32_t>(RETORT_TYPE_TIMESTAMP));
  EXPECT_EQ(b.i64(1, 0), int64_t{-838} * 3600000000 - 1);
  EXPECT_EQ(b.i64(1, 1), int64_t{86399999999});
  EXPECT_EQ(b.i64(2, 0), int64_t{-30610224000000000} + 123456);
  EXPECT_EQ(b.i64(2, 1), int64_t{1700000000123456});
}

// --- execution -------------------------------------------------------------------------------

TEST(MariadbExecute, ExecutemanyInsertsEveryRowAndCountsThem) {
  RETORT_MARIADB_REQUIRE_SERVER();
  ScratchTable t("many", "id INT PRIMARY KEY, s TEXT");
  Conn c = connect_server();
  constexpr int kRows = 20000;
  std::vector<std::optional<int64_t>> ids;
  std::vector<std::optional<std::string>> texts;
  for (int i = 0; i < kRows; ++i) {
    ids.push_back(i);
    texts.push_back(i % 7 == 0 ? std::nullopt
                               : std::optional<std::string>(std::string(i % 300, 'x')));
  }
  ParamBatch p(kRows);
  p.int64s(ids).strings(RETORT_TYPE_TEXT, texts);
  const retort_exec_info info = c.exec("INSERT INTO " + t.name() + " VALUES (?, ?)", &p);
  EXPECT_EQ(info.rows_affected, kRows);
  EXPECT_EQ(c.scalar("SELECT count(*) FROM " + t.name()), kRows);
  EXPECT_EQ(c.scalar("SELECT count(*) FROM " + t.name() + " WHERE s IS NULL"), (kRows + 6) / 7);
  EXPECT_EQ(c.scalar("SELECT CAST(sum(length(s)) AS SIGNED) FROM " + t.name()), [] {
    int64_t sum = 0;
    for (int i = 0; i < kRows; ++i) sum += i % 7 == 0 ? 0 : i % 300;
    return sum;
  }());
}

TEST(MariadbExecute, AffectedRowsCountMatchedRowsUnlessClientFoundRowsIsOff) {
  RETORT_MARIADB_REQUIRE_SERVER();
  ScratchTable t("found", "id INT PRIMARY KEY, v INT");
  Conn c = connect_server();
  c.exec("INSERT INTO " + t.name() + " VALUES (1, 5), (2, 6)");
  EXPECT_EQ(c.exec("UPDATE " + t.name() + " SET v = 5").rows_affected, 2);
  Conn changed = connect_server({{"client_found_rows", "false"}});
  EXPECT_EQ(changed.exec("UPDATE " + t.name() + " SET v = 5").rows_affected, 0);
}

TEST(MariadbExecute, LastInsertIdOfAnAutoIncrementInsert) {
  RETORT_MARIADB_REQUIRE_SERVER();
  ScratchTable t("auto", "id INT AUTO_INCREMENT PRIMARY KEY, s TEXT");
  Conn c = connect_server();
  c.exec("INSERT INTO " + t.name() + " (s) VALUES ('a')");
  const retort_exec_info info = c.exec("INSERT INTO " + t.name() + " (s) VALUES ('b')");
  EXPECT_EQ(info.has_last_insert_id, 1);
  EXPECT_EQ(info.last_insert_id, 2);
}

TEST(MariadbExecute, StreamedResultsComeInBatchesAndSurviveAnotherStatement) {
  RETORT_MARIADB_REQUIRE_SERVER();
  Conn c = connect_server({{"stream_results", "true"}});
  Stmt s = c.prepare("SELECT seq, repeat('y', seq % 50) FROM seq_1_to_10000");
  retort_exec_info info{};
  ErrorBox error;
  ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK) << error.message();
  EXPECT_EQ(info.rows_affected, -1);
  Batch first;
  ASSERT_EQ(s.fetch(100, first, error), RETORT_OK);
  ASSERT_EQ(first.rows(), 100);
  EXPECT_EQ(first.i64(0, 99), 100);
  // Another statement on the session reads the rest of the stream into memory first.
  EXPECT_EQ(c.scalar("SELECT 7"), 7);
  int64_t total = 100, last = 0;
  for (const Batch& b : s.fetch_all(1000)) {
    total += b.rows();
    last = b.i64(0, b.rows() - 1);
  }
  EXPECT_EQ(total, 10000);
  EXPECT_EQ(last, 10000);
}

TEST(MariadbExecute, CancelKillsTheRunningQuery) {
  RETORT_MARIADB_REQUIRE_SERVER();
  Conn c = connect_server();
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ErrorBox e;
    EXPECT_EQ(driver().cancel(c.get(), e.get()), RETORT_OK) << e.message();
  });
  ErrorBox error;
  const retort_status st = c.try_exec(
      "SELECT count(*) FROM seq_1_to_100000 a, seq_1_to_100000 b WHERE a.seq + b.seq > 0", nullptr,
      error);
  canceller.join();
  EXPECT_EQ(st, RETORT_CANCELLED) << error.message();
  EXPECT_EQ(error.vendor_code(), 1317);
  EXPECT_EQ(error.sqlstate(), "70100");
  EXPECT_EQ(c.scalar("SELECT 3"), 3);  // the session is usable again
}

TEST(MariadbExecute, SavepointsRollBackPartOfATransaction) {
  RETORT_MARIADB_REQUIRE_SERVER();
  ScratchTable t("sp", "id INT PRIMARY KEY");
  Conn c = connect_server();
  ErrorBox e;
  ASSERT_EQ(c.call(driver().begin, e), RETORT_OK);
  c.exec("INSERT INTO " + t.name() + " VALUES (1)");
  ASSERT_EQ(c.call(driver().savepoint, "sp_1", e), RETORT_OK) << e.message();
  c.exec("INSERT INTO " + t.name() + " VALUES (2)");
  ASSERT_EQ(c.call(driver().rollback_to_savepoint, "sp_1", e), RETORT_OK) << e.message();
  ASSERT_EQ(c.call(driver().release_savepoint, "sp_1", e), RETORT_OK) << e.message();
  ASSERT_EQ(c.call(driver().commit, e), RETORT_OK);
  EXPECT_EQ(c.scalar("SELECT count(*) FROM " + t.name()), 1);
  // BEGIN inside a transaction would commit it implicitly: refused.
  ASSERT_EQ(c.call(driver().begin, e), RETORT_OK);
  EXPECT_EQ(c.call(driver().begin, e), RETORT_INVALID_STATE);
  ErrorBox r;
  c.call(driver().rollback, r);
}

}  // namespace
}  // namespace retort::mariadb::test
