// plugins/odbc/connection.cpp — the `odbc` driver's connection.
// SPDX-License-Identifier: MIT
#include "connection.hpp"

#include "errors.hpp"
#include "statement.hpp"
#include "types.hpp"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

namespace retort::odbc {
namespace {

bool icontains(std::string_view s, std::string_view needle) noexcept {
  for (size_t i = 0; i + needle.size() <= s.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && std::tolower(static_cast<unsigned char>(s[i + j])) ==
                                    std::tolower(static_cast<unsigned char>(needle[j]))) {
      ++j;
    }
    if (j == needle.size()) return true;
  }
  return false;
}

// Where unixODBC looks for DSNs and drivers, for messages about a missing one.
std::string odbc_files() {
  const char* ini = std::getenv("ODBCINI");
  const char* sys = std::getenv("ODBCSYSINI");
  std::string where = "data sources are read from ";
  where += ini != nullptr ? std::string(ini) : std::string("~/.odbc.ini");
  where += " and ";
  where += sys != nullptr ? std::string(sys) + "/odbc.ini" : std::string("/etc/odbc.ini");
  where += ", drivers from ";
  where += sys != nullptr ? std::string(sys) + "/odbcinst.ini" : std::string("/etc/odbcinst.ini");
  return where;
}

// The error for a failed SQLDriverConnect, naming the DSN or the driver.
sdk::Error connect_failure(SQLHDBC dbc, SQLRETURN rc, const ConnectSettings& s) {
  sdk::Error raw = odbc_error(SQL_HANDLE_DBC, dbc, rc, {}, s.password);
  const std::string_view state = raw.sqlstate();
  const std::string reason = raw.what();
  std::string message;
  retort_status status = raw.status();
  // unixODBC reports a driver library it cannot load as 01000 "Can't open lib" (then IM003).
  bool lib = icontains(reason, "can't open lib") || state == "IM003";
  for (const auto& [k, v] : raw.details()) {
    if (icontains(v, "can't open lib")) lib = true;
  }
  if (lib && !s.driver.empty() && s.driver.find('/') == std::string::npos) {
    // unixODBC takes a driver name it does not know for a library file name.
    status = RETORT_NOT_FOUND;
    message = "ODBC driver '" + s.driver + "' is not installed: " + reason +
              " (no driver of that name is registered in odbcinst.ini; register it or name the "
              "library as driver=/path/lib.so; " +
              odbc_files() + ")";
  } else if (lib) {
    status = RETORT_NOT_FOUND;
    message = "the ODBC driver library of " +
              (s.driver.empty() ? s.target : "driver '" + s.driver + "'") +
              " could not be loaded: " + reason + " (check the Driver= path in odbcinst.ini; " +
              odbc_files() + ")";
  } else if (state == "IM002") {
    status = RETORT_NOT_FOUND;
    if (!s.driver.empty()) {
      message = "ODBC driver '" + s.driver + "' is not installed: " + reason +
                " (register it in odbcinst.ini or name the library as driver=/path/lib.so; " +
                odbc_files() + ")";
    } else {
      message = "ODBC data source '" + s.dsn + "' is not defined: " + reason +
                " (define it in odbc.ini or connect DSN-less with ?driver=…; " + odbc_files() + ")";
    }
  } else {
    message = "could not connect to " + s.target + ": " + reason;
  }
  scrub(message, s.password);
  sdk::Error error(status, std::move(message), state, raw.vendor_code());
  for (const auto& [k, v] : raw.details()) error.detail(k, v);
  return error;
}

}  // namespace

std::string dialect_for_dbms(std::string_view name, std::string_view version) {
  if (icontains(name, "postgres")) return "postgresql";
  if (icontains(name, "mariadb") || (icontains(name, "mysql") && icontains(version, "mariadb"))) {
    return "mariadb";
  }
  if (icontains(name, "mysql")) return "mysql";
  if (icontains(name, "sqlite")) return "sqlite";
  std::string out;
  for (char c : name) {
    out.push_back(std::isalnum(static_cast<unsigned char>(c))
                      ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                      : '_');
  }
  return out;
}

std::string normalize_version(std::string_view text) {
  size_t start = 0;
  while (start < text.size() && !std::isdigit(static_cast<unsigned char>(text[start]))) ++start;
  std::string out;
  std::string part;
  auto flush = [&] {
    size_t z = 0;
    while (z + 1 < part.size() && part[z] == '0') ++z;
    if (!out.empty()) out.push_back('.');
    out += part.substr(z);
    part.clear();
  };
  for (size_t i = start; i < text.size(); ++i) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      part.push_back(c);
    } else if (c == '.' && !part.empty()) {
      flush();
    } else {
      break;
    }
  }
  if (!part.empty()) flush();
  return out.empty() ? std::string(text) : out;
}

