// plugins/mariadb/connection.cpp — the `mariadbc` driver's connection.
// SPDX-License-Identifier: MIT
#include "connection.hpp"

#include "errors.hpp"
#include "statement.hpp"

#include <cstring>
#include <string>
#include <utility>

namespace retort::mariadb {
namespace {

// A backquoted identifier with embedded backquotes doubled.
std::string quote_identifier(const char* name) {
  std::string out = "`";
  for (const char* p = name; *p != '\0'; ++p) {
    if (*p == '`') out.push_back('`');
    out.push_back(*p);
  }
  out.push_back('`');
  return out;
}

const char* or_null(const std::string& s) {
  return s.empty() ? nullptr : s.c_str();
}

void set_option(MYSQL* m, mysql_option option, const void* value, const char* name) {
  if (mysql_optionsv(m, option, value) != 0) {
    throw plugin_error(RETORT_INVALID_ARGUMENT,
                       std::string("Connector/C refused the option ") + name);
  }
}

}  // namespace

MYSQL* open_session(const ConnectSettings& s) {
  MYSQL* m = mysql_init(nullptr);
  if (m == nullptr) throw plugin_error(RETORT_IO, "out of memory in mysql_init", "HY001");
  try {
    // Read the [client] groups of no option file: the URL says everything.
    set_option(m, MYSQL_SET_CHARSET_NAME, s.charset.c_str(), "charset");
    if (s.connect_timeout != 0) {
      set_option(m, MYSQL_OPT_CONNECT_TIMEOUT, &s.connect_timeout, "connect_timeout");
    }
    if (s.read_timeout != 0) set_option(m, MYSQL_OPT_READ_TIMEOUT, &s.read_timeout, "read_timeout");
    if (s.write_timeout != 0) {
      set_option(m, MYSQL_OPT_WRITE_TIMEOUT, &s.write_timeout, "write_timeout");
    }
    if (!s.init_command.empty()) {
      set_option(m, MYSQL_INIT_COMMAND, s.init_command.c_str(), "init_command");
    }
    if (s.compress) set_option(m, MYSQL_OPT_COMPRESS, nullptr, "compress");
    const my_bool off = 0;
    set_option(m, MYSQL_OPT_RECONNECT, &off, "reconnect");  // a lost session is reported
    if (s.ssl_mode != SslMode::disabled) {
      if (!s.ssl_ca.empty()) set_option(m, MYSQL_OPT_SSL_CA, s.ssl_ca.c_str(), "ssl_ca");
      if (!s.ssl_capath.empty()) {
        set_option(m, MYSQL_OPT_SSL_CAPATH, s.ssl_capath.c_str(), "ssl_capath");
      }
      if (!s.ssl_cert.empty()) set_option(m, MYSQL_OPT_SSL_CERT, s.ssl_cert.c_str(), "ssl_cert");
      if (!s.ssl_key.empty()) set_option(m, MYSQL_OPT_SSL_KEY, s.ssl_key.c_str(), "ssl_key");
      if (!s.ssl_cipher.empty()) {
        set_option(m, MYSQL_OPT_SSL_CIPHER, s.ssl_cipher.c_str(), "ssl_cipher");
      }
      if (!s.ssl_crl.empty()) set_option(m, MYSQL_OPT_SSL_CRL, s.ssl_crl.c_str(), "ssl_crl");
      if (!s.tls_version.empty()) {
        set_option(m, MARIADB_OPT_TLS_VERSION, s.tls_version.c_str(), "tls_version");
      }
      if (s.ssl_mode != SslMode::preferred) {
        const my_bool on = 1;
        set_option(m, MYSQL_OPT_SSL_ENFORCE, &on, "ssl_mode");
        if (s.ssl_mode == SslMode::verify_ca || s.ssl_mode == SslMode::verify_identity) {
          set_option(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on, "ssl_mode");
        }
      }
    }
  } catch (...) {
    mysql_close(m);
    throw;
  }
  const unsigned long flags = s.client_found_rows ? CLIENT_FOUND_ROWS : 0;
  if (mysql_real_connect(m, or_null(s.host), s.user.c_str(),
                         s.password ? s.password->c_str() : nullptr, or_null(s.database), s.port,
                         or_null(s.unix_socket), flags) == nullptr) {
    sdk::Error error = connect_error(m, s.target, s.password ? s.password->c_str() : nullptr);
    mysql_close(m);
    throw error;
  }
  return m;
}

std::unique_ptr<Connection> Connection::connect(const retort_connect_params& params) {
  ConnectSettings settings = connect_settings(params);
  MYSQL* m = open_session(settings);
  return std::unique_ptr<Connection>(new Connection(m, std::move(settings)));
}

Connection::Connection(MYSQL* mysql, ConnectSettings settings)
    : mysql_(mysql),
      settings_(std::move(settings)),
      thread_id_(mysql_thread_id(mysql)),
      cache_(settings_.statement_cache_size) {
  // MySQL servers never take bulk execution, MariaDB ≥ 10.2 does.
  unsigned long server_caps = 0, extended = 0;
  mariadb_get_infov(mysql_, MARIADB_CONNECTION_SERVER_CAPABILITIES, &server_caps);
  mariadb_get_infov(mysql_, MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &extended);
  bulk_ = (server_caps & CLIENT_MYSQL) == 0 &&
          (extended & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32)) != 0;
}

Connection::~Connection() {
  // Statements were released before (ABI contract), so no stream is left.
  cache_.clear();
  mysql_close(mysql_);
}

