// plugins/mariadb/errors.cpp — MariaDB / MySQL errors → retort_status, SQLSTATE and details.
// SPDX-License-Identifier: MIT
#include "errors.hpp"

#include <errmsg.h>
#include <mysqld_error.h>

#include <utility>

namespace retort::mariadb {
namespace {

// Removes every occurrence of `secret` from `text`.
void scrub(std::string& text, const char* secret) {
  if (secret == nullptr || *secret == '\0') return;
  const std::string_view s(secret);
  for (size_t at = text.find(s); at != std::string::npos; at = text.find(s, at)) {
    text.replace(at, s.size(), "***");
  }
}

// "Duplicate entry '5' for key 'PRIMARY'" (MariaDB) / "… for key 't.PRIMARY'" (MySQL 8):
// the key's name, unqualified.
std::string duplicate_key_name(std::string_view message) {
  const std::string_view marker = "for key '";
  const size_t at = message.rfind(marker);
  if (at == std::string_view::npos) return {};
  const size_t begin = at + marker.size();
  const size_t end = message.find('\'', begin);
  if (end == std::string_view::npos) return {};
  std::string name(message.substr(begin, end - begin));
  // MySQL 8 qualifies with the table; a key name itself may contain a dot only when quoted,
  // which the message does not show, so the last dot separates them.
  if (const size_t dot = name.rfind('.'); dot != std::string::npos) name.erase(0, dot + 1);
  return name;
}

// "… a foreign key constraint fails (`db`.`child`, CONSTRAINT `fk_name` FOREIGN KEY …)".
std::string foreign_key_name(std::string_view message) {
  const std::string_view marker = "CONSTRAINT `";
  const size_t at = message.find(marker);
  if (at == std::string_view::npos) return {};
  const size_t begin = at + marker.size();
  const size_t end = message.find('`', begin);
  if (end == std::string_view::npos) return {};
  return std::string(message.substr(begin, end - begin));
}

sdk::Error make_error(unsigned number, std::string_view sqlstate, std::string message) {
  if (message.empty()) message = "MariaDB error " + std::to_string(number);
  const Classification c = classify(number, sqlstate);
  std::string_view state = sqlstate;
  if (state.empty() || state == "00000")
    state = c.status == RETORT_DISCONNECTED ? "08S01" : "HY000";
  sdk::Error error(c.status, message, state, static_cast<int32_t>(number));
  if (number == ER_DUP_ENTRY || number == ER_DUP_ENTRY_WITH_KEY_NAME) {
    if (std::string key = duplicate_key_name(message); !key.empty()) {
      error.detail("constraint_name", key);
    }
  } else if (number == ER_ROW_IS_REFERENCED_2 || number == ER_NO_REFERENCED_ROW_2) {
    if (std::string fk = foreign_key_name(message); !fk.empty()) {
      error.detail("constraint_name", fk);
    }
  }
  if (!c.kind.empty()) error.detail("retort.kind", std::string(c.kind));
  return error;
}

}  // namespace

Classification classify(unsigned n, std::string_view sqlstate) noexcept {
  switch (n) {
    // The connection is gone or unusable.
    case CR_SERVER_GONE_ERROR:     // 2006
    case CR_SERVER_LOST:           // 2013
    case CR_SERVER_LOST_EXTENDED:  // 2055
    case CR_CONNECTION_ERROR:      // 2002
    case CR_CONN_HOST_ERROR:       // 2003
    case CR_UNKNOWN_HOST:          // 2005
    case CR_COMMANDS_OUT_OF_SYNC:  // 2014: the protocol state is lost
    case 1927:                     // ER_CONNECTION_KILLED
    case 4031:                     // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8.0.24+)
    case ER_SERVER_SHUTDOWN:       // 1053
    case 1152:                     // ER_ABORTING_CONNECTION
    case 1184:                     // ER_NEW_ABORTING_CONNECTION
      return {RETORT_DISCONNECTED, {}};
    case ER_LOCK_DEADLOCK:  // 1213
      return {RETORT_TRANSACTION_ROLLBACK, "deadlock"};
    case ER_LOCK_WAIT_TIMEOUT:  // 1205
      return {RETORT_TIMEOUT, "lock_wait_timeout"};
    case 3572:  // ER_LOCK_NOWAIT (MySQL): NOWAIT met a lock
    case 1969:  // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
    case 3024:  // ER_QUERY_TIMEOUT (MySQL max_execution_time)
      return {RETORT_TIMEOUT, {}};
    case ER_QUERY_INTERRUPTED:  // 1317: KILL QUERY
      return {RETORT_CANCELLED, {}};
    // Integrity.
    case ER_DUP_ENTRY:                // 1062
    case ER_DUP_ENTRY_WITH_KEY_NAME:  // 1586
    case ER_DUP_KEY:                  // 1022
    case ER_BAD_NULL_ERROR:           // 1048
    case ER_ROW_IS_REFERENCED:        // 1217
    case ER_NO_REFERENCED_ROW:        // 1216
    case ER_ROW_IS_REFERENCED_2:      // 1451
    case ER_NO_REFERENCED_ROW_2:      // 1452
    case 1557:                        // ER_FOREIGN_DUPLICATE_KEY
    case 4025:                        // ER_CONSTRAINT_FAILED (MariaDB CHECK)
    case 3819:                        // ER_CHECK_CONSTRAINT_VIOLATED (MySQL)
    case 1364:                        // ER_NO_DEFAULT_FOR_FIELD (strict mode)
      return {RETORT_INTEGRITY, {}};
    // Authentication and permissions.
    case ER_ACCESS_DENIED_ERROR:  // 1045
    case 1698:                    // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
    case 1862:                    // ER_MUST_CHANGE_PASSWORD_LOGIN
      return {RETORT_UNAUTHENTICATED, {}};
    case ER_DBACCESS_DENIED_ERROR:      // 1044
    case ER_TABLEACCESS_DENIED_ERROR:   // 1142
    case ER_COLUMNACCESS_DENIED_ERROR:  // 1143
    case 1227:                          // ER_SPECIFIC_ACCESS_DENIED_ERROR
      return {RETORT_UNAUTHORIZED, {}};
    case ER_BAD_DB_ERROR:  // 1049
      return {RETORT_NOT_FOUND, {}};
    case ER_CON_COUNT_ERROR:  // 1040
    case 1203:                // ER_TOO_MANY_USER_CONNECTIONS
    case ER_OUT_OF_RESOURCES:
      return {RETORT_IO, {}};
    // Data.
    case ER_WARN_DATA_OUT_OF_RANGE:           // 1264
    case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD:  // 1366
    case ER_TRUNCATED_WRONG_VALUE:            // 1292
    case ER_DATA_TOO_LONG:                    // 1406
    case ER_DIVISION_BY_ZERO:                 // 1365
    case 1690:                                // ER_DATA_OUT_OF_RANGE (BIGINT value is out of range)
    case 1265:                                // WARN_DATA_TRUNCATED
    case 4078:                                // ER_ILLEGAL_PARAMETER_DATA_TYPES2_FOR_OPERATION
      return {RETORT_INVALID_DATA, {}};
    case ER_UNSUPPORTED_PS:     // 1295: not in the prepared statement protocol
    case ER_NOT_SUPPORTED_YET:  // 1235
      return {RETORT_NOT_IMPLEMENTED, {}};
    case ER_SP_DOES_NOT_EXIST:  // 1305: FUNCTION x does not exist
      return {RETORT_SYNTAX, {}};
    default:
      break;
  }
  if (n >= 2000 && n < 3000) return {RETORT_IO, {}};  // other client-side failures
  if (sqlstate.size() == 5 && sqlstate != "HY000" && sqlstate != "00000") {
    const std::string_view cls = sqlstate.substr(0, 2);
    if (cls == "40") return {RETORT_TRANSACTION_ROLLBACK, {}};
    if (cls == "23") return {RETORT_INTEGRITY, {}};
    if (cls == "42" || cls == "3D" || cls == "21") return {RETORT_SYNTAX, {}};
    if (cls == "22") return {RETORT_INVALID_DATA, {}};
    if (cls == "08") return {RETORT_DISCONNECTED, {}};
    if (cls == "28") return {RETORT_UNAUTHENTICATED, {}};
    if (cls == "0A") return {RETORT_NOT_IMPLEMENTED, {}};
    // Class 25/24/3B (1792: a write in a READ ONLY transaction) fall through: the server's
    // verdict, not a client misuse (InterfaceError).
    if (cls == "70") return {RETORT_CANCELLED, {}};
  }
  // HY000 and the rest: an operational failure of the server, as PyMySQL classifies them.
  return {RETORT_IO, {}};
}

sdk::Error connection_error(MYSQL* mysql, std::string_view context) {
  std::string message = mysql != nullptr ? mysql_error(mysql) : "";
  if (!context.empty()) message = std::string(context) + ": " + message;
  const unsigned number = mysql != nullptr ? mysql_errno(mysql) : CR_OUT_OF_MEMORY;
  return make_error(number, mysql != nullptr ? mysql_sqlstate(mysql) : "HY001", std::move(message));
}

sdk::Error statement_error(MYSQL_STMT* stmt) {
  return make_error(mysql_stmt_errno(stmt), mysql_stmt_sqlstate(stmt), mysql_stmt_error(stmt));
}

sdk::Error connect_error(MYSQL* mysql, std::string_view target, const char* password) {
  const unsigned number = mysql != nullptr ? mysql_errno(mysql) : CR_OUT_OF_MEMORY;
  std::string reason = mysql != nullptr ? mysql_error(mysql) : "out of memory";
  scrub(reason, password);
  std::string sqlstate = mysql != nullptr ? mysql_sqlstate(mysql) : "HY001";
  Classification c = classify(number, sqlstate);
  if (number >= 2000 && number < 3000 && c.status == RETORT_IO) c.status = RETORT_DISCONNECTED;
  if (c.status == RETORT_DISCONNECTED && (sqlstate.empty() || sqlstate == "HY000")) {
    sqlstate = "08001";
  }
  if (c.status == RETORT_UNAUTHENTICATED) sqlstate = "28000";
  return sdk::Error(c.status, "could not connect to " + std::string(target) + ": " + reason,
                    sqlstate, static_cast<int32_t>(number));
}

sdk::Error plugin_error(retort_status status, std::string message, std::string_view sqlstate) {
  return sdk::Error(status, std::move(message), sqlstate);
}

}  // namespace retort::mariadb