std::unique_ptr<Connection> Connection::connect(const retort_connect_params& params) {
  ConnectSettings settings = connect_settings(params);
  SQLHENV env = SQL_NULL_HENV;
  if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env))) {
    throw plugin_error(RETORT_INTERNAL, "could not allocate an ODBC environment handle");
  }
  SQLHDBC dbc = SQL_NULL_HDBC;
  try {
    check(SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0),
          SQL_HANDLE_ENV, env, "selecting ODBC 3");
    check(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc), SQL_HANDLE_ENV, env,
          "allocating a connection handle");
    if (settings.login_timeout > 0) {
      SQLSetConnectAttr(dbc, SQL_ATTR_LOGIN_TIMEOUT,
                        reinterpret_cast<SQLPOINTER>(static_cast<SQLULEN>(settings.login_timeout)),
                        0);
    }
    std::vector<SQLWCHAR> cs = to_utf16(settings.connection_string);
    cs.push_back(0);
    SQLWCHAR out[1024];
    SQLSMALLINT out_length = 0;
    const SQLRETURN rc = SQLDriverConnectW(dbc, nullptr, cs.data(), SQL_NTS, out, 1024, &out_length,
                                           SQL_DRIVER_NOPROMPT);
    if (!SQL_SUCCEEDED(rc)) throw connect_failure(dbc, rc, settings);
  } catch (...) {
    if (dbc != SQL_NULL_HDBC) SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    SQLFreeHandle(SQL_HANDLE_ENV, env);
    throw;
  }
  const std::string dialect = params.dialect != nullptr ? params.dialect : "";
  std::unique_ptr<Connection> c(new Connection(env, dbc, std::move(settings), dialect));
  // psqlODBC converts a timestamptz to the session's wall clock and drops the offset: in UTC
  // that wall clock is the instant (types.hpp, Reader::kTimestampTz), as libpq reads it.
  if (dialect == "postgresql") c->run("SET TIME ZONE 'UTC'");
  // As the native sqlite driver: foreign keys are enforced (SQLite's default is off).
  if (dialect == "sqlite") c->run("PRAGMA foreign_keys = ON");
  return c;
}

Connection::Connection(SQLHENV env, SQLHDBC dbc, ConnectSettings settings, std::string dialect)
    : env_(env), dbc_(dbc), settings_(std::move(settings)), dialect_(std::move(dialect)) {
  if (dialect_ == "mysql" || dialect_ == "mariadb") {
    last_id_query_ = "SELECT LAST_INSERT_ID()";
    bind_options_.time_as_text = true;
    bind_options_.uuid_as_hex32 = true;
  } else if (dialect_ == "sqlite") {
    last_id_query_ = "SELECT last_insert_rowid()";
    bind_options_.timestamp_as_text = true;
  }
}

Connection::~Connection() {
  if (in_transaction_) SQLEndTran(SQL_HANDLE_DBC, dbc_, SQL_ROLLBACK);
  SQLDisconnect(dbc_);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
  SQLFreeHandle(SQL_HANDLE_ENV, env_);
}

std::unique_ptr<Statement> Connection::prepare(std::string_view sql) {
  return std::make_unique<Statement>(*this, std::string(sql));
}

void Connection::set_autocommit(bool on) {
  const SQLRETURN rc = SQLSetConnectAttr(dbc_, SQL_ATTR_AUTOCOMMIT,
                                         reinterpret_cast<SQLPOINTER>(static_cast<SQLULEN>(
                                             on ? SQL_AUTOCOMMIT_ON : SQL_AUTOCOMMIT_OFF)),
                                         SQL_IS_UINTEGER);
  if (!SQL_SUCCEEDED(rc)) {
    throw odbc_error(SQL_HANDLE_DBC, dbc_, rc,
                     on ? "turning autocommit back on" : "turning autocommit off");
  }
}

void Connection::begin() {
  if (in_transaction_) {
    throw plugin_error(RETORT_INVALID_STATE, "a transaction is already in progress", "25001");
  }
  set_autocommit(false);
  in_transaction_ = true;
}