std::unique_ptr<PreparedStatement> Connection::prepare_on_server(const std::string& sql) {
  make_idle();
  MYSQL_STMT* stmt = mysql_stmt_init(mysql_);
  if (stmt == nullptr) throw connection_error(mysql_);
  auto p = std::make_unique<PreparedStatement>(stmt);
  if (mysql_stmt_prepare(stmt, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    throw statement_error(stmt);
  }
  // Stored results measure their longest values, so string buffers are sized once.
  const my_bool on = 1;
  mysql_stmt_attr_set(stmt, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
  p->param_count = static_cast<unsigned>(mysql_stmt_param_count(stmt));
  const unsigned fields = mysql_stmt_field_count(stmt);
  if (fields > 0) {
    const MYSQL_FIELD* f = mariadb_stmt_fetch_fields(stmt);
    p->columns.reserve(fields);
    for (unsigned i = 0; i < fields; ++i) p->columns.push_back(describe_field(f[i]));
  }
  return p;
}

std::unique_ptr<Statement> Connection::prepare(std::string_view sql) {
  std::string text(sql);
  std::optional<std::unique_ptr<PreparedStatement>> cached = cache_.take(text);
  std::unique_ptr<PreparedStatement> p = cached ? std::move(*cached) : prepare_on_server(text);
  return std::make_unique<Statement>(*this, std::move(text), std::move(p));
}

void Connection::give_back(const std::string& sql, std::unique_ptr<PreparedStatement> p) noexcept {
  // Closing an evicted statement talks to the server, which must be idle for it.
  if (stream_ != nullptr && cache_.size() >= cache_.capacity()) {
    try {
      make_idle();
    } catch (...) {
      return;  // the session failed; `p` is closed by its destructor
    }
  }
  cache_.give_back(sql, std::move(p));
}

void Connection::make_idle() {
  if (stream_ == nullptr) return;
  Statement* s = std::exchange(stream_, nullptr);
  s->materialize();
}

void Connection::query(const std::string& sql) {
  make_idle();
  if (mysql_real_query(mysql_, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    throw connection_error(mysql_);
  }
  // Statements sent here return no rows; drain anything unexpected so the session stays in
  // step.
  if (MYSQL_RES* r = mysql_store_result(mysql_); r != nullptr) mysql_free_result(r);
}

void Connection::begin() {
  retort_transaction_options defaults{};
  defaults.struct_size = sizeof defaults;
  begin_ex(defaults);
}

void Connection::begin_ex(const retort_transaction_options& options) {
  // Spliced into SQL, so only the levels the server knows are accepted.
  const char* level = sdk::standard_isolation_level(options.isolation_level);
  if (options.isolation_level != nullptr && level == nullptr) {
    throw plugin_error(RETORT_INVALID_ARGUMENT,
                       std::string("unknown isolation level '") + options.isolation_level +
                           "'; MySQL and MariaDB have READ UNCOMMITTED, READ COMMITTED, "
                           "REPEATABLE READ and SERIALIZABLE");
  }
  if (options.deferrable != 0) {
    throw plugin_error(RETORT_NOT_IMPLEMENTED, "MySQL and MariaDB have no DEFERRABLE transactions");
  }
  make_idle();
  unsigned status = 0;
  mariadb_get_infov(mysql_, MARIADB_CONNECTION_SERVER_STATUS, &status);
  if ((status & SERVER_STATUS_IN_TRANS) != 0) {
    throw plugin_error(RETORT_INVALID_STATE, "a transaction is already in progress", "25001");
  }
  if (level != nullptr) query(std::string("SET TRANSACTION ISOLATION LEVEL ") + level);
  query(options.read_only != 0 ? "START TRANSACTION READ ONLY" : "START TRANSACTION");
}

void Connection::commit() {
  make_idle();
  if (mysql_commit(mysql_) != 0) throw connection_error(mysql_);
}

void Connection::rollback() {
  make_idle();
  if (mysql_rollback(mysql_) != 0) throw connection_error(mysql_);
}

void Connection::savepoint(const char* name) {
  query("SAVEPOINT " + quote_identifier(name));
}

void Connection::release_savepoint(const char* name) {
  query("RELEASE SAVEPOINT " + quote_identifier(name));
}

void Connection::rollback_to_savepoint(const char* name) {
  query("ROLLBACK TO SAVEPOINT " + quote_identifier(name));
}

void Connection::cancel() {
  ConnectSettings s = settings_;
  if (s.connect_timeout == 0 || s.connect_timeout > 10) s.connect_timeout = 10;
  s.init_command.clear();
  MYSQL* killer = open_session(s);
  const std::string sql = "KILL QUERY " + std::to_string(thread_id_.load());
  const int rc = mysql_real_query(killer, sql.data(), static_cast<unsigned long>(sql.size()));
  sdk::Error error = rc != 0 ? connection_error(killer, "KILL QUERY") : sdk::Error(RETORT_OK, "");
  mysql_close(killer);
  // 1094 (unknown thread): the session ended meanwhile; nothing to cancel.
  if (rc != 0 && error.vendor_code() != 1094) throw error;
}

std::string Connection::server_version() {
  std::string v = mysql_get_server_info(mysql_);
  // MariaDB 10.x announced itself as "5.5.5-10.x.y-MariaDB" to old MySQL clients.
  if (v.rfind("5.5.5-", 0) == 0 && v.find("MariaDB") != std::string::npos) v.erase(0, 6);
  return v;
}

void Connection::ping() {
  make_idle();
  if (mysql_ping(mysql_) != 0) throw connection_error(mysql_);
}

// --- the driver table --------------------------------------------------------------------------

const retort_driver& mariadbc_driver() {
  static const char* const dialects[] = {"mariadb", "mysql", nullptr};
  static const std::string client_version = mysql_get_client_info();
  static const sdk::DriverInfo info{"mariadbc", dialects, client_version.c_str()};
  return sdk::make_driver<Connection, Statement>(info);
}

}  // namespace retort::mariadb
