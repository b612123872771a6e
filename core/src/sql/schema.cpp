// core/src/sql/schema.cpp — MetaData, Table, DDL statements, create_all / drop_all.
#include "nodes.hpp"

#include <retort/engine.hpp>
#include <retort/exceptions.hpp>
#include <retort/sql/compiler.hpp>
#include <retort/sql/ddl.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

namespace retort {

using detail::make_node;
using detail::Node;
using detail::NodeKind;
using detail::NodePtr;
using detail::TableData;

namespace {

NodePtr make_table(std::string name, const MetaData& metadata, std::vector<TableItem>& items,
                   const std::function<void(TableData&, TableItem&)>& add) {
  if (name.empty()) throw ArgumentError("a Table needs a name");
  if (metadata.impl()->find(name) != nullptr) {
    throw ArgumentError(fmt::format("Table '{}' is already defined for this MetaData", name));
  }
  auto data = std::make_shared<TableData>();
  data->name = std::move(name);
  data->metadata = metadata.impl();
  for (auto& item : items) add(*data, item);
  if (data->columns.empty())
    throw ArgumentError(fmt::format("Table '{}' has no columns", data->name));
  metadata.impl()->tables.push_back(data);
  Node n{NodeKind::table};
  n.table = std::move(data);
  return make_node(std::move(n));
}

void check_columns(const TableData& t, const std::vector<std::string>& names, const char* what) {
  if (names.empty()) throw ArgumentError(fmt::format("{} on '{}' names no columns", what, t.name));
  for (const auto& n : names) {
    if (t.find_name(n) == nullptr) {
      throw ArgumentError(fmt::format("{} on '{}' names unknown column '{}'", what, t.name, n));
    }
  }
}

}  // namespace

MetaData::MetaData() : impl_(std::make_shared<detail::MetaDataImpl>()) {}

std::vector<std::string> MetaData::table_names() const {
  std::vector<std::string> out;
  for (const auto& t : impl_->tables) out.push_back(t->name);
  return out;
}

Table::Table(std::string name, const MetaData& metadata, std::vector<TableItem> items)
    : FromClause(make_table(std::move(name), metadata, items, [](TableData& t, TableItem& item) {
        if (item.column_) {
          Column& c = *item.column_;
          if (c.name.empty())
            throw ArgumentError(fmt::format("a column of '{}' has no name", t.name));
          std::string key = c.options.key.empty() ? c.name : c.options.key;
          if (t.find_key(key) != nullptr || t.find_name(c.name) != nullptr) {
            throw ArgumentError(fmt::format("Table '{}' has two columns '{}'", t.name, key));
          }
          if (c.options.primary_key) t.primary_key.push_back(c.name);
          t.columns.push_back({c.name, std::move(key), c.type, c.options});
        } else if (item.pk_) {
          check_columns(t, item.pk_->columns, "PrimaryKeyConstraint");
          t.primary_key = item.pk_->columns;
          for (auto& col : t.columns) {
            const bool in_pk = std::find(t.primary_key.begin(), t.primary_key.end(), col.name) !=
                               t.primary_key.end();
            col.options.primary_key = in_pk;
          }
        } else if (item.unique_) {
          check_columns(t, item.unique_->columns, "UniqueConstraint");
          t.uniques.push_back(*item.unique_);
        }
      })) {}

const std::string& Table::name() const noexcept {
  return node_->table->name;
}
const TableData& Table::data() const noexcept {
  return *node_->table;
}

CreateTable::CreateTable(const Table& table, bool if_not_exists) : Executable(nullptr) {
  Node n{NodeKind::create_table};
  n.table = table.node()->table;
  n.flag = if_not_exists;
  node_ = make_node(std::move(n));
}

DropTable::DropTable(const Table& table, bool if_exists) : Executable(nullptr) {
  Node n{NodeKind::drop_table};
  n.table = table.node()->table;
  n.flag = if_exists;
  node_ = make_node(std::move(n));
}

namespace {

// Tables ordered so that every table comes after the tables its foreign keys reference
// (self-references ignored).  Kahn's algorithm, stable in registration order.
std::vector<std::shared_ptr<const TableData>> sorted_tables(const detail::MetaDataImpl& md) {
  const auto& tables = md.tables;
  std::vector<std::set<std::size_t>> deps(tables.size());
  auto index_of = [&](const TableData* t) {
    for (std::size_t i = 0; i < tables.size(); ++i)
      if (tables[i].get() == t) return i;
    return tables.size();
  };
  for (std::size_t i = 0; i < tables.size(); ++i) {
    for (const auto& c : tables[i]->columns) {
      if (!c.options.foreign_key) continue;
      auto [target, col] = detail::resolve_foreign_key(*tables[i], c);
      const std::size_t j = index_of(target.get());
      if (j != i) deps[i].insert(j);
    }
  }
  std::vector<std::shared_ptr<const TableData>> out;
  std::vector<bool> done(tables.size(), false);
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t i = 0; i < tables.size(); ++i) {
      if (done[i]) continue;
      if (std::all_of(deps[i].begin(), deps[i].end(), [&](std::size_t j) { return done[j]; })) {
        done[i] = true;
        out.push_back(tables[i]);
        progress = true;
      }
    }
  }
  if (out.size() != tables.size()) {
    std::string names;
    for (std::size_t i = 0; i < tables.size(); ++i) {
      if (!done[i]) names += (names.empty() ? "'" : ", '") + tables[i]->name + "'";
    }
    throw ArgumentError(fmt::format(
        "Can't sort tables for CREATE/DROP: the foreign keys of {} form a cycle (breaking "
        "cycles with ALTER TABLE is not supported yet)",
        names));
  }
  return out;
}

// A statement over an already-registered table.
struct DdlStatement : Executable {
  explicit DdlStatement(NodePtr n) : Executable(std::move(n)) {}
};

}  // namespace

void MetaData::create_all(const Engine& engine, bool checkfirst) const {
  const auto tables = sorted_tables(*impl_);
  auto conn = engine.connect();
  for (const auto& t : tables) {
    Node n{NodeKind::create_table};
    n.table = t;
    n.flag = checkfirst;
    conn.execute(DdlStatement(make_node(std::move(n))));
    for (const auto& c : t->columns) {
      if (!c.options.index) continue;
      Node ix{NodeKind::create_index};
      ix.table = t;
      ix.text = c.name;
      ix.flag = checkfirst;
      conn.execute(DdlStatement(make_node(std::move(ix))));
    }
  }
  conn.commit();
}

void MetaData::drop_all(const Engine& engine, bool checkfirst) const {
  auto tables = sorted_tables(*impl_);
  std::reverse(tables.begin(), tables.end());
  auto conn = engine.connect();
  for (const auto& t : tables) {
    Node n{NodeKind::drop_table};
    n.table = t;
    n.flag = checkfirst;
    conn.execute(DdlStatement(make_node(std::move(n))));
  }
  conn.commit();
}

}  // namespace retort
