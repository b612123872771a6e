/* retort/plugin_abi.h — the whole contract between Retort and its plugins.
 * SPDX-License-Identifier: MIT
 *
 * This header is pure C99 and includes nothing but <stddef.h> and <stdint.h>.  A plugin is a
 * shared library that implements one or more of three *kinds*:
 *
 *   - dialect: an SQL flavour (paramstyle, quoting, reserved words, capabilities; render hooks
 *     for the compiler are appended in later minors);
 *   - driver:  connectivity (connect, prepare, bind, execute, fetch, transactions, savepoints,
 *     cancel, server version);
 *   - type:    extra SQL types (name, DDL per dialect).
 *
 * A library may provide any number of each kind: the mysql/mariadb plugin ships two dialects
 * and one driver; an ODBC plugin ships one driver serving every dialect.
 *
 * Versioning
 * ----------
 *   - The ABI major is part of the entry symbol: `retort_plugin_init_v1`.  A new major gets a
 *     new symbol and a new plugin directory (`<libdir>/retort/2/plugins`).
 *   - Minors only ever *append* fields to the end of structs.  Every struct that can grow
 *     starts with `uint32_t struct_size`, set by whoever fills it.  A reader never touches a
 *     field that lies beyond `struct_size` (use RETORT_HAS_FIELD); a field that is present but
 *     NULL means "not implemented".
 *   - Negotiation: the host passes its ABI version and the capacity of the `retort_plugin`
 *     it allocated.  The plugin refuses a different major, writes at most `out_capacity`
 *     bytes, and sets `abi_version` to min(host minor, plugin minor).
 *   - Nothing is frozen until the first release of Retort; after it, only appends.
 *
 * Metadata readable without running plugin code
 * ---------------------------------------------
 * Every plugin embeds an ELF note (section ".note.retort.plugin", owner "retort", type
 * RETORT_PLUGIN_NOTE_TYPE) holding UTF-8 `key=value` lines; see RETORT_PLUGIN_METADATA
 * below for the keys.  Discovery reads only these notes, so a plugin that is not needed is
 * never mapped, and one built for another ABI major is refused before it is loaded.  After
 * loading, the host checks that the names the entry reports match the note.
 *
 * Ownership and lifetime
 * ----------------------
 *   1. Whoever allocates, frees.  Objects the plugin allocates carry their own release
 *      function (`retort_error.release`, `retort_plugin.release`, `*_release` slots); the
 *      host never calls free() on plugin memory and the plugin never frees host memory.
 *   2. Strings and buffers passed *into* a call are borrowed for that call only; a plugin
 *      copies what it keeps.
 *   3. Strings and tables the plugin returns as `const` (names, vtables, reserved words) live
 *      as long as the library stays loaded.  The host never unloads a library while anything
 *      it made is alive (in practice: never, in production).
 *   4. A result batch filled by `fetch` belongs to the host from then on: it stays valid,
 *      even after the statement is released, until the host calls `batch->release(batch)`.
 *      A parameter batch the host passes in is borrowed for the call (its `release` is NULL).
 *   5. Handles are released exactly once.
 *
 * Threading
 * ---------
 *   - The entry and `retort_plugin.release` are called once each, under the host's loader
 *     lock.
 *   - Dialect data, type definitions and `retort_driver.connect` must be thread-safe.
 *   - A connection, and every statement made from it, is used by one thread at a time; the
 *     host serialises access.  The only exception is `retort_driver.cancel`, which may be
 *     called from any thread while another thread is inside a call on the same connection.
 *   - Host callbacks (`retort_host_api.log`) may be called from any thread.
 *
 * Errors
 * ------
 * Every fallible call returns a `retort_status` and takes a `retort_error*` that the host
 * zero-initialises (and sets `struct_size` on).  On failure the plugin fills it; message and
 * details are plugin-owned and freed by calling `error->release(error)` once.  No C++
 * exception, RTTI or standard-library object ever crosses this boundary.
 */
#ifndef RETORT_PLUGIN_ABI_H
#define RETORT_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Versions and names                                                                          */
/* ------------------------------------------------------------------------------------------ */

/** The ABI major version; part of the entry symbol's name. */
#define RETORT_ABI_MAJOR 1
/** The ABI minor version of this header; grows with every append. */
#define RETORT_ABI_MINOR 0

/** Packs a version: major in the high 16 bits, minor in the low 16 bits. */
#define RETORT_ABI_VERSION(major, minor) \
  ((uint32_t)((((uint32_t)(major)) << 16) | ((uint32_t)(minor) & 0xFFFFu)))
#define RETORT_ABI_VERSION_MAJOR(v) ((uint32_t)(v) >> 16)
#define RETORT_ABI_VERSION_MINOR(v) ((uint32_t)(v) & 0xFFFFu)
/** The version this header describes. */
#define RETORT_ABI_VERSION_CURRENT RETORT_ABI_VERSION(RETORT_ABI_MAJOR, RETORT_ABI_MINOR)

/** The one exported symbol of an ABI-1 plugin (a `retort_plugin_init_fn`). */
#define RETORT_PLUGIN_ENTRY_V1 "retort_plugin_init_v1"

/** Where the metadata lives: an ELF note with this section name, owner and type. */
#define RETORT_PLUGIN_NOTE_SECTION ".note.retort.plugin"
#define RETORT_PLUGIN_NOTE_OWNER "retort"
#define RETORT_PLUGIN_NOTE_TYPE 0x72740001u /* "rt" + 0001 */

/**
 * True when `ptr` (a struct pointer) is non-NULL, its `struct_size` covers `field`, and the
 * field itself is non-zero.  Use it before reading any field added after ABI 1.0, and for
 * optional function slots.  `type` is the struct's type name.
 */
#define RETORT_HAS_FIELD(ptr, type, field)                                   \
  ((ptr) != NULL &&                                                          \
   (ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field) && \
   (ptr)->field)

/* ------------------------------------------------------------------------------------------ */
/* Status and errors                                                                           */
/* ------------------------------------------------------------------------------------------ */

/**
 * Result of every fallible call.  The host maps it, refined by SQLSTATE, to its exception
 * classes (shown after each code).  Append only.
 */
typedef int32_t retort_status;
enum {
  RETORT_OK = 0,
  /** The slot or feature is not implemented; the host uses its default.  NotSupportedError
   *  when there is no default. */
  RETORT_NOT_IMPLEMENTED = 1,
  /** Something the connection needs does not exist: a database file, a DSN, a database.
   *  OperationalError, as Python's DBAPI drivers report it.  (An unknown table or column in
   *  SQL is RETORT_SYNTAX.) */
  RETORT_NOT_FOUND = 2,
  /** The caller passed something wrong (an unknown option, a bad value).  InterfaceError. */
  RETORT_INVALID_ARGUMENT = 3,
  /** The call is not allowed now (no transaction to commit, statement not executed).
   *  InterfaceError. */
  RETORT_INVALID_STATE = 4,
  /** A value cannot be converted or stored (overflow, bad date, bad encoding).  DataError. */
  RETORT_INVALID_DATA = 5,
  /** A constraint was violated.  IntegrityError. */
  RETORT_INTEGRITY = 6,
  /** The database or the plugin failed internally.  InternalError. */
  RETORT_INTERNAL = 7,
  /** An I/O or operational failure (disk, locked database, out of memory).
   *  OperationalError. */
  RETORT_IO = 8,
  /** The statement was cancelled.  OperationalError. */
  RETORT_CANCELLED = 9,
  /** A timeout (busy timeout, lock wait, connect timeout).  OperationalError. */
  RETORT_TIMEOUT = 10,
  /** Authentication failed.  OperationalError. */
  RETORT_UNAUTHENTICATED = 11,
  /** Permission denied.  ProgrammingError. */
  RETORT_UNAUTHORIZED = 12,
  /** The connection is gone; the host invalidates it.  OperationalError, disconnect. */
  RETORT_DISCONNECTED = 13,
  /** The SQL is wrong (syntax error, unknown table or column).  ProgrammingError. */
  RETORT_SYNTAX = 14,
  /** The transaction was rolled back by the server (serialization failure, deadlock).
   *  OperationalError. */
  RETORT_TRANSACTION_ROLLBACK = 15
};

/** One key/value detail of an error (e.g. "constraint_name" → "users_pkey"). */
typedef struct retort_error_detail {
  const char* key;
  const char* value;
} retort_error_detail;

/**
 * An error, as a value.  The host zero-initialises it and sets `struct_size`; the plugin
 * fills it on failure.  Everything it points to belongs to the plugin until `release`.
 */
typedef struct retort_error {
  uint32_t struct_size;
  /** The status also returned by the call. */
  retort_status status;
  /** The database's native error code (SQLite extended result code, MariaDB errno, …);
   *  0 when there is none. */
  int32_t vendor_code;
  /** Five-character SQLSTATE plus NUL; all zero when unknown. */
  char sqlstate[6];
  /** Human-readable message, UTF-8, never NULL once filled.  It must not contain a
   *  password. */
  char* message;
  /** Optional details, `detail_count` entries. */
  const retort_error_detail* details;
  size_t detail_count;
  /** Plugin-private. */
  void* private_data;
  /** Frees `message`, `details` and `private_data`, then sets `release` to NULL.  NULL when
   *  there is nothing to free. */
  void (*release)(struct retort_error* error);
} retort_error;

/* ------------------------------------------------------------------------------------------ */
/* Values and batches                                                                          */
/* ------------------------------------------------------------------------------------------ */

/**
 * Value types carried in batches.  Each has one fixed memory layout, so a column is decoded
 * without any call per cell.  Append only.
 */
