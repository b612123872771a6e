// cli/output.hpp — printing result rows as an aligned table, CSV or JSON.
#ifndef RETORT_CLI_OUTPUT_HPP
#define RETORT_CLI_OUTPUT_HPP

#include <retort/result.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace retort::cli {

enum class Format { table, csv, json };

/// A value as plain text (not quoted): NULL is nullopt.
std::optional<std::string> plain_text(const Value& v);

/// Prints `rows` with column names `keys` in `format`.  The table form ends with a row count.
void print_rows(std::ostream& out, const std::vector<std::string>& keys,
                const std::vector<Row>& rows, Format format);

/// Parses `-p name=value`: integers, decimals with a dot (as double), true/false, null, else
/// text.  Throws ArgumentError when there is no `=`.
std::pair<std::string, Value> parse_param(const std::string& spec, bool force_text);

}  // namespace retort::cli

#endif  // RETORT_CLI_OUTPUT_HPP
