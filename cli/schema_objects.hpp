// cli/schema_objects.hpp — what `retort schema` and `retort copy` carry besides tables: views
// and standalone sequences.
#ifndef RETORT_CLI_SCHEMA_OBJECTS_HPP
#define RETORT_CLI_SCHEMA_OBJECTS_HPP

#include <retort/retort.hpp>

#include <string>
#include <vector>

namespace retort::cli {

/// One statement to run on the destination, and what it makes (`view 'v'`, for messages).
struct ObjectStatement {
  std::string what;
  std::string sql;
};

/// The statements and the warnings about what cannot be carried.
struct SchemaObjects {
  /// CREATE SEQUENCE for each sequence no column owns (a serial's or an identity's sequence
  /// comes back with its column), with its options.  Run before the tables.
  std::vector<ObjectStatement> sequences;
  /// CREATE VIEW for each view, in name order.  Run after the tables.
  std::vector<ObjectStatement> views;
  /// What was left out and why: a sequence on a dialect without sequences, a view whose
  /// definition cannot be carried verbatim to another dialect.
  std::vector<std::string> warnings;
};

/**
 * Reads the views and sequences of `schema` at `source` and writes them for the dialect
 * `target`.  A view is carried as `CREATE VIEW name AS <definition>`: always to the source's
 * own dialect (MySQL and MariaDB count as one; their database qualifier is removed), to
 * another dialect only when the definition has nothing dialect-specific in it (no `::` casts,
 * no backquotes or brackets), else it is left out with a warning.  Throws retort::Error.
 */
SchemaObjects schema_objects(const Engine& source, const std::string& schema,
                             const std::string& target);

/**
 * After a copy: moves each sequence `objects` made on `dest` to the source's current value
 * (PostgreSQL: setval; MariaDB: ALTER SEQUENCE … RESTART), so the next value is the one the
 * source would give.  Returns warnings for those it could not move.
 */
std::vector<std::string> restore_sequence_values(const Engine& source, const std::string& schema,
                                                 const Engine& dest);

/**
 * Before a copy's rows: a GENERATED ALWAYS identity column refuses the source's values, so on
 * PostgreSQL each is made BY DEFAULT for the copy; returns them (quoted table, column) for
 * restore_always_identities, which makes them ALWAYS again.  Other dialects: nothing.
 */
std::vector<std::pair<std::string, std::string>> relax_always_identities(const Engine& dest,
                                                                         const MetaData& md);
void restore_always_identities(const Engine& dest,
                               const std::vector<std::pair<std::string, std::string>>& columns);

/**
 * The end of `retort copy`, after the tables and rows are committed: creates the sequences
 * (moved to the source's current value) and the views of the source's default schema on
 * `dest`, each on its own.  Returns a warning for each object left out or refused.
 */
std::vector<std::string> copy_schema_objects(const Engine& source, const Engine& dest);

}  // namespace retort::cli

#endif  // RETORT_CLI_SCHEMA_OBJECTS_HPP
