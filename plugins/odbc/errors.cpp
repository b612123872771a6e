// plugins/odbc/errors.cpp — ODBC diagnostics → retort_status, SQLSTATE, native code, details.
// SPDX-License-Identifier: MIT
#include "errors.hpp"

#include "types.hpp"

#include <cctype>
#include <utility>

namespace retort::odbc {
namespace {

bool contains(std::string_view s, std::string_view needle) noexcept {
  return s.find(needle) != std::string_view::npos;
}

bool icontains(std::string_view s, std::string_view needle) noexcept {
  if (needle.size() > s.size()) return false;
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

// "[unixODBC][Driver Manager]Data source…" → origin "[unixODBC][Driver Manager]", rest.
std::pair<std::string, std::string> split_origin(std::string text) {
  size_t at = 0;
  while (at < text.size() && text[at] == '[') {
    const size_t close = text.find(']', at);
    if (close == std::string::npos) break;
    at = close + 1;
  }
  std::string rest = text.substr(at);
  // Drivers end messages with newlines and PostgreSQL prefixes its severity.
  while (!rest.empty() && (rest.back() == '\n' || rest.back() == '\r' || rest.back() == ' ')) {
    rest.pop_back();
  }
  for (std::string_view p : {"ERROR:  ", "ERROR: ", "FATAL:  ", "FATAL: "}) {
    if (rest.compare(0, p.size(), p) == 0) {
      rest.erase(0, p.size());
      break;
    }
  }
  return {text.substr(0, at), std::move(rest)};
}

// Replaces the value after every `key=` (case-insensitive) up to the next ';' or the end.
void scrub_attribute(std::string& text, std::string_view key) {
  for (size_t at = 0; at < text.size();) {
    size_t found = std::string::npos;
    for (size_t i = at; i + key.size() < text.size(); ++i) {
      if (icontains(std::string_view(text).substr(i, key.size()), key) &&
          text[i + key.size()] == '=' &&
          (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
        found = i;
        break;
      }
    }
    if (found == std::string::npos) return;
    const size_t value = found + key.size() + 1;
    size_t end = text.find(';', value);
    if (end == std::string::npos) end = text.size();
    text.replace(value, end - value, "***");
    at = value + 3;
  }
}

}  // namespace

std::vector<DiagRecord> diagnostics(SQLSMALLINT type, SQLHANDLE handle) {
  std::vector<DiagRecord> out;
  if (handle == SQL_NULL_HANDLE) return out;
  for (SQLSMALLINT i = 1; i < 64; ++i) {
    SQLWCHAR state[6] = {};
    SQLINTEGER native = 0;
    SQLSMALLINT length = 0;
    std::vector<SQLWCHAR> text(1024);
    SQLRETURN rc = SQLGetDiagRecW(type, handle, i, state, &native, text.data(),
                                  static_cast<SQLSMALLINT>(text.size()), &length);
    if (rc == SQL_SUCCESS_WITH_INFO && length >= static_cast<SQLSMALLINT>(text.size())) {
      text.resize(static_cast<size_t>(length) + 1);
      rc = SQLGetDiagRecW(type, handle, i, state, &native, text.data(),
                          static_cast<SQLSMALLINT>(text.size()), &length);
    }
    if (rc != SQL_SUCCESS && rc != SQL_SUCCESS_WITH_INFO) break;
    DiagRecord r;
    for (int k = 0; k < 5; ++k) r.sqlstate.push_back(static_cast<char>(state[k]));
    r.native = native;
    const size_t n =
        std::min<size_t>(static_cast<size_t>(std::max<SQLSMALLINT>(length, 0)), text.size() - 1);
    auto [origin, message] = split_origin(utf16_to_utf8(text.data(), n));
    r.origin = std::move(origin);
    r.message = std::move(message);
    out.push_back(std::move(r));
  }
  return out;
}

retort_status classify(std::string_view state, std::string_view message) noexcept {
  if (state.size() != 5) return RETORT_INTERNAL;
  const std::string_view cls = state.substr(0, 2);
  // Authentication failures arrive as 28xxx, or as 08001 with the server's text (psqlODBC).
  if (cls == "28" || icontains(message, "password authentication failed") ||
      icontains(message, "access denied for user")) {
    return RETORT_UNAUTHENTICATED;
  }
  // Exact codes first (ODBC's own, then the servers' that drivers pass on).
  if (state == "HY008" || state == "57014") {
    return icontains(message, "statement timeout") ? RETORT_TIMEOUT : RETORT_CANCELLED;
  }
  if (state == "HYT00" || state == "HYT01" || state == "55P03") return RETORT_TIMEOUT;
  if (state == "IM002") return RETORT_NOT_FOUND;  // DSN not found, no default driver
  if (state == "IM003" || state == "IM004" || state == "IM005" || state == "IM006") {
    return RETORT_NOT_FOUND;  // the driver library cannot be loaded or initialised
  }
  if (state == "42501") return RETORT_UNAUTHORIZED;
  if (state == "3D000") return RETORT_NOT_FOUND;  // PostgreSQL: database does not exist
  if (state == "42000" && icontains(message, "unknown database")) return RETORT_NOT_FOUND;
  if (state == "HYC00" || state == "IM001") return RETORT_NOT_IMPLEMENTED;
  if (state == "HY000" && icontains(message, "database is locked")) return RETORT_IO;
  if (state == "01004" || state == "07006" || state == "22003" || state == "22018") {
    return RETORT_INVALID_DATA;
  }
  if (state == "07001" || state == "07002" || state == "HY009" || state == "HY024" ||
      state == "HY090" || state == "HY105") {
    return RETORT_INVALID_ARGUMENT;
  }
  if (state == "HY010" || state == "HY011" || state == "HY012" || state == "24000" ||
      state == "25000" || state == "25001" || state == "25S01") {
    return RETORT_INVALID_STATE;
  }
  if (state == "57P01" || state == "57P02" || state == "57P03" || state == "08S01") {
    return RETORT_DISCONNECTED;
  }
  // Then classes.
  if (cls == "23" || cls == "44") return RETORT_INTEGRITY;
  if (cls == "40") return RETORT_TRANSACTION_ROLLBACK;
  if (cls == "08") return RETORT_DISCONNECTED;
  if (cls == "42" || cls == "21" || cls == "3F") return RETORT_SYNTAX;
  if (cls == "22") return RETORT_INVALID_DATA;
  if (cls == "0A") return RETORT_NOT_IMPLEMENTED;
  // The rest of these classes (25006 a write in a READ ONLY transaction, 25P02 a statement in
  // a failed one) is the database's verdict on its own state, not a misuse of the ODBC API
  // (the exact states above): InternalError, as the native postgresql driver reports it.
  if (cls == "0B" || cls == "24" || cls == "25" || cls == "2D" || cls == "3B") {
    return RETORT_INTERNAL;
  }
  if (cls == "53" || cls == "54" || cls == "55" || cls == "57" || cls == "58" || cls == "HY") {
    // MariaDB reports a query killed by SQLCancel as HY018 "Query execution was interrupted".
    if (icontains(message, "interrupted")) return RETORT_CANCELLED;
    // HY000 is a driver's "general error": SQLite's constraint and syntax errors arrive so.
    if (state == "HY000") {
      if (icontains(message, "constraint failed") || icontains(message, "not unique") ||
          icontains(message, "may not be null")) {
        return RETORT_INTEGRITY;
      }
      if (icontains(message, "syntax error") || icontains(message, "no such table") ||
          icontains(message, "no such column") || icontains(message, "no such function")) {
        return RETORT_SYNTAX;
      }
      if (icontains(message, "cannot commit") || icontains(message, "no transaction")) {
        return RETORT_INVALID_STATE;
      }
      return RETORT_INTERNAL;
    }
    return RETORT_IO;
  }
  return RETORT_INTERNAL;
}

namespace {

// A driver's "general error" (HY000) said more precisely, where the message is a database's
// fixed wording: the SQLite ODBC driver reports every SQLite error as HY000 with SQLite's
// primary result code as the native code.  The SQLSTATEs are those the native sqlite driver
// gives (plugins/sqlite/errors.cpp); the driver's own record stays in the diag.N details.
std::string refine_general_error(const std::string& state, int32_t native,
                                 std::string_view message) {
  if (state != "HY000") return state;
  constexpr int32_t kSqliteInterrupt = 9, kSqliteConstraint = 19;
  if (native == kSqliteConstraint) {
    if (contains(message, "UNIQUE constraint failed") ||
        contains(message, "PRIMARY KEY constraint failed")) {
      return "23505";
    }
    if (contains(message, "NOT NULL constraint failed")) return "23502";
    if (contains(message, "FOREIGN KEY constraint failed")) return "23503";
    if (contains(message, "CHECK constraint failed")) return "23514";
    return "23000";
  }
  if (native == kSqliteInterrupt && contains(message, "interrupted")) return "57014";
  return state;
}

// MariaDB Connector/ODBC reports a statement killed by SQLCancel as HY018 ("server declined
// cancel request") although the server said ER_QUERY_INTERRUPTED, SQLSTATE 70100; the native
// mariadb driver reports 70100.
std::string refine_cancel(const std::string& state, int32_t native) {
  constexpr int32_t kErQueryInterrupted = 1317;
  return state == "HY018" && native == kErQueryInterrupted ? "70100" : state;
}

}  // namespace

void scrub(std::string& text, std::string_view secret) {
  if (!secret.empty()) {
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
      text.replace(at, secret.size(), "***");
      at += 3;
    }
  }
  scrub_attribute(text, "PWD");
  scrub_attribute(text, "Password");
}

sdk::Error odbc_error(SQLSMALLINT type, SQLHANDLE handle, SQLRETURN rc, std::string_view context,
                      std::string_view secret) {
  std::vector<DiagRecord> records =
      rc == SQL_INVALID_HANDLE ? std::vector<DiagRecord>{} : diagnostics(type, handle);
  // Informational records (01xxx) may precede the error; the first real one decides.
  size_t main = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].sqlstate.compare(0, 2, "01") != 0) {
      main = i;
      break;
    }
  }
  std::string message;
  std::string sqlstate;
  int32_t native = 0;
  if (records.empty()) {
    message = rc == SQL_INVALID_HANDLE ? "invalid ODBC handle"
                                       : "the ODBC call failed (return code " + std::to_string(rc) +
                                             ") and the driver gave no diagnostic";
  } else {
    sqlstate = records[main].sqlstate;
    native = records[main].native;
    message = records[main].message;
  }
  retort_status status = classify(sqlstate, message);
  sqlstate = refine_cancel(refine_general_error(sqlstate, native, message), native);
  if (!context.empty()) message = std::string(context) + ": " + message;
  scrub(message, secret);
  sdk::Error error(status, std::move(message), sqlstate, native);
  for (size_t i = 0; i < records.size(); ++i) {
    std::string line = records[i].sqlstate + " " + std::to_string(records[i].native) + " " +
                       records[i].origin + records[i].message;
    scrub(line, secret);
    error.detail("diag." + std::to_string(i + 1), std::move(line));
  }
  if (sqlstate == "40001") error.detail("retort.kind", "serialization_failure");
  if (sqlstate == "40P01" || (sqlstate == "40001" && contains(message, "eadlock"))) {
    error.detail("retort.kind", "deadlock");
  }
  return error;
}

sdk::Error plugin_error(retort_status status, std::string message, std::string_view sqlstate) {
  return sdk::Error(status, std::move(message), sqlstate);
}

}  // namespace retort::odbc
