// core/src/execution_options.cpp — isolation levels, AUTOCOMMIT and result streaming
// (Connection::execution_options and the per-execution options).
#include "engine_impl.hpp"

#include <retort/engine.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <vector>

namespace retort {

namespace detail {
namespace {

constexpr std::string_view kAutocommit = "AUTOCOMMIT";

// "read_committed" and "Read  Committed" are "READ COMMITTED".
std::string normalise_level(std::string_view level) {
  std::string out;
  for (char ch : level) {
    if (ch == '_' || ch == ' ' || ch == '\t') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 32) : ch);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> dialect_levels(const retort_dialect* d) {
  std::vector<std::string> levels;
  if (RETORT_HAS_FIELD(d, retort_dialect, isolation_levels)) {
    for (const char* const* p = d->isolation_levels; *p != nullptr; ++p) levels.emplace_back(*p);
  }
  // AUTOCOMMIT needs nothing from the driver: the host just never begins.
  if (std::find(levels.begin(), levels.end(), kAutocommit) == levels.end()) {
    levels.emplace_back(kAutocommit);
  }
  return levels;
}

std::string checked_level(const EngineImpl& engine, std::string_view level) {
  const std::string name = normalise_level(level);
  const std::vector<std::string> levels = dialect_levels(&engine.dialect());
  if (std::find(levels.begin(), levels.end(), name) != levels.end()) return name;
  throw ArgumentError(
      fmt::format("Invalid value '{}' for isolation_level. Valid isolation levels for '{}' are {}",
                  level, engine.dialect_name, fmt::join(levels, ", ")));
}

void require_capability(const EngineImpl& engine, std::uint64_t cap, const char* option,
                        const char* what) {
  if ((engine.dialect().capabilities & cap) != 0) return;
  throw NotSupportedError(
      engine.info(fmt::format("execution option '{}': the '{}' dialect has no {} transactions",
                              option, engine.dialect_name, what),
                  RETORT_NOT_IMPLEMENTED));
}

bool is_autocommit(const ExecutionOptions& o) {
  return o.isolation_level && *o.isolation_level == kAutocommit;
}

void check_row_count(const std::optional<std::int64_t>& value, const char* name) {
  if (value && *value < 1) {
    throw ArgumentError(
        fmt::format("execution option '{}' must be at least 1, got {}", name, *value));
  }
}

struct StreamSettings {
  bool stream = false;
  std::int64_t rows = 0;  // 0: the driver's default
};

StreamSettings stream_settings(const ExecutionOptions& conn, const ExecutionOptions* stmt) {
  auto pick = [&](auto member) {
    return stmt != nullptr && (stmt->*member).has_value() ? stmt->*member : conn.*member;
  };
  const auto yield_per = pick(&ExecutionOptions::yield_per);
  const auto stream_results = pick(&ExecutionOptions::stream_results);
  const auto max_row_buffer = pick(&ExecutionOptions::max_row_buffer);
  StreamSettings s;
  s.stream = yield_per.has_value() || stream_results.value_or(false);
  s.rows = yield_per ? *yield_per : max_row_buffer.value_or(0);
  return s;
}

}  // namespace

void validate_engine_options(EngineImpl& engine) {
  if (!engine.options.isolation_level.empty()) {
    engine.options.isolation_level = checked_level(engine, engine.options.isolation_level);
  }
}

void ConnectionImpl::reset_execution_options() noexcept {
  options = ExecutionOptions{};
  if (!engine_impl->options.isolation_level.empty()) {
    try {
      options.isolation_level = engine_impl->options.isolation_level;
    } catch (...) {
      // Out of memory: the connection keeps the database's default level.
    }
  }
  statement_options = nullptr;
}

void ConnectionImpl::begin_driver(const char* label) {
  driver_tx = false;
  if (is_autocommit(options)) return;
  retort_transaction_options o{};
  o.struct_size = sizeof o;
  o.isolation_level = options.isolation_level ? options.isolation_level->c_str() : nullptr;
  o.read_only = options.postgresql_readonly.value_or(false) ? 1 : 0;
  o.deferrable = options.postgresql_deferrable.value_or(false) ? 1 : 0;
  const retort_driver& d = driver();
  retort_error err = make_error();
  retort_status st;
  if (engine_impl->echo()) engine_impl->log_engine(label);
  if (o.isolation_level == nullptr && o.read_only == 0 && o.deferrable == 0) {
    st = d.begin(handle, &err);
  } else if (RETORT_HAS_FIELD(&d, retort_driver, begin_ex)) {
    st = d.begin_ex(handle, &o, &err);
  } else {
    throw NotSupportedError(engine_impl->info(
        fmt::format("driver '{}' cannot begin a transaction with {}", engine_impl->driver_name,
                    o.isolation_level != nullptr
                        ? fmt::format("isolation level {}", o.isolation_level)
                        : std::string(o.read_only ? "READ ONLY" : "DEFERRABLE")),
        RETORT_NOT_IMPLEMENTED));
  }
  if (st != RETORT_OK) raise(st, err, label);
  driver_tx = true;
}

void ConnectionImpl::apply_statement_options(retort_statement* stmt, const std::string& sql) {
  const StreamSettings s = stream_settings(options, statement_options);
  const retort_driver& d = driver();
  if (!s.stream || !RETORT_HAS_FIELD(&d, retort_driver, statement_set_options)) return;
  retort_statement_options o{};
  o.struct_size = sizeof o;
  o.stream_results = 1;
  o.max_row_buffer = s.rows;
  retort_error err = make_error();
  const retort_status st = d.statement_set_options(stmt, &o, &err);
  if (st != RETORT_OK) {
    d.statement_release(stmt);
    raise(st, err, sql);
  }
}

std::int64_t ConnectionImpl::fetch_rows() const noexcept {
  const StreamSettings s = stream_settings(options, statement_options);
  return s.stream && s.rows > 0 ? s.rows : engine_impl->options.fetch_batch_rows;
}

}  // namespace detail

using detail::ConnectionImpl;

Connection& Connection::execution_options(const ExecutionOptions& given) {
  ConnectionImpl& c = live();
  const detail::EngineImpl& engine = *c.engine_impl;
  // Everything is checked before anything changes.
  ExecutionOptions next = c.options;
  if (given.isolation_level)
    next.isolation_level = detail::checked_level(engine, *given.isolation_level);
  if (given.postgresql_readonly) {
    if (*given.postgresql_readonly) {
      detail::require_capability(engine, RETORT_CAP_READ_ONLY_TRANSACTIONS, "postgresql_readonly",
                                 "READ ONLY");
    }
    next.postgresql_readonly = given.postgresql_readonly;
  }
  if (given.postgresql_deferrable) {
    if (*given.postgresql_deferrable) {
      detail::require_capability(engine, RETORT_CAP_DEFERRABLE_TRANSACTIONS,
                                 "postgresql_deferrable", "DEFERRABLE");
    }
    next.postgresql_deferrable = given.postgresql_deferrable;
  }
  detail::check_row_count(given.max_row_buffer, "max_row_buffer");
  detail::check_row_count(given.yield_per, "yield_per");
  if (given.stream_results) next.stream_results = given.stream_results;
  if (given.max_row_buffer) next.max_row_buffer = given.max_row_buffer;
  if (given.yield_per) next.yield_per = given.yield_per;

  if (detail::is_autocommit(next) &&
      (next.postgresql_readonly.value_or(false) || next.postgresql_deferrable.value_or(false))) {
    throw ArgumentError(
        "postgresql_readonly and postgresql_deferrable apply to the transactions a connection "
        "begins, and isolation_level AUTOCOMMIT begins none; for read-only autocommit "
        "statements set the server's default_transaction_read_only instead");
  }
  const bool transaction_changed = next.isolation_level != c.options.isolation_level ||
                                   next.postgresql_readonly != c.options.postgresql_readonly ||
                                   next.postgresql_deferrable != c.options.postgresql_deferrable;
  if (transaction_changed && c.tx != ConnectionImpl::TxState::none) {
    throw InvalidRequestError(
        "This connection has a transaction in progress (begun by begin() or autobegun by "
        "execute()); isolation_level, postgresql_readonly and postgresql_deferrable may not "
        "change until commit() or rollback() is called");
  }
  c.options = std::move(next);
  return *this;
}

ExecutionOptions Connection::get_execution_options() const {
  return live().options;
}

namespace {

void check_per_execution(const ExecutionOptions& o) {
  auto refuse = [](const char* name) {
    throw ArgumentError(fmt::format(
        "'{}' execution option may only be specified on Connection::execution_options(), or "
        "per engine (EngineOptions::isolation_level), not for one execution",
        name));
  };
  if (o.isolation_level) refuse("isolation_level");
  if (o.postgresql_readonly) refuse("postgresql_readonly");
  if (o.postgresql_deferrable) refuse("postgresql_deferrable");
  detail::check_row_count(o.max_row_buffer, "max_row_buffer");
  detail::check_row_count(o.yield_per, "yield_per");
}

// Makes `options` the current execution's for the scope.
class StatementOptionsScope {
 public:
  StatementOptionsScope(ConnectionImpl& c, const ExecutionOptions& options) : c_(c) {
    c_.statement_options = &options;
  }
  ~StatementOptionsScope() { c_.statement_options = nullptr; }
  StatementOptionsScope(const StatementOptionsScope&) = delete;
  StatementOptionsScope& operator=(const StatementOptionsScope&) = delete;

 private:
  ConnectionImpl& c_;
};

}  // namespace

Result Connection::execute(const TextClause& statement, const Params& params,
                           const ExecutionOptions& options) {
  check_per_execution(options);
  StatementOptionsScope scope(live(), options);
  return execute(statement, params);
}

Result Connection::execute(const Executable& statement, const Params& params,
                           const ExecutionOptions& options) {
  check_per_execution(options);
  StatementOptionsScope scope(live(), options);
  return execute(statement, params);
}

}  // namespace retort