typedef enum retort_value_type {
  /** Every value is NULL; no buffers. */
  RETORT_TYPE_NULL = 0,
  /** `uint8_t values[]`: 0 or 1. */
  RETORT_TYPE_BOOL = 1,
  /** `int64_t values[]`. */
  RETORT_TYPE_INT64 = 2,
  /** `double values[]`. */
  RETORT_TYPE_DOUBLE = 3,
  /** UTF-8 text: `offsets[]` + `data`. */
  RETORT_TYPE_TEXT = 4,
  /** Bytes: `offsets[]` + `data`. */
  RETORT_TYPE_BYTES = 5,
  /** An exact decimal number as text (`-123.4500`, `NaN`, `Infinity`): `offsets[]` + `data`.
   *  Exact values never pass through binary floating point. */
  RETORT_TYPE_DECIMAL = 6,
  /** `int32_t values[]`: days since 1970-01-01 (proleptic Gregorian). */
  RETORT_TYPE_DATE = 7,
  /** `int64_t values[]`: microseconds since midnight. */
  RETORT_TYPE_TIME = 8,
  /** `int64_t values[]`: microseconds since 1970-01-01 00:00, wall clock, no time zone. */
  RETORT_TYPE_TIMESTAMP = 9,
  /** `int64_t values[]`: microseconds since the Unix epoch, UTC. */
  RETORT_TYPE_TIMESTAMPTZ = 10,
  /** `retort_interval values[]`. */
  RETORT_TYPE_INTERVAL = 11,
  /** `uint8_t values[16 * n]`: RFC 4122 byte order. */
  RETORT_TYPE_UUID = 12,
  /** JSON document as UTF-8 text: `offsets[]` + `data`. */
  RETORT_TYPE_JSON = 13
} retort_value_type;

/** An interval, as PostgreSQL keeps it: months, days and microseconds do not convert into
 *  each other. */
typedef struct retort_interval {
  int32_t months;
  int32_t days;
  int64_t microseconds;
} retort_interval;

/**
 * `retort_column.flags` of a parameter column: hints from the host about the SQL type the
 * statement declared for the parameter.  A driver may ignore any of them; unknown bits are
 * ignored; result columns carry 0.  Append only.
 *
 * RETORT_COLUMN_DECLARED_INT32 / _INT16 (on a RETORT_TYPE_INT64 column): the parameter's SQL
 * type is INTEGER / SMALLINT (the host's `Integer` / `SmallInteger`), so a server that types
 * parameters (PostgreSQL) should send it as int4 / int2 — `substr(text, int, int)` has no
 * bigint overload.  The values are not range-checked by the host: a driver that honours the
 * hint must fall back to its 64-bit type when a value does not fit.
 */
#define RETORT_COLUMN_DECLARED_INT32 (1u << 0)
#define RETORT_COLUMN_DECLARED_INT16 (1u << 1)

/**
 * One column of a batch: `row_count` values of one `retort_value_type`.
 *
 * Fixed-width types use `values`; TEXT, BYTES, DECIMAL and JSON use `offsets` (row_count + 1
 * entries, value i is `data[offsets[i] .. offsets[i+1])`).  `nulls`, when not NULL, holds one
 * byte per row, non-zero meaning NULL; the value slot of a NULL row is ignored.  The layout
 * of this struct is fixed for ABI 1; new information goes into `retort_batch`.
 */
typedef struct retort_column {
  uint32_t type; /* retort_value_type */
  uint32_t flags; /* RETORT_COLUMN_* hints; 0 when none */
  const uint8_t* nulls;
  const void* values;
  const int64_t* offsets;
  const char* data;
} retort_column;

/**
 * A batch of rows in columns.  Used both ways: the host passes parameters as a batch (one
 * row per parameter set, one column per parameter, in placeholder order) and the driver
 * returns result rows as batches.  The column types of one result may change from batch to
 * batch (SQLite is dynamically typed); a driver starts a new batch when they do.
 */
typedef struct retort_batch {
  uint32_t struct_size;
  int32_t column_count;
  int64_t row_count;
  /** `column_count` columns. */
  const retort_column* columns;
  /** Producer-private. */
  void* private_data;
  /** Frees the batch's buffers; called once by the consumer.  NULL for a borrowed batch. */
  void (*release)(struct retort_batch* batch);
} retort_batch;

/* ------------------------------------------------------------------------------------------ */
/* Host services                                                                               */
/* ------------------------------------------------------------------------------------------ */

/** Log levels for `retort_host_api.log`. */
enum {
  RETORT_LOG_DEBUG = 10,
  RETORT_LOG_INFO = 20,
  RETORT_LOG_WARNING = 30,
  RETORT_LOG_ERROR = 40
};

/** Services the host offers to plugins.  Owned by the host; lives as long as the plugin. */
typedef struct retort_host_api {
  uint32_t struct_size;
  /** The host's ABI version. */
  uint32_t abi_version;
  void* host_ctx;
  /** Logs a message (server notices, warnings).  Thread-safe.  Must not contain a
   *  password. */
  void (*log)(void* host_ctx, int32_t level, const char* plugin, const char* message);
} retort_host_api;

/* ------------------------------------------------------------------------------------------ */
/* Dialect                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/** How bound parameters are written in SQL text. */
enum {
  /** `?` */
  RETORT_PARAMSTYLE_QMARK = 1,
  /** `:1`, `:2` */
  RETORT_PARAMSTYLE_NUMERIC = 2,
  /** `$1`, `$2` */
  RETORT_PARAMSTYLE_DOLLAR = 3,
  /** `%s` */
  RETORT_PARAMSTYLE_FORMAT = 4
};

/** Dialect capability bits (`retort_dialect.capabilities`).  Append only. */
#define RETORT_CAP_SAVEPOINTS (1ull << 0)
#define RETORT_CAP_TRANSACTIONAL_DDL (1ull << 1)
#define RETORT_CAP_NATIVE_BOOLEAN (1ull << 2)
#define RETORT_CAP_RETURNING (1ull << 3)
#define RETORT_CAP_MULTIROW_INSERT (1ull << 4)
#define RETORT_CAP_SEQUENCES (1ull << 5)
/** WITH (common table expressions, WITH RECURSIVE); without it the core raises CompileError
 *  for a statement that references a CTE. */
#define RETORT_CAP_CTE (1ull << 6)
#define RETORT_CAP_WINDOW_FUNCTIONS (1ull << 7)
#define RETORT_CAP_NATIVE_DECIMAL (1ull << 8)
#define RETORT_CAP_NATIVE_UUID (1ull << 9)
/** The dialect's ENUM type enforces its values itself: an inline `ENUM('a','b')` (MySQL) or a
 *  named type made with CREATE TYPE (PostgreSQL).  The core then adds no CHECK constraint for
 *  an Enum column; without this bit an Enum is a string checked by a table-level CHECK. */
#define RETORT_CAP_NATIVE_ENUM (1ull << 10)
/** `ALTER TABLE … ADD CONSTRAINT` / `DROP CONSTRAINT` (SQLAlchemy's supports_alter): foreign
 *  keys with use_alter, and those in a cycle of tables, are added after CREATE TABLE and
 *  dropped before DROP TABLE.  Without it they stay inline in CREATE TABLE (SQLite). */
#define RETORT_CAP_ALTER_CONSTRAINTS (1ull << 11)
/** Table and column comments as `COMMENT ON TABLE|COLUMN … IS '…'` statements after CREATE
 *  TABLE (PostgreSQL).  A dialect with inline comments (MySQL) leaves this out and renders
 *  RETORT_CONSTRUCT_INLINE_COMMENT instead. */
#define RETORT_CAP_COMMENTS (1ull << 12)
/** Named enumerated types created with `CREATE TYPE name AS ENUM (…)` before the tables
 *  using them and dropped after (PostgreSQL).  Set together with RETORT_CAP_NATIVE_ENUM,
 *  which alone means: Enum columns have a native type (rendered by RETORT_CONSTRUCT_TYPE)
 *  and get no CHECK constraint. */
#define RETORT_CAP_ENUM_TYPES (1ull << 13)
/** `UPDATE t SET … FROM other WHERE …` (RETORT_CONSTRUCT_MULTI_TABLE_UPDATE's default). */
#define RETORT_CAP_UPDATE_FROM (1ull << 14)
/** `DELETE FROM t USING other WHERE …` (RETORT_CONSTRUCT_MULTI_TABLE_DELETE's default). */
#define RETORT_CAP_DELETE_USING (1ull << 15)
/** `INSERT … ON CONFLICT … DO NOTHING / DO UPDATE` (RETORT_CONSTRUCT_ON_CONFLICT's default). */
#define RETORT_CAP_INSERT_ON_CONFLICT (1ull << 16)
/** The dialect has an INTERVAL type holding months, days and microseconds apart.  Without
 *  it the core binds an Interval as the TIMESTAMP that far after 1970-01-01 (SQLAlchemy's
 *  non-native Interval; months refused) and reads such timestamps back as days + time. */
#define RETORT_CAP_NATIVE_INTERVAL (1ull << 17)
/** Window frames take an EXCLUDE clause (`ROWS BETWEEN … EXCLUDE CURRENT ROW`: SQL:2011,
 *  PostgreSQL 11+, SQLite 3.28+).  Without it the core raises CompileError for one. */
#define RETORT_CAP_WINDOW_FRAME_EXCLUDE (1ull << 18)
/** Partial indexes: `CREATE INDEX … WHERE <predicate>` (PostgreSQL, SQLite 3.8+).  The core
 *  appends ` WHERE <IndexOptions::where>` after the index (after a CREATE_INDEX render hook's
 *  output too); without the bit an Index with a predicate raises CompileError naming it. */
#define RETORT_CAP_PARTIAL_INDEXES (1ull << 19)
/* Bits 20-25 are free; 26-28 describe transactions. */
/** Transactions can be READ ONLY (`retort_transaction_options.read_only`; SQLAlchemy's
 *  `postgresql_readonly`).  Without it the host refuses that option with NotSupportedError. */
#define RETORT_CAP_READ_ONLY_TRANSACTIONS (1ull << 26)
/** Transactions can be DEFERRABLE (`retort_transaction_options.deferrable`; PostgreSQL's
 *  SERIALIZABLE READ ONLY DEFERRABLE).  Without it the host refuses that option. */
#define RETORT_CAP_DEFERRABLE_TRANSACTIONS (1ull << 27)
/** Identity columns: the core renders a column with an `Identity` option as
 *  `<type> GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY[ (START WITH n INCREMENT BY m)]` (SQL
 *  standard; PostgreSQL 10+).  Without it Identity is ignored, as SQLAlchemy does: the column
 *  is an ordinary one, or the autoincrement column (SQLite's INTEGER PRIMARY KEY, MySQL's
 *  AUTO_INCREMENT) when it is the table's single integer primary key. */
#define RETORT_CAP_IDENTITY_COLUMNS (1ull << 28)
/** A CHECK in a column definition may be named: `x INTEGER CONSTRAINT ck_x CHECK (x > 0)`
 *  (SQL standard; PostgreSQL, SQLite, MySQL 8).  Without it the core writes a named
 *  column-level check (an explicit name, or one from a naming convention) among the table's
 *  constraints instead, where every database accepts a name (MariaDB refuses it inline). */
