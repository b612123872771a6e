// cli/schema_copy.hpp — `retort schema` and `retort copy`.
#ifndef RETORT_CLI_SCHEMA_COPY_HPP
#define RETORT_CLI_SCHEMA_COPY_HPP

#include <cstdint>
#include <string>
#include <vector>

namespace retort::cli {

/// Prints the CREATE statements of the reflected schema at `url` (only `tables` when not
/// empty) for `dialect` (empty: the URL's own).  Throws retort::Error.
int cmd_schema(const std::string& url, const std::string& dialect,
               const std::vector<std::string>& tables, const std::string& schema);

/// Copies tables from `src_url` to `dst_url`: creates them (types translated, constraints and
/// indexes carried), copies the rows in foreign-key order with Connection::bulk_insert
/// (reading `batch` rows per fetch; PostgreSQL destinations load each table with one COPY,
/// others with executemany INSERTs of `batch` rows), verifies the row counts, and on any
/// failure drops what it created.  Throws retort::Error.
int cmd_copy(const std::string& src_url, const std::string& dst_url,
             const std::vector<std::string>& tables, std::int64_t batch);

}  // namespace retort::cli

#endif  // RETORT_CLI_SCHEMA_COPY_HPP
