// retort/sql/dml.hpp — INSERT, UPDATE, DELETE (SQLAlchemy's `insert()`, `update()`,
// `delete()`; `delete` is a C++ keyword, hence `delete_`).
// SPDX-License-Identifier: MIT
//
//   conn.execute(insert(users).values({{"name", "ed"}}));
//   conn.execute(insert(users), {{{"name", "a"}}, {{"name", "b"}}});     // executemany
//   conn.execute(update(users).where(users.c["id"] == 5).values({{"name", "x"}}));
//   conn.execute(delete_(users).where(users.c["id"] == 5));
//
// Values are bound parameters named by the column key (`INSERT INTO users (name) VALUES
// (:name)`).  Without values(), an INSERT's columns are the keys of the first parameter set
// given at execution (all columns when compiled on its own); an UPDATE's SET likewise.  A
// column with a client-side `default_` that gets no value is added with its default.
// Immutable and generative, like Select.
#ifndef RETORT_SQL_DML_HPP
#define RETORT_SQL_DML_HPP

#include <retort/sql/elements.hpp>
#include <retort/sql/schema.hpp>
#include <retort/value.hpp>

namespace retort {

class Insert : public Executable {
 public:
  explicit Insert(const Table& table);
  /// Fixed values by column key (added to earlier ones).  ArgumentError for an unknown key.
  Insert values(const Params& values) const;

 private:
  explicit Insert(std::shared_ptr<const detail::Node> node) : Executable(std::move(node)) {}
};

class Update : public Executable {
 public:
  explicit Update(const Table& table);
  Update values(const Params& values) const;
  /// WHERE; several calls are joined with AND.
  Update where(const ColumnElement& condition) const;

 private:
  explicit Update(std::shared_ptr<const detail::Node> node) : Executable(std::move(node)) {}
};

class Delete : public Executable {
 public:
  explicit Delete(const Table& table);
  Delete where(const ColumnElement& condition) const;

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