#define RETORT_CAP_NAMED_COLUMN_CHECKS (1ull << 29)

/* Declared here so that `render` and `reflect` below name these file-scope types: in C, a
 * struct first named inside a parameter list is a different, prototype-scoped type. */
struct retort_render_api;
struct retort_render_ctx;
struct retort_reflect_api;
struct retort_reflect_ctx;

/**
 * An SQL flavour.  Mostly data; a dialect states only what differs, and the core compiler
 * does the rest.  Static and immutable: it lives as long as the library.
 */
typedef struct retort_dialect {
  uint32_t struct_size;
  /** The dialect name, as in the URL scheme (`sqlite`, `postgresql`). */
  const char* name;
  /** The driver used when the URL names none (`sqlite3`, `libpq`). */
  const char* default_driver;
  /** RETORT_PARAMSTYLE_* */
  uint32_t paramstyle;
  /** Maximum identifier length in bytes; 0 for no limit. */
  int32_t max_identifier_length;
  /** Identifier quote characters (`"` and `"`, or `` ` `` and `` ` ``). */
  const char* quote_open;
  const char* quote_close;
  /** RETORT_CAP_* bits. */
  uint64_t capabilities;
  /** Reserved words that must be quoted, lower case, NULL-terminated. */
  const char* const* reserved_words;
  /** Largest number of bound parameters in one statement; 0 for no limit. */
  int32_t max_parameters;

  /* ---- Appended for the SQL compiler (issue 3).  Read with RETORT_HAS_FIELD. ---- */

  /** How `true_()` / `false_()` are spelled: RETORT_BOOLEAN_LITERALS_*.  0 (or absent) means
   *  RETORT_BOOLEAN_LITERALS_AUTO. */
  uint32_t boolean_literals;
  /**
   * Optional.  Renders one construct the dialect spells differently from the core's default.
   * `construct` is a RETORT_CONSTRUCT_* value; the construct's attributes and children are
   * read through `api` (see retort_render_api), and the rendering is written with
   * `api->emit*`.  Returns:
   *   - RETORT_OK: the construct was rendered;
   *   - RETORT_NOT_IMPLEMENTED: the hook emitted nothing and the core renders its default
   *     (also for a construct value the dialect does not know: the enum only grows);
   *   - any other status, with `error` filled: the dialect cannot express the construct; the
   *     host raises CompileError naming the construct, the dialect and the message.
   * A hook must not emit anything before returning RETORT_NOT_IMPLEMENTED or an error.
   * Called from any thread (it must keep no state of its own); `api` and `ctx` are borrowed
   * for the call.
   */
  retort_status (*render)(const struct retort_render_api* api, struct retort_render_ctx* ctx,
                          uint32_t construct, retort_error* error);

  /* ---- Appended for reflection (issue 8).  Read with RETORT_HAS_FIELD. ---- */

  /**
   * Optional.  Reflection: reports what the database holds (`what`, one of RETORT_REFLECT_*)
   * for table or view `name` in `schema`, in the fixed row layout documented with each
   * RETORT_REFLECT_* value.  The hook reads the catalog only through `api->query`, which the
   * host runs over the engine's connection whatever the driver (libpq, ODBC, …), and reports
   * rows with `api->emit` (any number of batches, in order).  `schema` is NULL for the
   * connection's default schema; `name` is NULL for the kinds that list objects of a schema
   * (then every object), and for the per-table kinds always names one table or view.
   * Returns:
   *   - RETORT_OK: everything was emitted (zero rows is a valid answer: a table without
   *     indexes, or a table that does not exist; the host tells those apart itself);
   *   - RETORT_NOT_IMPLEMENTED, emitting nothing: the database has no such thing (sequences
   *     on SQLite) or the dialect does not reflect it; the host answers with an empty list;
   *   - any other status: a failure.  When it came from `api->query` or `api->emit`, return
   *     that status with `error` exactly as the host filled it; otherwise fill `error`.
   * Runs on the thread that owns the connection; keeps no state between calls (the host
   * caches).  `api` and `ctx` are borrowed for the call.  NULL: the dialect cannot reflect;
   * the host raises NotSupportedError naming the dialect.
   */
  retort_status (*reflect)(const struct retort_reflect_api* api, struct retort_reflect_ctx* ctx,
                           uint32_t what, const char* schema, const char* name,
                           retort_error* error);

  /* ---- Appended for server-dependent dialects (issue 5).  Read with RETORT_HAS_FIELD. ---- */

  /** Non-zero when a backslash escapes in the dialect's string literals (MySQL and MariaDB
   *  unless sql_mode has NO_BACKSLASH_ESCAPES): the core then doubles every backslash in the
   *  string literals it writes itself (`LIKE … ESCAPE '\\'`, DDL defaults and comments).
   *  0 (or absent): only quotes are doubled, as in standard SQL. */
  uint32_t backslash_escapes;
  /**
   * Optional.  The capabilities the dialect has on a server of version `server_version` (the
   * text the driver's `server_version` slot reports: `10.11.6-MariaDB-0+deb12u1`, `8.0.36`,
   * `15.4`), given `capabilities` (the field above).  The host calls it once per engine,
   * when the engine's first connection reports its server version, and from then on
   * compiles for that engine with the returned bits (and with `server_version` below set):
   * the MariaDB dialect drops RETORT_CAP_RETURNING before 10.5 and RETORT_CAP_SEQUENCES
   * before 10.3.  Statements compiled before that are not reused afterwards (the host's
   * compiled-statement cache keys on the dialect it compiled for).  NULL: the capabilities
   * do not depend on the server.  Called from any thread; must keep no state.
   */
  uint64_t (*capabilities_for)(const char* server_version, uint64_t capabilities);
  /**
   * The server version the render hook renders for, NUL-terminated, or NULL when unknown.
   * A plugin's own (static) dialect leaves it NULL — or names the oldest server it assumes.
   * The host sets it in the copy of the dialect an engine compiles with once it knows the
   * server (see `capabilities_for`; the driver must implement `server_version`); owned by
   * whoever filled the struct and valid as long as the struct.  Hooks read it through
   * `retort_render_api.server_version`.
   */
  const char* server_version;

  /* ---- Appended for isolation levels (issues 4 and 7).  Read with RETORT_HAS_FIELD. ---- */

  /**
   * The isolation levels the dialect's databases accept, upper case with single spaces
   * (`READ COMMITTED`, `SERIALIZABLE`), NULL-terminated; include `AUTOCOMMIT` when the
   * driver's autocommit mode (no BEGIN, each statement commits itself) is offered, which the
   * host implements by never calling `begin`.  The host refuses any other level with
   * ArgumentError listing these (SQLAlchemy's get_isolation_level_values), and passes the
   * others to `retort_driver.begin_ex`.  NULL (or absent): only AUTOCOMMIT is offered.
   */
  const char* const* isolation_levels;
} retort_dialect;

/** `retort_dialect.boolean_literals`.  Append only. */
enum {
  /** `true`/`false` when the dialect has RETORT_CAP_NATIVE_BOOLEAN, otherwise 1/0. */
  RETORT_BOOLEAN_LITERALS_AUTO = 0,
  /** The keywords `true` and `false`. */
  RETORT_BOOLEAN_LITERALS_KEYWORDS = 1,
  /** The integers 1 and 0. */
  RETORT_BOOLEAN_LITERALS_INTEGERS = 2
};

/**
 * Generic SQL types, as the `type` attribute of RETORT_CONSTRUCT_TYPE reports them.  The
 * values equal Retort's C++ `TypeKind`.  Append only.
 */
enum {
  /** No type known (an untyped NULL).  Never rendered in DDL. */
  RETORT_GENERIC_NULL = 0,
  /** 32-bit integer.  Default: INTEGER. */
  RETORT_GENERIC_INTEGER = 1,
  /** 16-bit integer.  Default: SMALLINT. */
  RETORT_GENERIC_SMALLINT = 2,
  /** 64-bit integer.  Default: BIGINT. */
  RETORT_GENERIC_BIGINT = 3,
  /** Default: BOOLEAN. */
  RETORT_GENERIC_BOOLEAN = 4,
  /** Floating point; attribute `precision` (binary digits) when given.  Default: FLOAT or
   *  FLOAT(p). */
  RETORT_GENERIC_FLOAT = 5,
  /** Double precision.  Default: DOUBLE PRECISION. */
  RETORT_GENERIC_DOUBLE = 6,
  /** Exact decimal; attributes `precision` and `scale` when given.  Default: NUMERIC,
   *  NUMERIC(p) or NUMERIC(p, s). */
  RETORT_GENERIC_NUMERIC = 7,
  /** Variable-length string; attribute `length` when given.  Default: VARCHAR or
   *  VARCHAR(n). */
  RETORT_GENERIC_STRING = 8,
  /** Unbounded text.  Default: TEXT. */
  RETORT_GENERIC_TEXT = 9,
  /** Unicode string; attribute `length` when given.  Default: VARCHAR or VARCHAR(n). */
  RETORT_GENERIC_UNICODE = 10,
  /** Default: DATE. */
  RETORT_GENERIC_DATE = 11,
  /** Default: TIME. */
  RETORT_GENERIC_TIME = 12,
  /** Date and time; attribute `timezone` (0 or 1).  Default: TIMESTAMP or TIMESTAMP WITH
   *  TIME ZONE. */
  RETORT_GENERIC_DATETIME = 13,
  /** Default: INTERVAL. */
  RETORT_GENERIC_INTERVAL = 14,
  /** Binary data; attribute `length` when given.  Default: BLOB. */
  RETORT_GENERIC_LARGE_BINARY = 15,
  /** Default: JSON. */
  RETORT_GENERIC_JSON = 16,
  /** Default: UUID. */
  RETORT_GENERIC_UUID = 17,
  /** Enumerated strings; attribute `length` (the longest value, in characters), string
   *  attribute `name` (the type's name, possibly empty) and the values (`value_count`,
   *  `value.<i>`).  Default: VARCHAR(length), with a table-level CHECK constraint the core
   *  adds itself unless the dialect has RETORT_CAP_NATIVE_ENUM (then the hook must render
   *  the native type). */
  RETORT_GENERIC_ENUM = 18
};

/**
 * Constructs a dialect's `render` hook may be asked for.  For each: its attributes (read with
 * `int_attr` / `str_attr`), its children (rendered with `emit_child`) and the core's default
 * rendering, which the hook replaces.  Append only.
 */
