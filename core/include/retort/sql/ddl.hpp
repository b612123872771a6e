// retort/sql/ddl.hpp — DDL statements: tables, indexes, sequences, comments, ENUM types.
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

/// `CREATE TABLE [IF NOT EXISTS] name (columns, constraints)`.  Foreign keys with `use_alter`
/// are left out on dialects that can add them with ALTER TABLE (create_all adds them).
/// Compiling throws ArgumentError when a foreign key names an unknown table or column of the
/// MetaData or a naming convention cannot be applied, and CompileError when the dialect
/// cannot render a column's type or a constraint name is too long for it.
class CreateTable : public Executable {
 public:
  explicit CreateTable(const Table& table, bool if_not_exists = false);
};

/// `DROP TABLE [IF EXISTS] name`.
class DropTable : public Executable {
 public:
  explicit DropTable(const Table& table, bool if_exists = false);
};

/// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (elements)`; expressions are rendered
/// without table qualification.  Throws ArgumentError when the index belongs to no table (or
/// the table is gone), CompileError for an unnamed index without an "ix" convention or an
/// expression holding a bound parameter (use literal_column()).
class CreateIndex : public Executable {
 public:
  explicit CreateIndex(const Index& index, bool if_not_exists = false);
};

/// `DROP INDEX [IF EXISTS] [schema.]name`.
class DropIndex : public Executable {
 public:
  explicit DropIndex(const Index& index, bool if_exists = false);
};

/// `CREATE SEQUENCE [IF NOT EXISTS] name [INCREMENT BY n] [START WITH n] [MINVALUE n]
/// [MAXVALUE n] [CACHE n] [CYCLE | NO CYCLE]`.  CompileError on dialects without sequences.
class CreateSequence : public Executable {
 public:
  explicit CreateSequence(const Sequence& sequence, bool if_not_exists = false);
};

/// `DROP SEQUENCE [IF EXISTS] name`.  CompileError on dialects without sequences.
class DropSequence : public Executable {
 public:
  explicit DropSequence(const Sequence& sequence, bool if_exists = false);
};

/// `COMMENT ON TABLE t IS '…'` (`IS NULL` when the table has no comment).  CompileError on
/// dialects without RETORT_CAP_COMMENTS.
class SetTableComment : public Executable {
 public:
  explicit SetTableComment(const Table& table);
};

/// `COMMENT ON COLUMN t.c IS '…'` for the column whose key is `column_key`.  Throws
/// ArgumentError for an unknown key; CompileError as SetTableComment.
class SetColumnComment : public Executable {
 public:
  SetColumnComment(const Table& table, const std::string& column_key);
};

/// PostgreSQL's `CREATE TYPE name AS ENUM ('a', 'b')` for a named Enum type.  With
/// `if_not_exists`, an existing type is kept (PostgreSQL: a DO block ignoring
/// duplicate_object).  Throws ArgumentError for a type that is not a named Enum;
/// CompileError on dialects without RETORT_CAP_ENUM_TYPES.
class CreateEnumType : public Executable {
 public:
  explicit CreateEnumType(const Type& enum_type, bool if_not_exists = false);
};

/// `DROP TYPE [IF EXISTS] name`; errors as CreateEnumType.
class DropEnumType : public Executable {
 public:
  explicit DropEnumType(const Type& enum_type, bool if_exists = false);
};

}  // namespace retort

#endif  // RETORT_SQL_DDL_HPP
