// retort/text.hpp — `text()`: a textual SQL statement with named bind parameters.
// SPDX-License-Identifier: MIT
//
//   auto stmt = retort::text("SELECT * FROM users WHERE id = :id AND name LIKE :pattern");
//
// A bind parameter is `:name`, where name is a letter or `_` followed by letters, digits or
// `_`.  Not parameters: `::` (PostgreSQL casts, `x::int`; `:id::int` is `:id` then a cast),
// a colon preceded by a word character (`12:30`), anything inside '…' string literals (`''`
// escapes a quote; in PostgreSQL's E'…' a backslash does too), "…" and `…` quoted
// identifiers, PostgreSQL $tag$…$tag$ strings, `--` line comments and `/* */` block
// comments, and `\:` (written as a plain `:`; inside quotes and comments text is kept as is).
// The same name may appear several times; it is bound to the same value each time.
//
// The statement is rendered into the dialect's paramstyle when executed (`?`, `$1`, …);
// values are always bound, never spliced into the SQL.  A TextClause is an immutable value.
#ifndef RETORT_TEXT_HPP
#define RETORT_TEXT_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort {

class TextualSelect;
class Type;

class TextClause {
 public:
  /// Parses `sql`.  Throws ArgumentError for an unterminated quote or block comment, naming
  /// the position where it starts (characters counted from 1; line and column too when the
  /// statement has several lines).
  explicit TextClause(std::string_view sql);

  /// The statement as written.
  const std::string& text() const noexcept { return text_; }
  /// Distinct parameter names in order of first appearance.
  const std::vector<std::string>& bind_names() const noexcept { return names_; }

  /// The SQL for a paramstyle (RETORT_PARAMSTYLE_*), and for each placeholder in it the
  /// index into `bind_names()` it binds.  For `$n`/`:n` styles a repeated name reuses its
  /// number; for `?`/`%s` it gets a new placeholder each time.  For `%s` every literal `%`
  /// is doubled.  Throws ArgumentError for an unknown paramstyle.
  struct Rendered {
    std::string sql;
    std::vector<std::uint32_t> placeholder_params;
  };
  Rendered render(std::uint32_t paramstyle) const;

  /// Declares the columns the statement returns (name and type, in order), making it a
  /// textual SELECT usable as a Select is: `subquery()`, `cte()`, set operations, execution
  /// (SQLAlchemy's `TextClause.columns`).  Its parameters are bound by name at execution.
  /// Defined with the selectables (retort/sql/selectable.hpp).  ArgumentError for no columns.
  TextualSelect columns(std::vector<std::pair<std::string, Type>> columns) const;

  /// The statement split at its parameters.
  struct Piece {
    std::string literal;      // SQL before the parameter
    std::int32_t param = -1;  // index into bind_names(), -1 for the trailing literal
  };
  const std::vector<Piece>& pieces() const noexcept { return pieces_; }

 private:
  std::string text_;
  std::vector<std::string> names_;
  std::vector<Piece> pieces_;
};

/// Builds a TextClause (SQLAlchemy's `text()`).
inline TextClause text(std::string_view sql) {
  return TextClause(sql);
}

}  // namespace retort

#endif  // RETORT_TEXT_HPP
