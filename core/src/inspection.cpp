// core/src/inspection.cpp — the Inspector: runs the dialect plugin's `reflect` hook over a
// connection (any driver) and turns its rows into Reflected* values, cached per Inspector.
#include "plugin_loader.hpp"
#include "sql/reflected_type.hpp"

#include <retort/exceptions.hpp>
#include <retort/inspection.hpp>
#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <map>
#include <tuple>
#include <variant>

namespace retort {

namespace {

// One reflected cell: NULL or text (integers are kept as their decimal text).
using Cell = std::optional<std::string>;
using Rows = std::vector<std::vector<Cell>>;

// The number of columns a plugin must emit for each RETORT_REFLECT_* layout (the columns
// of its first version).
int32_t layout_width(uint32_t what) {
  switch (what) {
    case RETORT_REFLECT_SCHEMAS:
    case RETORT_REFLECT_TABLES:
    case RETORT_REFLECT_TABLE_COMMENT:
    case RETORT_REFLECT_SEQUENCES:
      return 1;
    case RETORT_REFLECT_VIEWS:
    case RETORT_REFLECT_PRIMARY_KEY:
    case RETORT_REFLECT_UNIQUE_CONSTRAINTS:
    case RETORT_REFLECT_CHECK_CONSTRAINTS:
      return 2;
    case RETORT_REFLECT_COLUMNS:
      return 14;
    case RETORT_REFLECT_FOREIGN_KEYS:
      return 9;
    case RETORT_REFLECT_INDEXES:
      return 4;
    default:
      return 0;
  }
}

// The number of columns the host knows: the first version's and those appended since, which
// a plugin may leave out (they read as NULL).
int32_t known_width(uint32_t what) {
  switch (what) {
    case RETORT_REFLECT_COLUMNS:
      return 17;
    case RETORT_REFLECT_INDEXES:
      return 5;
    case RETORT_REFLECT_SEQUENCES:
      return 8;
    default:
      return layout_width(what);
  }
}

std::string value_text(const Value& v) {
  return std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, bool>) {
          return x ? "1" : "0";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(x);
        } else if constexpr (std::is_same_v<T, double>) {
          return fmt::format("{}", x);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return x;
        } else if constexpr (std::is_same_v<T, Bytes>) {
          return std::string(x.begin(), x.end());
        } else if constexpr (std::is_same_v<T, Decimal> || std::is_same_v<T, Json>) {
          return x.text;
        } else if constexpr (std::is_same_v<T, Uuid>) {
          return x.to_string();
        } else {
          return v.repr();
        }
      },
      v.variant());
}

struct ReflectCall {
  Connection* connection;
  uint32_t what;
  int32_t width;
  int32_t known;
  std::string dialect;
  Rows rows;
  std::exception_ptr pending;
  std::string message;
  void fail(retort_error* error, retort_status status, std::string text) {
    message = std::move(text);
    if (error == nullptr) return;
    error->status = status;
    error->message = message.data();
    error->release = nullptr;  // owned by this call
  }
};

// retort_reflect_api.query: the SQL runs through the connection (exec_driver_sql), whatever
// the driver; every cell comes back as text.
retort_status host_query(retort_reflect_ctx* ctx, const char* sql, size_t sql_length,
                         const retort_batch* params, retort_batch* rows, retort_error* error) {
  auto& call = *reinterpret_cast<ReflectCall*>(ctx);
  try {
    std::vector<Value> values;
    if (params != nullptr && params->row_count > 0) {
      for (int32_t i = 0; i < params->column_count; ++i) {
        const retort_column& c = params->columns[i];
        if (c.type == RETORT_TYPE_NULL || (c.nulls != nullptr && c.nulls[0] != 0)) {
          values.emplace_back();
        } else if (c.type == RETORT_TYPE_INT64) {
          values.emplace_back(static_cast<const std::int64_t*>(c.values)[0]);
        } else if (c.type == RETORT_TYPE_BOOL) {
          values.emplace_back(static_cast<const std::uint8_t*>(c.values)[0] != 0);
        } else if (c.type == RETORT_TYPE_TEXT) {
          values.emplace_back(std::string(c.data + c.offsets[0], c.data + c.offsets[1]));
        } else {
          call.fail(error, RETORT_INVALID_ARGUMENT,
                    fmt::format("reflection query parameter {} has value type {}; only TEXT, "
                                "INT64 and BOOL are accepted",
                                i + 1, c.type));
          return RETORT_INVALID_ARGUMENT;
        }
      }
    }
    Result result = call.connection->exec_driver_sql(std::string_view(sql, sql_length), values);
    const std::size_t width = result.keys().size();
    sdk::BatchBuilder builder;
    builder.reset(std::vector<retort_value_type>(width, RETORT_TYPE_TEXT));
    for (const Row& row : result) {
      for (std::size_t i = 0; i < width; ++i) {
        const Value v = row[i];
        if (v.is_null()) {
          builder.column(i).append_null();
        } else {
          const std::string t = value_text(v);
          builder.column(i).append_bytes(t.data(), t.size());
        }
      }
    }
    builder.finish(rows);
    return RETORT_OK;
  } catch (const DBAPIError& e) {
    call.pending = std::current_exception();
    call.fail(error,
              static_cast<retort_status>(e.info().status ? e.info().status : RETORT_INTERNAL),
              e.what());
    return error != nullptr ? error->status : RETORT_INTERNAL;
  } catch (const std::exception& e) {
    call.pending = std::current_exception();
    call.fail(error, RETORT_INTERNAL, e.what());
    return RETORT_INTERNAL;
  }
}