void Connection::begin_ex(const retort_transaction_options& options) {
  // Spliced into SQL, so only the standard levels are accepted.
  const char* level = sdk::standard_isolation_level(options.isolation_level);
  if (options.isolation_level != nullptr && level == nullptr) {
    throw plugin_error(RETORT_INVALID_ARGUMENT,
                       std::string("unknown isolation level '") + options.isolation_level +
                           "'; the odbc driver knows READ UNCOMMITTED, READ COMMITTED, "
                           "REPEATABLE READ and SERIALIZABLE");
  }
  const bool read_only = options.read_only != 0;
  const bool deferrable = options.deferrable != 0;
  begin();
  try {
    // With autocommit off the ODBC driver starts the transaction itself: each dialect says
    // its characteristics the way its database takes them at that point.
    if (dialect_ == "postgresql") {
      // psqlODBC sends BEGIN before this first statement; SET TRANSACTION applies to it.
      std::string sql = "SET TRANSACTION";
      if (level != nullptr) sql += std::string(" ISOLATION LEVEL ") + level;
      if (read_only) sql += " READ ONLY";
      if (deferrable) sql += " DEFERRABLE";
      if (level != nullptr || read_only || deferrable) run(sql);
    } else if (dialect_ == "mysql" || dialect_ == "mariadb") {
      // SET TRANSACTION applies to the next transaction, which START TRANSACTION begins.
      if (level != nullptr) run(std::string("SET TRANSACTION ISOLATION LEVEL ") + level);
      run(read_only ? "START TRANSACTION READ ONLY" : "START TRANSACTION");
    } else if (dialect_ == "sqlite") {
      if (read_only || deferrable) {
        throw plugin_error(RETORT_NOT_IMPLEMENTED,
                           "SQLite has no READ ONLY or DEFERRABLE transactions");
      }
      // SQLite's transactions are SERIALIZABLE; READ UNCOMMITTED is a pragma (it matters with a
      // shared cache), set for this transaction only.
      if (level != nullptr && std::strcmp(level, "READ UNCOMMITTED") == 0) {
        run("PRAGMA read_uncommitted = 1");
        reset_after_transaction_ = "PRAGMA read_uncommitted = 0";
      }
    } else if (level != nullptr || read_only || deferrable) {
      // Any other database: ODBC's own attribute for the level, nothing for the rest.
      if (read_only || deferrable) {
        throw plugin_error(RETORT_NOT_IMPLEMENTED,
                           "READ ONLY and DEFERRABLE transactions are known for the postgresql, "
                           "mysql, mariadb and sqlite dialects only through ODBC");
      }
      throw plugin_error(RETORT_NOT_IMPLEMENTED,
                         "isolation levels are known for the postgresql, mysql, mariadb and "
                         "sqlite dialects only through ODBC");
    }
  } catch (...) {
    try {
      rollback();
    } catch (...) {
      // The first error is the one to report.
    }
    throw;
  }
}

void Connection::end_transaction_reset() noexcept {
  if (reset_after_transaction_.empty()) return;
  const std::string sql = std::move(reset_after_transaction_);
  reset_after_transaction_.clear();
  try {
    run(sql);
  } catch (...) {
    // The pragma is per connection and harmless without a shared cache.
  }
}

void Connection::commit() {
  if (!in_transaction_) {
    throw plugin_error(RETORT_INVALID_STATE, "there is no transaction in progress to commit",
                       "25000");
  }
  const SQLRETURN rc = SQLEndTran(SQL_HANDLE_DBC, dbc_, SQL_COMMIT);
  if (!SQL_SUCCEEDED(rc)) {
    sdk::Error error = odbc_error(SQL_HANDLE_DBC, dbc_, rc, "commit");
    // A failed commit leaves nothing half-applied: roll back and leave the transaction.
    SQLEndTran(SQL_HANDLE_DBC, dbc_, SQL_ROLLBACK);
    in_transaction_ = false;
    SQLSetConnectAttr(dbc_, SQL_ATTR_AUTOCOMMIT, reinterpret_cast<SQLPOINTER>(SQL_AUTOCOMMIT_ON),
                      SQL_IS_UINTEGER);
    end_transaction_reset();
    throw error;
  }
  in_transaction_ = false;
  set_autocommit(true);
  end_transaction_reset();
}

void Connection::rollback() {
  if (!in_transaction_) return;
  const SQLRETURN rc = SQLEndTran(SQL_HANDLE_DBC, dbc_, SQL_ROLLBACK);
  in_transaction_ = false;
  if (!SQL_SUCCEEDED(rc)) {
    sdk::Error error = odbc_error(SQL_HANDLE_DBC, dbc_, rc, "rollback");
    SQLSetConnectAttr(dbc_, SQL_ATTR_AUTOCOMMIT, reinterpret_cast<SQLPOINTER>(SQL_AUTOCOMMIT_ON),
                      SQL_IS_UINTEGER);
    end_transaction_reset();
    throw error;
  }
  set_autocommit(true);
  end_transaction_reset();
}

