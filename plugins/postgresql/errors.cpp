// plugins/postgresql/errors.cpp — PostgreSQL errors → retort_status, SQLSTATE and details.
// SPDX-License-Identifier: MIT
#include "errors.hpp"

#include <cctype>
#include <utility>

namespace retort::postgresql {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.substr(0, prefix.size()) == prefix;
}

bool contains(std::string_view s, std::string_view needle) noexcept {
  return s.find(needle) != std::string_view::npos;
}

// Removes every occurrence of `secret` from `text`.
void scrub(std::string& text, const char* secret) {
  if (secret == nullptr || *secret == '\0') return;
  const std::string_view s(secret);
  for (size_t at = text.find(s); at != std::string::npos; at = text.find(s, at)) {
    text.replace(at, s.size(), "***");
  }
}

struct DiagField {
  int code;
  const char* key;
};

// Every diagnostic field passed on as a detail, in this order.
constexpr DiagField kDiagFields[] = {
    {PG_DIAG_SEVERITY_NONLOCALIZED, "severity"},
    {PG_DIAG_MESSAGE_DETAIL, "detail"},
    {PG_DIAG_MESSAGE_HINT, "hint"},
    {PG_DIAG_STATEMENT_POSITION, "position"},
    {PG_DIAG_INTERNAL_POSITION, "internal_position"},
    {PG_DIAG_INTERNAL_QUERY, "internal_query"},
    {PG_DIAG_CONTEXT, "context"},
    {PG_DIAG_SCHEMA_NAME, "schema_name"},
    {PG_DIAG_TABLE_NAME, "table_name"},
    {PG_DIAG_COLUMN_NAME, "column_name"},
    {PG_DIAG_DATATYPE_NAME, "datatype_name"},
    {PG_DIAG_CONSTRAINT_NAME, "constraint_name"},
};

}  // namespace

Classification classify(std::string_view state, std::string_view message) noexcept {
  if (state.size() != 5) return {RETORT_INTERNAL, {}};
  const std::string_view cls = state.substr(0, 2);
  // Exact codes first.
  if (state == "40001") return {RETORT_TRANSACTION_ROLLBACK, "serialization_failure"};
  if (state == "40P01") return {RETORT_TRANSACTION_ROLLBACK, "deadlock"};
  if (state == "42501") return {RETORT_UNAUTHORIZED, {}};
  if (state == "55P03") return {RETORT_TIMEOUT, {}};  // lock_not_available: lock_timeout, NOWAIT
  if (state == "57014") {
    return {contains(message, "statement timeout") ? RETORT_TIMEOUT : RETORT_CANCELLED, {}};
  }
  if (state == "57P01" || state == "57P02" || state == "57P03" || state == "57P04" ||
      state == "57P05") {
    return {RETORT_DISCONNECTED, {}};  // shutdowns, database dropped, idle session timeout
  }
  // Then classes.
  if (cls == "23" || cls == "44") return {RETORT_INTEGRITY, {}};
  if (cls == "40") return {RETORT_TRANSACTION_ROLLBACK, {}};
  if (cls == "08") return {RETORT_DISCONNECTED, {}};
  if (cls == "42" || cls == "21") return {RETORT_SYNTAX, {}};
  if (cls == "22") return {RETORT_INVALID_DATA, {}};
  if (cls == "28") return {RETORT_UNAUTHENTICATED, {}};
  if (cls == "0L" || cls == "0P") return {RETORT_UNAUTHORIZED, {}};
  if (cls == "0A") return {RETORT_NOT_IMPLEMENTED, {}};
  // Transaction, cursor and savepoint state reported by the server (25006 a write in a READ
  // ONLY transaction, 25P02 a statement in a failed one) is the database's verdict, not a
  // misuse of the client API: InternalError, as psycopg2 classifies it.  RETORT_INVALID_STATE
  // stays for what the driver itself refuses.
  if (cls == "0B" || cls == "24" || cls == "25" || cls == "2D" || cls == "3B") {
    return {RETORT_INTERNAL, {}};
  }
  if (cls == "26" || cls == "34" || cls == "3D" || cls == "3F") return {RETORT_NOT_FOUND, {}};
  if (cls == "27" || cls == "53" || cls == "54" || cls == "55" || cls == "57" || cls == "58" ||
      cls == "F0" || cls == "HV") {
    return {RETORT_IO, {}};
  }
  return {RETORT_INTERNAL, {}};
}

int32_t vendor_code(std::string_view sqlstate) noexcept {
  if (sqlstate.size() != 5) return 0;
  uint32_t code = 0;
  for (size_t i = 0; i < 5; ++i) {
    code |= (static_cast<uint32_t>(sqlstate[i] - '0') & 0x3Fu) << (6 * i);
  }
  return static_cast<int32_t>(code);
}