enum {
  /**
   * A column type in DDL (CREATE TABLE) or as the target of a CAST (child 0 of
   * RETORT_CONSTRUCT_CAST_TYPE, with the int attribute `cast` 1).  No children.
   *   int `type`       RETORT_GENERIC_*
   *   int `cast`       1 when the type is the target of `CAST(x AS <type>)`, absent in DDL (a
   *                    dialect may spell CAST targets differently, as MySQL's SIGNED INTEGER)
   *   int `length`     string/binary length, absent when none
   *   int `precision`  numeric/float precision, absent when none
   *   int `scale`      numeric scale, absent when none
   *   int `timezone`   1 for DATETIME WITH TIME ZONE, else 0 (present for DATETIME only)
   *   str `name`       ENUM type name (ENUM only)
   *   int `value_count` the number of ENUM values (ENUM only)
   *   str `value.<i>`  ENUM value i, for i in [0, value_count) (`value.0`, `value.1`, …);
   *                    raw text: a hook that writes it as an SQL literal escapes it itself
   * Default: the spelling listed with each RETORT_GENERIC_* value.
   */
  RETORT_CONSTRUCT_TYPE = 1,
  /**
   * The LIMIT/OFFSET tail of a SELECT, rendered after ORDER BY.  Children: 0 the limit, 1 the
   * offset, each a bound parameter; an absent one has int attribute `has_limit` /
   * `has_offset` 0 and must not be emitted (emit_child of it fails).  At least one is
   * present.
   * Default: ` LIMIT <limit>` and/or ` OFFSET <offset>` (note the leading space).
   */
  RETORT_CONSTRUCT_LIMIT_OFFSET = 2,
  /**
   * The type part of the one column of a CREATE TABLE that is an autoincrementing integer
   * primary key (a single-column integer primary key, no default, no foreign key, and
   * autoincrement not turned off).  Same attributes as RETORT_CONSTRUCT_TYPE; child 0 renders
   * the column's ordinary type (RETORT_CONSTRUCT_TYPE); child 1 renders the rest of the
   * column definition as the core spells it (` DEFAULT <server default>` and ` NOT NULL`,
   * each with its leading space; possibly nothing).  A hook that needs text after those
   * (MySQL's `id INTEGER NOT NULL AUTO_INCREMENT`) emits child 1 itself and then its own
   * text; when the hook does not emit child 1, the core appends it after the hook's output.
   * The core adds the table-level PRIMARY KEY itself.
   *   int `server_default`  1 when the column has a server default, else 0
   * Default: the ordinary type (child 0), then child 1.
   */
  RETORT_CONSTRUCT_AUTOINCREMENT_COLUMN = 3,
  /**
   * The target type of a CAST: `CAST(x AS <this>)`.  Same attributes as RETORT_CONSTRUCT_TYPE;
   * child 0 renders the type as in DDL (RETORT_CONSTRUCT_TYPE).  For dialects whose CAST
   * accepts fewer spellings than their DDL (MySQL: SIGNED INTEGER, CHAR, DECIMAL, …); a type
   * with no CAST target is an error status with a message.
   * Default: the DDL type (child 0).
   */
  RETORT_CONSTRUCT_CAST_TYPE = 4,
  /**
   * The subquery an expanding IN renders for an empty list, so that `x IN (<this>)` is never
   * true and `x NOT IN (<this>)` always is (SQLAlchemy's "empty set expression").  It is part
   * of the SQL text between placeholders and must emit no bound parameter.  Attributes: those
   * of RETORT_CONSTRUCT_TYPE for the element type (`type` is RETORT_GENERIC_NULL when the list
   * is untyped).  Child 0 renders a typed NULL: `CAST(NULL AS <cast type>)` (through
   * RETORT_CONSTRUCT_CAST_TYPE), or `NULL` when untyped.
   * Default: `SELECT <child 0> WHERE 1!=1`.
   */
  RETORT_CONSTRUCT_EMPTY_SET = 5,
  /**
   * The next value of a sequence, as an expression and as a column's server default
   * (`Sequence::next_value()`, a column's `sequence` option).  Only asked of dialects with
   * RETORT_CAP_SEQUENCES (others raise CompileError).  No children.
   *   str `name`    the sequence name
   *   str `schema`  its schema (empty: none)
   * Default: `NEXT VALUE FOR [schema.]name` (SQL standard), identifiers quoted as needed.
   */
  RETORT_CONSTRUCT_NEXT_VALUE = 6,
  /**
   * A CREATE INDEX statement.  Children: 0 the index name, 1 the index name qualified with
   * the table's schema, 2 the table name, 3 the table name qualified with its schema (0/2
   * equal 1/3 for a table without schema), 4 the parenthesised element list.
   *   int `unique`         1 for CREATE UNIQUE INDEX
   *   int `if_not_exists`  1 for IF NOT EXISTS
   * Default: `CREATE [UNIQUE ]INDEX [IF NOT EXISTS ]<0> ON <3> <4>`.
   */
  RETORT_CONSTRUCT_CREATE_INDEX = 7,
  /**
   * A comment inside CREATE TABLE, for dialects that write comments inline: asked after each
   * commented column's definition and after the closing parenthesis for a table comment.
   * Child 0 renders the comment as an SQL string literal.
   *   str `comment`  the comment text
   *   int `table`    1 for the table's comment, 0 for a column's
   * Default: nothing (comments are separate COMMENT ON statements, or ignored).
   */
  RETORT_CONSTRUCT_INLINE_COMMENT = 8,
  /**
   * `CREATE TYPE name AS ENUM (…)` for a named Enum, on dialects with RETORT_CAP_ENUM_TYPES.
   * Child 0 renders that plain statement.
   *   str `name`           the type name
   *   int `if_not_exists`  1 when an existing type must be kept (create_all's checkfirst)
   * Default: child 0 (ignoring if_not_exists, which SQL has no syntax for).
   */
  RETORT_CONSTRUCT_CREATE_ENUM_TYPE = 9,
  /*
   * Expression constructs.  Their children are rendered as operands of the construct's
   * default operator: an operand that binds less tightly is already parenthesised.  A child
   * may be emitted more than once (its bound parameters are then bound again).
   */
  /**
   * String concatenation of two or more operands (`a || b`, `concat`'s operator form,
   * contains()/startswith()/endswith() patterns).  Children: the operands, in order
   * (child_count of them).  No attributes.
   * Default: `<0> || <1> || …`.  MySQL: `concat(<0>, <1>, …)`.
   */
  RETORT_CONSTRUCT_CONCAT = 10,
  /**
   * Case-insensitive LIKE.  Children: 0 the expression, 1 the pattern, 2 the escape
   * character as an SQL string literal (`'/'`), absent without ESCAPE.
   *   int `negate`      1 for NOT ILIKE, else 0
   *   int `has_escape`  1 when child 2 is present, else 0
   *   str `escape`      the escape character as written (raw text), absent without ESCAPE; for
   *                     a dialect whose string literals need more escaping than child 2 has
   *                     (MySQL: a backslash)
   * Default: `lower(<0>) LIKE lower(<1>)` (`NOT LIKE` when negated), then ` ESCAPE <2>`.
   * PostgreSQL: `<0> ILIKE <1>` / `<0> NOT ILIKE <1>`.
   */
  RETORT_CONSTRUCT_ILIKE = 11,
  /**
   * Null-safe comparison.  Children: 0 and 1 the operands.
   *   int `negate`  1 for IS NOT DISTINCT FROM (equal or both NULL), else 0
   * Default: `<0> IS DISTINCT FROM <1>` / `<0> IS NOT DISTINCT FROM <1>`.  SQLite:
   * `<0> IS NOT <1>` / `<0> IS <1>`.  MySQL: `NOT (<0> <=> <1>)` / `<0> <=> <1>`.
   */
  RETORT_CONSTRUCT_IS_DISTINCT_FROM = 12,
  /**
   * A bitwise operator.  Children: 0 the left operand (the only one for NOT), 1 the right.
   *   int `operator`  RETORT_BITWISE_*
   * Default: `<0> & <1>`, `<0> | <1>`, `<0> ^ <1>`, `~<0>`, `<0> << <1>`, `<0> >> <1>`.
   * PostgreSQL spells XOR `#` and casts a shift count to INTEGER; SQLite has no XOR and
   * renders `(<0> | <1>) - (<0> & <1>)`.
   */
  RETORT_CONSTRUCT_BITWISE = 13,
  /**
   * An aggregate's FILTER clause.  Children: 0 the function call, 1 the condition.
   * Default: `<0> FILTER (WHERE <1>)`.  A dialect without FILTER (MySQL) returns an error.
   */
  RETORT_CONSTRUCT_AGGREGATE_FILTER = 14,
  /**
   * NULLS FIRST / NULLS LAST in ORDER BY.  Children: 0 the ordering as written (the
   * expression with its ASC/DESC, if any), 1 the bare expression.
   *   int `nulls_first`  1 for NULLS FIRST, 0 for NULLS LAST
   *   int `direction`    0 none, 1 ASC, 2 DESC
   * Default: `<0> NULLS FIRST` / `<0> NULLS LAST`.  MySQL may emulate it as
   * `<1> IS NULL DESC, <0>` (NULLS FIRST) / `<1> IS NULL, <0>` (NULLS LAST).
   */
  RETORT_CONSTRUCT_NULLS_ORDER = 15,
  /**
   * A function call, so that a dialect can rename a function.  Children: the arguments.
   *   str `name`      the function's name as written (its last part when qualified)
   *   int `count_star`  1 for `count(*)` (no children), else 0
   * Default: the name, unquoted when it consists of letters, digits, `_` and `$` (else
   * quoted as an identifier), then `(<0>, <1>, …)`; CURRENT_TIMESTAMP, CURRENT_DATE,
   * CURRENT_TIME (and `now`, as CURRENT_TIMESTAMP) without arguments render as those
   * keywords.  Not asked for qualified names (`schema.fn`).  SQLite: `char_length` is
   * `length`.  MySQL: `random` is `rand`.
   */
  RETORT_CONSTRUCT_FUNCTION = 16,
  /**
   * `BETWEEN SYMMETRIC` (bounds in either order).  Children: 0 the expression, 1 and 2 the
   * bounds.  No attributes.
   * Default: `<0> BETWEEN SYMMETRIC <1> AND <2>`.  SQLite and MySQL: `(<0> BETWEEN <1> AND
   * <2> OR <0> BETWEEN <2> AND <1>)`.
   */
  RETORT_CONSTRUCT_BETWEEN_SYMMETRIC = 17,
  /**
   * The operator between two members of a set operation (UNION, …), spaces included.  No
   * children.
   *   int `operator`  RETORT_SET_OPERATION_*
   *   int `all`       1 for the ALL form (UNION ALL), else 0
   * Default: ` UNION `, ` UNION ALL `, ` INTERSECT `, ` INTERSECT ALL `, ` EXCEPT `,
   * ` EXCEPT ALL `.
   */
  RETORT_CONSTRUCT_SET_OPERATOR = 18,
  /**
   * A member of a set operation that must be grouped: it has its own ORDER BY, LIMIT or
   * OFFSET, or is itself a set operation.  Child 0 renders the member (`SELECT …`) bare.
   * Default: `(` child 0 `)`.
   */
  RETORT_CONSTRUCT_SET_MEMBER = 19,
  /**
   * A LATERAL derived table in FROM.  Child 0 renders `(SELECT …) AS name`.
   * Default: `LATERAL ` child 0.
   */
  RETORT_CONSTRUCT_LATERAL = 20,
  /**
   * `ANY (SELECT …)` / `ALL (SELECT …)`, the right operand of a comparison.
   *   int `all`  1 for ALL, 0 for ANY
   * Child 0 renders the parenthesised subquery `(SELECT …)`.
   * Default: `ANY ` / `ALL ` child 0.
   */
  RETORT_CONSTRUCT_ANY_ALL = 21,
  /**
   * `DISTINCT ON (expressions)` after `SELECT `, before the select list.  Child 0 renders
   * the expressions separated by `, `.  The hook writes the trailing space itself.
   * Default: none — the core raises CompileError, as DISTINCT ON is not standard SQL.
   */
  RETORT_CONSTRUCT_DISTINCT_ON = 22,
  /**
   * The row-locking tail of a SELECT (`with_for_update`), after LIMIT/OFFSET.
   *   int `read`         1: a shared lock (FOR SHARE)
   *   int `key_share`    1: FOR NO KEY UPDATE, or FOR KEY SHARE with `read`
   *   int `nowait`       1: NOWAIT
   *   int `skip_locked`  1: SKIP LOCKED
   *   int `has_of`       1 when child 0 (the locked tables, `t1, t2`) is present
   * Default (PostgreSQL's spelling, which extends the SQL standard's): ` FOR UPDATE` /
   * ` FOR SHARE` / ` FOR NO KEY UPDATE` / ` FOR KEY SHARE`, then ` OF ` child 0, ` NOWAIT`,
   * ` SKIP LOCKED`.  A dialect without row locks returns RETORT_OK having emitted nothing.
   */
  RETORT_CONSTRUCT_FOR_UPDATE = 23,
  /**
   * The keyword of a FULL OUTER JOIN, spaces included.  No children.
   * Default: ` FULL OUTER JOIN `.
   */
  RETORT_CONSTRUCT_FULL_JOIN = 24,
  /**
   * The RETURNING clause of an INSERT, UPDATE or DELETE, at the end of the statement.
   *   int `statement`  1 INSERT, 2 UPDATE, 3 DELETE
   * Child 0: the returned items, comma-separated (`t.id, t.name`).
   * Default: ` RETURNING <0>` when the dialect has RETORT_CAP_RETURNING; without it the core
   * raises CompileError.  A dialect that has RETURNING for some statements only (MariaDB:
   * INSERT and DELETE) renders those here and fails the others; the hook is asked for every
   * RETURNING, so such a dialect may keep the capability for the statements it has (the
   * `mariadb` dialect does).
   */
  RETORT_CONSTRUCT_RETURNING = 25,
  /**
   * An UPDATE whose WHERE or SET values use tables other than the target: the whole statement
   * except RETURNING.
   * Children: 0 the target table; 1 the other tables, comma-separated (`b, c AS c_1`); 2 the
   * SET list with bare column names (`x=?, y=(t.y + ?)`); 3 the WHERE condition (absent when
   * there is none: int `has_where` 0); 4 the SET list with qualified column names
   * (`t.x=?`).  Render one of 2 and 4, not both.
   * Default, with RETORT_CAP_UPDATE_FROM: `UPDATE <0> SET <2> FROM <1> WHERE <3>`; without
   * it, CompileError.  MySQL: `UPDATE <0>, <1> SET <4> WHERE <3>`.
   */
  RETORT_CONSTRUCT_MULTI_TABLE_UPDATE = 26,
  /**
   * A DELETE whose WHERE uses tables other than the target: the whole statement except
   * RETURNING.  Children: 0 the target table; 1 the other tables, comma-separated; 2 the WHERE
   * condition (int `has_where`).
   * Default, with RETORT_CAP_DELETE_USING: `DELETE FROM <0> USING <1> WHERE <2>`; without it,
   * CompileError.  MySQL: `DELETE FROM <0> USING <0>, <1> WHERE <2>`.
   */
  RETORT_CONSTRUCT_MULTI_TABLE_DELETE = 27,
  /**
   * The ON CONFLICT clause of an INSERT, after VALUES / the SELECT and before RETURNING.
   *   int `do_update`      1 for DO UPDATE, 0 for DO NOTHING
   *   int `has_target`     1 when a target is given (index elements or a constraint)
   *   str `constraint`     the constraint's name, absent unless the target is a constraint
   * Children: 0 the index elements, comma-separated column names or expressions, without
   * table names (absent unless given); 1 the index WHERE, without table names (absent unless
   * given); 2 the SET list `a = <v>, b = <v>` (DO UPDATE only);
   * 3 the DO UPDATE WHERE condition (absent unless given).  `excluded` columns in children
   * 2 and 3 render through RETORT_CONSTRUCT_EXCLUDED_COLUMN.
   * Default, with RETORT_CAP_INSERT_ON_CONFLICT: ` ON CONFLICT (<0>) WHERE <1> DO NOTHING`,
   * ` ON CONFLICT ON CONSTRAINT <constraint> DO UPDATE SET <2> WHERE <3>` (parts present
   * as given); without it, CompileError.
   */
  RETORT_CONSTRUCT_ON_CONFLICT = 28,
  /**
   * MySQL's ON DUPLICATE KEY UPDATE clause of an INSERT, right after the VALUES list.
   * Child 0: the update list `a = <v>, b = <v>`, where `excluded` columns render through
   * RETORT_CONSTRUCT_EXCLUDED_COLUMN (int `context` 2).
   * Default: none; the core raises CompileError unless the hook renders it.  MySQL:
   * ` ON DUPLICATE KEY UPDATE <0>` (or, for the row-alias form of MySQL 8.0.19+,
   * ` AS new ON DUPLICATE KEY UPDATE <0>` with excluded columns rendered `new.<name>`).
   */
  RETORT_CONSTRUCT_ON_DUPLICATE_KEY_UPDATE = 29,
  /**
   * A column of the row proposed for insertion, in an upsert's SET list or WHERE
   * (`excluded(t).c["name"]`).  No children.
   *   str `name`     the column name
   *   int `context`  1 inside ON CONFLICT, 2 inside ON DUPLICATE KEY UPDATE
   * Default: `excluded.<name>`.  MySQL: `VALUES(<name>)` (or `new.<name>`, see above).
   */
  RETORT_CONSTRUCT_EXCLUDED_COLUMN = 30,
  /**
   * `extract(field, expr)`: a field of a date/time value.  Child 0: the expression.
   *   str `field`  the field, lower case as the user wrote it (`year`, `month`, `day`, `hour`,
   *                `minute`, `second`, `dow`, `doy`, `week`, `epoch`, …; letters and `_` only)
   * Default: `EXTRACT(<field> FROM <0>)`.  SQLite (no EXTRACT):
   * `CAST(STRFTIME('%Y', <0>) AS INTEGER)` for the fields strftime has, an error for others.
   */
  RETORT_CONSTRUCT_EXTRACT = 31,
  /**
   * A regular expression match or replacement (`regexp_match`, `regexp_replace`).
   * Children: 0 the string, 1 the pattern, 2 the replacement (replace only).
   *   int `replace`  1 for regexp_replace (three children), 0 for a match (two)
   *   int `negate`   1 for a negated match (`not_regexp_match`), else 0
   * Default: none — the SQL standard has no such operator, so the core raises CompileError
   * unless the hook renders it.  PostgreSQL: `<0> ~ <1>` / `<0> !~ <1>`,
   * `REGEXP_REPLACE(<0>, <1>, <2>)`.  MySQL/MariaDB: `<0> REGEXP <1>` / `<0> NOT REGEXP <1>`,
   * `REGEXP_REPLACE(<0>, <1>, <2>)`.  SQLite: `<0> REGEXP <1>` / `<0> NOT REGEXP <1>` (the
   * driver must provide the regexp() function; the sqlite plugin registers one), and no
   * replacement.
   */
  RETORT_CONSTRUCT_REGEXP = 32,
  /**
   * The right side of a tuple IN: `(a, b) IN <this>`.  Child 0: the rows, comma-separated
   * (`(?, ?), (?, ?)`); there is at least one.
   * Default: `(<0>)`.  SQLite (which reads `((1, 2), (3, 4))` as a misused row value):
   * `(VALUES <0>)`.
   */
  RETORT_CONSTRUCT_TUPLE_IN_LIST = 33,
  /**
   * `ALTER TABLE t DROP CONSTRAINT name`, the whole statement (drop_all breaking a
   * foreign-key cycle).  Children: 0 the table name (schema-qualified), 1 the constraint name.
   *   int `foreign_key`  1 when the constraint is a foreign key
   *   int `if_exists`    1 for the IF EXISTS forms
   * Default: `ALTER TABLE [IF EXISTS ]<0> DROP CONSTRAINT [IF EXISTS ]<1>`.  MySQL/MariaDB:
   * `ALTER TABLE <0> DROP FOREIGN KEY <1>` (MariaDB: `DROP FOREIGN KEY IF EXISTS`).
   */
  RETORT_CONSTRUCT_DROP_CONSTRAINT = 34
};

