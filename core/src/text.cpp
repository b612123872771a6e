// core/src/text.cpp — the TextClause scanner and paramstyle rendering.
#include <retort/exceptions.hpp>
#include <retort/plugin_abi.h>
#include <retort/text.hpp>

#include <fmt/format.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace retort {

namespace {

bool is_name_start(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_name_char(char c) noexcept {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

// Bytes of multi-byte UTF-8 characters count as word characters, so `café:x` is no parameter.
bool is_word_char(char c) noexcept {
  return is_name_char(c) || static_cast<unsigned char>(c) >= 0x80;
}

[[noreturn]] void throw_unterminated(std::string_view sql, std::size_t at, std::string_view what,
                                     std::string_view expected) {
  std::size_t line = 1;
  std::size_t column = 1;
  std::size_t position = 1;
  for (std::size_t i = 0; i < at; ++i) {
    const auto c = static_cast<unsigned char>(sql[i]);
    if ((c & 0xC0) == 0x80) continue;  // positions count characters, not bytes
    ++position;
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  const bool multiline = sql.find('\n') != std::string_view::npos;
  std::string_view excerpt = sql.substr(at);
  const std::size_t newline = excerpt.find('\n');
  bool cut = false;
  if (newline != std::string_view::npos) {
    excerpt = excerpt.substr(0, newline);
    cut = true;
  }
  if (excerpt.size() > 40) {
    std::size_t end = 40;
    while (end > 0 && (static_cast<unsigned char>(excerpt[end]) & 0xC0) == 0x80) --end;
    excerpt = excerpt.substr(0, end);
    cut = true;
  }
  throw ArgumentError(fmt::format(
      "Could not parse SQL text: unterminated {} starting at position {}{} (expected {}): {}{}",
      what, position, multiline ? fmt::format(", line {} column {}", line, column) : "", expected,
      excerpt, cut ? "…" : ""));
}

// Returns the index just past the closing quote.  A doubled quote is part of the literal;
// with `backslash_escapes` (PostgreSQL E'…') so is a backslash-escaped character.
std::size_t skip_quoted(std::string_view sql, std::size_t open, bool backslash_escapes) {
  const char q = sql[open];
  for (std::size_t i = open + 1; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\\' && backslash_escapes) {
      ++i;
    } else if (c == q) {
      if (i + 1 < sql.size() && sql[i + 1] == q) {
        ++i;
      } else {
        return i + 1;
      }
    }
  }
  switch (q) {
    case '\'':
      throw_unterminated(sql, open, "string literal", "a closing \"'\"");
    case '"':
      throw_unterminated(sql, open, "quoted identifier", "a closing '\"'");
    default:
      throw_unterminated(sql, open, "quoted identifier", "a closing '`'");
  }
}

// PostgreSQL's $tag$…$tag$.  Returns the index past the closing tag, or `open` when this `$` is
// not the start of a complete dollar-quoted string (then it is plain SQL: a `$1`, or `$` in a
// MySQL identifier).
std::size_t skip_dollar_quoted(std::string_view sql, std::size_t open) {
  if (open > 0 && (is_word_char(sql[open - 1]) || sql[open - 1] == '$')) return open;
  std::size_t j = open + 1;
  if (j < sql.size() && !is_name_start(sql[j]) && sql[j] != '$') return open;
  while (j < sql.size() && is_name_char(sql[j])) ++j;
  if (j >= sql.size() || sql[j] != '$') return open;
  const std::string_view tag = sql.substr(open, j - open + 1);
  const std::size_t close = sql.find(tag, j + 1);
  return close == std::string_view::npos ? open : close + tag.size();
}

}  // namespace

TextClause::TextClause(std::string_view sql) : text_(sql) {
  std::string literal;
  literal.reserve(sql.size());
  std::size_t run = 0;  // start of the SQL not yet copied into `literal`
  // Small statements find names by linear search; a map only pays off for many names.  Both
  // look at views into `sql`, which (unlike names_' strings) never move.
  std::vector<std::string_view> views;
  std::unordered_map<std::string_view, std::int32_t> index;

  auto name_index = [&](std::string_view name) -> std::int32_t {
    if (views.size() < 16) {
      for (std::size_t k = 0; k < views.size(); ++k) {
        if (views[k] == name) return static_cast<std::int32_t>(k);
      }
    } else {
      if (index.empty()) {
        for (std::size_t k = 0; k < views.size(); ++k) {
          index.emplace(views[k], static_cast<std::int32_t>(k));
        }
      }
      if (auto it = index.find(name); it != index.end()) return it->second;
    }
    const auto k = static_cast<std::int32_t>(views.size());
    views.push_back(name);
    names_.emplace_back(name);
    if (!index.empty()) index.emplace(name, k);
    return k;
  };

  const std::size_t n = sql.size();
  std::size_t i = 0;
  while (i < n) {
    const char c = sql[i];
    const char next = i + 1 < n ? sql[i + 1] : '\0';
    switch (c) {
      case '\'': {
        // E'…' (PostgreSQL) allows backslash escapes such as \'.
        const bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                             (i < 2 || !is_word_char(sql[i - 2]));
        i = skip_quoted(sql, i, escapes);
        break;
      }
      case '"':
      case '`':
        i = skip_quoted(sql, i, false);
        break;
      case '-':
        if (next == '-') {
          const std::size_t eol = sql.find('\n', i + 2);
          i = eol == std::string_view::npos ? n : eol;
        } else {
          ++i;
        }
        break;
      case '/':
        if (next == '*') {
          const std::size_t close = sql.find("*/", i + 2);
          if (close == std::string_view::npos) {
            throw_unterminated(sql, i, "block comment", "'*/'");
          }
          i = close + 2;
        } else {
          ++i;
        }
        break;
      case '$': {
        const std::size_t end = skip_dollar_quoted(sql, i);
        i = end == i ? i + 1 : end;
        break;
      }
      case '\\':
        if (next == ':') {
          literal.append(sql.substr(run, i - run));
          run = i + 1;  // drop the backslash, keep the colon
          i += 2;
        } else {
          ++i;
        }
        break;
      case ':': {
        if (next == ':') {
          i += 2;  // a `::` cast
          break;
        }
        const char prev = i > 0 ? sql[i - 1] : '\0';
        if (is_word_char(prev) || prev == ':' || !is_name_start(next)) {
          ++i;
          break;
        }
        std::size_t end = i + 1;
        while (end < n && is_name_char(sql[end])) ++end;
        literal.append(sql.substr(run, i - run));
        const std::int32_t param = name_index(sql.substr(i + 1, end - i - 1));
        pieces_.push_back(Piece{std::move(literal), param});
        literal.clear();
        run = i = end;
        break;
      }
      default:
        ++i;
        break;
    }
  }
  literal.append(sql.substr(run));
  pieces_.push_back(Piece{std::move(literal), -1});
}

TextClause::Rendered TextClause::render(std::uint32_t paramstyle) const {
  if (paramstyle < RETORT_PARAMSTYLE_QMARK || paramstyle > RETORT_PARAMSTYLE_FORMAT) {
    throw ArgumentError(fmt::format(
        "Unknown paramstyle {} (expected RETORT_PARAMSTYLE_QMARK, _NUMERIC, _DOLLAR or _FORMAT)",
        paramstyle));
  }
  Rendered out;
  out.sql.reserve(text_.size() + 4 * pieces_.size());
  out.placeholder_params.reserve(pieces_.size());
  std::vector<std::uint32_t> number;  // NUMERIC/DOLLAR: the number given to each name, 0 = none
  if (paramstyle == RETORT_PARAMSTYLE_NUMERIC || paramstyle == RETORT_PARAMSTYLE_DOLLAR) {
    number.assign(names_.size(), 0);
  }
  for (const Piece& piece : pieces_) {
    if (paramstyle == RETORT_PARAMSTYLE_FORMAT) {
      // pyformat drivers read every `%` as a conversion, even inside string literals.
      std::string_view rest = piece.literal;
      for (std::size_t pct = rest.find('%'); pct != std::string_view::npos; pct = rest.find('%')) {
        out.sql.append(rest.substr(0, pct + 1));
        out.sql.push_back('%');
        rest.remove_prefix(pct + 1);
      }
      out.sql.append(rest);
    } else {
      out.sql.append(piece.literal);
    }
    if (piece.param < 0) continue;
    const auto param = static_cast<std::uint32_t>(piece.param);
    switch (paramstyle) {
      case RETORT_PARAMSTYLE_QMARK:
        out.sql.push_back('?');
        out.placeholder_params.push_back(param);
        break;
      case RETORT_PARAMSTYLE_FORMAT:
        out.sql.append("%s");
        out.placeholder_params.push_back(param);
        break;
      default:
        if (number[param] == 0) {
          out.placeholder_params.push_back(param);
          number[param] = static_cast<std::uint32_t>(out.placeholder_params.size());
        }
        out.sql.push_back(paramstyle == RETORT_PARAMSTYLE_DOLLAR ? '$' : ':');
        const fmt::format_int digits(number[param]);
        out.sql.append(digits.data(), digits.size());
        break;
    }
  }
  return out;
}

}  // namespace retort
