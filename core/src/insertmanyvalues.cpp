// core/src/insertmanyvalues.cpp — INSERT … RETURNING with several parameter sets, as
// SQLAlchemy's "insertmanyvalues": the sets are sent as multi-row INSERTs, and the returned
// rows are put back in the order of the sets before the Result sees them.
//
// A database does not promise that RETURNING lists rows in VALUES order, so each batch's rows
// are ordered by something that identifies them: the autoincrement primary key (ascending ids
// follow VALUES order) when the sets do not give it, otherwise the primary key values the sets
// give.  A statement with neither (or one a multi-row VALUES cannot express) runs once per set.
#include "engine_impl.hpp"
#include "param_batch.hpp"
#include "sql/compiler.hpp"
#include "sql/ddl_support.hpp"
#include "sql/type_values.hpp"

#include <retort/engine.hpp>
#include <retort/exceptions.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace retort {

namespace {

using detail::ColumnData;
using detail::Node;
using detail::NodeKind;
using detail::NodePtr;

using RowValues = std::vector<Value>;

bool same_keys(const Params& a, const Params& b) {
  if (a.size() != b.size()) return false;
  return std::all_of(a.items().begin(), a.items().end(),
                     [&](const auto& item) { return b.find(item.first) != nullptr; });
}

// Whether RETURNING item `n` is the plain column `c` of the target table.
bool is_column(const Node& n, const Node& table_from, const ColumnData& c) {
  return n.kind == NodeKind::column && n.from.get() == &table_from && n.text == c.name;
}

// Rows of Values → result batches.  A batch column has one type, so a row whose value types
// differ from the batch's (NULLs fit any) starts a new batch.
std::vector<std::shared_ptr<const detail::BatchHolder>> make_batches(
    const std::vector<RowValues>& rows, std::size_t columns,
    const std::shared_ptr<const detail::ResultMeta>& meta) {
  std::vector<std::shared_ptr<const detail::BatchHolder>> out;
  std::size_t start = 0;
  std::vector<retort_value_type> types(columns, RETORT_TYPE_NULL);
  auto flush = [&](std::size_t end) {
    if (end == start) return;
    sdk::BatchBuilder builder;
    builder.reset(types);
    for (std::size_t r = start; r < end; ++r) {
      for (std::size_t c = 0; c < columns; ++c) detail::append_value(builder.column(c), rows[r][c]);
    }
    auto holder = std::make_shared<detail::BatchHolder>();
    builder.finish(&holder->batch);
    holder->meta = meta;
    out.push_back(std::move(holder));
    start = end;
    types.assign(columns, RETORT_TYPE_NULL);
  };
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < columns; ++c) {
      const auto t = static_cast<retort_value_type>(detail::value_type_of(rows[r][c]));
      if (t == RETORT_TYPE_NULL || t == types[c]) continue;
      if (types[c] != RETORT_TYPE_NULL) {
        // Rows before r are complete with the old types; start again at r.
        flush(r);
        c = static_cast<std::size_t>(-1);
        continue;
      }
      // The column was all NULL so far in this batch: it takes this type.
      types[c] = t;
    }
  }
  flush(rows.size());
  return out;
}

}  // namespace

