// plugins/postgresql/tests/connect_test.cpp — URL → libpq, connect errors, session facts,
// notices.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace retort::postgresql::test {
namespace {

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

TEST(Connect, ConnectsToTheTestServerAndReportsVersions) {
  RETORT_PG_REQUIRE_SERVER();
  Conn c = connect_server();
  ASSERT_TRUE(c);
  char buffer[64];
  size_t length = sizeof buffer;
  ErrorBox error;
  ASSERT_EQ(driver().server_version(c.get(), buffer, &length, error.get()), RETORT_OK);
  const std::string version = buffer;
  // "15.18": major.minor, as PQserverVersion says.
  EXPECT_EQ(std::to_string(c.scalar("SELECT current_setting('server_version_num')::int / 10000")),
            version.substr(0, version.find('.')));
  EXPECT_EQ(c.scalar("SELECT current_setting('server_version_num')::int % 10000"),
            std::stoll(version.substr(version.find('.') + 1)));
  EXPECT_EQ(c.call(driver().ping, error), RETORT_OK) << error.message();
}

TEST(Connect, ServerVersionBufferProtocol) {
  RETORT_PG_REQUIRE_SERVER();
  Conn c = connect_server();
  char tiny[2];
  size_t length = sizeof tiny;
  ErrorBox error;
  EXPECT_EQ(driver().server_version(c.get(), tiny, &length, error.get()), RETORT_INVALID_ARGUMENT);
  EXPECT_GT(length, 3u);
}

TEST(Connect, SessionIsUtf8WithApplicationNameRetort) {
  RETORT_PG_REQUIRE_SERVER();
  Conn c = connect_server();
  EXPECT_EQ(c.text("SELECT current_setting('client_encoding')"), "UTF8");
  EXPECT_EQ(c.text("SELECT current_setting('application_name')"), "retort");
  Conn named = connect_server({{"application_name", "my-app"}});
  EXPECT_EQ(named.text("SELECT current_setting('application_name')"), "my-app");
}

TEST(Connect, OptionsAndOtherKeywordsPassThroughToLibpq) {
  RETORT_PG_REQUIRE_SERVER();
  Conn c = connect_server({{"options", "-c search_path=retort_nowhere,public -c work_mem=8MB"},
                           {"connect_timeout", "5"},
                           {"target_session_attrs", "read-write"},
                           {"keepalives", "1"},
                           {"keepalives_idle", "30"},
                           {"sslmode", "disable"},
                           {"client_encoding", "utf8"}});
  ASSERT_TRUE(c);
  EXPECT_EQ(c.text("SELECT current_setting('search_path')"), "retort_nowhere,public");
  EXPECT_EQ(c.text("SELECT current_setting('work_mem')"), "8MB");
}

// scripts/pg-server.sh serves TLS with a certificate for 127.0.0.1 signed by a throwaway CA,
// whose certificate it exports as RETORT_TEST_POSTGRESQL_CA.
std::string test_server_ca() {
  const char* ca = std::getenv("RETORT_TEST_POSTGRESQL_CA");
  return ca != nullptr ? ca : "";
}

TEST(Connect, VerifiedTlsWithTheServersCertificateAuthority) {
  RETORT_PG_REQUIRE_SERVER();
  const std::string ca = test_server_ca();
  if (ca.empty()) GTEST_SKIP() << "RETORT_TEST_POSTGRESQL_CA is not set (pg-server.sh sets it)";
  Conn c = connect_server({{"sslmode", "verify-full"}, {"sslrootcert", ca}});
  ASSERT_TRUE(c);
  EXPECT_EQ(c.text("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()"), "true");
  Conn plain = connect_server({{"sslmode", "disable"}});
  EXPECT_EQ(plain.text("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()"), "false");
}

TEST(Connect, CertificateThatDoesNotVerifyIsRefusedWithoutThePassword) {
  RETORT_PG_REQUIRE_SERVER();
  const std::string ca = test_server_ca();
  if (ca.empty()) GTEST_SKIP() << "RETORT_TEST_POSTGRESQL_CA is not set (pg-server.sh sets it)";
  // The server's own certificate is no certificate authority: verification must fail.
  const std::string not_a_ca = ca.substr(0, ca.rfind('/')) + "/server.crt";
  ConnectSpec spec = server_spec();
  spec.options = {{"sslmode", "verify-full"}, {"sslrootcert", not_a_ca}};
  Conn c;
  ErrorBox error;
  EXPECT_EQ(connect(spec, c, error), RETORT_DISCONNECTED) << error.message();
  EXPECT_FALSE(c);
  EXPECT_TRUE(contains(error.message(), "certificate verify failed")) << error.message();
  EXPECT_FALSE(contains(error.message(), *server_spec().password)) << error.message();
  // A missing root certificate file is named.
  spec.options = {{"sslmode", "verify-ca"}, {"sslrootcert", "/nonexistent/root.crt"}};
  error.reset();
  EXPECT_NE(connect(spec, c, error), RETORT_OK);
  EXPECT_TRUE(contains(error.message(), "/nonexistent/root.crt")) << error.message();
}

TEST(Connect, WrongPasswordIsUnauthenticatedAndNeverEchoesThePassword) {
  RETORT_PG_REQUIRE_SERVER();
  ConnectSpec spec = server_spec();
  const std::string wrong = "Wr0ngPassw0rd-7f3a9c";
  spec.password = wrong;
  Conn c;
  ErrorBox error;
  ASSERT_EQ(connect(spec, c, error), RETORT_UNAUTHENTICATED) << error.message();
  EXPECT_FALSE(c);
  EXPECT_EQ(error.sqlstate(), "28P01");
  EXPECT_TRUE(contains(error.message(), "password authentication failed")) << error.message();
  EXPECT_FALSE(contains(error.message(), wrong)) << error.message();
  EXPECT_FALSE(contains(error.message(), *server_spec().password)) << error.message();
  for (size_t i = 0; i < error.get()->detail_count; ++i) {
    EXPECT_FALSE(contains(error.get()->details[i].value, wrong));
  }
}

TEST(Connect, MissingPasswordIsUnauthenticated) {
  RETORT_PG_REQUIRE_SERVER();
  ConnectSpec spec = server_spec();
  spec.password.reset();
  spec.options = {{"passfile", "/nonexistent/pgpass"}};
  Conn c;
  ErrorBox error;
  ASSERT_EQ(connect(spec, c, error), RETORT_UNAUTHENTICATED) << error.message();
  EXPECT_EQ(error.sqlstate(), "28P01");
}

TEST(Connect, UnreachablePortIsDisconnectedNamingHostAndPort) {
  ConnectSpec spec;
  spec.host = "127.0.0.1";
  spec.port = 1;
  spec.username = "test";
  spec.password = "s3cret-unreachable";
  spec.database = "testdb";
  Conn c;
  ErrorBox error;
  ASSERT_EQ(connect(spec, c, error), RETORT_DISCONNECTED);
  EXPECT_TRUE(contains(error.message(), "127.0.0.1:1")) << error.message();
  EXPECT_TRUE(contains(error.message(), "refused")) << error.message();
  EXPECT_EQ(error.sqlstate(), "08001");
  EXPECT_FALSE(contains(error.message(), "s3cret-unreachable"));
}

TEST(Connect, UnknownOptionIsInvalidArgumentListingTheAcceptedOnes) {
  for (const bool as_query : {true, false}) {
    ConnectSpec spec;
    spec.host = "127.0.0.1";
    spec.password = "hidden-pw";
    (as_query ? spec.query : spec.options) = {{"sslmode", "disable"}, {"frobnicate", "1"}};
    Conn c;
    ErrorBox error;
    ASSERT_EQ(connect(spec, c, error), RETORT_INVALID_ARGUMENT);
    EXPECT_TRUE(contains(error.message(), "'frobnicate'")) << error.message();
    for (const char* key : {"sslmode", "sslrootcert", "connect_timeout", "application_name",
                            "target_session_attrs", "keepalives_idle", "stream_results"}) {
      EXPECT_TRUE(contains(error.message(), key)) << key << " missing in " << error.message();
    }
    EXPECT_FALSE(contains(error.message(), "hidden-pw"));
  }
}

TEST(Connect, BadOptionValuesAreInvalidArgument) {
  for (const auto& [key, value] : ConnectSpec::Pairs{{"stream_results", "maybe"},
                                                     {"statement_cache_size", "-1"},
                                                     {"statement_cache_size", "lots"},
                                                     {"client_encoding", "LATIN1"},
                                                     {"host", "127.0.0.1:99999"},
                                                     {"host", "[::1"}}) {
    ConnectSpec spec;
    spec.query = {{key, value}};
    Conn c;
    ErrorBox error;
    EXPECT_EQ(connect(spec, c, error), RETORT_INVALID_ARGUMENT) << key << "=" << value;
    EXPECT_FALSE(error.message().empty());
  }
}

TEST(Connect, MissingDatabaseIsNotFound) {
  RETORT_PG_REQUIRE_SERVER();
  ConnectSpec spec = server_spec();
  spec.database = "retort_no_such_database";
  Conn c;
  ErrorBox error;
  ASSERT_EQ(connect(spec, c, error), RETORT_NOT_FOUND) << error.message();
  EXPECT_EQ(error.sqlstate(), "3D000");
  EXPECT_TRUE(contains(error.message(), "retort_no_such_database"));
}

TEST(Connect, SeveralHostsAreTriedInOrder) {
  RETORT_PG_REQUIRE_SERVER();
  const ConnectSpec server = server_spec();
  ConnectSpec spec = server;
  spec.host.reset();
  spec.port = -1;
  spec.query = {{"host", "127.0.0.1:1," + *server.host + ":" + std::to_string(server.port)}};
  Conn c = connect(spec);
  ASSERT_TRUE(c);
  EXPECT_EQ(c.scalar("SELECT 7::bigint"), 7);
  // Repeated host keys add hosts, too; a failure names all of them.
  spec.query = {{"host", "127.0.0.1:1"}, {"host", "127.0.0.1:2"}};
  Conn bad;
  ErrorBox error;
  ASSERT_EQ(connect(spec, bad, error), RETORT_DISCONNECTED);
  EXPECT_TRUE(contains(error.message(), "127.0.0.1:1,127.0.0.1:2")) << error.message();
}

TEST(Connect, UnixSocketDirectoryThroughTheHostQueryKey) {
  RETORT_PG_REQUIRE_SERVER();
  const char* state = std::getenv("RETORT_PG_STATE_DIR");
  if (state == nullptr) GTEST_SKIP() << "RETORT_PG_STATE_DIR unset (server not from pg-server.sh)";
  ConnectSpec spec = server_spec();
  spec.host.reset();  // postgresql://test:pw@:PORT/testdb?host=/tmp/retort-pg.X/pg
  spec.query = {{"host", std::string(state) + "/pg"}};
  Conn c = connect(spec);
  ASSERT_TRUE(c);
  EXPECT_EQ(c.text("SELECT coalesce(inet_client_addr()::text, 'socket')"), "socket");
}

TEST(Connect, ServerNoticesGoToTheHostLog) {
  RETORT_PG_REQUIRE_SERVER();
  Conn c = connect_server();
  host().clear_log();
  c.exec("DO $$ BEGIN RAISE NOTICE 'retort notice %', 42; RAISE WARNING 'retort warning'; END $$");
  bool notice = false, warning = false;
  for (const LogLine& line : host().log_lines()) {
    EXPECT_EQ(line.plugin, "postgresql");
    if (contains(line.message, "retort notice 42")) {
      notice = true;
      EXPECT_EQ(line.level, RETORT_LOG_INFO);
    }
    if (contains(line.message, "retort warning")) {
      warning = true;
      EXPECT_EQ(line.level, RETORT_LOG_WARNING);
    }
  }
  EXPECT_TRUE(notice);
  EXPECT_TRUE(warning);
}

}  // namespace
}  // namespace retort::postgresql::test
