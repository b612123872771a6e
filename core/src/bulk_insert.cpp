// core/src/bulk_insert.cpp — Connection::bulk_insert: the driver's bulk path
// (retort_driver.bulk_load_begin), or executemany INSERTs where there is none.
#include "engine_impl.hpp"
#include "param_batch.hpp"
#include "sql/compiled_cache.hpp"
#include "sql/compiler.hpp"
#include "sql/nodes.hpp"
#include "sql/type_values.hpp"

#include <retort/engine.hpp>
#include <retort/exceptions.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <utility>

namespace retort {

namespace {

bool has_bulk_path(const retort_driver* d) noexcept {
  return RETORT_HAS_FIELD(d, retort_driver, bulk_load_begin);
}

std::size_t page_rows(const BulkInsertOptions& options) {
  if (options.batch_rows <= 0) {
    throw ArgumentError(
        fmt::format("BulkInsertOptions::batch_rows must be a positive number of rows, not {}",
                    options.batch_rows));
  }
  return static_cast<std::size_t>(options.batch_rows);
}

// One load through the driver: begun by the constructor, aborted by the destructor unless
// finished.  Errors become the driver's DBAPIError, naming the load as its statement.
class DriverLoad {
 public:
  DriverLoad(detail::ConnectionImpl& c, const detail::TableData& table,
             const std::vector<std::string>& column_names)
      : c_(c), d_(c.driver()) {
    const retort_dialect& dialect = c.engine_impl->dialect();
    detail::SQLCompiler quoting(dialect, nullptr);
    const std::string target = quoting.capture([&] { quoting.emit_table_name(table); });
    std::vector<std::string> quoted;
    quoted.reserve(column_names.size());
    for (const auto& name : column_names) {
      quoted.push_back(quoting.capture([&] { quoting.emit_identifier(name); }));
    }
    std::vector<const char*> columns;
    for (const auto& q : quoted) columns.push_back(q.c_str());
    std::string list;
    for (const auto& q : quoted) list += (list.empty() ? "" : ", ") + q;
    what_ = fmt::format("bulk load into {} ({})", target, list);
    if (c.engine_impl->echo()) c.engine_impl->log_engine(what_);
    c.autobegin();
    retort_error err = detail::make_error();
    const retort_status st = d_.bulk_load_begin(c.handle, target.c_str(), columns.data(),
                                                static_cast<int32_t>(columns.size()), &load_, &err);
    if (st != RETORT_OK) {
      load_ = nullptr;
      c_.raise(st, err, what_);
    }
  }
  DriverLoad(const DriverLoad&) = delete;
  DriverLoad& operator=(const DriverLoad&) = delete;
  ~DriverLoad() {
    if (load_ != nullptr) load_->abort(load_);
  }

  void write(const retort_batch& rows) {
    retort_error err = detail::make_error();
    const retort_status st = load_->write(load_, &rows, &err);
    if (st != RETORT_OK) {
      retort_bulk_load* load = std::exchange(load_, nullptr);
      load->abort(load);
      c_.raise(st, err, what_);
    }
  }
  std::int64_t finish() {
    retort_error err = detail::make_error();
    std::int64_t loaded = 0;
    retort_bulk_load* load = std::exchange(load_, nullptr);
    const retort_status st = load->finish(load, &loaded, &err);
    if (st != RETORT_OK) c_.raise(st, err, what_);
    return loaded;
  }