Result Connection::insert_many_returning(const Executable& statement,
                                         std::span<const Params> params) {
  detail::ConnectionImpl& conn = live();
  const retort_dialect& dialect = conn.engine_impl->dialect();
  const Node& node = *statement.node();
  const detail::TableData& table = *node.table;

  // How the returned rows find their parameter set.
  enum class Order { sort_by_autoincrement, match_by_primary_key, one_per_row };
  Order order = Order::one_per_row;
  std::vector<const ColumnData*> key_columns;
  const ColumnData* autoinc = detail::autoincrement_column(
      table, (detail::capabilities_of(dialect) & RETORT_CAP_SEQUENCES) != 0);
  auto every_set_gives = [&](const ColumnData& c) {
    return std::all_of(params.begin(), params.end(),
                       [&](const Params& p) { return p.find(c.key) != nullptr; });
  };
  auto no_set_gives = [&](const ColumnData& c) {
    return std::none_of(params.begin(), params.end(),
                        [&](const Params& p) { return p.find(c.key) != nullptr; });
  };
  bool assigned_key = false;
  for (const auto& a : node.assignments) {
    for (const auto& name : table.primary_key) {
      if (table.find_name(name)->key == a.key) assigned_key = true;
    }
  }
  if (autoinc != nullptr && !assigned_key && no_set_gives(*autoinc)) {
    order = Order::sort_by_autoincrement;
    key_columns = {autoinc};
  } else if (!table.primary_key.empty() && !assigned_key) {
    bool all = true;
    for (const auto& name : table.primary_key) all = all && every_set_gives(*table.find_name(name));
    if (all) {
      order = Order::match_by_primary_key;
      for (const auto& name : table.primary_key) key_columns.push_back(table.find_name(name));
    }
  }
  // A multi-row VALUES holds values only, the same columns in every row, and nothing else
  // to bind.
  const bool batchable =
      (dialect.capabilities & RETORT_CAP_MULTIROW_INSERT) != 0 && !node.upsert &&
      node.multi_values.empty() && !node.from_select &&
      std::all_of(node.assignments.begin(), node.assignments.end(),
                  [](const detail::DmlValue& a) { return !a.expr; }) &&
      std::all_of(params.begin(), params.end(), [&](const Params& p) {
        return same_keys(p, params.front()) &&
               std::all_of(p.items().begin(), p.items().end(),
                           [&](const auto& item) { return table.find_key(item.first) != nullptr; });
      });
  if (!batchable) order = Order::one_per_row;

  // RETURNING: the statement's items, then the key columns it lacks (dropped from the rows
  // the Result gives).
  Node returning_node = node;
  const std::size_t visible = node.returning.size();
  std::vector<std::size_t> key_index;
  if (order != Order::one_per_row) {
    for (const ColumnData* k : key_columns) {
      std::size_t found = returning_node.returning.size();
      for (std::size_t i = 0; i < visible; ++i) {
        if (is_column(*node.returning[i], *node.from, *k)) found = i;
      }
      if (found == returning_node.returning.size()) {
        returning_node.returning.push_back(detail::column_node(node.from, *k));
      }
      key_index.push_back(found);
    }
  }

  const auto result_types = detail::result_types(returning_node, dialect);
  std::vector<RowValues> rows;
  std::vector<std::string> keys;
  retort_exec_info total{};
  total.struct_size = sizeof total;
  // Runs one compiled statement and appends its rows (visible columns and all) to `out`.
  auto run = [&](const Compiled& compiled, std::span<const Params> sets,
                 std::vector<RowValues>& out) {
    detail::PreparedExecution prepared = detail::prepare_execution(compiled, sets);
    detail::process_bind_parameters(prepared, dialect);
    Result r = execute_rendered(prepared.sql, prepared.names, prepared.placeholders, prepared.rows,
                                prepared.column_flags);
    // Converted by type here: the rows are rebuilt from Values below.
    if (r.source_) r.source_->set_result_types(result_types);
    // A driver that describes fewer columns than the RETURNING list asked for would make the
    // rows unmatchable; say so rather than read past them.
    if (r.keys().size() < visible) {
      throw InvalidRequestError(fmt::format(
          "INSERT … RETURNING of {} columns produced a result of {} columns through the '{}' "
          "driver; the driver does not describe RETURNING results",
          visible, r.keys().size(), engine().driver_name()));
    }
    if (keys.empty()) {
      keys.assign(r.keys().begin(), r.keys().begin() + static_cast<std::ptrdiff_t>(visible));
    }
    for (const auto& row : r) {
      RowValues values;
      values.reserve(row.size());
      for (std::size_t i = 0; i < row.size(); ++i) values.push_back(row[i]);
      out.push_back(std::move(values));
    }
  };

  if (order == Order::one_per_row) {
    std::vector<std::string> column_keys;
    for (const auto& [k, v] : params.front().items()) column_keys.push_back(k);
    const Compiled compiled = detail::compile_for(node, dialect, &column_keys);
    for (std::size_t i = 0; i < params.size(); ++i) run(compiled, params.subspan(i, 1), rows);
  } else {
    // A multi-row INSERT of the sets [first, first + count): each row has the statement's
    // values() (a set's own value wins) and the set.
    auto make_batch = [&](std::size_t first, std::size_t count) {
      Node batch = returning_node;
      batch.assignments.clear();
      batch.multi_values.reserve(count);
      for (std::size_t i = first; i < first + count; ++i) {
        Params p;
        for (const auto& a : node.assignments) {
          if (params[i].find(a.key) == nullptr) p.set(a.key, *a.value);
        }
        for (const auto& [k, v] : params[i].items()) p.set(k, v);
        batch.multi_values.push_back(std::move(p));
      }
      return batch;
    };
    std::size_t page =
        static_cast<std::size_t>(conn.engine_impl->options.insertmanyvalues_page_size);
    if (dialect.max_parameters > 0) {
      // Parameters per row, and those of the rest of the statement (RETURNING's), from the
      // statement compiled with one row and with two.
      const std::size_t one =
          detail::compile_for(make_batch(0, 1), dialect, nullptr).parameters.size();
      const std::size_t two =
          detail::compile_for(make_batch(0, 2), dialect, nullptr).parameters.size();
      const std::size_t per_row = std::max<std::size_t>(two - one, 1);
      const std::size_t rest = one - std::min(one, per_row);
      const auto limit = static_cast<std::size_t>(dialect.max_parameters);
      page = std::min(page, std::max<std::size_t>(1, (limit - std::min(limit, rest)) / per_row));
    }
    for (std::size_t first = 0; first < params.size(); first += page) {
      const std::size_t count = std::min(page, params.size() - first);
      const Node batch = make_batch(first, count);
      std::vector<RowValues> returned;
      const Params none;
      run(detail::compile_for(batch, dialect, nullptr), std::span<const Params>(&none, 1),
          returned);
      if (returned.size() != count) {
        throw InvalidRequestError(fmt::format(
            "INSERT … RETURNING into '{}' returned {} rows for {} parameter sets; cannot put "
            "them in the order of the sets",
            table.name, returned.size(), count));
      }
      if (order == Order::sort_by_autoincrement) {
        const std::size_t k = key_index.front();
        for (const auto& r : returned) {
          if (!r[k].holds<std::int64_t>()) {
            throw InvalidRequestError(fmt::format(
                "INSERT … RETURNING into '{}' returned {} for the autoincrement column '{}'; "
                "cannot put the rows in the order of the parameter sets",
                table.name, r[k].repr(), key_columns.front()->name));
          }
        }
        std::stable_sort(returned.begin(), returned.end(),
                         [k](const RowValues& a, const RowValues& b) {
                           return a[k].as<std::int64_t>() < b[k].as<std::int64_t>();
                         });
        for (auto& r : returned) rows.push_back(std::move(r));
      } else {
        // Match by the primary key values, compared by their text form so that an int given
        // and a bigint returned agree.
        auto key_of = [&](auto&& value_of) {
          std::string s;
          for (std::size_t j = 0; j < key_columns.size(); ++j) s += value_of(j).repr() + '\x1f';
          return s;
        };
        std::map<std::string, std::size_t> by_key;
        for (std::size_t r = 0; r < returned.size(); ++r) {
          by_key.emplace(
              key_of([&](std::size_t j) -> const Value& { return returned[r][key_index[j]]; }), r);
        }
        for (std::size_t i = first; i < first + count; ++i) {
          const std::string k = key_of(
              [&](std::size_t j) -> const Value& { return *params[i].find(key_columns[j]->key); });
          auto it = by_key.find(k);
          if (it == by_key.end()) {
            throw InvalidRequestError(fmt::format(
                "INSERT … RETURNING into '{}': no returned row has the primary key of parameter "
                "set {}",
                table.name, i));
          }
          rows.push_back(std::move(returned[it->second]));
        }
      }
    }
  }

  auto meta = std::make_shared<detail::ResultMeta>();
  for (const auto& k : keys) meta->add(k);
  // Every row an INSERT … RETURNING inserts returns one row (the driver's own count is not
  // final before the rows are fetched).
  total.rows_affected = static_cast<std::int64_t>(rows.size());
  for (auto& r : rows) r.resize(visible);
  total.column_count = static_cast<std::int32_t>(visible);
  return Result(std::make_unique<detail::ResultSource>(impl_, meta,
                                                       make_batches(rows, visible, meta), total));
}

}  // namespace retort
