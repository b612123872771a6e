// retort/sql/ddl.hpp — CREATE TABLE and DROP TABLE as statements.
// SPDX-License-Identifier: MIT
//
//   std::cout << CreateTable(users).compile("postgresql").sql;
//   // CREATE TABLE users (
//   //         id SERIAL NOT NULL,
//   //         name VARCHAR(50) NOT NULL,
//   //         PRIMARY KEY (id)
//   // )
//
// Column types, the autoincrement column and literals come from the dialect (see
// plugin_abi.h, RETORT_CONSTRUCT_*).  MetaData::create_all / drop_all use these.
#ifndef RETORT_SQL_DDL_HPP
#define RETORT_SQL_DDL_HPP

#include <retort/sql/elements.hpp>
#include <retort/sql/schema.hpp>

namespace retort {

/// `CREATE TABLE [IF NOT EXISTS] name (columns, constraints)`.  Compiling throws
/// ArgumentError when a foreign key names an unknown table or column of the MetaData, and
/// CompileError when the dialect cannot render a column's type.
class CreateTable : public Executable {
 public:
  explicit CreateTable(const Table& table, bool if_not_exists = false);
};

/// `DROP TABLE [IF EXISTS] name`.
class DropTable : public Executable {
 public:
  explicit DropTable(const Table& table, bool if_exists = false);
};

}  // namespace retort

#endif  // RETORT_SQL_DDL_HPP