/** The `operator` attribute of RETORT_CONSTRUCT_BITWISE.  Append only. */
enum {
  RETORT_BITWISE_AND = 1,
  RETORT_BITWISE_OR = 2,
  RETORT_BITWISE_XOR = 3,
  RETORT_BITWISE_NOT = 4,
  RETORT_BITWISE_LSHIFT = 5,
  RETORT_BITWISE_RSHIFT = 6
};

/** The `operator` attribute of RETORT_CONSTRUCT_SET_OPERATOR.  Append only. */
enum {
  RETORT_SET_OPERATION_UNION = 1,
  RETORT_SET_OPERATION_INTERSECT = 2,
  RETORT_SET_OPERATION_EXCEPT = 3
};

/** Opaque: the state of one construct being rendered; owned by the host. */
typedef struct retort_render_ctx retort_render_ctx;

/**
 * Host callbacks for a `render` hook.  Owned by the host; every pointer is valid for the
 * duration of the hook call only.  Strings passed in are not NUL-terminated (explicit
 * length) and are copied by the host.
 */
typedef struct retort_render_api {
  uint32_t struct_size;
  /** Appends SQL text verbatim. */
  void (*emit)(retort_render_ctx* ctx, const char* text, size_t length);
  /** Appends an identifier, quoted by the dialect's rules when it needs to be. */
  void (*emit_identifier)(retort_render_ctx* ctx, const char* name, size_t length);
  /** The number of children of the construct (absent ones included). */
  int32_t (*child_count)(retort_render_ctx* ctx);
  /** Renders child `index` in place (which may emit bound parameters).  Returns
   *  RETORT_INVALID_ARGUMENT for an index out of range or an absent child. */
  retort_status (*emit_child)(retort_render_ctx* ctx, int32_t index);
  /** Integer attribute `key` (NUL-terminated); `*present` is set to 0 and 0 returned when
   *  the construct has no such attribute. */
  int64_t (*int_attr)(retort_render_ctx* ctx, const char* key, int32_t* present);
  /** String attribute `key`; NULL (and `*length` 0) when absent.  Not NUL-terminated. */
  const char* (*str_attr)(retort_render_ctx* ctx, const char* key, size_t* length);
  /* ---- Appended for server-dependent rendering (issue 5).  Read with RETORT_HAS_FIELD. ---- */
  /** The version of the server the statement is compiled for (`retort_dialect.server_version`
   *  of the dialect being rendered), NUL-terminated, with its length in `*length`; NULL (and
   *  `*length` 0) when unknown: compiled without an engine, or before the engine's first
   *  connection.  A hook then renders for the newest server it supports. */
  const char* (*server_version)(retort_render_ctx* ctx, size_t* length);
} retort_render_api;

