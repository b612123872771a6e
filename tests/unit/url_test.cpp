// tests/unit/url_test.cpp — make_url, URL::create, rendering and error messages.
#include <retort/exceptions.hpp>
#include <retort/url.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <string>

namespace retort {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The message of the ArgumentError `parse` throws; fails the test when it throws nothing or
// something else.
std::string parse_error(std::string_view text) {
  try {
    make_url(text);
  } catch (const ArgumentError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "make_url(\"" << text << "\") threw a non-ArgumentError: " << e.what();
    return {};
  }
  ADD_FAILURE() << "make_url(\"" << text << "\") did not throw";
  return {};
}

std::string create_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const ArgumentError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no ArgumentError thrown";
  return {};
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

TEST(UrlParse, FullUrlSplitsIntoEveryPart) {
  const URL u = make_url("postgresql+libpq://scott:tiger@localhost:5432/mydb?sslmode=require");
  EXPECT_EQ(u.drivername(), "postgresql+libpq");
  EXPECT_EQ(u.get_backend_name(), "postgresql");
  EXPECT_EQ(u.get_driver_name(), "libpq");
  EXPECT_EQ(u.username(), "scott");
  EXPECT_EQ(u.password(), "tiger");
  EXPECT_EQ(u.host(), "localhost");
  EXPECT_EQ(u.port(), 5432);
  EXPECT_EQ(u.database(), "mydb");
  EXPECT_EQ(u.query(), (URL::Query{{"sslmode", "require"}}));
}

TEST(UrlParse, DrivernameWithoutDriverHasEmptyDriverName) {
  const URL u = make_url("postgresql://localhost/db");
  EXPECT_EQ(u.get_backend_name(), "postgresql");
  EXPECT_EQ(u.get_driver_name(), "");
}

TEST(UrlParse, AbsentPartsAreNullopt) {
  const URL u = make_url("postgresql://localhost");
  EXPECT_EQ(u.username(), std::nullopt);
  EXPECT_EQ(u.password(), std::nullopt);
  EXPECT_EQ(u.port(), std::nullopt);
  EXPECT_EQ(u.database(), std::nullopt);
  EXPECT_TRUE(u.query().empty());
}

TEST(UrlParse, DrivernameAllowsLettersDigitsUnderscoreDotDash) {
  const URL u = make_url("my_dialect.v2-x+drv_1://h");
  EXPECT_EQ(u.get_backend_name(), "my_dialect.v2-x");
  EXPECT_EQ(u.get_driver_name(), "drv_1");
}

// The URLs of SQLAlchemy's "Engine Configuration" documentation.
TEST(UrlParse, SqlAlchemyDocumentationExamples) {
  {
    const URL u = make_url("postgresql+psycopg2://scott:tiger@localhost/mydatabase");
    EXPECT_EQ(u.get_driver_name(), "psycopg2");
    EXPECT_EQ(u.host(), "localhost");
    EXPECT_EQ(u.database(), "mydatabase");
  }
  {
    // "Escaping Special Characters such as @ signs in Passwords"
    const URL u = make_url("postgresql+pg8000://dbuser:kx%40jj5%2Fg@pghost10/appdb");
    EXPECT_EQ(u.username(), "dbuser");
    EXPECT_EQ(u.password(), "kx@jj5/g");
    EXPECT_EQ(u.host(), "pghost10");
    EXPECT_EQ(u.database(), "appdb");
  }
  {
    const URL u = make_url("mysql+pymysql://scott:tiger@localhost/foo");
    EXPECT_EQ(u.get_backend_name(), "mysql");
    EXPECT_EQ(u.database(), "foo");
  }
  {
    const URL u = make_url("oracle+cx_oracle://scott:tiger@tnsname");
    EXPECT_EQ(u.get_driver_name(), "cx_oracle");
    EXPECT_EQ(u.host(), "tnsname");
    EXPECT_EQ(u.database(), std::nullopt);
  }
  {
    const URL u = make_url("oracle+oracledb://scott:tiger@hostname:1521/?service_name=myservice");
    EXPECT_EQ(u.port(), 1521);
    EXPECT_EQ(u.database(), "");
    EXPECT_EQ(u.query_value("service_name"), "myservice");
  }
  {
    const URL u = make_url("mssql+pyodbc://scott:tiger@mydsn");
    EXPECT_EQ(u.host(), "mydsn");
  }
  {
    const URL u = make_url(
        "mssql+pyodbc://scott:tiger@hostname:1433/dbname?driver=ODBC+Driver+17+for+SQL+Server");
    EXPECT_EQ(u.query_value("driver"), "ODBC Driver 17 for SQL Server");
  }
  {
    const URL u =
        make_url("mysql+mysqldb://scott:tiger@localhost/test?charset=utf8mb4&binary_prefix=true");
    EXPECT_EQ(u.query(), (URL::Query{{"charset", "utf8mb4"}, {"binary_prefix", "true"}}));
  }
  {
    // Unix-domain socket: no host in the authority, the directory in the query.
    const URL u = make_url("postgresql+psycopg2://user:password@/dbname?host=/var/lib/postgresql");
    EXPECT_EQ(u.username(), "user");
    EXPECT_EQ(u.host(), std::nullopt);
    EXPECT_EQ(u.database(), "dbname");
    EXPECT_EQ(u.query_value("host"), "/var/lib/postgresql");
  }
  {
    // Multiple fallback hosts: a repeated key.
    const URL u = make_url(
        "postgresql+psycopg2://user:password@/"
        "dbname?host=HostA:5432&host=HostB:5432&host=HostC:5432");
    EXPECT_EQ(u.query_values("host"),
              (std::vector<std::string>{"HostA:5432", "HostB:5432", "HostC:5432"}));
  }
}

TEST(UrlParse, SqliteWithNothingAfterSchemeIsInMemory) {
  const URL u = make_url("sqlite://");
  EXPECT_EQ(u.drivername(), "sqlite");
  EXPECT_EQ(u.host(), std::nullopt);
  EXPECT_EQ(u.database(), std::nullopt);
}

TEST(UrlParse, SqliteThreeSlashesGiveRelativePath) {
  EXPECT_EQ(make_url("sqlite:///relative.db").database(), "relative.db");
  EXPECT_EQ(make_url("sqlite:///relative/path.db").database(), "relative/path.db");
}

TEST(UrlParse, SqliteFourSlashesGiveAbsolutePath) {
  const URL u = make_url("sqlite:////abs/x.db");
  EXPECT_EQ(u.host(), std::nullopt);
  EXPECT_EQ(u.database(), "/abs/x.db");
}

TEST(UrlParse, SqliteMemoryDatabaseName) {
  EXPECT_EQ(make_url("sqlite:///:memory:").database(), ":memory:");
}

TEST(UrlParse, SqliteQueryAfterPath) {
  const URL u = make_url("sqlite:///file.db?mode=ro&timeout=5");
  EXPECT_EQ(u.database(), "file.db");
  EXPECT_EQ(u.query(), (URL::Query{{"mode", "ro"}, {"timeout", "5"}}));
}

TEST(UrlParse, SqliteQueryWithoutDatabase) {
  const URL u = make_url("sqlite://?cache=shared");
  EXPECT_EQ(u.database(), std::nullopt);
  EXPECT_EQ(u.query_value("cache"), "shared");
}

TEST(UrlParse, TrailingSlashGivesEmptyDatabase) {
  EXPECT_EQ(make_url("postgresql://host/").database(), "");
  EXPECT_EQ(make_url("sqlite:///").database(), "");
}

TEST(UrlParse, Ipv6HostLosesItsBrackets) {
  const URL u = make_url("mariadb://u:p@[::1]:3306/db");
  EXPECT_EQ(u.host(), "::1");
  EXPECT_EQ(u.port(), 3306);
  EXPECT_EQ(u.database(), "db");
}

TEST(UrlParse, Ipv6HostWithoutPortOrDatabase) {
  EXPECT_EQ(make_url("postgresql://[2001:db8::ff00:42:8329]").host(), "2001:db8::ff00:42:8329");
  EXPECT_EQ(make_url("postgresql://[::1]/db").host(), "::1");
  EXPECT_EQ(make_url("postgresql://[::1]?a=b").host(), "::1");
}

TEST(UrlParse, Ipv6ZoneIdIsPercentDecoded) {
  EXPECT_EQ(make_url("postgresql://[fe80::1%25eth0]:5432").host(), "fe80::1%eth0");
}

TEST(UrlParse, RepeatedQueryKeysKeptInOrder) {
  const URL u = make_url("postgresql://h/db?a=1&b=2&a=3");
  EXPECT_EQ(u.query(), (URL::Query{{"a", "1"}, {"b", "2"}, {"a", "3"}}));
  EXPECT_EQ(u.query_values("a"), (std::vector<std::string>{"1", "3"}));
}

TEST(UrlParse, QueryValueIsTheLastOneGiven) {
  const URL u = make_url("postgresql://h/db?a=1&b=2&a=3");
  EXPECT_EQ(u.query_value("a"), "3");
  EXPECT_EQ(u.query_value("b"), "2");
  EXPECT_EQ(u.query_value("missing"), std::nullopt);
  EXPECT_TRUE(u.query_values("missing").empty());
}

TEST(UrlParse, QueryIsPercentDecoded) {
  const URL u = make_url("postgresql://h/db?na%6De=a%26b%3Dc&opt=%2Fx%3F");
  EXPECT_EQ(u.query_value("name"), "a&b=c");
  EXPECT_EQ(u.query_value("opt"), "/x?");
}

// SQLAlchemy reads the query with parse_qsl, which decodes `+` as a space.
TEST(UrlParse, PlusInQueryIsASpaceAsInSqlAlchemy) {
  EXPECT_EQ(make_url("mssql+pyodbc://dsn?driver=ODBC+Driver+18").query_value("driver"),
            "ODBC Driver 18");
  EXPECT_EQ(make_url("postgresql://h?tz=%2B02:00").query_value("tz"), "+02:00");
  EXPECT_EQ(make_url("postgresql://h?a+b=c").query().front().first, "a b");
}

// SQLAlchemy decodes credentials with unquote, which leaves `+` alone.
TEST(UrlParse, PlusInCredentialsAndDatabaseStaysPlus) {
  const URL u = make_url("postgresql://us+er:pa+ss@host/d+b");
  EXPECT_EQ(u.username(), "us+er");
  EXPECT_EQ(u.password(), "pa+ss");
  EXPECT_EQ(u.database(), "d+b");
}

TEST(UrlParse, QueryValueMayContainEqualsSign) {
  EXPECT_EQ(make_url("postgresql://h?options=-c%20search_path=x").query_value("options"),
            "-c search_path=x");
}

TEST(UrlParse, QueryKeyWithoutEqualsHasEmptyValue) {
  const URL u = make_url("postgresql://h?flag&empty=");
  EXPECT_EQ(u.query(), (URL::Query{{"flag", ""}, {"empty", ""}}));
}

TEST(UrlParse, EmptyQuerySegmentsAreIgnored) {
  EXPECT_EQ(make_url("postgresql://h?&a=1&&b=2&").query(), (URL::Query{{"a", "1"}, {"b", "2"}}));
  EXPECT_TRUE(make_url("postgresql://h/db?").query().empty());
}

TEST(UrlParse, QuestionMarkInsideQueryIsLiteral) {
  EXPECT_EQ(make_url("postgresql://h?q=a?b").query_value("q"), "a?b");
}

TEST(UrlParse, UserPasswordHostDatabaseArePercentDecoded) {
  const URL u = make_url("postgresql://us%65r%3Ax:p%40ss%3Aw%2Fd@my%2Dhost/my%20db%3F");
  EXPECT_EQ(u.username(), "user:x");
  EXPECT_EQ(u.password(), "p@ss:w/d");
  EXPECT_EQ(u.host(), "my-host");
  EXPECT_EQ(u.database(), "my db?");
}

TEST(UrlParse, PercentDecodingAcceptsBothHexCases) {
  EXPECT_EQ(make_url("postgresql://u:%2f%2F@h").password(), "//");
}

TEST(UrlParse, PercentDecodedHostCanNameAUnixSocketDirectory) {
  EXPECT_EQ(make_url("postgresql://%2Fvar%2Frun%2Fpostgresql/db").host(), "/var/run/postgresql");
}

TEST(UrlParse, Utf8IsKeptAsIs) {
  const URL u = make_url("postgresql://jürgen:pässwörd@höst/dätabase");
  EXPECT_EQ(u.username(), "jürgen");
  EXPECT_EQ(u.password(), "pässwörd");
  EXPECT_EQ(u.host(), "höst");
  EXPECT_EQ(u.database(), "dätabase");
}

TEST(UrlParse, ColonInPasswordNeedsNoEncoding) {
  const URL u = make_url("postgresql://user:pa:ss@host");
  EXPECT_EQ(u.username(), "user");
  EXPECT_EQ(u.password(), "pa:ss");
}

TEST(UrlParse, UnencodedAtInPasswordLastAtSeparatesCredentials) {
  const URL u = make_url("postgresql://user:p@ss@w@rd@host:5432/db");
  EXPECT_EQ(u.username(), "user");
  EXPECT_EQ(u.password(), "p@ss@w@rd");
  EXPECT_EQ(u.host(), "host");
  EXPECT_EQ(u.port(), 5432);
  EXPECT_EQ(u.database(), "db");
}

TEST(UrlParse, UnencodedAtInUsername) {
  const URL u = make_url("postgresql://me@example.com@host/db");
  EXPECT_EQ(u.username(), "me@example.com");
  EXPECT_EQ(u.password(), std::nullopt);
  EXPECT_EQ(u.host(), "host");
}

TEST(UrlParse, UnencodedSlashInPasswordIsForgiven) {
  const URL u = make_url("postgresql://user:pa/ss@host:5432/db");
  EXPECT_EQ(u.username(), "user");
  EXPECT_EQ(u.password(), "pa/ss");
  EXPECT_EQ(u.host(), "host");
  EXPECT_EQ(u.port(), 5432);
  EXPECT_EQ(u.database(), "db");
}

TEST(UrlParse, UnencodedQuestionMarkInPasswordIsForgiven) {
  const URL u = make_url("postgresql://user:pa?s/s@host/db?x=1");
  EXPECT_EQ(u.password(), "pa?s/s");
  EXPECT_EQ(u.host(), "host");
  EXPECT_EQ(u.database(), "db");
  EXPECT_EQ(u.query_value("x"), "1");
}

TEST(UrlParse, AtSignInQueryIsNotCredentials) {
  const URL u = make_url("postgresql://host/db?email=a@b.c");
  EXPECT_EQ(u.username(), std::nullopt);
  EXPECT_EQ(u.host(), "host");
  EXPECT_EQ(u.query_value("email"), "a@b.c");
}

TEST(UrlParse, AtSignInQueryAfterPortIsNotCredentials) {
  const URL u = make_url("postgresql://host:5432/db?email=a@b.c");
  EXPECT_EQ(u.username(), std::nullopt);
  EXPECT_EQ(u.host(), "host");
  EXPECT_EQ(u.port(), 5432);
  EXPECT_EQ(u.query_value("email"), "a@b.c");
}

TEST(UrlParse, AtSignInSqlitePathIsNotCredentials) {
  const URL u = make_url("sqlite:///dir/a@b.db");
  EXPECT_EQ(u.username(), std::nullopt);
  EXPECT_EQ(u.database(), "dir/a@b.db");
}

TEST(UrlParse, UsernameWithoutPassword) {
  const URL u = make_url("postgresql://scott@localhost");
  EXPECT_EQ(u.username(), "scott");
  EXPECT_EQ(u.password(), std::nullopt);
}

TEST(UrlParse, EmptyPasswordIsEmptyNotAbsent) {
  const URL u = make_url("postgresql://scott:@localhost");
  EXPECT_EQ(u.username(), "scott");
  EXPECT_EQ(u.password(), "");
}

TEST(UrlParse, EmptyUsernameWithPassword) {
  const URL u = make_url("postgresql://:secret@localhost");
  EXPECT_EQ(u.username(), "");
  EXPECT_EQ(u.password(), "secret");
}

TEST(UrlParse, CredentialsWithoutHost) {
  const URL u = make_url("postgresql://scott:tiger@/db");
  EXPECT_EQ(u.username(), "scott");
  EXPECT_EQ(u.host(), std::nullopt);
  EXPECT_EQ(u.database(), "db");
}

TEST(UrlParse, PortWithoutHost) {
  const URL u = make_url("postgresql://:5432/db");
  EXPECT_EQ(u.host(), std::nullopt);
  EXPECT_EQ(u.port(), 5432);
  EXPECT_EQ(u.database(), "db");
}

TEST(UrlParse, EmptyPortMeansNoPortAsInSqlAlchemy) {
  const URL u = make_url("postgresql://host:/db");
  EXPECT_EQ(u.host(), "host");
  EXPECT_EQ(u.port(), std::nullopt);
  EXPECT_EQ(u.database(), "db");
}

TEST(UrlParse, PortBoundsAreAccepted) {
  EXPECT_EQ(make_url("postgresql://h:0").port(), 0);
  EXPECT_EQ(make_url("postgresql://h:65535").port(), 65535);
  EXPECT_EQ(make_url("postgresql://h:00080").port(), 80);
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

TEST(UrlError, EmptyString) {
  EXPECT_EQ(parse_error(""),
            "Could not parse Retort URL '': the string is empty (expected "
            "dialect[+driver]://[user[:password]@][host][:port][/database][?key=value&...])");
}

TEST(UrlError, MissingSchemeSeparatorPointsAfterDrivername) {
  EXPECT_EQ(parse_error("postgresql"),
            "Could not parse Retort URL 'postgresql': missing '://' after the drivername at "
            "position 11 (expected "
            "dialect[+driver]://[user[:password]@][host][:port][/database][?key=value&...])");
  EXPECT_THAT(parse_error("localhost:5432/db"),
              HasSubstr("missing '://' after the drivername at position 10"));
  EXPECT_THAT(parse_error("postgresql:/host/db"),
              HasSubstr("missing '://' after the drivername at position 11"));
  EXPECT_THAT(parse_error("/tmp/x.db"),
              HasSubstr("missing '://' after the drivername at position 1"));
}

TEST(UrlError, EmptyDrivername) {
  EXPECT_EQ(parse_error("://host/db"),
            "Could not parse Retort URL '://host/db': empty drivername at position 1 (expected a "
            "dialect name such as 'postgresql')");
}

TEST(UrlError, InvalidCharacterInDrivername) {
  EXPECT_EQ(parse_error("my db://host"),
            "Could not parse Retort URL 'my db://host': invalid character ' ' in drivername at "
            "position 3 (expected letters, digits, '_', '.', '-' and at most one '+')");
  EXPECT_THAT(parse_error("pg$ql://host"),
              HasSubstr("invalid character '$' in drivername at position 3"));
  EXPECT_THAT(parse_error("pgé://host"),
              HasSubstr("invalid character 'é' in drivername at position 3"));
  EXPECT_THAT(parse_error("pg\tx://host"),
              HasSubstr("invalid character \\x09 in drivername at position 3"));
}

TEST(UrlError, TwoPlusSignsInDrivername) {
  EXPECT_EQ(parse_error("a+b+c://host"),
            "Could not parse Retort URL 'a+b+c://host': second '+' in drivername at position 4 "
            "(expected at most one '+', as in 'dialect+driver')");
}

TEST(UrlError, EmptyDialectOrDriverAroundPlus) {
  EXPECT_THAT(parse_error("+libpq://h"), HasSubstr("empty dialect name before '+' at position 1"));
  EXPECT_THAT(parse_error("postgresql+://h"),
              HasSubstr("empty driver name after '+' at position 11"));
}

TEST(UrlError, PasswordIsMaskedInErrorForMalformedPort) {
  EXPECT_EQ(parse_error("postgresql://u:secret@host:99x/db"),
            "Could not parse Retort URL 'postgresql://u:***@host:99x/db': invalid port '99x' at "
            "position 25 (expected digits 0-65535)");
}

TEST(UrlError, PortPositionIsTheSameWhateverThePasswordLength) {
  const std::string a = parse_error("postgresql://u:p@host:99x/db");
  const std::string b = parse_error("postgresql://u:a-much-longer-password@host:99x/db");
  EXPECT_EQ(a, b);
  EXPECT_THAT(a, HasSubstr("at position 25"));
}

TEST(UrlError, PortOutOfRange) {
  EXPECT_EQ(parse_error("postgresql://host:65536/db"),
            "Could not parse Retort URL 'postgresql://host:65536/db': port '65536' out of range "
            "at position 19 (expected digits 0-65535)");
  EXPECT_THAT(parse_error("postgresql://host:99999999999999999999"),
              HasSubstr("port '99999999999999999999' out of range at position 19"));
}

TEST(UrlError, NegativeOrSignedPortIsInvalid) {
  EXPECT_THAT(parse_error("postgresql://host:-1"), HasSubstr("invalid port '-1' at position 19"));
  EXPECT_THAT(parse_error("postgresql://host:+1"), HasSubstr("invalid port '+1' at position 19"));
  EXPECT_THAT(parse_error("postgresql://host: 1"), HasSubstr("invalid port ' 1' at position 19"));
}

TEST(UrlError, SecondColonMakesAnInvalidPort) {
  EXPECT_THAT(parse_error("postgresql://host:1:2/db"),
              HasSubstr("invalid port '1:2' at position 19"));
}

TEST(UrlError, UnterminatedIpv6Bracket) {
  EXPECT_EQ(parse_error("postgresql://[::1:5432/db"),
            "Could not parse Retort URL 'postgresql://[::1:5432/db': unterminated '[' in IPv6 "
            "host at position 14 (expected ']' closing the address)");
  EXPECT_THAT(parse_error("postgresql://u:pw@[::1"),
              HasSubstr("unterminated '[' in IPv6 host at position 20"));
}

TEST(UrlError, EmptyIpv6Brackets) {
  EXPECT_THAT(
      parse_error("postgresql://[]:5432"),
      HasSubstr("empty IPv6 host '[]' at position 14 (expected an address such as '[::1]')"));
}

TEST(UrlError, GarbageAfterIpv6Host) {
  EXPECT_EQ(parse_error("postgresql://[::1]x/db"),
            "Could not parse Retort URL 'postgresql://[::1]x/db': unexpected character 'x' after "
            "IPv6 host at position 19 (expected ':', '/', '?' or the end of the URL)");
}

TEST(UrlError, BadPercentEscapeInDatabase) {
  EXPECT_EQ(parse_error("postgresql://host/my%zzdb"),
            "Could not parse Retort URL 'postgresql://host/my%zzdb': invalid percent-escape '%zz' "
            "in the database at position 21 (expected '%' followed by two hexadecimal digits)");
}

TEST(UrlError, TruncatedPercentEscapeAtEnd) {
  EXPECT_THAT(parse_error("postgresql://host/db%4"),
              HasSubstr("invalid percent-escape '%4' in the database at position 21"));
  EXPECT_THAT(parse_error("postgresql://host/db%"),
              HasSubstr("invalid percent-escape '%' in the database at position 21"));
}

TEST(UrlError, BadPercentEscapeNamesTheComponent) {
  EXPECT_THAT(parse_error("postgresql://us%g1er@host"),
              HasSubstr("invalid percent-escape '%g1' in the username at position 16"));
  EXPECT_THAT(parse_error("postgresql://ho%st/db"),
              HasSubstr("invalid percent-escape '%st' in the host at position 16"));
  EXPECT_THAT(parse_error("postgresql://[::1%zz]/db"),
              HasSubstr("invalid percent-escape '%zz' in the host at position 18"));
  EXPECT_THAT(parse_error("postgresql://h/db?k%x=1"),
              HasSubstr("invalid percent-escape '%x' in the query key at position 20"));
  EXPECT_THAT(parse_error("postgresql://h/db?k=1&v=%%"),
              HasSubstr("invalid percent-escape '%%' in the query value at position 25"));
}

TEST(UrlError, BadPercentEscapeInPasswordDoesNotRevealIt) {
  const std::string m = parse_error("postgresql://scott:ti%zzger@host/db");
  EXPECT_EQ(m,
            "Could not parse Retort URL 'postgresql://scott:***@host/db': invalid percent-escape "
            "in the password at position 20 (expected '%' followed by two hexadecimal digits)");
}

TEST(UrlError, EmptyQueryKey) {
  EXPECT_EQ(parse_error("postgresql://h/db?a=1&=2"),
            "Could not parse Retort URL 'postgresql://h/db?a=1&=2': empty query key at position "
            "23 (expected 'key=value')");
}

TEST(UrlError, PasswordIsMaskedWhenDrivernameIsInvalid) {
  const std::string m = parse_error("post gres://scott:tiger@host/db");
  EXPECT_THAT(m, HasSubstr("'post gres://scott:***@host/db'"));
  EXPECT_THAT(m, Not(HasSubstr("tiger")));
}

TEST(UrlError, PasswordIsMaskedWhenSchemeSeparatorIsBroken) {
  for (const char* url : {"postgresql:/scott:tiger@host/db", "postgresql:scott:tiger@host/db",
                          "scott:tiger@host/db", "postgresql//scott:tiger@host",
                          "postgresql//scott:ti/ger@host", "postgresql:/scott:ti/g?er@host"}) {
    const std::string m = parse_error(url);
    EXPECT_THAT(m, Not(HasSubstr("tiger"))) << url;
    EXPECT_THAT(m, HasSubstr("***@host")) << url;
  }
}

TEST(UrlError, PasswordWithUnencodedSpecialsIsMaskedInError) {
  const std::string m = parse_error("postgresql://u:se/cr?et@host:99x/db");
  EXPECT_EQ(m,
            "Could not parse Retort URL 'postgresql://u:***@host:99x/db': invalid port '99x' at "
            "position 25 (expected digits 0-65535)");
}

TEST(UrlError, PasswordIsMaskedForErrorsInTheQuery) {
  const std::string m = parse_error("postgresql://u:hunter2@h/db?a=%zz");
  EXPECT_THAT(m, HasSubstr("'postgresql://u:***@h/db?a=%zz'"));
  EXPECT_THAT(m, HasSubstr("in the query value at position 27"));
  EXPECT_THAT(m, Not(HasSubstr("hunter2")));
}

TEST(UrlError, PositionCountsCharactersNotBytes) {
  EXPECT_THAT(parse_error("postgresql://ü@höst:x/db"),
              HasSubstr("invalid port 'x' at position 21"));
}

TEST(UrlError, ErrorsAreArgumentErrors) {
  EXPECT_THROW(make_url("nope"), ArgumentError);
  EXPECT_THROW(make_url("nope"), Error);
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

TEST(UrlRender, PasswordIsMaskedByDefault) {
  const URL u = make_url("postgresql://scott:tiger@localhost:5432/mydb");
  EXPECT_EQ(u.render_as_string(), "postgresql://scott:***@localhost:5432/mydb");
  EXPECT_EQ(u.render_as_string(true), "postgresql://scott:***@localhost:5432/mydb");
}

TEST(UrlRender, PasswordIsShownOnRequest) {
  const URL u = make_url("postgresql://scott:tiger@localhost:5432/mydb");
  EXPECT_EQ(u.render_as_string(false), "postgresql://scott:tiger@localhost:5432/mydb");
}

TEST(UrlRender, EmptyPasswordIsStillMasked) {
  EXPECT_EQ(make_url("postgresql://scott:@h").render_as_string(), "postgresql://scott:***@h");
}

TEST(UrlRender, StreamOperatorMasksPassword) {
  std::ostringstream out;
  out << make_url("mysql://root:hunter2@db:3306/app?charset=utf8mb4");
  EXPECT_EQ(out.str(), "mysql://root:***@db:3306/app?charset=utf8mb4");
}

TEST(UrlRender, ReservedCharactersInCredentialsArePercentEncoded) {
  const URL u = URL::create("postgresql", "a@b:c/d", "p@ss:w/o?r#d&=% x+", "host");
  EXPECT_EQ(u.render_as_string(false),
            "postgresql://a%40b%3Ac%2Fd:p%40ss%3Aw%2Fo%3Fr%23d%26%3D%25%20x+@host");
}

TEST(UrlRender, Ipv6HostIsBracketed) {
  const URL u = URL::create("mariadb", "u", std::nullopt, "::1", 3306, "db");
  EXPECT_EQ(u.render_as_string(), "mariadb://u@[::1]:3306/db");
  EXPECT_EQ(make_url("postgresql://[fe80::1%25eth0]").render_as_string(),
            "postgresql://[fe80::1%25eth0]");
}

TEST(UrlRender, DatabaseKeepsSlashesAndColonsButEncodesQuestionMarkPercentHash) {
  const URL u = URL::create("sqlite", {}, {}, {}, {}, "/tmp/a b?c%d#e:f.db");
  EXPECT_EQ(u.render_as_string(), "sqlite:////tmp/a%20b%3Fc%25d%23e:f.db");
}

TEST(UrlRender, QuerySpacesAsPlusAndLiteralPlusEncoded) {
  const URL u = URL::create("mssql+pyodbc", {}, {}, "dsn", {}, {},
                            {{"driver", "ODBC Driver 18"}, {"tz", "+02:00"}, {"a&b", "c=d#"}});
  EXPECT_EQ(u.render_as_string(),
            "mssql+pyodbc://dsn?driver=ODBC+Driver+18&tz=%2B02:00&a%26b=c%3Dd%23");
}

TEST(UrlRender, QueryKeepsOrderAndRepeats) {
  EXPECT_EQ(make_url("postgresql://h?b=1&a=2&b=3").render_as_string(),
            "postgresql://h?b=1&a=2&b=3");
}

TEST(UrlRender, ControlCharactersAreEncoded) {
  const URL u = URL::create("postgresql", "u\n", std::nullopt, "h", {}, "d\tb");
  EXPECT_EQ(u.render_as_string(), "postgresql://u%0A@h/d%09b");
}

struct RoundTripCase {
  const char* url;
  bool canonical;  // renders back to exactly the same text
};

// Printed in test output by URL, not as a byte dump.
void PrintTo(const RoundTripCase& c, std::ostream* os) { *os << c.url; }

class UrlRoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(UrlRoundTrip, ParseRenderParseGivesEqualUrl) {
  const URL u = make_url(GetParam().url);
  const std::string rendered = u.render_as_string(false);
  EXPECT_EQ(make_url(rendered), u) << rendered;
  if (GetParam().canonical) {
    EXPECT_EQ(rendered, GetParam().url);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Urls, UrlRoundTrip,
    ::testing::Values(
        RoundTripCase{"postgresql+libpq://scott:tiger@localhost:5432/mydb?sslmode=require", true},
        RoundTripCase{"sqlite://", true}, RoundTripCase{"sqlite:///", true},
        RoundTripCase{"sqlite:///relative.db", true}, RoundTripCase{"sqlite:////abs/x.db", true},
        RoundTripCase{"sqlite:///:memory:", true}, RoundTripCase{"sqlite://?cache=shared", true},
        RoundTripCase{"mariadb://u:p@[::1]:3306/db", true},
        RoundTripCase{"postgresql://:5432/db", true}, RoundTripCase{"postgresql://@h", true},
        RoundTripCase{"postgresql://u:@h", true}, RoundTripCase{"postgresql://:pw@h", true},
        RoundTripCase{"postgresql://u:pw@/db?host=/var/run", true},
        RoundTripCase{"postgresql://h?flag=&a=1&a=2", true},
        RoundTripCase{"postgresql://user:p@ss@w@rd@host/db", false},
        RoundTripCase{"postgresql://user:pa/ss?x@host/db?x=a@b", false},
        RoundTripCase{"postgresql://us%65r:p%40ss@my%2Dhost/my%20db", false},
        RoundTripCase{"postgresql://host/db?email=a@b.c&x=a+b%2Bc", false},
        RoundTripCase{"postgresql://host:/db", false}, RoundTripCase{"postgresql://h?flag", false},
        RoundTripCase{"postgresql://%2Fvar%2Frun/db", true},
        RoundTripCase{"postgresql://jürgen:pässwörd@höst/dätabase", true},
        RoundTripCase{"postgresql://[fe80::1%25eth0]:1/d", true}));

TEST(UrlRoundTrip, AwkwardPartsFromCreateRoundTrip) {
  const std::vector<URL> urls = {
      URL::create("postgresql", "a@b:c/d?e#f", "p@:/?#&=% +[]", "h[o]st", 1, "d?b#%/:@x",
                  {{"k =&+#%", "v =&+#%?"}, {"k =&+#%", ""}}),
      URL::create("postgresql", "", "", std::nullopt, std::nullopt, ""),
      URL::create("postgresql", std::nullopt, std::nullopt, "host:with:colons"),
      URL::create("postgresql", "u", std::nullopt, "[::1]"),
      URL::create("sqlite", {}, {}, {}, {}, "//x//y"),
  };
  for (const URL& u : urls) {
    const std::string rendered = u.render_as_string(false);
    EXPECT_EQ(make_url(rendered), u) << rendered;
  }
}

// ---------------------------------------------------------------------------------------------
// URL::create, with_query_value, equality
// ---------------------------------------------------------------------------------------------

TEST(UrlCreate, EqualsTheParsedUrl) {
  EXPECT_EQ(URL::create("postgresql+libpq", "scott", "tiger", "localhost", 5432, "mydb",
                        {{"sslmode", "require"}}),
            make_url("postgresql+libpq://scott:tiger@localhost:5432/mydb?sslmode=require"));
  EXPECT_EQ(URL::create("sqlite"), make_url("sqlite://"));
}

TEST(UrlCreate, ValidatesDrivername) {
  EXPECT_EQ(create_error([] { URL::create("pg sql"); }),
            "Invalid drivername 'pg sql': invalid character ' ' in drivername at position 3 "
            "(expected letters, digits, '_', '.', '-' and at most one '+')");
  EXPECT_THAT(create_error([] { URL::create(""); }), HasSubstr("empty drivername"));
  EXPECT_THAT(create_error([] { URL::create("a+b+c"); }),
              HasSubstr("second '+' in drivername at position 4"));
  EXPECT_THAT(create_error([] { URL::create("a://"); }), HasSubstr("invalid character ':'"));
  EXPECT_THAT(create_error([] { URL::create("pg+"); }), HasSubstr("empty driver name after '+'"));
}

TEST(UrlCreate, RejectsPortOutOfRange) {
  EXPECT_EQ(create_error([] { URL::create("pg", {}, {}, "h", 65536); }),
            "Invalid port 65536 (expected 0-65535)");
  EXPECT_THAT(create_error([] { URL::create("pg", {}, {}, "h", -1); }),
              HasSubstr("Invalid port -1"));
}

TEST(UrlCreate, RejectsEmptyQueryKey) {
  EXPECT_THAT(create_error([] {
                URL::create("pg", {}, {}, "h", {}, {}, {{"", "v"}});
              }),
              HasSubstr("empty key"));
}

TEST(UrlCreate, NormalisesEmptyHostAndPasswordWithoutUser) {
  const URL u = URL::create("pg", std::nullopt, "pw", "");
  EXPECT_EQ(u.username(), "");
  EXPECT_EQ(u.password(), "pw");
  EXPECT_EQ(u.host(), std::nullopt);
  EXPECT_EQ(u.render_as_string(), "pg://:***@");
}

TEST(UrlWithQueryValue, AppendsANewKey) {
  const URL u = make_url("postgresql://h/db?a=1");
  EXPECT_EQ(u.with_query_value("b", "2").query(), (URL::Query{{"a", "1"}, {"b", "2"}}));
}

TEST(UrlWithQueryValue, ReplacesEveryValueAtTheFirstPosition) {
  const URL u = make_url("postgresql://h/db?a=1&b=2&a=3&c=4");
  EXPECT_EQ(u.with_query_value("a", "9").query(), (URL::Query{{"a", "9"}, {"b", "2"}, {"c", "4"}}));
}

TEST(UrlWithQueryValue, LeavesTheOriginalUnchanged) {
  const URL u = make_url("postgresql://h/db?a=1");
  const URL v = u.with_query_value("a", "2");
  EXPECT_EQ(u.query_value("a"), "1");
  EXPECT_EQ(v.query_value("a"), "2");
  EXPECT_NE(u, v);
}

TEST(UrlWithQueryValue, RejectsEmptyKey) {
  EXPECT_THROW(make_url("pg://h").with_query_value("", "x"), ArgumentError);
}

TEST(UrlEquality, ComparesEveryPartIncludingQueryOrder) {
  EXPECT_EQ(make_url("pg://u:p@h:1/d?a=1&b=2"), make_url("pg://u:p@h:1/d?a=1&b=2"));
  EXPECT_NE(make_url("pg://h?a=1&b=2"), make_url("pg://h?b=2&a=1"));
  EXPECT_NE(make_url("pg://u:p@h"), make_url("pg://u:q@h"));
  EXPECT_NE(make_url("sqlite://"), make_url("sqlite:///"));
}

}  // namespace
}  // namespace retort