retort_status host_emit(retort_reflect_ctx* ctx, const retort_batch* batch, retort_error* error) {
  auto& call = *reinterpret_cast<ReflectCall*>(ctx);
  if (batch == nullptr || batch->column_count < call.width) {
    call.fail(error, RETORT_INVALID_ARGUMENT,
              fmt::format("the '{}' dialect emitted {} reflection columns for kind {}; the "
                          "layout has {}",
                          call.dialect, batch ? batch->column_count : 0, call.what, call.width));
    return RETORT_INVALID_ARGUMENT;
  }
  try {
    for (int64_t r = 0; r < batch->row_count; ++r) {
      std::vector<Cell> row;
      row.reserve(call.known);
      const int32_t present = std::min(call.known, batch->column_count);
      for (int32_t i = 0; i < present; ++i) {
        const retort_column& c = batch->columns[i];
        if (c.type == RETORT_TYPE_NULL || (c.nulls != nullptr && c.nulls[r] != 0)) {
          row.emplace_back();
        } else if (c.type == RETORT_TYPE_INT64) {
          row.emplace_back(std::to_string(static_cast<const std::int64_t*>(c.values)[r]));
        } else if (c.type == RETORT_TYPE_BOOL) {
          row.emplace_back(static_cast<const std::uint8_t*>(c.values)[r] ? "1" : "0");
        } else if (c.type == RETORT_TYPE_TEXT) {
          row.emplace_back(std::string(c.data + c.offsets[r], c.data + c.offsets[r + 1]));
        } else {
          call.fail(error, RETORT_INVALID_ARGUMENT,
                    fmt::format("the '{}' dialect emitted value type {} in reflection column {}",
                                call.dialect, c.type, i));
          return RETORT_INVALID_ARGUMENT;
        }
      }
      row.resize(static_cast<std::size_t>(call.known));  // appended columns left out: NULL
      call.rows.push_back(std::move(row));
    }
    return RETORT_OK;
  } catch (const std::exception& e) {
    call.fail(error, RETORT_INTERNAL, e.what());
    return RETORT_INTERNAL;
  }
}

