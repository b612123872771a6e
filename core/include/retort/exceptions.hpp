// retort/exceptions.hpp — the exception hierarchy, shaped like SQLAlchemy's and PEP 249's.
// SPDX-License-Identifier: MIT
//
//   Error
//   ├── ArgumentError              bad argument to a Retort API (a malformed URL, …)
//   │   └── NoSuchModuleError      no plugin serves the URL's dialect or driver
//   ├── PluginError                a plugin was found but cannot be used (wrong ABI, broken file)
//   ├── CompileError               a statement cannot be rendered for a dialect
//   ├── TimeoutError               no pooled connection became free within pool_timeout
//   ├── InvalidRequestError        the call is not valid now
//   │   ├── ResourceClosedError    the connection or result is closed
//   │   ├── PendingRollbackError   the connection was invalidated inside a transaction
//   │   ├── NoResultFound          one() / scalar_one() found no row
//   │   ├── MultipleResultsFound   one() / one_or_none() found several rows
//   │   └── TypeConversionError    a value cannot become the requested C++ type (or is NULL)
//   └── DBAPIError                 an error reported by a driver, with SQLSTATE & co.
//       ├── InterfaceError
//       └── DatabaseError
//           ├── DataError
//           ├── OperationalError
//           ├── IntegrityError
//           ├── InternalError
//           ├── ProgrammingError
//           └── NotSupportedError
//
// Messages never contain a password, and contain parameter values only when the engine was
// created with `hide_parameters = false` and the error is a DBAPIError.
#ifndef RETORT_EXCEPTIONS_HPP
#define RETORT_EXCEPTIONS_HPP

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace retort {

/// Root of every exception Retort throws.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// A Retort API was given a bad argument: a malformed URL, an unknown option.
class ArgumentError : public Error {
 public:
  using Error::Error;
};

/// No plugin provides the dialect or driver a URL asks for.  The message lists the plugins
/// found, every path searched and the package that would provide it.
class NoSuchModuleError : public ArgumentError {
 public:
  using ArgumentError::ArgumentError;
};

/// A join without an ON clause between two FROM clauses that have no foreign key between them
/// (SQLAlchemy's NoForeignKeysError).
class NoForeignKeysError : public ArgumentError {
 public:
  using ArgumentError::ArgumentError;
};

/// A join without an ON clause between two FROM clauses that have more than one foreign key
/// constraint between them (SQLAlchemy's AmbiguousForeignKeysError).
class AmbiguousForeignKeysError : public ArgumentError {
 public:
  using ArgumentError::ArgumentError;
};

/// A plugin was found but cannot be used: wrong ABI version, missing entry symbol, not a
/// shared library, missing required slot, or its initialisation failed.  `path()` names the
/// file.
class PluginError : public Error {
 public:
  PluginError(const std::string& message, std::string path)
      : Error(message), path_(std::move(path)) {}
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

/// A statement of the expression language cannot be compiled for a dialect: the dialect
/// cannot express a construct (the message names the construct and the dialect), or the
/// statement is malformed.
class CompileError : public Error {
 public:
  using Error::Error;
};

/// An identifier (table, column, constraint, index or label name) is longer than the
/// dialect's maximum (`max_identifier_length`: 63 on PostgreSQL, 64 on MySQL), which the
/// server would otherwise silently truncate or reject.
class IdentifierError : public CompileError {
 public:
  using CompileError::CompileError;
};

/// A connection pool had no connection free for `pool_timeout` (SQLAlchemy's
/// `sqlalchemy.exc.TimeoutError`).  The message names the pool size, overflow and timeout.
class TimeoutError : public Error {
 public:
  using Error::Error;
};

/// The request is not valid in the current state.
class InvalidRequestError : public Error {
 public:
  using Error::Error;
};

/// The connection, transaction or result is closed.
class ResourceClosedError : public InvalidRequestError {
 public:
  using InvalidRequestError::InvalidRequestError;
};

/// The connection's driver connection was invalidated (a disconnect, or
/// `Connection::invalidate()`) while a transaction was open: call `rollback()` before using
/// it again (SQLAlchemy's PendingRollbackError).
class PendingRollbackError : public InvalidRequestError {
 public:
  using InvalidRequestError::InvalidRequestError;
};

/// `one()` or `scalar_one()` found no row.
class NoResultFound : public InvalidRequestError {
 public:
  using InvalidRequestError::InvalidRequestError;
};

/// `one()` or `one_or_none()` found more than one row.
class MultipleResultsFound : public InvalidRequestError {
 public:
  using InvalidRequestError::InvalidRequestError;
};

/// Reflection found no table (or view) of the name asked for; the message names it.
class NoSuchTableError : public InvalidRequestError {
 public:
  using InvalidRequestError::InvalidRequestError;
};

/// A value cannot be converted to the requested C++ type, or is NULL where the type is not a
/// `std::optional`.  The message names the column.
class TypeConversionError : public InvalidRequestError {
 public:
  using InvalidRequestError::InvalidRequestError;
};

/// An error a driver reported.  Carries everything the driver said.
///
/// `what()` reads, SQLAlchemy-like (lines after the first only when there is something to
/// show):
///
///   (IntegrityError) [sqlite] UNIQUE constraint failed: users.id
///   SQLSTATE: 23505
///   [SQL: INSERT INTO users (id) VALUES (?)]
///   [parameters: [{'id': 1}]]
///
/// The name in parentheses is the class actually constructed (each subclass passes its own
/// name up), so `throw IntegrityError(info)` and `throw_dbapi_error(info)` read alike.  A
/// password the driver's message might carry in a URL (`scheme://user:secret@`) or a
/// connection string (`password=secret`) is masked as `***`, in `what()` and in
/// `driver_message()` alike.  `connection_invalidated` is also set for RETORT_DISCONNECTED
/// and for SQLSTATE class 08, however the error is constructed.
class DBAPIError : public Error {
 public:
  struct Info {
    std::string message;       ///< the driver's message, without the statement
    std::string sqlstate;      ///< five characters, or empty
    int32_t vendor_code = 0;   ///< the database's native code
    int32_t status = 0;        ///< the plugin's retort_status
    std::string dialect;       ///< e.g. "sqlite"
    std::string driver;        ///< e.g. "sqlite3"
    std::string statement;     ///< the SQL, or empty
    std::optional<std::string> parameters;  ///< rendered parameters, only when not hidden
    std::vector<std::pair<std::string, std::string>> details;  ///< e.g. constraint_name
    bool connection_invalidated = false;    ///< the connection is gone (a disconnect)
  };
  explicit DBAPIError(Info info) : DBAPIError(std::move(info), "DBAPIError") {}

  const std::string& sqlstate() const noexcept { return info_.sqlstate; }
  int32_t vendor_code() const noexcept { return info_.vendor_code; }
  const std::string& dialect() const noexcept { return info_.dialect; }
  const std::string& driver() const noexcept { return info_.driver; }
  const std::string& statement() const noexcept { return info_.statement; }
  const std::optional<std::string>& parameters() const noexcept { return info_.parameters; }
  const std::string& driver_message() const noexcept { return info_.message; }
  const std::vector<std::pair<std::string, std::string>>& details() const noexcept {
    return info_.details;
  }
  /// The value of detail `key` (e.g. "constraint_name"), or empty.
  std::string detail(const std::string& key) const;
  /// True when the error means the connection is unusable (SQLAlchemy's
  /// `connection_invalidated`).
  bool connection_invalidated() const noexcept { return info_.connection_invalidated; }
  const Info& info() const noexcept { return info_; }

 protected:
  /// For subclasses: `class_name` is the name `what()` starts with.
  DBAPIError(Info info, const char* class_name);

 private:
  // Masks passwords in and completes `info`; returns the text of what().
  static std::string prepare(Info& info, const char* class_name);
  Info info_;
};

class InterfaceError : public DBAPIError {
 public:
  explicit InterfaceError(Info info) : DBAPIError(std::move(info), "InterfaceError") {}
};
class DatabaseError : public DBAPIError {
 public:
  explicit DatabaseError(Info info) : DBAPIError(std::move(info), "DatabaseError") {}

 protected:
  DatabaseError(Info info, const char* class_name) : DBAPIError(std::move(info), class_name) {}
};
class DataError : public DatabaseError {
 public:
  explicit DataError(Info info) : DatabaseError(std::move(info), "DataError") {}
};
class OperationalError : public DatabaseError {
 public:
  explicit OperationalError(Info info) : DatabaseError(std::move(info), "OperationalError") {}
};
class IntegrityError : public DatabaseError {
 public:
  explicit IntegrityError(Info info) : DatabaseError(std::move(info), "IntegrityError") {}
};
class InternalError : public DatabaseError {
 public:
  explicit InternalError(Info info) : DatabaseError(std::move(info), "InternalError") {}
};
class ProgrammingError : public DatabaseError {
 public:
  explicit ProgrammingError(Info info) : DatabaseError(std::move(info), "ProgrammingError") {}
};
class NotSupportedError : public DatabaseError {
 public:
  explicit NotSupportedError(Info info) : DatabaseError(std::move(info), "NotSupportedError") {}
};

/// Throws the DBAPIError subclass that `info.status` (a retort_status) and `info.sqlstate`
/// select.  Used by the engine; public so tests and tools can classify too.
///
///   NOT_IMPLEMENTED                               NotSupportedError
///   NOT_FOUND, SYNTAX, UNAUTHORIZED               ProgrammingError
///   INVALID_ARGUMENT, INVALID_STATE               InterfaceError
///   INVALID_DATA                                  DataError
///   INTEGRITY                                     IntegrityError
///   INTERNAL                                      InternalError
///   IO, CANCELLED, TIMEOUT, UNAUTHENTICATED,
///   DISCONNECTED, TRANSACTION_ROLLBACK            OperationalError
///
/// For INTERNAL or an unknown status, the SQLSTATE class decides when it is one of: 23
/// IntegrityError; 22 DataError; 42, 3D, 3F, 44 ProgrammingError; 0A NotSupportedError; 08,
/// 28, 40, 53, 54, 55, 57, 58 OperationalError; XX InternalError.  Otherwise INTERNAL stays
/// InternalError and an unknown status is a DatabaseError.
[[noreturn]] void throw_dbapi_error(DBAPIError::Info info);

}  // namespace retort

#endif  // RETORT_EXCEPTIONS_HPP
