// sdk/conformance/error_test.cpp — errors are specific, carry context, and lose nothing.
#include <retort/conformance/backend.hpp>

#include <gmock/gmock.h>

#include <thread>

namespace retort::conformance {

using ::testing::HasSubstr;

TEST_P(ErrorTest, SyntaxErrorIsProgrammingErrorWithTheStatement) {
  try {
    conn->execute(text("SELEC nonsense"));
    FAIL() << "expected ProgrammingError";
  } catch (const ProgrammingError& e) {
    EXPECT_EQ(e.statement(), "SELEC nonsense");
    EXPECT_EQ(e.dialect(), engine->dialect_name());
    EXPECT_THAT(e.what(), HasSubstr("SELEC nonsense"));
  }
}

TEST_P(ErrorTest, UnknownTableIsProgrammingError) {
  EXPECT_THROW(conn->execute(text("SELECT * FROM rt_no_such_table")), ProgrammingError);
}

TEST_P(ErrorTest, UniqueViolationIsIntegrityErrorWithTheBackendsSqlstate) {
  create_table("rt_err", "id " + backend().type_int + " PRIMARY KEY");
  conn->execute(text("INSERT INTO rt_err (id) VALUES (1)"));
  try {
    conn->execute(text("INSERT INTO rt_err (id) VALUES (:id)"), {{"id", 1}});
    FAIL() << "expected IntegrityError";
  } catch (const IntegrityError& e) {
    EXPECT_EQ(e.sqlstate(), backend().sqlstate_unique);
    EXPECT_NE(e.vendor_code(), 0);
    EXPECT_FALSE(e.connection_invalidated());
  }
}

TEST_P(ErrorTest, NotNullViolationIsIntegrityError) {
  create_table("rt_err", "id " + backend().type_int + " NOT NULL");
  try {
    conn->execute(text("INSERT INTO rt_err (id) VALUES (:id)"), {{"id", nullptr}});
    FAIL() << "expected IntegrityError";
  } catch (const IntegrityError& e) {
    EXPECT_EQ(e.sqlstate(), backend().sqlstate_not_null);
  }
}

TEST_P(ErrorTest, FailedExecutemanyLeavesNothingAfterRollback) {
  create_table("rt_err", "id " + backend().type_int + " PRIMARY KEY");
  EXPECT_THROW(conn->execute(text("INSERT INTO rt_err (id) VALUES (:id)"),
                             {{{"id", 1}}, {{"id", 2}}, {{"id", 1}}}),
               IntegrityError);
  conn->rollback();
  EXPECT_EQ(conn->execute(text("SELECT count(*) FROM rt_err")).scalar_one<int64_t>(), 0);
}

TEST_P(ErrorTest, ParameterValuesAreHiddenFromErrorsByDefault) {
  create_table("rt_err", "id " + backend().type_int + " PRIMARY KEY");
  conn->execute(text("INSERT INTO rt_err (id) VALUES (7)"));
  try {
    conn->execute(text("INSERT INTO rt_err (id) VALUES (:secret)"), {{"secret", 7}});
    FAIL();
  } catch (const DBAPIError& e) {
    EXPECT_FALSE(e.parameters().has_value());
    EXPECT_THAT(e.what(), ::testing::Not(HasSubstr("parameters")));
  }
}

TEST_P(ErrorTest, ParameterValuesAppearWhenNotHidden) {
  EngineOptions options;
  options.hide_parameters = false;
  Engine shown = create_engine(*backend().url(), options);
  Connection c = shown.connect();
  try {
    c.execute(text("SELECT * FROM rt_no_such_table WHERE x = :x"), {{"x", "needle"}});
    FAIL();
  } catch (const DBAPIError& e) {
    ASSERT_TRUE(e.parameters().has_value());
    EXPECT_THAT(*e.parameters(), HasSubstr("'needle'"));
  }
}

TEST_P(ErrorTest, MissingParameterIsArgumentErrorNamingIt) {
  try {
    conn->execute(text("SELECT :a + :b"), {{"a", 1}});
    FAIL() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    EXPECT_THAT(e.what(), HasSubstr("'b'"));
  }
}

TEST_P(ErrorTest, NullIntoNonOptionalNamesTheColumn) {
  auto row = conn->execute(text("SELECT NULL AS missing")).one();
  try {
    row.get<int64_t>("missing");
    FAIL() << "expected TypeConversionError";
  } catch (const TypeConversionError& e) {
    EXPECT_THAT(e.what(), HasSubstr("'missing'"));
    EXPECT_THAT(e.what(), HasSubstr("std::optional"));
  }
}

TEST_P(ErrorTest, WrongTypeNamesTheColumnAndBothTypes) {
  auto row = conn->execute(text("SELECT 'text' AS word")).one();
  try {
    row.get<int64_t>("word");
    FAIL() << "expected TypeConversionError";
  } catch (const TypeConversionError& e) {
    EXPECT_THAT(e.what(), HasSubstr("'word'"));
    EXPECT_THAT(e.what(), HasSubstr("TEXT"));
    EXPECT_THAT(e.what(), HasSubstr("int64_t"));
  }
}

TEST_P(ErrorTest, ClosedConnectionRefusesWork) {
  conn->close();
  EXPECT_TRUE(conn->closed());
  EXPECT_THROW(conn->execute(text("SELECT 1")), ResourceClosedError);
}

TEST_P(ErrorTest, UnfetchedRowsAreGoneWhenTheConnectionCloses) {
  create_table("rt_err", "id " + backend().type_int);
  std::vector<Params> rows;
  for (int i = 0; i < 5000; ++i) rows.push_back({{"id", i}});
  conn->execute(text("INSERT INTO rt_err (id) VALUES (:id)"), rows);
  conn->commit();
  Result r = conn->execute(text("SELECT id FROM rt_err"));
  ASSERT_TRUE(r.fetchone().has_value());
  conn->close();
  try {
    while (r.fetchone()) {
    }
    FAIL() << "expected ResourceClosedError";
  } catch (const ResourceClosedError& e) {
    EXPECT_THAT(e.what(), HasSubstr("closed before all of its rows were fetched"));
  }
}

TEST_P(ErrorTest, ConnectionStaysUsableAfterAnError) {
  EXPECT_THROW(conn->execute(text("SELEC 1")), ProgrammingError);
  conn->rollback();
  EXPECT_EQ(conn->execute(text("SELECT 5")).scalar_one<int>(), 5);
}

TEST_P(ErrorTest, CancelInterruptsARunningStatement) {
  if (!backend().cancel) GTEST_SKIP() << "requires: cancel";
  std::thread canceller([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    conn->cancel();
  });
  try {
    conn->execute(text(backend().long_running_query)).scalar_one<int64_t>();
    canceller.join();
    FAIL() << "expected OperationalError";
  } catch (const OperationalError& e) {
    canceller.join();
    EXPECT_EQ(e.sqlstate(), backend().sqlstate_cancel);
  }
}

}  // namespace retort::conformance