std::vector<std::string> split_list(const Cell& cell) {
  std::vector<std::string> out;
  if (!cell) return out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < cell->size(); ++i) {
    if ((*cell)[i] == '\0') {
      out.push_back(cell->substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

std::optional<std::int32_t> int_cell(const Cell& c) {
  if (!c || c->empty()) return std::nullopt;
  try {
    return static_cast<std::int32_t>(std::stoll(*c));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}
bool flag(const Cell& c) {
  return c && !c->empty() && *c != "0";
}
std::string str(const Cell& c) {
  return c.value_or(std::string());
}

std::optional<std::int64_t> int64_cell(const Cell& c) {
  if (!c || c->empty()) return std::nullopt;
  try {
    return std::stoll(*c);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Type make_type(const std::vector<Cell>& row, const std::string& dialect) {
  if (row[16] && !row[16]->empty()) {
    // A plugin type the dialect names; when no plugin provides it, the generic kind.
    try {
      return plugin_type(*row[16]);
    } catch (const Error&) {
    }
  }
  const auto generic = int_cell(row[2]).value_or(RETORT_GENERIC_NULL);
  const auto length = int_cell(row[3]);
  const auto precision = int_cell(row[4]);
  const auto scale = int_cell(row[5]);
  switch (generic) {
    case RETORT_GENERIC_INTEGER:
      return Integer();
    case RETORT_GENERIC_SMALLINT:
      return SmallInteger();
    case RETORT_GENERIC_BIGINT:
      return BigInteger();
    case RETORT_GENERIC_BOOLEAN:
      return Boolean();
    case RETORT_GENERIC_FLOAT:
      return Float(precision);
    case RETORT_GENERIC_DOUBLE:
      return Double();
    case RETORT_GENERIC_NUMERIC:
      return Numeric(precision, scale);
    case RETORT_GENERIC_STRING:
      return String(length);
    case RETORT_GENERIC_TEXT:
      return Text();
    case RETORT_GENERIC_UNICODE:
      return Unicode(length);
    case RETORT_GENERIC_DATE:
      return types::Date();
    case RETORT_GENERIC_TIME:
      return types::Time();
    case RETORT_GENERIC_DATETIME:
      return types::DateTime(flag(row[6]));
    case RETORT_GENERIC_INTERVAL:
      return types::Interval();
    case RETORT_GENERIC_LARGE_BINARY:
      return LargeBinary(length);
    case RETORT_GENERIC_JSON:
      return JSON();
    case RETORT_GENERIC_UUID:
      return types::Uuid();
    case RETORT_GENERIC_ENUM: {
      auto values = split_list(row[13]);
      if (!values.empty()) return Enum(std::move(values), str(row[12]));
      break;
    }
    default:
      break;
  }
  return Type(std::make_shared<const detail::ReflectedType>(str(row[1]), dialect));
}

}  // namespace

struct Inspector::Impl {
  std::optional<Engine> engine;
  std::optional<Connection> own;
  Connection* connection = nullptr;
  std::string dialect_name;
  detail::DialectHandle dialect;
  std::string server_version;
  bool have_version = false;
  std::map<std::tuple<uint32_t, std::string, std::string, bool>, Rows> cache;

  Connection& conn() {
    if (connection == nullptr) {
      own.emplace(engine->connect());
      connection = &*own;
    }
    return *connection;
  }

  // The rows of `what` for (schema, name); `has_name` false asks for every object.
  const Rows& run(uint32_t what, std::string_view schema, std::string_view name, bool has_name) {
    auto key = std::make_tuple(what, std::string(schema), std::string(name), has_name);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    const retort_dialect& d = dialect.dialect;
    if (!RETORT_HAS_FIELD(&d, retort_dialect, reflect)) {
      DBAPIError::Info info;
      info.message = fmt::format(
          "The '{}' dialect plugin cannot reflect (its dialect has no reflect hook); upgrade "
          "the plugin",
          dialect_name);
      info.status = RETORT_NOT_IMPLEMENTED;
      info.dialect = dialect_name;
      throw NotSupportedError(std::move(info));
    }
    Connection& c = conn();
    if (!have_version) {
      server_version = c.server_version();
      have_version = true;
    }
    retort_reflect_api api{};
    api.struct_size = sizeof api;
    api.query = &host_query;
    api.emit = &host_emit;
    api.server_version = server_version.c_str();
    ReflectCall call{&c, what, layout_width(what), known_width(what), dialect_name, {}, {}, {}};
    retort_error error{};
    error.struct_size = sizeof error;
    const std::string schema_s(schema), name_s(name);
    const retort_status st = d.reflect(&api, reinterpret_cast<retort_reflect_ctx*>(&call), what,
                                       schema.empty() ? nullptr : schema_s.c_str(),
                                       has_name ? name_s.c_str() : nullptr, &error);
    if (st == RETORT_NOT_IMPLEMENTED) {
      if (error.release != nullptr) error.release(&error);
      call.rows.clear();
    } else if (st != RETORT_OK) {
      if (call.pending) {
        if (error.release != nullptr) error.release(&error);
        std::rethrow_exception(call.pending);
      }
      DBAPIError::Info info;
      info.message = error.message != nullptr ? error.message : "reflection failed";
      info.status = st;
      info.dialect = dialect_name;
      info.sqlstate.assign(error.sqlstate, strnlen(error.sqlstate, 5));
      info.vendor_code = error.vendor_code;
      if (error.release != nullptr) error.release(&error);
      throw_dbapi_error(std::move(info));
    }
    // Our own connection does not keep a transaction open between questions: on SQLite an
    // open read transaction would keep other connections from committing.
    if (own) own->rollback();
    return cache.emplace(std::move(key), std::move(call.rows)).first->second;
  }

  [[noreturn]] void no_such_table(std::string_view table, std::string_view schema) {
    throw NoSuchTableError(schema.empty() ? fmt::format("No such table: '{}'", table)
                                          : fmt::format("No such table: '{}.{}'", schema, table));
  }

  // The columns, which also tell whether the table exists.
  const Rows& columns(std::string_view table, std::string_view schema) {
    const Rows& rows = run(RETORT_REFLECT_COLUMNS, schema, table, true);
    if (rows.empty()) no_such_table(table, schema);
    return rows;
  }
  const Rows& per_table(uint32_t what, std::string_view table, std::string_view schema) {
    columns(table, schema);
    return run(what, schema, table, true);
  }
};

namespace {
std::vector<std::string> first_column(const Rows& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(str(r[0]));
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

Inspector::Inspector(const Engine& engine) : impl_(std::make_shared<Impl>()) {
  impl_->engine = engine;
  impl_->dialect_name = engine.dialect_name();
  impl_->dialect = detail::load_dialect(engine.dialect_name());
}

Inspector::Inspector(Connection& connection) : impl_(std::make_shared<Impl>()) {
  impl_->connection = &connection;
  impl_->dialect_name = connection.engine().dialect_name();
  impl_->dialect = detail::load_dialect(impl_->dialect_name);
}

Inspector inspect(const Engine& engine) {
  return Inspector(engine);
}
Inspector inspect(Connection& connection) {
  return Inspector(connection);
}

const std::string& Inspector::dialect_name() const {
  return impl_->dialect_name;
}

void Inspector::clear_cache() {
  impl_->cache.clear();
}

std::vector<std::string> Inspector::get_schema_names() {
  return first_column(impl_->run(RETORT_REFLECT_SCHEMAS, {}, {}, false));
}

std::vector<std::string> Inspector::get_table_names(std::string_view schema) {
  return first_column(impl_->run(RETORT_REFLECT_TABLES, schema, {}, false));
}

std::vector<std::string> Inspector::get_view_names(std::string_view schema) {
  return first_column(impl_->run(RETORT_REFLECT_VIEWS, schema, {}, false));
}

std::string Inspector::get_view_definition(std::string_view view, std::string_view schema) {
  const Rows& rows = impl_->run(RETORT_REFLECT_VIEWS, schema, view, true);
  if (rows.empty()) impl_->no_such_table(view, schema);
  return str(rows[0][1]);
}

std::vector<std::string> Inspector::get_sequence_names(std::string_view schema) {
  return first_column(impl_->run(RETORT_REFLECT_SEQUENCES, schema, {}, false));
}

std::vector<ReflectedSequence> Inspector::get_sequences(std::string_view schema) {
  impl_->cache.erase(std::make_tuple(uint32_t{RETORT_REFLECT_SEQUENCES}, std::string(schema),
                                     std::string(), false));
  std::vector<ReflectedSequence> out;
  for (const auto& r : impl_->run(RETORT_REFLECT_SEQUENCES, schema, {}, false)) {
    ReflectedSequence s;
    s.name = str(r[0]);
    s.start = int64_cell(r[1]);
    s.increment = int64_cell(r[2]);
    s.minvalue = int64_cell(r[3]);
    s.maxvalue = int64_cell(r[4]);
    if (r[5]) s.cycle = flag(r[5]);
    s.owned = flag(r[6]);
    s.last_value = int64_cell(r[7]);
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(),
            [](const ReflectedSequence& a, const ReflectedSequence& b) { return a.name < b.name; });
  return out;
}

bool Inspector::has_table(std::string_view table, std::string_view schema) {
  return !impl_->run(RETORT_REFLECT_TABLES, schema, table, true).empty() ||
         !impl_->run(RETORT_REFLECT_VIEWS, schema, table, true).empty();
}

bool Inspector::has_index(std::string_view table, std::string_view index, std::string_view schema) {
  for (const auto& ix : get_indexes(table, schema))
    if (ix.name == index) return true;
  for (const auto& uq : get_unique_constraints(table, schema))
    if (uq.name == index) return true;
  return false;
}

std::vector<ReflectedColumn> Inspector::get_columns(std::string_view table,
                                                    std::string_view schema) {
  std::vector<ReflectedColumn> out;
  for (const auto& r : impl_->columns(table, schema)) {
    ReflectedColumn c;
    c.name = str(r[0]);
    c.type_name = str(r[1]);
    c.type = make_type(r, impl_->dialect_name);
    c.nullable = flag(r[7]);
    c.default_ = r[8];
    c.autoincrement = flag(r[9]);
    c.identity = int_cell(r[10]).value_or(0);
    c.identity_start = int64_cell(r[14]);
    c.identity_increment = int64_cell(r[15]);
    c.comment = str(r[11]);
    out.push_back(std::move(c));
  }
  return out;
}

ReflectedPrimaryKey Inspector::get_pk_constraint(std::string_view table, std::string_view schema) {
  ReflectedPrimaryKey pk;
  const Rows& rows = impl_->per_table(RETORT_REFLECT_PRIMARY_KEY, table, schema);
  if (!rows.empty()) {
    pk.name = str(rows[0][0]);
    pk.constrained_columns = split_list(rows[0][1]);
  }
  return pk;
}

std::vector<ReflectedForeignKey> Inspector::get_foreign_keys(std::string_view table,
                                                             std::string_view schema) {
  std::vector<ReflectedForeignKey> out;
  for (const auto& r : impl_->per_table(RETORT_REFLECT_FOREIGN_KEYS, table, schema)) {
    ReflectedForeignKey fk;
    fk.name = str(r[0]);
    fk.constrained_columns = split_list(r[1]);
    fk.referred_schema = str(r[2]);
    fk.referred_table = str(r[3]);
    fk.referred_columns = split_list(r[4]);
    fk.ondelete = str(r[5]);
    fk.onupdate = str(r[6]);
    if (r[7]) fk.deferrable = flag(r[7]);
    fk.initially = str(r[8]);
    out.push_back(std::move(fk));
  }
  return out;
}

std::vector<ReflectedIndex> Inspector::get_indexes(std::string_view table,
                                                   std::string_view schema) {
  std::vector<ReflectedIndex> out;
  for (const auto& r : impl_->per_table(RETORT_REFLECT_INDEXES, table, schema)) {
    ReflectedIndex ix;
    ix.name = str(r[0]);
    ix.unique = flag(r[1]);
    ix.column_names = split_list(r[2]);
    ix.expressions = split_list(r[3]);
    ix.expressions.resize(ix.column_names.size());
    ix.where = str(r[4]);
    out.push_back(std::move(ix));
  }
  std::sort(out.begin(), out.end(),
            [](const ReflectedIndex& a, const ReflectedIndex& b) { return a.name < b.name; });
  return out;
}

std::vector<ReflectedUniqueConstraint> Inspector::get_unique_constraints(std::string_view table,
                                                                         std::string_view schema) {
  std::vector<ReflectedUniqueConstraint> out;
  for (const auto& r : impl_->per_table(RETORT_REFLECT_UNIQUE_CONSTRAINTS, table, schema)) {
    out.push_back({str(r[0]), split_list(r[1])});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.name, a.column_names) < std::tie(b.name, b.column_names);
  });
  return out;
}

std::vector<ReflectedCheckConstraint> Inspector::get_check_constraints(std::string_view table,
                                                                       std::string_view schema) {
  std::vector<ReflectedCheckConstraint> out;
  for (const auto& r : impl_->per_table(RETORT_REFLECT_CHECK_CONSTRAINTS, table, schema)) {
    out.push_back({str(r[0]), str(r[1])});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.name, a.sqltext) < std::tie(b.name, b.sqltext);
  });
  return out;
}

std::string Inspector::get_table_comment(std::string_view table, std::string_view schema) {
  const Rows& rows = impl_->per_table(RETORT_REFLECT_TABLE_COMMENT, table, schema);
  return rows.empty() ? std::string() : str(rows[0][0]);
}

}  // namespace retort