/* ------------------------------------------------------------------------------------------ */
/* Reflection                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/**
 * What `retort_dialect.reflect` is asked for, and the rows it emits for each.  Append only.
 *
 * Row layouts: every emitted batch has at least the columns listed, in that order (a host
 * ignores columns beyond those it knows, so later minors may append some).  Column types:
 *   - TEXT: RETORT_TYPE_TEXT (NULL allowed where marked "or NULL");
 *   - INT:  RETORT_TYPE_INT64 (or RETORT_TYPE_BOOL for the 0/1 flags), NULL where marked;
 *   - LIST: RETORT_TYPE_TEXT holding a list of strings, each item followed by one NUL byte
 *           (`"a\0b\0"` is ["a", "b"]; the empty string is the empty list).  Items never
 *           contain NUL themselves.
 * A column of RETORT_TYPE_NULL (every value NULL) is accepted wherever NULL is.  Names are
 * reported exactly as the database stores them (PostgreSQL: lower case unless quoted).
 *
 * Columns marked "(appended)" were added after the layout first shipped: a plugin may leave
 * them out (emit only the columns before them, or all of them); the host reads them when the
 * batch has them and takes NULL otherwise.
 */
enum {
  /** Schemas (databases on MySQL) other than the system ones.  `schema` and `name` are NULL.
   *  Rows: 0 name TEXT. */
  RETORT_REFLECT_SCHEMAS = 1,
  /** Base tables of `schema` (not views, not temporary or system tables); only table `name`
   *  when it is not NULL.  Rows: 0 name TEXT. */
  RETORT_REFLECT_TABLES = 2,
  /** Views of `schema` (only view `name` when not NULL).  Rows: 0 name TEXT, 1 definition
   *  TEXT or NULL (the SELECT, as the database reports it). */
  RETORT_REFLECT_VIEWS = 3,
  /**
   * The columns of table or view `name`, in ordinal order; no row when it does not exist.
   * Rows:
   *   0  name           TEXT
   *   1  type           TEXT  the type as the database spells it (`character varying(20)`)
   *   2  generic        INT   RETORT_GENERIC_* the dialect maps it to; RETORT_GENERIC_NULL for
   *                           a type with no generic equivalent (the host keeps `type` and
   *                           reflects the column as NullType carrying that name)
   *   3  length         INT or NULL  string/binary length
   *   4  precision      INT or NULL  numeric precision, float precision in binary digits
   *   5  scale          INT or NULL
   *   6  timezone       INT   1 for a timestamp WITH TIME ZONE, else 0
   *   7  nullable       INT   1 or 0
   *   8  default        TEXT or NULL  the server default as an SQL expression, literal
   *                           defaults normalised to plain literals (`'abc'`, `0`) so that
   *                           another dialect can render them; NULL for none and for the
   *                           default that implements autoincrement (a serial's nextval)
   *   9  autoincrement  INT   1 when the database generates the values (SERIAL, IDENTITY,
   *                           AUTO_INCREMENT, SQLite's INTEGER PRIMARY KEY), else 0
   *   10 identity       INT   0 none, 1 GENERATED ALWAYS AS IDENTITY, 2 GENERATED BY DEFAULT
   *   11 comment        TEXT or NULL
   *   12 enum_name      TEXT or NULL  the named ENUM type (PostgreSQL), for generic ENUM
   *   13 enum_values    LIST  the ENUM's values in order, for generic ENUM; else empty
   *   14 identity_start     INT or NULL  (appended) an identity's START WITH; NULL: default
   *   15 identity_increment INT or NULL  (appended) an identity's INCREMENT BY; NULL: default
   *   16 plugin_type    TEXT or NULL  (appended) the name of a plugin type (retort_type_def,
   *                           e.g. `int4_array`, `int_unsigned`) the column is reflected as;
   *                           when no loaded plugin provides it, the host falls back to
   *                           `generic` (and to NullType for RETORT_GENERIC_NULL)
   */
  RETORT_REFLECT_COLUMNS = 4,
  /** The primary key of table `name`: one row, or none when it has none.  Rows: 0 name TEXT
   *  or NULL (the constraint's name; NULL when the database does not name it), 1 columns
   *  LIST, in key order. */
  RETORT_REFLECT_PRIMARY_KEY = 5,
  /**
   * The foreign keys of table `name`, one row each (a composite key is one row).  Rows:
   *   0 name               TEXT or NULL
   *   1 columns            LIST  local columns, in key order
   *   2 referred_schema    TEXT or NULL  NULL when the referred table is in the default
   *                        schema (or the same database, on SQLite)
   *   3 referred_table     TEXT
   *   4 referred_columns   LIST  one per local column
   *   5 ondelete           TEXT or NULL  CASCADE, SET NULL, SET DEFAULT, RESTRICT; NULL for
   *                        the default (NO ACTION)
   *   6 onupdate           TEXT or NULL  likewise
   *   7 deferrable         INT or NULL   1 DEFERRABLE, 0 NOT DEFERRABLE, NULL unknown/default
   *   8 initially          TEXT or NULL  DEFERRED / IMMEDIATE when deferrable
   */
  RETORT_REFLECT_FOREIGN_KEYS = 6,
  /**
   * The indexes of table `name`, one row each, excluding those that implement the primary
   * key or a constraint reported by RETORT_REFLECT_UNIQUE_CONSTRAINTS.  Rows:
   *   0 name         TEXT
   *   1 unique       INT   1 or 0
   *   2 columns      LIST  one item per element: the column name, or empty for an expression
   *   3 expressions  LIST  one item per element: the SQL expression, or empty for a column
   *   4 predicate    TEXT or NULL  (appended) a partial index's condition, without WHERE;
   *                  NULL for an index on every row
   */
  RETORT_REFLECT_INDEXES = 7,
  /** The UNIQUE constraints of table `name` (a database whose unique constraints are unique
   *  indexes, as MySQL's, reports here the unique indexes on plain columns).  Rows: 0 name
   *  TEXT or NULL, 1 columns LIST. */
  RETORT_REFLECT_UNIQUE_CONSTRAINTS = 8,
  /** The CHECK constraints of table `name`.  Rows: 0 name TEXT or NULL, 1 sqltext TEXT (the
   *  condition without `CHECK` and without its outer parentheses). */
  RETORT_REFLECT_CHECK_CONSTRAINTS = 9,
  /** The comment of table `name`: one row, or none when the database has no comments.
   *  Rows: 0 comment TEXT or NULL. */
  RETORT_REFLECT_TABLE_COMMENT = 10,
  /**
   * Sequences of `schema` (only `name` when not NULL).  Rows:
   *   0 name        TEXT
   *   1 start       INT or NULL  (appended) START WITH
   *   2 increment   INT or NULL  (appended) INCREMENT BY
   *   3 minvalue    INT or NULL  (appended)
   *   4 maxvalue    INT or NULL  (appended)
   *   5 cycle       INT or NULL  (appended) 1 CYCLE, 0 NO CYCLE
   *   6 owned       INT or NULL  (appended) 1 when a column owns it (a serial's or an
   *                 identity's sequence), which recreating the column recreates
   *   7 last_value  INT or NULL  (appended) the last value handed out; NULL when none was
   *                 yet or the database does not tell
   */
  RETORT_REFLECT_SEQUENCES = 11
};

/** Opaque: one reflection request; owned by the host. */
typedef struct retort_reflect_ctx retort_reflect_ctx;

/**
 * Host callbacks for a `reflect` hook.  Owned by the host; every pointer is valid for the
 * duration of the hook call only.
 */