std::string libpq_message(const char* text) {
  std::string out;
  if (text == nullptr) return out;
  bool space = false;
  for (const char* p = text; *p != '\0'; ++p) {
    const char c = *p;
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

sdk::Error result_error(PGconn* conn, const PGresult* res) {
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res != nullptr ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message;
  if (primary != nullptr) {
    message = primary;
  } else {
    if (res != nullptr) message = libpq_message(PQresultErrorMessage(res));
    if (message.empty() && conn != nullptr) message = libpq_message(PQerrorMessage(conn));
    if (message.empty()) message = "unknown libpq failure";
  }
  std::string sqlstate = state != nullptr ? state : "";
  Classification c = classify(sqlstate, message);
  if (conn != nullptr && PQstatus(conn) == CONNECTION_BAD) {
    c = {RETORT_DISCONNECTED, {}};
    if (sqlstate.empty()) sqlstate = "08006";
  } else if (sqlstate.empty()) {
    // A failure libpq detected on its own (protocol trouble, out of memory).
    c = {RETORT_IO, {}};
  }
  sdk::Error error(c.status, std::move(message), sqlstate, vendor_code(sqlstate));
  if (res != nullptr) {
    for (const DiagField& f : kDiagFields) {
      if (const char* v = PQresultErrorField(res, f.code); v != nullptr) error.detail(f.key, v);
    }
  }
  if (!c.kind.empty()) error.detail("retort.kind", std::string(c.kind));
  return error;
}

sdk::Error connection_error(PGconn* conn, std::string_view context) {
  std::string message = libpq_message(conn != nullptr ? PQerrorMessage(conn) : nullptr);
  if (message.empty()) message = "libpq call failed";
  if (!context.empty()) message = std::string(context) + ": " + message;
  if (conn == nullptr || PQstatus(conn) == CONNECTION_BAD) {
    return sdk::Error(RETORT_DISCONNECTED, std::move(message), "08006", vendor_code("08006"));
  }
  return sdk::Error(RETORT_IO, std::move(message));
}

sdk::Error connect_error(PGconn* conn, std::string_view target, const char* password) {
  std::string reason = libpq_message(conn != nullptr ? PQerrorMessage(conn) : nullptr);
  if (reason.empty()) reason = "out of memory allocating the connection";
  scrub(reason, password);
  retort_status status = RETORT_DISCONNECTED;
  std::string_view state = "08001";
  if (contains(reason, "password authentication failed") ||
      (conn != nullptr && PQconnectionNeedsPassword(conn)) ||
      contains(reason, "no password supplied")) {
    status = RETORT_UNAUTHENTICATED;
    state = "28P01";
  } else if (contains(reason, "authentication failed") || contains(reason, "pg_hba.conf") ||
             (contains(reason, "role \"") && contains(reason, "does not exist"))) {
    status = RETORT_UNAUTHENTICATED;
    state = "28000";
  } else if (contains(reason, "database \"") && contains(reason, "does not exist")) {
    status = RETORT_NOT_FOUND;
    state = "3D000";
  } else if (contains(reason, "timeout expired")) {
    status = RETORT_TIMEOUT;
  } else if (contains(reason, "too many clients") ||
             contains(reason, "remaining connection slots")) {
    status = RETORT_IO;
    state = "53300";
  }
  std::string message = "could not connect to " + std::string(target) + ": " + reason;
  return sdk::Error(status, std::move(message), state, vendor_code(state));
}

sdk::Error plugin_error(retort_status status, std::string message, std::string_view sqlstate) {
  return sdk::Error(status, std::move(message), sqlstate, vendor_code(sqlstate));
}

void log_notice(void*, const PGresult* res) {
  const char* severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
  const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  const std::string_view sev = severity != nullptr ? severity : "NOTICE";
  int32_t level = RETORT_LOG_INFO;
  if (sev == "WARNING") {
    level = RETORT_LOG_WARNING;
  } else if (starts_with(sev, "DEBUG") || sev == "LOG") {
    level = RETORT_LOG_DEBUG;
  }
  std::string line(sev);
  line += ": ";
  line += primary != nullptr ? primary : libpq_message(PQresultErrorMessage(res));
  if (const char* d = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)) {
    line += " (DETAIL: ";
    line += d;
    line += ")";
  }
  if (const char* h = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT)) {
    line += " (HINT: ";
    line += h;
    line += ")";
  }
  sdk::log(level, kPluginName, line);
}

}  // namespace retort::postgresql
