// retort/sql/dml.hpp — INSERT, UPDATE, DELETE (SQLAlchemy's `insert()`, `update()`,
// `delete()`; `delete` is a C++ keyword, hence `delete_`).
// SPDX-License-Identifier: MIT
//
//   conn.execute(insert(users).values({{"name", "ed"}}));
//   conn.execute(insert(users), {{{"name", "a"}}, {{"name", "b"}}});     // executemany
//   conn.execute(update(users).where(users.c["id"] == 5).values({{"name", "x"}}));
//   conn.execute(update(users).values({{"score", users.c["score"] + 1}}));  // expressions
//   conn.execute(delete_(users).where(users.c["id"] == 5));
//
//   insert(users).values(std::vector<Params>{{{"name", "a"}}, {{"name", "b"}}});  // multi-row
//   insert(archive).from_select({"id", "name"}, select(users.c["id"], users.c["name"]));
//   insert(users).values({{"id", 1}, {"name", "ed"}}).returning(users.c["id"]);
//   insert(users).values({{"id", 1}, {"name", "ed"}})
//       .on_conflict_do_update({.index_elements = {"id"},
//                               .set = {{"name", excluded(users).c["name"]}}});
//
// Values are bound parameters named by the column key (`INSERT INTO users (name) VALUES
// (:name)`); a multi-row VALUES names them `<key>_m<row>`.  Without values(), an INSERT's
// columns are the keys of the first parameter set given at execution (all columns when
// compiled on its own); an UPDATE's SET likewise.  A column with a client-side `default_`
// that gets no value is added with its default (a callable default is evaluated per row at
// execution); an UPDATE adds the columns with an `onupdate` it does not set.
//
// UPDATE and DELETE whose WHERE (or SET values) use other tables render those tables as
// `UPDATE t SET … FROM other WHERE …` / `DELETE FROM t USING other WHERE …` on dialects that
// have them (CompileError elsewhere, e.g. DELETE on SQLite).
//
// Immutable and generative, like Select; builders throw ArgumentError for bad input
// (unknown column keys, an upsert without a target, …).
#ifndef RETORT_SQL_DML_HPP
#define RETORT_SQL_DML_HPP

#include <retort/sql/elements.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>
#include <retort/value.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace retort {

/// Values given as SQL expressions, by column key, in order:
/// `{{"score", users.c["score"] + 1}, {"name", literal("x")}}`.
using Assignments = std::vector<std::pair<std::string, ColumnElement>>;

/// The proposed row of an upsert: `excluded(users).c["name"]` renders `excluded.name` in
/// ON CONFLICT DO UPDATE (and what the dialect uses for it in ON DUPLICATE KEY UPDATE, e.g.
/// `VALUES(name)` on MySQL).  Anywhere else it raises CompileError.
FromClause excluded(const Table& table);

/// Target and action of `INSERT … ON CONFLICT … DO NOTHING` (SQLite, PostgreSQL).
struct OnConflictDoNothing {
  /// The unique index the conflict is on: column keys or expressions of the table's columns
  /// (`ON CONFLICT (a, lower(b))`, rendered without the table name).
  std::vector<IndexElement> index_elements;
  /// Or: the name of the constraint (`ON CONFLICT ON CONSTRAINT name`; PostgreSQL only).
  std::string constraint;
  /// A partial index's predicate (`ON CONFLICT (a) WHERE b IS NOT NULL`), rendered without
  /// table names; needs index_elements.  It cannot hold bound values (the database matches
  /// it against the index's own predicate): use literal_column(), true_(), … (CompileError).
  std::optional<ColumnElement> index_where;
};

/// `INSERT … ON CONFLICT … DO UPDATE SET … WHERE …`.  A target (index_elements or
/// constraint) is required.
struct OnConflictDoUpdate {
  std::vector<IndexElement> index_elements;
  std::string constraint;
  std::optional<ColumnElement> index_where;
  /// The SET list, by column key; values may use `excluded(table).c[…]` and the table's own
  /// columns (the existing row).  Must not be empty.
  Assignments set;
  /// Only update rows for which this holds.
  std::optional<ColumnElement> where;
};

