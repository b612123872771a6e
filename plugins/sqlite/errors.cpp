// plugins/sqlite/errors.cpp — SQLite result codes → retort_status, SQLSTATE and details.
// SPDX-License-Identifier: MIT
#include "errors.hpp"

#include <utility>

namespace retort::sqlite {
namespace {

struct CodeName {
  int code;
  std::string_view name;
};

#define RETORT_SQLITE_CODE(c) \
  CodeName {                  \
    c, #c                     \
  }
constexpr CodeName kCodeNames[] = {
    RETORT_SQLITE_CODE(SQLITE_OK),
    RETORT_SQLITE_CODE(SQLITE_ERROR),
    RETORT_SQLITE_CODE(SQLITE_INTERNAL),
    RETORT_SQLITE_CODE(SQLITE_PERM),
    RETORT_SQLITE_CODE(SQLITE_ABORT),
    RETORT_SQLITE_CODE(SQLITE_BUSY),
    RETORT_SQLITE_CODE(SQLITE_LOCKED),
    RETORT_SQLITE_CODE(SQLITE_NOMEM),
    RETORT_SQLITE_CODE(SQLITE_READONLY),
    RETORT_SQLITE_CODE(SQLITE_INTERRUPT),
    RETORT_SQLITE_CODE(SQLITE_IOERR),
    RETORT_SQLITE_CODE(SQLITE_CORRUPT),
    RETORT_SQLITE_CODE(SQLITE_NOTFOUND),
    RETORT_SQLITE_CODE(SQLITE_FULL),
    RETORT_SQLITE_CODE(SQLITE_CANTOPEN),
    RETORT_SQLITE_CODE(SQLITE_PROTOCOL),
    RETORT_SQLITE_CODE(SQLITE_EMPTY),
    RETORT_SQLITE_CODE(SQLITE_SCHEMA),
    RETORT_SQLITE_CODE(SQLITE_TOOBIG),
    RETORT_SQLITE_CODE(SQLITE_CONSTRAINT),
    RETORT_SQLITE_CODE(SQLITE_MISMATCH),
    RETORT_SQLITE_CODE(SQLITE_MISUSE),
    RETORT_SQLITE_CODE(SQLITE_NOLFS),
    RETORT_SQLITE_CODE(SQLITE_AUTH),
    RETORT_SQLITE_CODE(SQLITE_FORMAT),
    RETORT_SQLITE_CODE(SQLITE_RANGE),
    RETORT_SQLITE_CODE(SQLITE_NOTADB),
    RETORT_SQLITE_CODE(SQLITE_NOTICE),
    RETORT_SQLITE_CODE(SQLITE_WARNING),
    RETORT_SQLITE_CODE(SQLITE_ERROR_MISSING_COLLSEQ),
    RETORT_SQLITE_CODE(SQLITE_ERROR_RETRY),
    RETORT_SQLITE_CODE(SQLITE_ERROR_SNAPSHOT),
    RETORT_SQLITE_CODE(SQLITE_IOERR_READ),
    RETORT_SQLITE_CODE(SQLITE_IOERR_SHORT_READ),
    RETORT_SQLITE_CODE(SQLITE_IOERR_WRITE),
    RETORT_SQLITE_CODE(SQLITE_IOERR_FSYNC),
    RETORT_SQLITE_CODE(SQLITE_IOERR_DIR_FSYNC),
    RETORT_SQLITE_CODE(SQLITE_IOERR_TRUNCATE),
    RETORT_SQLITE_CODE(SQLITE_IOERR_FSTAT),
    RETORT_SQLITE_CODE(SQLITE_IOERR_UNLOCK),
    RETORT_SQLITE_CODE(SQLITE_IOERR_RDLOCK),
    RETORT_SQLITE_CODE(SQLITE_IOERR_DELETE),
    RETORT_SQLITE_CODE(SQLITE_IOERR_BLOCKED),
    RETORT_SQLITE_CODE(SQLITE_IOERR_NOMEM),
    RETORT_SQLITE_CODE(SQLITE_IOERR_ACCESS),
    RETORT_SQLITE_CODE(SQLITE_IOERR_CHECKRESERVEDLOCK),
    RETORT_SQLITE_CODE(SQLITE_IOERR_LOCK),
    RETORT_SQLITE_CODE(SQLITE_IOERR_CLOSE),
    RETORT_SQLITE_CODE(SQLITE_IOERR_DIR_CLOSE),
    RETORT_SQLITE_CODE(SQLITE_IOERR_SHMOPEN),
    RETORT_SQLITE_CODE(SQLITE_IOERR_SHMSIZE),
    RETORT_SQLITE_CODE(SQLITE_IOERR_SHMLOCK),
    RETORT_SQLITE_CODE(SQLITE_IOERR_SHMMAP),
    RETORT_SQLITE_CODE(SQLITE_IOERR_SEEK),
    RETORT_SQLITE_CODE(SQLITE_IOERR_DELETE_NOENT),
    RETORT_SQLITE_CODE(SQLITE_IOERR_MMAP),
    RETORT_SQLITE_CODE(SQLITE_IOERR_GETTEMPPATH),
    RETORT_SQLITE_CODE(SQLITE_IOERR_CONVPATH),
    RETORT_SQLITE_CODE(SQLITE_IOERR_VNODE),
    RETORT_SQLITE_CODE(SQLITE_IOERR_AUTH),
    RETORT_SQLITE_CODE(SQLITE_IOERR_BEGIN_ATOMIC),
    RETORT_SQLITE_CODE(SQLITE_IOERR_COMMIT_ATOMIC),
    RETORT_SQLITE_CODE(SQLITE_IOERR_ROLLBACK_ATOMIC),
#ifdef SQLITE_IOERR_DATA
    RETORT_SQLITE_CODE(SQLITE_IOERR_DATA),
#endif
#ifdef SQLITE_IOERR_CORRUPTFS
    RETORT_SQLITE_CODE(SQLITE_IOERR_CORRUPTFS),
#endif
    RETORT_SQLITE_CODE(SQLITE_LOCKED_SHAREDCACHE),
    RETORT_SQLITE_CODE(SQLITE_LOCKED_VTAB),
    RETORT_SQLITE_CODE(SQLITE_BUSY_RECOVERY),
    RETORT_SQLITE_CODE(SQLITE_BUSY_SNAPSHOT),
    RETORT_SQLITE_CODE(SQLITE_BUSY_TIMEOUT),
    RETORT_SQLITE_CODE(SQLITE_CANTOPEN_NOTEMPDIR),
    RETORT_SQLITE_CODE(SQLITE_CANTOPEN_ISDIR),
    RETORT_SQLITE_CODE(SQLITE_CANTOPEN_FULLPATH),
    RETORT_SQLITE_CODE(SQLITE_CANTOPEN_CONVPATH),
    RETORT_SQLITE_CODE(SQLITE_CANTOPEN_SYMLINK),
    RETORT_SQLITE_CODE(SQLITE_CORRUPT_VTAB),
    RETORT_SQLITE_CODE(SQLITE_CORRUPT_SEQUENCE),
    RETORT_SQLITE_CODE(SQLITE_CORRUPT_INDEX),
    RETORT_SQLITE_CODE(SQLITE_READONLY_RECOVERY),
    RETORT_SQLITE_CODE(SQLITE_READONLY_CANTLOCK),
    RETORT_SQLITE_CODE(SQLITE_READONLY_ROLLBACK),
    RETORT_SQLITE_CODE(SQLITE_READONLY_DBMOVED),
    RETORT_SQLITE_CODE(SQLITE_READONLY_CANTINIT),
    RETORT_SQLITE_CODE(SQLITE_READONLY_DIRECTORY),
    RETORT_SQLITE_CODE(SQLITE_ABORT_ROLLBACK),
    RETORT_SQLITE_CODE(SQLITE_CONSTRAINT_CHECK),
    RETORT_SQLITE_CODE(SQLITE_CONSTRAINT_COMMITHOOK),
    RETORT_SQLITE_CODE(SQLITE_CONSTRAINT_FOREIGNKEY),
    RETORT_SQLITE_CODE(SQLITE_CONSTRAINT_FUNCTION),
    RETORT_SQLITE_CODE(SQLITE_CONSTRAINT_NOTNULL),
    RETORT_SQLITE_CODE(SQLITE_CONSTRAINT_PRIMARYKEY),
    RETORT_SQLITE_CODE(SQLITE_CONSTRAINT_TRIGGER),
    RETORT_SQLITE_CODE(SQLITE_CONSTRAINT_UNIQUE),
    RETORT_SQLITE_CODE(SQLITE_CONSTRAINT_VTAB),
    RETORT_SQLITE_CODE(SQLITE_CONSTRAINT_ROWID),
    RETORT_SQLITE_CODE(SQLITE_CONSTRAINT_PINNED),
#ifdef SQLITE_CONSTRAINT_DATATYPE
    RETORT_SQLITE_CODE(SQLITE_CONSTRAINT_DATATYPE),
#endif
    RETORT_SQLITE_CODE(SQLITE_AUTH_USER),
};
#undef RETORT_SQLITE_CODE

bool contains(std::string_view haystack, std::string_view needle) noexcept {
  return haystack.find(needle) != std::string_view::npos;
}

bool starts_with(std::string_view text, std::string_view prefix) noexcept {
  return text.substr(0, prefix.size()) == prefix;
}

std::string_view constraint_kind(int code) noexcept {
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
      return "unique";
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return "primary key";
    case SQLITE_CONSTRAINT_ROWID:
      return "rowid";
    case SQLITE_CONSTRAINT_NOTNULL:
      return "not null";
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return "foreign key";
    case SQLITE_CONSTRAINT_CHECK:
      return "check";
    case SQLITE_CONSTRAINT_TRIGGER:
      return "trigger";
    case SQLITE_CONSTRAINT_FUNCTION:
      return "function";
    case SQLITE_CONSTRAINT_VTAB:
      return "virtual table";
    case SQLITE_CONSTRAINT_COMMITHOOK:
      return "commit hook";
    case SQLITE_CONSTRAINT_PINNED:
      return "pinned";
#ifdef SQLITE_CONSTRAINT_DATATYPE
    case SQLITE_CONSTRAINT_DATATYPE:
      return "datatype";
#endif
    default:
      return "constraint";
  }
}

// SQLite words its constraint messages as "<KIND> constraint failed: <what>", where <what> is
// "t.a, t.b" (unique / primary key / not null), "index 'name'" (an expression index), or the
// constraint's name or expression (check).  STRICT tables say "cannot store TEXT value in
// INTEGER column t.a".
void add_constraint_details(sdk::Error& error, int code, std::string_view message) {
  error.detail("constraint_kind", std::string(constraint_kind(code)));
  std::string_view what;
  if (const size_t at = message.find(" constraint failed: "); at != std::string_view::npos) {
    what = message.substr(at + 20);
  } else if (const size_t col = message.rfind(" column ");
             starts_with(message, "cannot store ") && col != std::string_view::npos) {
    what = message.substr(col + 8);
  } else {
    return;
  }
  if (starts_with(what, "index '") && what.size() > 8 && what.back() == '\'') {
    error.detail("constraint_name", std::string(what.substr(7, what.size() - 8)));
    return;
  }
  if (code == SQLITE_CONSTRAINT_CHECK) {
    error.detail("constraint_name", std::string(what));
    return;
  }
  std::string table;
  std::string columns;
  while (!what.empty()) {
    const size_t comma = what.find(", ");
    const std::string_view item = what.substr(0, comma);
    what = comma == std::string_view::npos ? std::string_view{} : what.substr(comma + 2);
    const size_t dot = item.rfind('.');
    if (dot == std::string_view::npos) return;  // not the "table.column" shape; keep the kind
    if (table.empty()) table.assign(item.substr(0, dot));
    if (!columns.empty()) columns += ',';
    columns.append(item.substr(dot + 1));
  }
  if (!table.empty()) error.detail("table_name", std::move(table));
  if (!columns.empty()) error.detail("column_names", std::move(columns));
}

}  // namespace

