// core/src/sql/schema.cpp — MetaData, Table, constraints, Index, Sequence and the DDL
// statement objects.  create_all / drop_all are in metadata_ops.cpp.
#include "nodes.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/ddl.hpp>
#include <retort/sql/schema.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <functional>

namespace retort {

using detail::ForeignKeyData;
using detail::IndexData;
using detail::make_node;
using detail::Node;
using detail::NodeKind;
using detail::NodePtr;
using detail::TableData;

namespace {

std::string upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// ON DELETE / ON UPDATE and INITIALLY are keywords spliced into DDL: only the SQL ones pass
// (SQLAlchemy checks the same lists).
void validate(ForeignKeyOptions& o, const std::string& what) {
  static constexpr const char* kActions[] = {"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT",
                                             "NO ACTION"};
  auto action = [&](std::string& value, const char* clause) {
    if (value.empty()) return;
    const std::string keyword = upper(value);
    if (std::find(std::begin(kActions), std::end(kActions), keyword) == std::end(kActions)) {
      throw ArgumentError(fmt::format(
          "{}: invalid {} action '{}' (expected CASCADE, SET NULL, SET DEFAULT, RESTRICT or "
          "NO ACTION)",
          what, clause, value));
    }
    value = keyword;
  };
  action(o.ondelete, "ON DELETE");
  action(o.onupdate, "ON UPDATE");
  if (!o.initially.empty()) {
    const std::string keyword = upper(o.initially);
    if (keyword != "DEFERRED" && keyword != "IMMEDIATE") {
      throw ArgumentError(fmt::format(
          "{}: invalid INITIALLY value '{}' (expected DEFERRED or IMMEDIATE)", what, o.initially));
    }
    o.initially = keyword;
  }
}

// "table.column" -> "table" (with any schema prefix).
std::string target_table(const std::string& target) {
  const auto dot = target.rfind('.');
  return dot == std::string::npos ? std::string() : target.substr(0, dot);
}

void check_columns(const TableData& t, const std::vector<std::string>& names, const char* what) {
  if (names.empty()) throw ArgumentError(fmt::format("{} on '{}' names no columns", what, t.name));
  for (const auto& n : names) {
    if (t.find_name(n) == nullptr) {
      throw ArgumentError(fmt::format("{} on '{}' names unknown column '{}'", what, t.name, n));
    }
  }
}

void add_column(const std::shared_ptr<TableData>& tp, Column& c) {
  TableData& t = *tp;
  if (c.name.empty()) throw ArgumentError(fmt::format("a column of '{}' has no name", t.name));
  std::string key = c.options.key.empty() ? c.name : c.options.key;
  if (t.find_key(key) != nullptr || t.find_name(c.name) != nullptr) {
    throw ArgumentError(fmt::format("Table '{}' has two columns '{}'", t.name, key));
  }
  if (c.options.primary_key) t.primary_key.push_back(c.name);
  if (c.options.foreign_key) {
    auto fk = std::make_shared<ForeignKeyData>();
    fk->columns = {c.name};
    fk->targets = {c.options.foreign_key->column};
    fk->options = c.options.foreign_key->options;
    t.foreign_keys.push_back(std::move(fk));
  }
  if (c.options.index) {
    auto ix = std::make_shared<IndexData>();
    ix->unique = c.options.unique;
    ix->elements.push_back({c.name, nullptr});
    ix->table = tp;
    ix->attached = true;
    t.indexes.push_back(std::move(ix));
  }
  t.columns.push_back({c.name, std::move(key), c.type, c.options});
}

// One item of a Table's definition (TableItem's alternatives, which only Table can read).
void add_item(const std::shared_ptr<TableData>& tp, std::optional<Column>& column,
              const std::optional<PrimaryKeyConstraint>& pk,
              const std::optional<UniqueConstraint>& unique,
              const std::optional<ForeignKeyConstraint>& foreign_key,
              const std::optional<CheckConstraint>& check, const std::optional<Index>& index) {
  TableData& t = *tp;
  if (column) {
    add_column(tp, *column);
  } else if (pk) {
    check_columns(t, pk->columns, "PrimaryKeyConstraint");
    t.primary_key = pk->columns;
    t.primary_key_name = pk->name;
    for (auto& col : t.columns) {
      col.options.primary_key =
          std::find(t.primary_key.begin(), t.primary_key.end(), col.name) != t.primary_key.end();
    }
  } else if (unique) {
    check_columns(t, unique->columns, "UniqueConstraint");
    t.uniques.push_back(*unique);
  } else if (foreign_key) {
    check_columns(t, foreign_key->columns, "ForeignKeyConstraint");
    auto fk = std::make_shared<ForeignKeyData>();
    fk->columns = foreign_key->columns;
    fk->targets = foreign_key->refcolumns;
    fk->options = foreign_key->options;
    t.foreign_keys.push_back(std::move(fk));
  } else if (check) {
    t.checks.push_back(*check);
  } else if (index) {
    const auto& ix = index->impl();
    if (ix->attached) {
      throw ArgumentError(fmt::format("Index '{}' already belongs to a table", ix->name));
    }
    for (const auto& e : ix->elements) {
      if (e.expression) {
        throw ArgumentError(fmt::format(
            "Index '{}' in the definition of '{}' can name columns only; build an Index on "
            "expressions after the table, from its columns",
            ix->name, t.name));
      }
      if (t.find_name(e.column) == nullptr) {
        throw ArgumentError(fmt::format("Index '{}' on '{}' names unknown column '{}'", ix->name,
                                        t.name, e.column));
      }
    }
    ix->table = tp;
    ix->attached = true;
    t.indexes.push_back(ix);
  }
}

// The table a column or expression node refers to, or nullptr; ArgumentError for two.
const TableData* table_in(const Node& n, const TableData* found, const std::string& index) {
  auto merge = [&](const TableData* t) {
    if (t != nullptr && found != nullptr && t != found) {
      throw ArgumentError(fmt::format("Index '{}' has columns of two tables, '{}' and '{}'", index,
                                      found->name, t->name));
    }
    return t != nullptr ? t : found;
  };
  if (n.kind == NodeKind::column && n.from) {
    if (n.from->kind != NodeKind::table) {
      throw ArgumentError(fmt::format("Index '{}': columns of an alias cannot be indexed", index));
    }
    found = merge(n.from->table.get());
  }
  for (const NodePtr* child : {&n.left, &n.right, &n.third}) {
    if (*child) found = table_in(**child, found, index);
  }
  for (const auto& item : n.items) found = table_in(*item, found, index);
  return found;
}

}  // namespace

ForeignKey::ForeignKey(std::string target, ForeignKeyOptions options)
    : column(std::move(target)), options(std::move(options)) {
  validate(this->options, fmt::format("ForeignKey('{}')", column));
}

ForeignKeyConstraint::ForeignKeyConstraint(std::vector<std::string> columns_,
                                           std::vector<std::string> refcolumns_,
                                           ForeignKeyOptions options_)
    : columns(std::move(columns_)),
      refcolumns(std::move(refcolumns_)),
      options(std::move(options_)) {
  if (columns.empty() || columns.size() != refcolumns.size()) {
    throw ArgumentError(fmt::format(
        "ForeignKeyConstraint needs as many referenced columns as columns (got {} and {})",
        columns.size(), refcolumns.size()));
  }
  for (const auto& r : refcolumns) {
    if (target_table(r).empty()) {
      throw ArgumentError(
          fmt::format("ForeignKeyConstraint: referenced column '{}' is not 'table.column'", r));
    }
    if (target_table(r) != target_table(refcolumns.front())) {
      throw ArgumentError(fmt::format(
          "ForeignKeyConstraint: referenced columns '{}' and '{}' are in different tables",
          refcolumns.front(), r));
    }
  }
  validate(options, fmt::format("ForeignKeyConstraint({})", fmt::join(columns, ", ")));
}

CheckConstraint::CheckConstraint(std::string sqltext_, std::string name_)
    : sqltext(std::move(sqltext_)), name(std::move(name_)) {
  if (sqltext.empty()) throw ArgumentError("CheckConstraint needs SQL text");
}

Sequence::Sequence(std::string name, SequenceOptions options)
    : name_(std::move(name)), options_(std::move(options)) {
  if (name_.empty()) throw ArgumentError("a Sequence needs a name");
}

ColumnElement Sequence::next_value() const {
  Node n{NodeKind::next_value};
  n.sequence = *this;
  n.type = Integer();
  return ColumnElement(make_node(std::move(n)));
}

Index::Index(std::string name, std::vector<IndexElement> elements, IndexOptions options)
    : impl_(std::make_shared<IndexData>()) {
  impl_->name = std::move(name);
  impl_->unique = options.unique;
  impl_->where = std::move(options.where);
  if (elements.empty()) {
    throw ArgumentError(fmt::format("Index '{}' has no columns or expressions", impl_->name));
  }
  const TableData* table = nullptr;
  bool named_columns = false;
  for (auto& e : elements) {
    if (e.expression_) {
      table = table_in(*e.expression_->node(), table, impl_->name);
      impl_->elements.push_back({{}, e.expression_->node()});
    } else {
      if (e.column_.empty())
        throw ArgumentError(fmt::format("Index '{}': empty column name", impl_->name));
      named_columns = true;
      impl_->elements.push_back({e.column_, nullptr});
    }
  }
  if (!table) return;  // Given to a Table's definition later.
  if (named_columns) {
    throw ArgumentError(fmt::format(
        "Index '{}' mixes column names and expressions; give the table's columns instead",
        impl_->name));
  }
  // Built from a table's columns: it belongs to that table, as in SQLAlchemy.
  auto md = table->metadata.lock();
  std::shared_ptr<const TableData> owner = md ? md->find(table->fullname()) : nullptr;
  if (!owner) throw ArgumentError(fmt::format("Index '{}': its table is gone", impl_->name));
  impl_->table = owner;
  impl_->attached = true;
  md->indexes.push_back(impl_);
}

const std::string& Index::name() const noexcept {
  return impl_->name;
}

MetaData::MetaData(MetaDataOptions options) : impl_(std::make_shared<detail::MetaDataImpl>()) {
  impl_->options = std::move(options);
  // SQLAlchemy's DEFAULT_NAMING_CONVENTION, unless given.
  if (!impl_->options.naming_convention.count("ix") &&
      !impl_->options.naming_convention.count("index")) {
    impl_->options.naming_convention["ix"] = "ix_%(column_0_label)s";
  }
}

std::vector<Table> MetaData::tables() const {
  std::vector<Table> out;
  for (const auto& t : impl_->tables) {
    Node n{NodeKind::table};
    n.table = t;
    out.push_back(Table(make_node(std::move(n))));
  }
  return out;
}

std::optional<Table> MetaData::table(std::string_view fullname) const {
  auto t = impl_->find(fullname);
  if (!t) return std::nullopt;
  Node n{NodeKind::table};
  n.table = std::move(t);
  return Table(make_node(std::move(n)));
}

std::vector<std::string> MetaData::table_names() const {
  std::vector<std::string> out;
  for (const auto& t : impl_->tables) out.push_back(t->fullname());
  return out;
}

namespace {

NodePtr make_table(std::string name, const MetaData& metadata, std::vector<TableItem>& items,
                   TableOptions& options,
                   const std::function<void(const std::shared_ptr<TableData>&, TableItem&)>& add) {
  if (name.empty()) throw ArgumentError("a Table needs a name");
  auto data = std::make_shared<TableData>();
  data->name = std::move(name);
  data->schema = options.schema.empty() ? metadata.impl()->options.schema : options.schema;
  data->comment = std::move(options.comment);
  if (metadata.impl()->find(data->fullname()) != nullptr) {
    throw ArgumentError(
        fmt::format("Table '{}' is already defined for this MetaData", data->fullname()));
  }
  data->metadata = metadata.impl();
  for (auto& item : items) add(data, item);
  if (data->columns.empty())
    throw ArgumentError(fmt::format("Table '{}' has no columns", data->name));
  metadata.impl()->tables.push_back(data);
  Node n{NodeKind::table};
  n.table = std::move(data);
  return make_node(std::move(n));
}

}  // namespace

Table::Table(std::string name, const MetaData& metadata, std::vector<TableItem> items,
             TableOptions options)
    : FromClause(make_table(std::move(name), metadata, items, options,
                            [](const std::shared_ptr<TableData>& t, TableItem& item) {
                              add_item(t, item.column_, item.pk_, item.unique_, item.foreign_key_,
                                       item.check_, item.index_);
                            })) {}

const std::string& Table::name() const noexcept {
  return node_->table->name;
}
const std::string& Table::schema() const noexcept {
  return node_->table->schema;
}
const TableData& Table::data() const noexcept {
  return *node_->table;
}

// --- DDL statements ---------------------------------------------------------------------------

namespace {

NodePtr ddl_node(NodeKind kind, bool flag, const std::function<void(Node&)>& fill) {
  Node n{kind};
  n.flag = flag;
  fill(n);
  return make_node(std::move(n));
}

const Type& enum_type(const Type& t, const char* what) {
  if (t.kind() != TypeKind::enum_ || t->enum_name().empty()) {
    throw ArgumentError(fmt::format("{} needs a named Enum type, got {}{}", what, t->type_name(),
                                    t.kind() == TypeKind::enum_ ? " without a name" : ""));
  }
  return t;
}

}  // namespace

CreateTable::CreateTable(const Table& table, bool if_not_exists)
    : Executable(ddl_node(NodeKind::create_table, if_not_exists,
                          [&](Node& n) { n.table = table.node()->table; })) {}

DropTable::DropTable(const Table& table, bool if_exists)
    : Executable(ddl_node(NodeKind::drop_table, if_exists,
                          [&](Node& n) { n.table = table.node()->table; })) {}

CreateIndex::CreateIndex(const Index& index, bool if_not_exists)
    : Executable(ddl_node(NodeKind::create_index, if_not_exists,
                          [&](Node& n) { n.index = index.impl(); })) {}

DropIndex::DropIndex(const Index& index, bool if_exists)
    : Executable(
          ddl_node(NodeKind::drop_index, if_exists, [&](Node& n) { n.index = index.impl(); })) {}

CreateSequence::CreateSequence(const Sequence& sequence, bool if_not_exists)
    : Executable(ddl_node(NodeKind::create_sequence, if_not_exists,
                          [&](Node& n) { n.sequence = sequence; })) {}

DropSequence::DropSequence(const Sequence& sequence, bool if_exists)
    : Executable(
          ddl_node(NodeKind::drop_sequence, if_exists, [&](Node& n) { n.sequence = sequence; })) {}

SetTableComment::SetTableComment(const Table& table)
    : Executable(ddl_node(NodeKind::set_table_comment, false,
                          [&](Node& n) { n.table = table.node()->table; })) {}

SetColumnComment::SetColumnComment(const Table& table, const std::string& column_key)
    : Executable(ddl_node(NodeKind::set_column_comment, false, [&](Node& n) {
        n.table = table.node()->table;
        const auto* c = n.table->find_key(column_key);
        if (c == nullptr) {
          throw ArgumentError(fmt::format("SetColumnComment: table '{}' has no column '{}'",
                                          table.name(), column_key));
        }
        n.text = c->name;
      })) {}

CreateEnumType::CreateEnumType(const Type& type, bool if_not_exists)
    : Executable(ddl_node(NodeKind::create_enum_type, if_not_exists,
                          [&](Node& n) { n.type = enum_type(type, "CreateEnumType"); })) {}

DropEnumType::DropEnumType(const Type& type, bool if_exists)
    : Executable(ddl_node(NodeKind::drop_enum_type, if_exists,
                          [&](Node& n) { n.type = enum_type(type, "DropEnumType"); })) {}

}  // namespace retort