class Insert : public Executable {
 public:
  explicit Insert(const Table& table);
  /// Fixed values by column key (added to earlier ones).  ArgumentError for an unknown key.
  Insert values(const Params& values) const;
  /// Values as SQL expressions, by column key (added to earlier ones).
  Insert values(const Assignments& values) const;
  /// A multi-row VALUES: `INSERT INTO t (a, b) VALUES (:a_m0, :b_m0), (:a_m1, :b_m1)`.  The
  /// columns are the keys of the first row and the columns with a client-side default; every
  /// row must give the first row's keys, except that a column with a default may be left out
  /// (it gets its default).  ArgumentError for an empty list, an unknown key, a row with
  /// other keys, or combining with other values() / from_select().
  Insert values(const std::vector<Params>& rows) const;
  /// One row of a multi-row VALUES mixing values (bound as above) and SQL expressions.
  using ValuesRow = std::vector<std::pair<std::string, Operand>>;
  /// A multi-row VALUES as values(rows) above, whose rows may hold SQL expressions:
  /// `values_rows({{{"id", 1}, {"name", func::lower(literal("A"))}}, {{"id", 2}, {"name",
  /// "b"}}})`.  (Another name than values(): a braced list would be ambiguous with a Params.)
  Insert values_rows(const std::vector<ValuesRow>& rows) const;
  /// `INSERT INTO t (columns…) SELECT …`; `columns` are column keys matching the select
  /// list.  ArgumentError for an unknown key or combining with values().
  Insert from_select(const std::vector<std::string>& columns, const Select& select) const;
  /// `RETURNING items…` (columns, expressions, or a whole Table).  CompileError on a dialect
  /// without RETURNING.  The rows come back from `conn.execute(…)`; executed with several
  /// parameter sets, the rows are returned in the order of the sets (see Connection::execute).
  Insert returning(std::vector<ColumnElement> items) const;
  /// Renders `cte` in the statement's WITH clause even when nothing refers to it
  /// (SQLAlchemy's `add_cte`).
  Insert add_cte(const CTE& cte) const;
  template <typename... Items>
  Insert returning(const Items&... items) const {
    return returning(returning_items(items...));
  }
  /// `ON CONFLICT [target] DO NOTHING`.  ArgumentError for an unknown column key, or both a
  /// constraint and index elements.
  Insert on_conflict_do_nothing(const OnConflictDoNothing& spec = {}) const;
  /// `ON CONFLICT target DO UPDATE SET … [WHERE …]`.  ArgumentError without a target, with
  /// an empty SET, or for an unknown column key.
  Insert on_conflict_do_update(const OnConflictDoUpdate& spec) const;
  /// MySQL/MariaDB `ON DUPLICATE KEY UPDATE a = …`; values may use `excluded(table).c[…]`
  /// for the proposed row.  CompileError on dialects that do not render it.
  Insert on_duplicate_key_update(const Assignments& set) const;

 private:
  explicit Insert(std::shared_ptr<const detail::Node> node) : Executable(std::move(node)) {}
  template <typename... Items>
  static std::vector<ColumnElement> returning_items(const Items&... items) {
    std::vector<ColumnElement> out;
    (append_returning(out, items), ...);
    return out;
  }
  static void append_returning(std::vector<ColumnElement>& out, const ColumnElement& e) {
    out.push_back(e);
  }
  static void append_returning(std::vector<ColumnElement>& out, const FromClause& f) {
    for (auto& c : f.c.all()) out.push_back(std::move(c));
  }
  friend class Update;
  friend class Delete;
};

class Update : public Executable {
 public:
  explicit Update(const Table& table);
  /// Fixed values by column key (added to earlier ones).
  Update values(const Params& values) const;
  /// Values as SQL expressions: `update(t).values({{"n", t.c["n"] + 1}})`.
  Update values(const Assignments& values) const;
  /// WHERE; several calls are joined with AND.  Columns of other tables make it a
  /// multi-table UPDATE (`UPDATE t SET … FROM other WHERE …`).
  Update where(const ColumnElement& condition) const;
  /// `RETURNING items…`; see Insert::returning.
  Update returning(std::vector<ColumnElement> items) const;
  /// Renders `cte` in the statement's WITH clause even when nothing refers to it
  /// (SQLAlchemy's `add_cte`).
  Update add_cte(const CTE& cte) const;
  template <typename... Items>
  Update returning(const Items&... items) const {
    return returning(Insert::returning_items(items...));
  }

 private:
  explicit Update(std::shared_ptr<const detail::Node> node) : Executable(std::move(node)) {}
};

class Delete : public Executable {
 public:
  explicit Delete(const Table& table);
  /// WHERE; several calls are joined with AND.  Columns of other tables make it a
  /// multi-table DELETE (`DELETE FROM t USING other WHERE …`).
  Delete where(const ColumnElement& condition) const;
  /// `RETURNING items…`; see Insert::returning.
  Delete returning(std::vector<ColumnElement> items) const;
  /// Renders `cte` in the statement's WITH clause even when nothing refers to it
  /// (SQLAlchemy's `add_cte`).
  Delete add_cte(const CTE& cte) const;
  template <typename... Items>
  Delete returning(const Items&... items) const {
    return returning(Insert::returning_items(items...));
  }

 private:
  explicit Delete(std::shared_ptr<const detail::Node> node) : Executable(std::move(node)) {}
};

inline Insert insert(const Table& table) {
  return Insert(table);
}
inline Update update(const Table& table) {
  return Update(table);
}
inline Delete delete_(const Table& table) {
  return Delete(table);
}

}  // namespace retort

#endif  // RETORT_SQL_DML_HPP