 private:
  detail::ConnectionImpl& c_;
  const retort_driver& d_;
  retort_bulk_load* load_ = nullptr;
  std::string what_;
};

// `batch` from row `first` on, as a borrowed batch over the same buffers.
struct BatchTail {
  std::vector<retort_column> columns;
  retort_batch batch{};
  BatchTail(const retort_batch& b, std::int64_t first)
      : columns(b.columns, b.columns + b.column_count) {
    batch = b;
    batch.struct_size = sizeof batch;
    batch.release = nullptr;
    batch.private_data = nullptr;
    batch.row_count = b.row_count - first;
    for (retort_column& c : columns) {
      if (c.nulls != nullptr) c.nulls += first;
      if (c.offsets != nullptr) {
        c.offsets += first;
      } else if (c.values != nullptr) {
        std::size_t width = 0;
        switch (c.type) {
          case RETORT_TYPE_BOOL:
            width = 1;
            break;
          case RETORT_TYPE_DATE:
            width = 4;
            break;
          case RETORT_TYPE_INTERVAL:
            width = sizeof(retort_interval);
            break;
          case RETORT_TYPE_UUID:
            width = 16;
            break;
          default:
            width = 8;
            break;
        }
        c.values = static_cast<const unsigned char*>(c.values) + first * std::int64_t(width);
      }
    }
    batch.columns = columns.data();
  }
};

}  // namespace

std::int64_t Connection::bulk_insert(const Table& table, std::span<const Params> rows,
                                     const BulkInsertOptions& options) {
  detail::ConnectionImpl& c = live();
  const std::size_t page = page_rows(options);
  if (rows.empty()) return 0;
  if (!has_bulk_path(&c.driver())) {
    std::int64_t done = 0;
    for (std::size_t at = 0; at < rows.size(); at += page) {
      const auto part = rows.subspan(at, std::min(page, rows.size() - at));
      execute(insert(table), part);
      done += static_cast<std::int64_t>(part.size());
      if (options.on_progress) options.on_progress(done);
    }
    return done;
  }
  // The INSERT executemany would run decides the columns (keys, then client-side defaults)
  // and converts the values; the load then takes them in its parameter order.
  std::vector<std::string> keys;
  for (const auto& [k, v] : rows.front().items()) keys.push_back(k);
  const Insert statement = insert(table);
  const Compiled compiled =
      c.engine_impl->compiled_cache->get(*statement.node(), c.engine_impl->dialect(), &keys);
  detail::PreparedExecution prepared = detail::prepare_execution(compiled, rows);
  detail::process_bind_parameters(prepared, c.engine_impl->dialect());
  std::vector<std::string> column_names;
  for (const auto& key : prepared.names) {
    const detail::ColumnData* column = table.data().find_key(key);
    if (column == nullptr) {
      throw ArgumentError(
          fmt::format("Unconsumed column name: table '{}' has no column '{}'", table.name(), key));
    }
    column_names.push_back(column->name);
  }
  std::vector<std::uint32_t> order(prepared.names.size());
  std::iota(order.begin(), order.end(), 0u);

  DriverLoad load(c, table.data(), column_names);
  std::int64_t sent = 0;
  const std::span<const Params> all(prepared.rows);
  for (std::size_t at = 0; at < all.size(); at += page) {
    const auto part = all.subspan(at, std::min(page, all.size() - at));
    detail::ParamBatcher(prepared.names, order)
        .run(part, [&](const retort_batch& batch, std::size_t) { load.write(batch); });
    sent += static_cast<std::int64_t>(part.size());
    if (options.on_progress) options.on_progress(sent);
  }
  return load.finish();
}

std::int64_t Connection::bulk_insert(const Table& table, Result& rows,
                                     const BulkInsertOptions& options) {
  detail::ConnectionImpl& c = live();
  const std::size_t page = page_rows(options);
  const std::vector<std::string> keys = rows.keys();
  std::vector<std::string> column_names;
  std::vector<std::string> column_keys;
  for (const auto& k : keys) {
    const detail::ColumnData* column = table.data().find_key(k);
    if (column == nullptr) {
      for (const auto& col : table.data().columns)
        if (col.name == k) column = &col;
    }
    if (column == nullptr) {
      throw ArgumentError(fmt::format(
          "bulk_insert: the result column '{}' names no column of table '{}'", k, table.name()));
    }
    column_names.push_back(column->name);
    column_keys.push_back(column->key);
  }
  if (keys.empty()) return 0;
  // A column the rows leave out but whose client-side default insert() would bind: only the
  // executemany path applies it (a bulk load would leave the column to the database).
  const bool needs_client_defaults =
      std::any_of(table.data().columns.begin(), table.data().columns.end(), [&](const auto& col) {
        return col.options.default_ &&
               std::find(column_keys.begin(), column_keys.end(), col.key) == column_keys.end();
      });

  if (!has_bulk_path(&c.driver()) || needs_client_defaults) {
    std::int64_t done = 0;
    std::vector<Params> params;
    params.reserve(page);
    for (;;) {
      const std::vector<Row> chunk = rows.fetchmany(page);
      if (chunk.empty()) break;
      params.clear();
      for (const Row& r : chunk) {
        Params p;
        for (std::size_t i = 0; i < column_keys.size(); ++i) p.append(column_keys[i], r[i]);
        params.push_back(std::move(p));
      }
      execute(insert(table), params);
      done += static_cast<std::int64_t>(chunk.size());
      if (options.on_progress) options.on_progress(done);
    }
    return done;
  }

  DriverLoad load(c, table.data(), column_names);
  std::int64_t sent = 0;
  // Rows already taken from the current batch (by fetchone) are not loaded again.
  if (rows.batch_ && rows.next_row_ < rows.batch_->rows()->row_count) {
    const BatchTail tail(*rows.batch_->rows(), rows.next_row_);
    rows.next_row_ = rows.batch_->rows()->row_count;
    load.write(tail.batch);
    sent += tail.batch.row_count;
    if (options.on_progress) options.on_progress(sent);
  }
  while (rows.load_batch()) {
    const retort_batch& batch = *rows.batch_->rows();
    rows.next_row_ = batch.row_count;
    if (batch.column_count != static_cast<std::int32_t>(column_names.size())) {
      throw InvalidRequestError("bulk_insert: a result batch changed its column count");
    }
    load.write(batch);
    sent += batch.row_count;
    if (options.on_progress) options.on_progress(sent);
  }
  return load.finish();
}

}  // namespace retort