void Connection::run(const std::string& sql) {
  SQLHSTMT stmt = SQL_NULL_HSTMT;
  check(SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &stmt), SQL_HANDLE_DBC, dbc_,
        "allocating a statement handle");
  std::vector<SQLWCHAR> text = to_utf16(sql);
  SQLRETURN rc;
  {
    RunningGuard running(*this, stmt);
    rc = SQLExecDirectW(stmt, text.data(), static_cast<SQLINTEGER>(text.size()));
  }
  if (!SQL_SUCCEEDED(rc) && rc != SQL_NO_DATA) {
    sdk::Error error = odbc_error(SQL_HANDLE_STMT, stmt, rc);
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    throw error;
  }
  SQLFreeHandle(SQL_HANDLE_STMT, stmt);
}

void Connection::savepoint(const char* name) {
  run(std::string("SAVEPOINT ") + name);
}

void Connection::release_savepoint(const char* name) {
  run(std::string("RELEASE SAVEPOINT ") + name);
}

void Connection::rollback_to_savepoint(const char* name) {
  run(std::string("ROLLBACK TO SAVEPOINT ") + name);
}

void Connection::set_running(SQLHSTMT stmt) noexcept {
  std::lock_guard lock(running_mutex_);
  running_ = stmt;
}

void Connection::cancel() {
  std::lock_guard lock(running_mutex_);
  if (running_ == SQL_NULL_HSTMT) return;
  const SQLRETURN rc = SQLCancel(running_);
  if (!SQL_SUCCEEDED(rc)) throw odbc_error(SQL_HANDLE_STMT, running_, rc, "SQLCancel");
}

std::string Connection::info_string(SQLUSMALLINT type) {
  SQLWCHAR buffer[256] = {};
  SQLSMALLINT length = 0;
  const SQLRETURN rc = SQLGetInfoW(dbc_, type, buffer, sizeof buffer, &length);
  if (!SQL_SUCCEEDED(rc)) throw odbc_error(SQL_HANDLE_DBC, dbc_, rc, "SQLGetInfo");
  const size_t units = std::min<size_t>(
      static_cast<size_t>(std::max<SQLSMALLINT>(length, 0)) / sizeof(SQLWCHAR), 255);
  return utf16_to_utf8(buffer, units);
}

std::string Connection::server_version() {
  const std::string raw = info_string(SQL_DBMS_VER);
  std::string version = normalize_version(raw);
  // The mysql/mariadb dialects tell MariaDB from MySQL by "MariaDB" in the version, as the
  // server announces itself to native clients ("10.11.6-MariaDB-…").
  if (dialect_for_dbms(info_string(SQL_DBMS_NAME), raw) == "mariadb") version += "-MariaDB";
  return version;
}

std::string Connection::dialect_name() {
  return dialect_for_dbms(info_string(SQL_DBMS_NAME), info_string(SQL_DBMS_VER));
}

void Connection::ping() {
  run("SELECT 1");
}

int64_t Connection::last_insert_id() {
  SQLHSTMT stmt = SQL_NULL_HSTMT;
  check(SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &stmt), SQL_HANDLE_DBC, dbc_,
        "allocating a statement handle");
  std::vector<SQLWCHAR> text = to_utf16(last_id_query_);
  SQLBIGINT value = 0;
  SQLLEN ind = 0;
  SQLRETURN rc = SQLExecDirectW(stmt, text.data(), static_cast<SQLINTEGER>(text.size()));
  if (SQL_SUCCEEDED(rc)) rc = SQLFetch(stmt);
  if (SQL_SUCCEEDED(rc)) rc = SQLGetData(stmt, 1, SQL_C_SBIGINT, &value, sizeof value, &ind);
  if (!SQL_SUCCEEDED(rc)) {
    sdk::Error error = odbc_error(SQL_HANDLE_STMT, stmt, rc, "reading the last insert id");
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    throw error;
  }
  SQLFreeHandle(SQL_HANDLE_STMT, stmt);
  return ind == SQL_NULL_DATA ? 0 : static_cast<int64_t>(value);
}

// --- the driver table ----------------------------------------------------------------------------

const retort_driver& odbc_driver() {
  static const char* const dialects[] = {"*", nullptr};
  static const sdk::DriverInfo info{"odbc", dialects, "unixODBC " RETORT_ODBC_CLIENT_VERSION};
  return sdk::make_driver<Connection, Statement>(info);
}

}  // namespace retort::odbc
