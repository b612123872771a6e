// plugins/sqlite/connection.cpp — the `sqlite3` driver's connection.
// SPDX-License-Identifier: MIT
#include "connection.hpp"

#include "errors.hpp"
#include "statement.hpp"

#include <retort/sdk/plugin.hpp>

#include <climits>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <regex>
#include <system_error>
#include <utility>

#if SQLITE_VERSION_NUMBER < 3035000
#error "the sqlite plugin needs SQLite 3.35 or later (RETURNING)"
#endif

namespace retort::sqlite {
namespace {

// regexp(pattern, string), which SQLite's `string REGEXP pattern` calls and does not itself
// define (as Python's sqlite3 module gets from SQLAlchemy): std::regex_search with ECMAScript
// syntax on the UTF-8 bytes.  NULL in gives NULL.  The compiled pattern is kept as SQLite
// auxiliary data, so a statement compiles a constant pattern once.
void regexp_function(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (argc != 2 || sqlite3_value_type(argv[0]) == SQLITE_NULL ||
      sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    sqlite3_result_null(context);
    return;
  }
  try {
    auto* re = static_cast<std::regex*>(sqlite3_get_auxdata(context, 0));
    if (re == nullptr) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
      const int n = sqlite3_value_bytes(argv[0]);
      auto owned = std::make_unique<std::regex>(p, static_cast<std::size_t>(n));
      re = owned.get();
      sqlite3_set_auxdata(context, 0, owned.release(),
                          [](void* r) { delete static_cast<std::regex*>(r); });
      // SQLite may have freed it already (out of memory): fetch it back.
      re = static_cast<std::regex*>(sqlite3_get_auxdata(context, 0));
      if (re == nullptr) {
        sqlite3_result_error_nomem(context);
        return;
      }
    }
    const auto* s = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
    const int n = sqlite3_value_bytes(argv[1]);
    sqlite3_result_int(context, std::regex_search(s, s + n, *re) ? 1 : 0);
  } catch (const std::regex_error& e) {
    const std::string message = std::string("invalid regular expression: ") + e.what();
    sqlite3_result_error(context, message.c_str(), static_cast<int>(message.size()));
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(context);
  }
}

constexpr std::string_view kAcceptedKeys =
    "begin, cache, foreign_keys, journal_mode, mode, statement_cache_size, timeout, uri";
constexpr const char* kDriverDialects[] = {"sqlite", nullptr};

struct ConnectOptions {
  std::string mode = "rwc";
  int busy_timeout_ms = 5000;
  bool foreign_keys = true;
  int cache_flag = 0;
  bool uri = false;
  std::string journal_mode;
  size_t statement_cache_size = 128;
  std::string begin_sql = "BEGIN";
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

[[noreturn]] void throw_bad_value(std::string_view key, std::string_view expected,
                                  std::string_view value) {
  throw plugin_error(RETORT_INVALID_ARGUMENT, "option '" + std::string(key) + "' must be " +
                                                  std::string(expected) + "; got '" +
                                                  std::string(value) + "'");
}

std::string one_of(std::string_view key, std::string_view value,
                   std::initializer_list<std::string_view> accepted) {
  const std::string v = lower(value);
  std::string expected = "one of ";
  for (std::string_view a : accepted) {
    if (v == a) return v;
    if (expected.size() > 7) expected += ", ";
    expected += a;
  }
  throw_bad_value(key, expected, value);
}

bool parse_bool(std::string_view key, std::string_view value) {
  const std::string v = one_of(key, value, {"on", "off", "true", "false", "1", "0", "yes", "no"});
  return v == "on" || v == "true" || v == "1" || v == "yes";
}

ConnectOptions parse_options(const retort_connect_params& params) {
  ConnectOptions o;
  // URL query first, then connect options; the last occurrence of a key wins.
  for (const auto& [key, value] : sdk::all_options(params)) {
    if (key == "mode") {
      o.mode = one_of(key, value, {"ro", "rw", "rwc", "memory"});
    } else if (key == "timeout") {
      double seconds = -1;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(seconds) ||
          seconds < 0) {
        throw_bad_value(key, "a non-negative number of seconds", value);
      }
      o.busy_timeout_ms = static_cast<int>(std::min(std::round(seconds * 1000.0), double{INT_MAX}));
    } else if (key == "foreign_keys") {
      o.foreign_keys = parse_bool(key, value);
    } else if (key == "cache") {
      o.cache_flag = one_of(key, value, {"shared", "private"}) == "shared"
                         ? SQLITE_OPEN_SHAREDCACHE
                         : SQLITE_OPEN_PRIVATECACHE;
    } else if (key == "uri") {
      o.uri = parse_bool(key, value);
    } else if (key == "journal_mode") {
      // Validated against the fixed list because it is spliced into a PRAGMA.
      o.journal_mode =
          one_of(key, value, {"delete", "truncate", "persist", "memory", "wal", "off"});
    } else if (key == "statement_cache_size") {
      size_t size = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), size);
      if (ec != std::errc() || end != value.data() + value.size() || size > 100000) {
        throw_bad_value(key, "an integer from 0 to 100000", value);
      }
      o.statement_cache_size = size;
    } else if (key == "begin") {
      o.begin_sql = "BEGIN " + one_of(key, value, {"deferred", "immediate", "exclusive"});
      for (char& c : o.begin_sql) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    } else {
      throw plugin_error(RETORT_INVALID_ARGUMENT,
                         "unknown option '" + std::string(key) +
                             "'; the sqlite3 driver accepts: " + std::string(kAcceptedKeys));
    }
  }
  return o;
}