Classification classify(int code, std::string_view message, Phase phase) noexcept {
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
      return {RETORT_INTEGRITY, "23505"};
    case SQLITE_CONSTRAINT_NOTNULL:
      return {RETORT_INTEGRITY, "23502"};
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return {RETORT_INTEGRITY, "23503"};
    case SQLITE_CONSTRAINT_CHECK:
      return {RETORT_INTEGRITY, "23514"};
#ifdef SQLITE_CONSTRAINT_DATATYPE
    // A STRICT table refusing a value of the wrong type: a data error, not an integrity one.
    case SQLITE_CONSTRAINT_DATATYPE:
      return {RETORT_INVALID_DATA, "22000"};
#endif
    case SQLITE_ABORT_ROLLBACK:
      return {RETORT_TRANSACTION_ROLLBACK, "40000"};
    default:
      break;
  }
  switch (code & 0xff) {
    case SQLITE_ERROR:
      // SQLITE_ERROR is SQLite's catch-all; its message is the only thing that tells apart an
      // SQL mistake from a misuse of transactions.
      if (contains(message, "no such table") || contains(message, "no such view")) {
        return {RETORT_SYNTAX, "42S02"};
      }
      if (contains(message, "no such column")) return {RETORT_SYNTAX, "42S22"};
      if (contains(message, "no such savepoint")) return {RETORT_INVALID_STATE, "3B001"};
      if (contains(message, "within a transaction") ||
          contains(message, "no transaction is active")) {
        return {RETORT_INVALID_STATE, "25000"};
      }
      if (phase == Phase::kPrepare) return {RETORT_SYNTAX, "42000"};
      return {RETORT_IO, "HY000"};
    case SQLITE_CONSTRAINT:
      return {RETORT_INTEGRITY, "23000"};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {RETORT_TIMEOUT, "HYT00"};
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return {RETORT_INVALID_DATA, "22000"};
    case SQLITE_INTERRUPT:
      return {RETORT_CANCELLED, "57014"};
    case SQLITE_READONLY:
      return {RETORT_IO, "25006"};
    case SQLITE_FULL:
      return {RETORT_IO, "53100"};
    case SQLITE_NOMEM:
      return {RETORT_IO, "HY001"};
    case SQLITE_CANTOPEN:
      return {RETORT_IO, phase == Phase::kOpen ? "08001" : "58030"};
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return {RETORT_IO, "XX001"};
    case SQLITE_IOERR:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
    case SQLITE_NOTFOUND:
      return {RETORT_IO, "58030"};
    case SQLITE_AUTH:
    case SQLITE_PERM:
      return {RETORT_UNAUTHORIZED, "42501"};
    case SQLITE_ABORT:
      return {RETORT_TRANSACTION_ROLLBACK, "40000"};
    case SQLITE_SCHEMA:
      return {RETORT_IO, "HY000"};
    case SQLITE_MISUSE:
      return {RETORT_INTERNAL, "HY010"};
    default:
      return {RETORT_INTERNAL, "HY000"};
  }
}