typedef struct retort_reflect_api {
  uint32_t struct_size;
  /**
   * Runs `sql` (not NUL-terminated; in the dialect's paramstyle, as the compiler writes it)
   * on the engine's connection, through whatever driver the engine uses, with the one
   * parameter row of `params` (a borrowed batch; NULL or zero columns for none; columns of
   * RETORT_TYPE_TEXT, RETORT_TYPE_INT64 or RETORT_TYPE_BOOL), and returns every result row
   * in `*rows`.  The hook zero-initialises `*rows` and sets its `struct_size`; after
   * RETORT_OK it owns the batch and calls `rows->release(rows)` once.  Whatever the driver,
   * every column of `*rows` is RETORT_TYPE_TEXT (NULLs marked in `nulls`): integers in decimal,
   * booleans as `1` / `0`, decimals as written, dates and times in ISO 8601, bytes as they
   * are.  On failure the host fills `error` (with its own `release`) and returns the
   * driver's status.  A failed statement may abort the connection's transaction (on
   * PostgreSQL it does), so write catalog queries that do not fail on ordinary input.
   */
  retort_status (*query)(struct retort_reflect_ctx* ctx, const char* sql, size_t sql_length,
                         const retort_batch* params, retort_batch* rows, retort_error* error);
  /**
   * Reports rows in the layout of the `what` being reflected.  `rows` is borrowed for the
   * call (the host copies what it keeps).  Fails with RETORT_INVALID_ARGUMENT, `error`
   * filled, when the batch does not have the layout.
   */
  retort_status (*emit)(struct retort_reflect_ctx* ctx, const retort_batch* rows,
                        retort_error* error);
  /** The server's version string (`15.4`, `10.11.6-MariaDB-0+deb12u1`), NUL-terminated;
   *  never NULL (empty when the driver cannot tell). */
  const char* server_version;
} retort_reflect_api;

/* ------------------------------------------------------------------------------------------ */
/* Driver                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/** A connection, defined by the plugin; opaque to the host. */
typedef struct retort_connection retort_connection;
/** A prepared statement, defined by the plugin; opaque to the host. */
typedef struct retort_statement retort_statement;

/** A key/value pair (URL query keys, connect options).  Both borrowed. */
typedef struct retort_option {
  const char* key;
  const char* value;
} retort_option;

/** What to connect to: the parsed URL, already percent-decoded.  Borrowed for the call. */
typedef struct retort_connect_params {
  uint32_t struct_size;
  const char* dialect;
  const char* driver;
  /** NULL when absent. */
  const char* username;
  const char* password;
  const char* host;
  /** -1 when absent. */
  int32_t port;
  /** NULL when absent.  For SQLite: the file path, or NULL/"" for an in-memory database. */
  const char* database;
  /** The URL query, in order, repeated keys repeated. */
  const retort_option* query;
  size_t query_count;
  /** Options given in code (create_engine's connect_args), after the URL query. */
  const retort_option* options;
  size_t option_count;
} retort_connect_params;

/** What an execution did.  Filled by `execute`. */
typedef struct retort_exec_info {
  uint32_t struct_size;
  /** Rows inserted, updated or deleted, summed over all parameter rows; -1 when unknown. */
  int64_t rows_affected;
  /** Result columns; 0 when the statement returns no rows. */
  int32_t column_count;
  /** Non-zero when `last_insert_id` is meaningful. */
  int32_t has_last_insert_id;
  /** The id generated by the last row inserted (SQLite rowid, AUTO_INCREMENT value). */
  int64_t last_insert_id;
} retort_exec_info;

/** A result column's description.  Strings stay valid until the statement's next execute
 *  or release. */
typedef struct retort_column_desc {
  uint32_t struct_size;
  /** The value type the driver will use, if it is known before fetching; RETORT_TYPE_NULL
   *  when it is decided per batch. */
  uint32_t type;
  const char* name;
  size_t name_length;
  /** The declared type as the database reports it (`VARCHAR(20)`), or NULL. */
  const char* declared_type;
  /** 1 nullable, 0 not nullable, -1 unknown. */
  int32_t nullable;
} retort_column_desc;

/* Declared at file scope for the same reason as retort_render_api (defined after
 * retort_driver). */
struct retort_transaction_options;
struct retort_statement_options;
struct retort_bulk_load;

/**
 * A driver: the DBAPI role.  Static and immutable.  Slots marked *required* must be set; a
 * plugin whose driver misses one is refused at load and the slot is named.  Optional slots
 * may be NULL: the host then uses its default (for savepoints, SQL `SAVEPOINT name` through
 * prepare/execute) or reports NotSupportedError.
 */
typedef struct retort_driver {
  uint32_t struct_size;
  /** The driver name, as in the URL scheme after `+` (`sqlite3`, `libpq`, `odbc`). */
  const char* name;
  /** The dialects this driver serves, NULL-terminated; `"*"` serves any dialect. */
  const char* const* dialects;
  /** Version of the client library the driver wraps (`3.40.1`), or NULL. */
  const char* client_version;

  /** Required.  Opens a connection.  Thread-safe. */
  retort_status (*connect)(const retort_connect_params* params, retort_connection** out,
                           retort_error* error);
  /** Required.  Closes a connection; rolls back any open transaction.  Every statement made
   *  from it has been released before. */
  void (*connection_release)(retort_connection* connection);
  /** Required.  Prepares `sql` (in the dialect's paramstyle), which is not NUL-terminated.
   *  A driver may cache prepared statements per connection. */
  retort_status (*prepare)(retort_connection* connection, const char* sql, size_t sql_length,
                           retort_statement** out, retort_error* error);
  /**
   * Required.  Executes the statement once per row of `params` (NULL or zero columns when it
   * has no parameters; then it runs once).  A statement that returns rows runs for at most
   * one parameter row.  Fills `info`.  Earlier results of the statement are discarded.
   */
  retort_status (*execute)(retort_statement* statement, const retort_batch* params,
                           retort_exec_info* info, retort_error* error);
  /** Required.  Describes result column `index` (0-based) after execute. */
  retort_status (*describe)(retort_statement* statement, int32_t index, retort_column_desc* out,
                            retort_error* error);
  /** Required.  Fetches up to `max_rows` rows into `out`; `out->row_count == 0` means the
   *  result is exhausted.  The host owns the batch and releases it (ownership rule 4). */
  retort_status (*fetch)(retort_statement* statement, int64_t max_rows, retort_batch* out,
                         retort_error* error);
  /** Required.  Releases a statement. */
  void (*statement_release)(retort_statement* statement);
  /** Required.  Starts a transaction (the connection is otherwise in autocommit mode). */
  retort_status (*begin)(retort_connection* connection, retort_error* error);
  /** Required. */
  retort_status (*commit)(retort_connection* connection, retort_error* error);
  /** Required. */
  retort_status (*rollback)(retort_connection* connection, retort_error* error);

  /** Optional.  SAVEPOINT / RELEASE SAVEPOINT / ROLLBACK TO SAVEPOINT `name` (an
   *  identifier the host made, safe to splice). */
  retort_status (*savepoint)(retort_connection* connection, const char* name,
                             retort_error* error);
  retort_status (*release_savepoint)(retort_connection* connection, const char* name,
                                     retort_error* error);
  retort_status (*rollback_to_savepoint)(retort_connection* connection, const char* name,
                                         retort_error* error);
  /** Optional.  Cancels the statement running on `connection`.  Callable from any thread. */
  retort_status (*cancel)(retort_connection* connection, retort_error* error);
  /** Optional.  Writes the server version (`3.40.1`, `15.4`) into `buffer` of `*length`
   *  bytes, NUL-terminated.  If it does not fit, writes nothing, sets `*length` to the size
   *  needed and returns RETORT_INVALID_ARGUMENT. */
  retort_status (*server_version)(retort_connection* connection, char* buffer, size_t* length,
                                  retort_error* error);
  /** Optional.  Checks that the connection is alive (a round trip to the server). */
  retort_status (*ping)(retort_connection* connection, retort_error* error);

  /* ---- Appended for execution options (issues 4 and 7).  Read with RETORT_HAS_FIELD. ---- */

  /**
   * Optional.  Starts a transaction with the characteristics in `options` (borrowed for the
   * call), like `begin` otherwise.  The characteristics hold for this transaction only: when
   * it ends, the connection is as it was before (so a pooled connection needs no reset).
   * The host calls it only when some characteristic differs from the defaults; when the slot
   * is NULL it then raises NotSupportedError naming the driver and the option.  A driver
   * returns RETORT_NOT_IMPLEMENTED for a characteristic it cannot provide, and
   * RETORT_INVALID_ARGUMENT for an isolation level it does not know.
   */
  retort_status (*begin_ex)(retort_connection* connection,
                            const struct retort_transaction_options* options,
                            retort_error* error);
  /**
   * Optional.  Sets how `statement`'s later executions deliver their rows (`options`
   * borrowed for the call; the statement keeps the values until the next call or its
   * release).  Called after `prepare`, before `execute`.  NULL: the options are ignored and
   * the driver's own fetch behaviour holds (SQLAlchemy ignores stream_results on drivers
   * without server-side cursors the same way).
   */
  retort_status (*statement_set_options)(retort_statement* statement,
                                         const struct retort_statement_options* options,
                                         retort_error* error);

  /* ---- Appended for drivers serving any dialect (issue 6).  Read with RETORT_HAS_FIELD. -- */

  /**
   * Optional; for drivers whose `dialects` is `"*"` (ODBC).  Writes the name of the dialect
   * the database behind `connection` speaks (`postgresql`, `mariadb`, `sqlite`; for a
   * database no dialect is known for, a name made from what the database reports, such as
   * `microsoft_sql_server`) into `buffer`, with the buffer protocol of `server_version`.
   *
   * The host calls it for a URL that names the pseudo-dialect `odbc` (`odbc://user:pw@DSN`,
   * `odbc+odbc://…`): create_engine then connects once, with `retort_connect_params.dialect`
   * set to "odbc", asks this slot, releases the connection, and resolves the dialect by the
   * returned name; when no installed plugin provides it, create_engine raises
   * NoSuchModuleError naming it and listing the installed dialects.  Called on a connection
   * with no statement running; same threading rules as every connection call.
   */
  retort_status (*dialect_name)(retort_connection* connection, char* buffer, size_t* length,
                                retort_error* error);

  /* ---- Appended for bulk loading (issues 4 and 8).  Read with RETORT_HAS_FIELD. -------- */

  /**
   * Optional.  Starts loading rows into `table` with the database's bulk path (PostgreSQL:
   * one `COPY … FROM STDIN`), and fills `*out` with a `retort_bulk_load` through which the
   * host then streams any number of batches (see there).  NULL: the host loads the rows with
   * the dialect's executemany INSERT instead.
   *
   * `table` is the target's SQL name, already quoted and schema-qualified by the host's
   * compiler (`"public"."Users"`, `orders`); `columns` are `column_count` (>= 1) column
   * names, quoted likewise, in the order of the batch columns the host will write.  Both are
   * borrowed for the call: the driver splices them into its SQL and copies what it keeps.
   * Every value arrives in a batch, never in the SQL.
   *
   * Transactions: the load runs inside the connection's current transaction (the host begins
   * one first, as for any statement); nothing it loads is visible to others before the host
   * commits, and a rollback removes all of it.  While a load is open the connection is
   * busy: the host makes no other call on it (nor on its statements) until it has called
   * the load's `finish` or `abort`; `cancel` may still be called from another thread.
   *
   * Errors: a failure here fills `error` like a statement's (SQLSTATE, constraint details)
   * and leaves `*out` untouched; nothing is loaded and the connection stays usable (its
   * transaction, on databases that have such a state, is failed like after any SQL error).
   */
  retort_status (*bulk_load_begin)(retort_connection* connection, const char* table,
                                   const char* const* columns, int32_t column_count,
                                   struct retort_bulk_load** out, retort_error* error);
} retort_driver;