// Escapes the characters that end or escape the path part of an SQLite URI filename.
std::string uri_escape(std::string_view path) {
  std::string out;
  for (const char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[static_cast<unsigned char>(c) >> 4];
      out += kHex[static_cast<unsigned char>(c) & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

bool present(const char* text) noexcept {
  return text != nullptr && *text != '\0';
}

std::string quote_identifier(const char* name) {
  if (name == nullptr || *name == '\0') {
    throw plugin_error(RETORT_INVALID_ARGUMENT, "savepoint name must not be empty");
  }
  std::string quoted = "\"";
  for (const char* p = name; *p != '\0'; ++p) {
    if (*p == '"') quoted += '"';
    quoted += *p;
  }
  quoted += '"';
  return quoted;
}

// True when only whitespace, semicolons and comments remain.
bool only_trivia(const char* p, const char* end) noexcept {
  while (p < end) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == ';') {
      ++p;
    } else if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
      while (p < end && *p != '\n') ++p;
    } else if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
      p += 2;
      while (end - p >= 2 && !(p[0] == '*' && p[1] == '/')) ++p;
      p = end - p >= 2 ? p + 2 : end;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

// --------------------------------------------------------------------------------------------
// Connection
// --------------------------------------------------------------------------------------------

Connection::Connection(sqlite3* db, size_t cache_size, std::string begin_sql)
    : db_(db), cache_(cache_size), begin_sql_(std::move(begin_sql)) {}

Connection::~Connection() {
  cache_.clear();
  sqlite3_close_v2(db_);
}

std::unique_ptr<Connection> Connection::connect(const retort_connect_params& params) {
  // Never echo the URL parts: the password must not reach a message.
  if (present(params.username) || present(params.password) || present(params.host) ||
      params.port >= 0) {
    throw plugin_error(RETORT_INVALID_ARGUMENT,
                       "sqlite URLs take no user, password, host or port; valid forms are "
                       "sqlite:// (in memory), sqlite:///relative/path.db and "
                       "sqlite:////absolute/path.db");
  }
  if (sqlite3_threadsafe() == 0) {
    // connect must be thread-safe and cancel crosses threads; neither holds for such a build.
    throw plugin_error(RETORT_INTERNAL,
                       "libsqlite3 was built with SQLITE_THREADSAFE=0; the sqlite3 driver needs a "
                       "thread-safe build");
  }
  const ConnectOptions options = parse_options(params);
  std::string path = present(params.database) ? params.database : "";
  const bool memory =
      options.mode == "memory" || (!options.uri && (path.empty() || path == ":memory:"));
  if (path.empty()) path = ":memory:";

  int flags = SQLITE_OPEN_NOMUTEX | options.cache_flag;
  if (options.uri) flags |= SQLITE_OPEN_URI;
  if (options.mode == "memory" && !options.uri) {
    // SQLite shares a named in-memory database (cache=shared) only when it is named by a URI.
    path = "file:" + uri_escape(path);
    flags |= SQLITE_OPEN_URI;
  }
  if (options.mode == "ro") {
    flags |= SQLITE_OPEN_READONLY;
  } else if (options.mode == "rw") {
    flags |= SQLITE_OPEN_READWRITE;
  } else {
    flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  }
  if (options.mode == "memory") flags |= SQLITE_OPEN_MEMORY;

  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    const int code = db != nullptr ? sqlite3_extended_errcode(db) : rc;
    sdk::Error error = make_error(db, code, Phase::kOpen, "cannot open database '" + path + "'");
    sqlite3_close_v2(db);
    std::error_code ec;
    const bool creates = options.mode != "ro" && options.mode != "rw";
    if ((code & 0xff) == SQLITE_CANTOPEN && !creates && !memory && !options.uri &&
        !std::filesystem::exists(path, ec)) {
      sdk::Error missing(RETORT_NOT_FOUND, error.what(), error.sqlstate(), code);
      for (const auto& [key, value] : error.details()) missing.detail(key, value);
      throw missing;
    }
    throw error;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_create_function_v2(db, "regexp", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                             regexp_function, nullptr, nullptr, nullptr);
  std::unique_ptr<Connection> connection;
  try {
    connection.reset(new Connection(db, options.statement_cache_size, options.begin_sql));
  } catch (...) {
    sqlite3_close_v2(db);
    throw;
  }
  try {
    connection->open_settings(options.busy_timeout_ms, options.foreign_keys, options.journal_mode);
  } catch (const sdk::Error& e) {
    // The first statement is where SQLite notices a file that is not a database.
    const std::string_view cause = e.what();
    sdk::Error error(e.status(), "cannot open database '" + path + "': " + std::string(cause),
                     e.sqlstate(), e.vendor_code());
    for (const auto& [key, value] : e.details()) error.detail(key, value);
    throw error;
  }
  return connection;
}

void Connection::open_settings(int busy_timeout_ms, bool foreign_keys,
                               const std::string& journal_mode) {
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  // Opening is lazy; reading the header now reports a file that is not a database (or is
  // locked, or unreadable) at connect time rather than at the first statement.
  run("PRAGMA schema_version");
  run(foreign_keys ? "PRAGMA foreign_keys=ON" : "PRAGMA foreign_keys=OFF");
  if (journal_mode.empty()) return;
  // PRAGMA journal_mode answers with the mode now in effect, which is not the one asked for
  // when it is impossible (WAL for an in-memory database); SQLite does not call that an error.
  const std::string sql = "PRAGMA journal_mode=" + journal_mode;
  sqlite3_stmt* stmt = check_out(sql);
  const int rc = sqlite3_step(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    sdk::Error error = make_error(db_, rc, Phase::kStep, "cannot set journal_mode");
    check_in(sql, stmt);
    throw error;
  }
  const auto* mode = rc == SQLITE_ROW ? sqlite3_column_text(stmt, 0) : nullptr;
  const std::string actual = mode != nullptr ? reinterpret_cast<const char*>(mode) : "";
  check_in(sql, stmt);
  if (lower(actual) != journal_mode) {
    sdk::log(
        RETORT_LOG_WARNING, "sqlite",
        "journal_mode=" + journal_mode + " was not applied; the database uses '" + actual + "'");
  }
}

sqlite3_stmt* Connection::check_out(std::string_view sql) {
  if (const auto cached = cache_.take(sql)) return *cached;
  if (sql.size() > static_cast<size_t>(INT_MAX)) {
    throw plugin_error(RETORT_INVALID_ARGUMENT, "SQL text is longer than SQLite accepts");
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) throw_error(db_, rc, Phase::kPrepare);
  if (stmt == nullptr) {
    throw plugin_error(RETORT_SYNTAX, "the SQL text holds no statement", "42000");
  }
  if (tail != nullptr && !only_trivia(tail, sql.data() + sql.size())) {
    sqlite3_finalize(stmt);
    throw plugin_error(RETORT_SYNTAX,
                       "the sqlite3 driver runs one statement at a time; the SQL text holds more "
                       "than one",
                       "42000");
  }
  return stmt;
}

void Connection::check_in(std::string_view sql, sqlite3_stmt* stmt) noexcept {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  cache_.give_back(sql, stmt);
}

void Connection::run(std::string_view sql) {
  sqlite3_stmt* stmt = check_out(sql);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) {
    // Build the error before the reset inside check_in can touch the message.
    sdk::Error error = make_error(db_, rc, Phase::kStep);
    check_in(sql, stmt);
    throw error;
  }
  check_in(sql, stmt);
}

std::unique_ptr<Statement> Connection::prepare(std::string_view sql) {
  std::string text(sql);
  sqlite3_stmt* stmt = check_out(text);
  try {
    return std::make_unique<Statement>(*this, std::move(text), stmt);
  } catch (...) {
    sqlite3_finalize(stmt);
    throw;
  }
}

void Connection::begin() {
  run(begin_sql_);
}

void Connection::begin_ex(const retort_transaction_options& options) {
  if (options.read_only != 0 || options.deferrable != 0) {
    throw sdk::Error(RETORT_NOT_IMPLEMENTED,
                     "SQLite has no READ ONLY or DEFERRABLE transactions (open the database with "
                     "mode=ro for a read-only connection)");
  }
  const std::string_view level =
      options.isolation_level != nullptr ? options.isolation_level : "SERIALIZABLE";
  if (level != "SERIALIZABLE" && level != "READ UNCOMMITTED") {
    throw sdk::Error(RETORT_INVALID_ARGUMENT,
                     "unknown isolation level '" + std::string(level) +
                         "'; SQLite has SERIALIZABLE and READ UNCOMMITTED",
                     "HY024");
  }
  if (sqlite3_get_autocommit(db_) == 0) {
    throw sdk::Error(RETORT_INVALID_STATE, "a transaction is already in progress", "25001");
  }
  if (level == "READ UNCOMMITTED") {
    run("PRAGMA read_uncommitted = 1");
    read_uncommitted_ = true;
  }
  try {
    run(begin_sql_);
  } catch (...) {
    end_of_transaction();
    throw;
  }
}

void Connection::commit() {
  run("COMMIT");
  end_of_transaction();
}

void Connection::rollback() {
  if (sqlite3_get_autocommit(db_) != 0) return;  // nothing to roll back
  run("ROLLBACK");
  end_of_transaction();
}

void Connection::end_of_transaction() noexcept {
  // READ UNCOMMITTED was for that transaction only; a failed COMMIT keeps it open.
  if (!read_uncommitted_ || sqlite3_get_autocommit(db_) == 0) return;
  if (sqlite3_exec(db_, "PRAGMA read_uncommitted = 0", nullptr, nullptr, nullptr) == SQLITE_OK) {
    read_uncommitted_ = false;
  }
}

void Connection::savepoint(const char* name) {
  run("SAVEPOINT " + quote_identifier(name));
}

void Connection::release_savepoint(const char* name) {
  run("RELEASE SAVEPOINT " + quote_identifier(name));
}

void Connection::rollback_to_savepoint(const char* name) {
  run("ROLLBACK TO SAVEPOINT " + quote_identifier(name));
}

void Connection::cancel() {
  sqlite3_interrupt(db_);
}

std::string Connection::server_version() {
  return sqlite3_libversion();
}

void Connection::ping() {
  run("SELECT 1");
}

const retort_driver& sqlite3_driver() {
  return sdk::make_driver<Connection, Statement>(
      sdk::DriverInfo{"sqlite3", kDriverDialects, SQLITE_VERSION});
}

}  // namespace retort::sqlite