std::string_view code_name(int code) noexcept {
  for (const CodeName& entry : kCodeNames) {
    if (entry.code == code) return entry.name;
  }
  for (const CodeName& entry : kCodeNames) {
    if (entry.code == (code & 0xff)) return entry.name;
  }
  return "SQLITE_UNKNOWN";
}

sdk::Error make_error(sqlite3* db, int rc, Phase phase, std::string_view context) {
  // The message is only meaningful while it belongs to this failure; fall back to the
  // generic text for the code when there is no handle (sqlite3_open_v2 out of memory).
  const char* raw = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const std::string_view sqlite_message = raw != nullptr ? raw : "unknown error";
  const Classification cls = classify(rc, sqlite_message, phase);
  std::string message;
  if (!context.empty()) {
    message.append(context);
    message.append(": ");
  }
  message.append(sqlite_message);
  sdk::Error error(cls.status, std::move(message), cls.sqlstate, rc);
  error.detail("sqlite_code_name", std::string(code_name(rc)));
  error.detail("sqlite_code_text", sqlite3_errstr(rc));
  if ((rc & 0xff) == SQLITE_CONSTRAINT) add_constraint_details(error, rc, sqlite_message);
  return error;
}

void throw_error(sqlite3* db, int rc, Phase phase, std::string_view context) {
  throw make_error(db, rc, phase, context);
}

sdk::Error plugin_error(retort_status status, std::string_view message, std::string_view sqlstate) {
  return sdk::Error(status, std::string(message), sqlstate);
}

}  // namespace retort::sqlite