/**
 * A bulk load in progress (`retort_driver.bulk_load_begin`).  Allocated and owned by the
 * plugin; the host ends it with exactly one call of `finish` or `abort`, which also frees
 * it.  Used by the thread that owns its connection, like every connection call.
 */
typedef struct retort_bulk_load {
  uint32_t struct_size;
  /** Plugin-private. */
  void* private_data;
  /**
   * Required.  Loads the rows of `rows` (borrowed for the call): batch column i goes to
   * column i of `bulk_load_begin`, and `rows->column_count` must equal that count.  Column
   * types may change from batch to batch; a driver converts every value type it can store
   * in the target column and reports RETORT_INVALID_DATA (naming the column and row) for a
   * value it cannot.  The driver may buffer rows: a constraint violation may be reported by
   * a later `write` or only by `finish`.  On failure the load is already aborted on the
   * server, `error` is filled like a statement's (RETORT_INTEGRITY with SQLSTATE 23505 and
   * a "constraint_name" detail for a unique violation, and so on), and the host must still
   * call `abort` to free the load.
   */
  retort_status (*write)(struct retort_bulk_load* load, const retort_batch* rows,
                         retort_error* error);
  /**
   * Required.  Ends the load, waits for the database to confirm it, sets `*rows_loaded`
   * (when not NULL) to the number of rows loaded, and frees the load, whether it succeeds
   * or fails.  On failure (a constraint checked at the end, a lost connection) nothing of
   * the load remains and `error` is filled as for `write`.
   */
  retort_status (*finish)(struct retort_bulk_load* load, int64_t* rows_loaded,
                          retort_error* error);
  /**
   * Required.  Abandons the load (the database discards every row of it; PostgreSQL fails
   * the COPY, which puts the transaction in the failed state) and frees it.  The connection
   * stays usable: the host rolls back (or to a savepoint) as after any SQL error.  Never
   * fails; called after a failed `write`, or when the host itself gives up.
   */
  void (*abort)(struct retort_bulk_load* load);
} retort_bulk_load;

/**
 * What `retort_driver.begin_ex` begins.  Filled by the host; every field beyond
 * `struct_size` is zero for "the database's default".
 */
typedef struct retort_transaction_options {
  uint32_t struct_size;
  /** One of the dialect's `isolation_levels` other than AUTOCOMMIT (upper case, NUL-
   *  terminated), or NULL for the session's default level. */
  const char* isolation_level;
  /** 1: READ ONLY (only with RETORT_CAP_READ_ONLY_TRANSACTIONS).  0: the default. */
  int32_t read_only;
  /** 1: DEFERRABLE (only with RETORT_CAP_DEFERRABLE_TRANSACTIONS).  0: the default. */
  int32_t deferrable;
} retort_transaction_options;

/**
 * How a statement delivers rows (`retort_driver.statement_set_options`).  Filled by the
 * host.
 */
typedef struct retort_statement_options {
  uint32_t struct_size;
  /** 1: stream the rows from the server in chunks as the host fetches them, in bounded
   *  memory (SQLAlchemy's stream_results).  0: the driver's default (it may read the whole
   *  result at once). */
  int32_t stream_results;
  /** Rows per chunk while streaming (SQLAlchemy's max_row_buffer / yield_per); 0: the
   *  driver's default. */
  int64_t max_row_buffer;
} retort_statement_options;

/* ------------------------------------------------------------------------------------------ */
/* Types                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/**
 * An extra SQL type a plugin provides.  Static and immutable.  Values of the type travel in
 * batches as `storage_type`; users bind and read them as `value_type` when the plugin
 * converts (`bind_batch`, `result_batch`), a column of a batch at a time, never per cell.
 */
typedef struct retort_type_def {
  uint32_t struct_size;
  /** The type name users refer to (`money`, `point`). */
  const char* name;
  /** RETORT_TYPE_* used for its values. */
  uint32_t storage_type;
  /** Dialects the type works with, NULL-terminated; `"*"` for any. */
  const char* const* dialects;
  /** Required.  Writes the DDL type for `dialect` (`NUMERIC(19, 4)`) into `buffer`, with
   *  the same buffer protocol as `retort_driver.server_version`; RETORT_NOT_IMPLEMENTED when
   *  the dialect has no spelling for it. */
  retort_status (*render_ddl)(const char* dialect, char* buffer, size_t* length,
                              retort_error* error);
  /* ---- Appended for value conversion (issue 3).  Read with RETORT_HAS_FIELD. ---- */
  /** The RETORT_TYPE_* users bind and read; 0 means `storage_type` (no conversion).  When it
   *  differs from `storage_type`, `bind_batch` and `result_batch` are required. */
  uint32_t value_type;
  /**
   * Converts bound values to storage, a column at a time: `values` is a borrowed batch of
   * one column of `value_type` (NULLs allowed), one row per parameter set.  Fill `out` (the
   * host zero-initialises it and sets `struct_size`) with one column of `storage_type` and
   * the same row count, NULL where the value was NULL; the host calls `out->release` when
   * done.  `dialect` is the dialect the statement was compiled for.  Return an error status
   * with a message for a value that cannot be stored (the host raises ArgumentError naming
   * the parameter and the type).  Called from any thread; must be reentrant.
   */
  retort_status (*bind_batch)(const char* dialect, const retort_batch* values, retort_batch* out,
                              retort_error* error);
  /**
   * The reverse, for fetched values: `stored` is a borrowed batch of one column of
   * `storage_type` (the host has already converted what the driver gave to that type); fill
   * `out` with one column of `value_type`, as bind_batch does.  An error status becomes
   * TypeConversionError naming the column and the type.
   */
  retort_status (*result_batch)(const char* dialect, const retort_batch* stored, retort_batch* out,
                                retort_error* error);
} retort_type_def;

/* ------------------------------------------------------------------------------------------ */
/* The plugin and its entry                                                                    */
/* ------------------------------------------------------------------------------------------ */

/** Plugin kind bits. */
#define RETORT_KIND_DIALECT (1u << 0)
#define RETORT_KIND_DRIVER (1u << 1)
#define RETORT_KIND_TYPE (1u << 2)

/** What the entry fills: everything the library provides.  Lives until `release`. */
typedef struct retort_plugin {
  /** Bytes the plugin wrote (at most the capacity the host offered). */
  uint32_t struct_size;
  /** Negotiated: the host's major, min(host minor, plugin minor). */
  uint32_t abi_version;
  /** Must equal `name=` in the embedded metadata. */
  const char* name;
  /** The plugin's own version (semver). */
  const char* version;
  /** RETORT_KIND_* bits; must equal `kinds=` in the embedded metadata. */
  uint32_t kinds;
  const retort_dialect* const* dialects;
  size_t dialect_count;
  const retort_driver* const* drivers;
  size_t driver_count;
  const retort_type_def* const* types;
  size_t type_count;
  void* private_data;
  /** Optional.  Called once when the host is done with the plugin. */
  void (*release)(struct retort_plugin* plugin);
} retort_plugin;

/**
 * The entry, exported as RETORT_PLUGIN_ENTRY_V1.  Called once, before anything else.
 *
 * @param host_abi_version the host's version; refuse another major with
 *        RETORT_NOT_IMPLEMENTED.
 * @param host host services; lives as long as the plugin.
 * @param out  zero-initialised by the host, `out_capacity` bytes.
 * @param error filled on failure.
 */
typedef retort_status (*retort_plugin_init_fn)(uint32_t host_abi_version,
                                               const retort_host_api* host, retort_plugin* out,
                                               uint32_t out_capacity, retort_error* error);

/* ------------------------------------------------------------------------------------------ */
/* Embedding the metadata                                                                      */
/* ------------------------------------------------------------------------------------------ */

/**
 * Embeds `text` (a string literal of `key=value` lines) as the plugin's ELF note.  Keys:
 *
 *     abi=1.0                      ABI version the plugin was built against (required)
 *     name=sqlite                  plugin name (required)
 *     version=0.1.0                plugin version (required)
 *     kinds=dialect,driver         kinds provided (required)
 *     dialects=sqlite              dialects provided
 *     drivers=sqlite3              drivers provided
 *     driver.sqlite3.dialects=sqlite   dialects a driver serves (`*` for any)
 *     dialect.sqlite.default_driver=sqlite3
 *     types=money,point            types provided
 *     package=libretort1-plugin-sqlite   the distribution package that ships it
 *
 * The C++ SDK (retort/sdk/plugin.hpp) wraps this together with the entry in one macro.
 */
#if defined(__GNUC__) || defined(__clang__)
#define RETORT_PLUGIN_METADATA(text)                                                   \
  __attribute__((section(RETORT_PLUGIN_NOTE_SECTION), aligned(4), used)) static const \
  struct {                                                                             \
    uint32_t namesz;                                                                   \
    uint32_t descsz;                                                                   \
    uint32_t type;                                                                     \
    char name[8];                                                                      \
    char desc[(sizeof(text) + 3u) & ~3u];                                              \
  } retort_plugin_note_ = {7u, (uint32_t)sizeof(text), RETORT_PLUGIN_NOTE_TYPE, "retort", text}
#else
#error "RETORT_PLUGIN_METADATA needs GCC or clang (ELF targets)"
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* RETORT_PLUGIN_ABI_H */
