// tests/unit/exceptions_test.cpp — DBAPIError messages and throw_dbapi_error's classification.
#include <retort/exceptions.hpp>
#include <retort/plugin_abi.h>
#include <retort/version.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <typeinfo>

namespace retort {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

DBAPIError::Info make_info(retort_status status, std::string sqlstate = {}) {
  DBAPIError::Info info;
  info.message = "something failed";
  info.status = status;
  info.sqlstate = std::move(sqlstate);
  info.dialect = "postgresql";
  info.driver = "libpq";
  return info;
}

// Runs throw_dbapi_error and returns what it threw, as the most derived type's name.
struct Thrown {
  std::string type;
  std::string what;
  bool invalidated = false;
};

Thrown classify(DBAPIError::Info info) {
  try {
    throw_dbapi_error(std::move(info));
  } catch (const NotSupportedError& e) {
    return {"NotSupportedError", e.what(), e.connection_invalidated()};
  } catch (const ProgrammingError& e) {
    return {"ProgrammingError", e.what(), e.connection_invalidated()};
  } catch (const InternalError& e) {
    return {"InternalError", e.what(), e.connection_invalidated()};
  } catch (const IntegrityError& e) {
    return {"IntegrityError", e.what(), e.connection_invalidated()};
  } catch (const OperationalError& e) {
    return {"OperationalError", e.what(), e.connection_invalidated()};
  } catch (const DataError& e) {
    return {"DataError", e.what(), e.connection_invalidated()};
  } catch (const DatabaseError& e) {
    return {"DatabaseError", e.what(), e.connection_invalidated()};
  } catch (const InterfaceError& e) {
    return {"InterfaceError", e.what(), e.connection_invalidated()};
  } catch (const DBAPIError& e) {
    return {"DBAPIError", e.what(), e.connection_invalidated()};
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Message
// ---------------------------------------------------------------------------------------------

TEST(DbapiErrorMessage, FullMessageLikeSqlAlchemy) {
  DBAPIError::Info info = make_info(RETORT_INTEGRITY, "23505");
  info.message = "duplicate key value violates unique constraint \"users_pkey\"";
  info.statement = "INSERT INTO users (id) VALUES ($1)";
  info.parameters = "[{'id': 1}]";
  const IntegrityError e(info);
  EXPECT_STREQ(e.what(),
               "(IntegrityError) [postgresql] duplicate key value violates unique constraint "
               "\"users_pkey\"\n"
               "SQLSTATE: 23505\n"
               "[SQL: INSERT INTO users (id) VALUES ($1)]\n"
               "[parameters: [{'id': 1}]]");
}

TEST(DbapiErrorMessage, OptionalLinesAreLeftOut) {
  DBAPIError::Info info = make_info(RETORT_SYNTAX);
  EXPECT_STREQ(ProgrammingError(info).what(), "(ProgrammingError) [postgresql] something failed");
  info.statement = "SELEC 1";
  EXPECT_STREQ(ProgrammingError(info).what(),
               "(ProgrammingError) [postgresql] something failed\n[SQL: SELEC 1]");
}

TEST(DbapiErrorMessage, HiddenParametersAreNotMentioned) {
  DBAPIError::Info info = make_info(RETORT_SYNTAX);
  info.statement = "SELECT :secret";
  info.parameters = std::nullopt;
  EXPECT_THAT(ProgrammingError(info).what(), Not(HasSubstr("parameters")));
}

TEST(DbapiErrorMessage, EmptyParametersAreShownWhenPresent) {
  DBAPIError::Info info = make_info(RETORT_SYNTAX);
  info.parameters = "[]";
  EXPECT_THAT(ProgrammingError(info).what(), HasSubstr("\n[parameters: []]"));
}

TEST(DbapiErrorMessage, NoDialectNoBrackets) {
  DBAPIError::Info info;
  info.message = "boom";
  EXPECT_STREQ(DBAPIError(info).what(), "(DBAPIError) boom");
}

TEST(DbapiErrorMessage, ClassNameIsTheMostDerivedEvenWhenConstructedDirectly) {
  const DBAPIError::Info info = make_info(RETORT_INTERNAL);
  EXPECT_THAT(InterfaceError(info).what(), StartsWith("(InterfaceError) "));
  EXPECT_THAT(DatabaseError(info).what(), StartsWith("(DatabaseError) "));
  EXPECT_THAT(DataError(info).what(), StartsWith("(DataError) "));
  EXPECT_THAT(OperationalError(info).what(), StartsWith("(OperationalError) "));
  EXPECT_THAT(IntegrityError(info).what(), StartsWith("(IntegrityError) "));
  EXPECT_THAT(InternalError(info).what(), StartsWith("(InternalError) "));
  EXPECT_THAT(ProgrammingError(info).what(), StartsWith("(ProgrammingError) "));
  EXPECT_THAT(NotSupportedError(info).what(), StartsWith("(NotSupportedError) "));
}

TEST(DbapiErrorMessage, ClassNameFromThrowDbapiError) {
  EXPECT_THAT(classify(make_info(RETORT_TIMEOUT)).what,
              StartsWith("(OperationalError) [postgresql] "));
}

TEST(DbapiErrorMessage, PasswordInUrlInDriverMessageIsMasked) {
  DBAPIError::Info info = make_info(RETORT_UNAUTHENTICATED);
  info.message = "could not connect to postgresql://scott:tiger@db.example.com:5432/app: refused";
  const OperationalError e(info);
  EXPECT_THAT(e.what(), HasSubstr("postgresql://scott:***@db.example.com:5432/app: refused"));
  EXPECT_THAT(e.what(), Not(HasSubstr("tiger")));
  EXPECT_THAT(e.driver_message(), Not(HasSubstr("tiger")));
}

TEST(DbapiErrorMessage, PasswordWithAtSignInUrlIsMasked) {
  DBAPIError::Info info = make_info(RETORT_UNAUTHENTICATED);
  info.message = "failed for 'mysql://root:p@ss@host/db'";
  EXPECT_THAT(OperationalError(info).what(), HasSubstr("'mysql://root:***@host/db'"));
}

TEST(DbapiErrorMessage, PasswordInConnectionStringIsMasked) {
  DBAPIError::Info info = make_info(RETORT_UNAUTHENTICATED);
  info.message =
      "bad conninfo \"host=h password=hunter2 user=u\"; ODBC: DSN=x;PWD={se;cr}}et};UID=u; "
      "Password='a b' mypassword=keep";
  const std::string what = OperationalError(info).what();
  EXPECT_THAT(what, HasSubstr("host=h password=*** user=u"));
  EXPECT_THAT(what, HasSubstr("DSN=x;PWD=***;UID=u"));
  EXPECT_THAT(what, Not(HasSubstr("cr")));
  EXPECT_THAT(what, HasSubstr("Password=***"));
  EXPECT_THAT(what, HasSubstr("mypassword=keep"));
  EXPECT_THAT(what, Not(HasSubstr("hunter2")));
  EXPECT_THAT(what, Not(HasSubstr("a b")));
}

TEST(DbapiErrorMessage, UrlWithoutPasswordIsUntouched) {
  DBAPIError::Info info = make_info(RETORT_IO);
  info.message = "see https://example.com/x and postgresql://scott@h/db";
  EXPECT_EQ(OperationalError(info).driver_message(), info.message);
}

// ---------------------------------------------------------------------------------------------
// Accessors
// ---------------------------------------------------------------------------------------------

TEST(DbapiErrorAccessors, ExposeEverythingTheDriverSaid) {
  DBAPIError::Info info = make_info(RETORT_INTEGRITY, "23505");
  info.vendor_code = 1062;
  info.statement = "INSERT";
  info.parameters = "(1,)";
  info.details = {{"constraint_name", "users_pkey"}, {"table_name", "users"}};
  const IntegrityError e(info);
  EXPECT_EQ(e.sqlstate(), "23505");
  EXPECT_EQ(e.vendor_code(), 1062);
  EXPECT_EQ(e.dialect(), "postgresql");
  EXPECT_EQ(e.driver(), "libpq");
  EXPECT_EQ(e.statement(), "INSERT");
  EXPECT_EQ(e.parameters(), "(1,)");
  EXPECT_EQ(e.driver_message(), "something failed");
  EXPECT_EQ(e.details().size(), 2u);
  EXPECT_EQ(e.info().status, RETORT_INTEGRITY);
}

TEST(DbapiErrorAccessors, DetailReturnsValueOrEmpty) {
  DBAPIError::Info info = make_info(RETORT_INTEGRITY);
  info.details = {{"constraint_name", "users_pkey"}, {"column_name", "id"}};
  const IntegrityError e(info);
  EXPECT_EQ(e.detail("constraint_name"), "users_pkey");
  EXPECT_EQ(e.detail("column_name"), "id");
  EXPECT_EQ(e.detail("missing"), "");
}

TEST(DbapiErrorAccessors, HierarchyIsPep249) {
  const DBAPIError::Info info = make_info(RETORT_INTEGRITY);
  EXPECT_THROW(throw IntegrityError(info), DatabaseError);
  EXPECT_THROW(throw IntegrityError(info), DBAPIError);
  EXPECT_THROW(throw IntegrityError(info), Error);
  EXPECT_THROW(throw InterfaceError(info), DBAPIError);
  EXPECT_THROW(throw OperationalError(info), std::runtime_error);
}

// ---------------------------------------------------------------------------------------------
// Classification by status
// ---------------------------------------------------------------------------------------------

struct StatusCase {
  retort_status status;
  const char* expected;
};

class StatusClassification : public ::testing::TestWithParam<StatusCase> {};

TEST_P(StatusClassification, StatusSelectsClass) {
  const Thrown t = classify(make_info(GetParam().status));
  EXPECT_EQ(t.type, GetParam().expected) << "status " << GetParam().status;
  EXPECT_THAT(t.what, StartsWith(std::string("(") + GetParam().expected + ") [postgresql] "));
}

INSTANTIATE_TEST_SUITE_P(
    AllStatuses, StatusClassification,
    ::testing::Values(StatusCase{RETORT_NOT_IMPLEMENTED, "NotSupportedError"},
                      StatusCase{RETORT_NOT_FOUND, "OperationalError"},
                      StatusCase{RETORT_SYNTAX, "ProgrammingError"},
                      StatusCase{RETORT_UNAUTHORIZED, "ProgrammingError"},
                      StatusCase{RETORT_INVALID_ARGUMENT, "InterfaceError"},
                      StatusCase{RETORT_INVALID_STATE, "InterfaceError"},
                      StatusCase{RETORT_INVALID_DATA, "DataError"},
                      StatusCase{RETORT_INTEGRITY, "IntegrityError"},
                      StatusCase{RETORT_INTERNAL, "InternalError"},
                      StatusCase{RETORT_IO, "OperationalError"},
                      StatusCase{RETORT_CANCELLED, "OperationalError"},
                      StatusCase{RETORT_TIMEOUT, "OperationalError"},
                      StatusCase{RETORT_UNAUTHENTICATED, "OperationalError"},
                      StatusCase{RETORT_DISCONNECTED, "OperationalError"},
                      StatusCase{RETORT_TRANSACTION_ROLLBACK, "OperationalError"},
                      StatusCase{999, "DatabaseError"}, StatusCase{RETORT_OK, "DatabaseError"}));

TEST(DbapiClassification, KnownStatusWinsOverSqlstate) {
  EXPECT_EQ(classify(make_info(RETORT_SYNTAX, "23505")).type, "ProgrammingError");
  EXPECT_EQ(classify(make_info(RETORT_INVALID_DATA, "42601")).type, "DataError");
}

// ---------------------------------------------------------------------------------------------
// Refinement by SQLSTATE
// ---------------------------------------------------------------------------------------------

struct SqlstateCase {
  const char* sqlstate;
  const char* expected;
};

class SqlstateRefinement : public ::testing::TestWithParam<SqlstateCase> {};

TEST_P(SqlstateRefinement, InternalStatusIsRefinedBySqlstateClass) {
  EXPECT_EQ(classify(make_info(RETORT_INTERNAL, GetParam().sqlstate)).type, GetParam().expected)
      << GetParam().sqlstate;
}

INSTANTIATE_TEST_SUITE_P(
    SqlstateClasses, SqlstateRefinement,
    ::testing::Values(
        SqlstateCase{"23505", "IntegrityError"}, SqlstateCase{"23503", "IntegrityError"},
        SqlstateCase{"22012", "DataError"}, SqlstateCase{"22P02", "DataError"},
        SqlstateCase{"42601", "ProgrammingError"}, SqlstateCase{"42P01", "ProgrammingError"},
        SqlstateCase{"3D000", "ProgrammingError"}, SqlstateCase{"0A000", "NotSupportedError"},
        SqlstateCase{"08006", "OperationalError"}, SqlstateCase{"40001", "OperationalError"},
        SqlstateCase{"40P01", "OperationalError"}, SqlstateCase{"28P01", "OperationalError"},
        SqlstateCase{"53300", "OperationalError"}, SqlstateCase{"57014", "OperationalError"},
        SqlstateCase{"XX000", "InternalError"}, SqlstateCase{"HY000", "InternalError"},
        SqlstateCase{"", "InternalError"}));

TEST(DbapiClassification, UnknownStatusUsesSqlstateThenFallsBackToDatabaseError) {
  EXPECT_EQ(classify(make_info(4242, "23505")).type, "IntegrityError");
  EXPECT_EQ(classify(make_info(4242, "42601")).type, "ProgrammingError");
  EXPECT_EQ(classify(make_info(4242, "XX000")).type, "InternalError");
  EXPECT_EQ(classify(make_info(4242, "HY000")).type, "DatabaseError");
  EXPECT_EQ(classify(make_info(4242)).type, "DatabaseError");
}

// ---------------------------------------------------------------------------------------------
// connection_invalidated
// ---------------------------------------------------------------------------------------------

TEST(DbapiInvalidation, DisconnectedStatusInvalidatesTheConnection) {
  const Thrown t = classify(make_info(RETORT_DISCONNECTED));
  EXPECT_EQ(t.type, "OperationalError");
  EXPECT_TRUE(t.invalidated);
}

TEST(DbapiInvalidation, SqlstateClass08InvalidatesWhateverTheStatus) {
  EXPECT_TRUE(classify(make_info(RETORT_INTERNAL, "08006")).invalidated);
  EXPECT_TRUE(classify(make_info(RETORT_IO, "08003")).invalidated);
  EXPECT_TRUE(classify(make_info(4242, "08001")).invalidated);
  EXPECT_EQ(classify(make_info(RETORT_INTERNAL, "08006")).type, "OperationalError");
}

TEST(DbapiInvalidation, OtherErrorsLeaveTheConnectionUsable) {
  EXPECT_FALSE(classify(make_info(RETORT_IO)).invalidated);
  EXPECT_FALSE(classify(make_info(RETORT_TIMEOUT, "57014")).invalidated);
  EXPECT_FALSE(classify(make_info(RETORT_INTERNAL, "40001")).invalidated);
}

TEST(DbapiInvalidation, ExplicitFlagIsKept) {
  DBAPIError::Info info = make_info(RETORT_IO);
  info.connection_invalidated = true;
  EXPECT_TRUE(classify(info).invalidated);
}

TEST(DbapiInvalidation, DirectConstructionAlsoDetectsDisconnects) {
  EXPECT_TRUE(OperationalError(make_info(RETORT_DISCONNECTED)).connection_invalidated());
  EXPECT_TRUE(InternalError(make_info(RETORT_INTERNAL, "08000")).connection_invalidated());
}

// ---------------------------------------------------------------------------------------------
// version
// ---------------------------------------------------------------------------------------------

TEST(Version, LibraryReportsTheHeaderVersion) {
  EXPECT_STREQ(version(), RETORT_VERSION_STRING);
  EXPECT_EQ(std::string(version()), std::to_string(RETORT_VERSION_MAJOR) + "." +
                                        std::to_string(RETORT_VERSION_MINOR) + "." +
                                        std::to_string(RETORT_VERSION_PATCH));
}

}  // namespace
}  // namespace retort
