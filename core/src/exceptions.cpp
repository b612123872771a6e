// core/src/exceptions.cpp — DBAPIError messages and the status/SQLSTATE → class mapping.
#include "logging_impl.hpp"

#include <retort/exceptions.hpp>
#include <retort/plugin_abi.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace retort {

namespace {

char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_word_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_space_or_quote(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\'' || c == '"' || c == '<' ||
         c == '>' || c == '`';
}

std::size_t find_nocase(std::string_view hay, std::string_view needle, std::size_t from) {
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size() && lower(hay[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

// Drivers are told never to put a password in a message (plugin_abi.h), but one that echoes a
// URL or a connection string would; this is the last line of defence before logs.
void mask_url_passwords(std::string& s) {
  for (std::size_t sep = s.find("://"); sep != std::string::npos; sep = s.find("://", sep + 3)) {
    const std::size_t begin = sep + 3;
    std::size_t end = begin;
    while (end < s.size() && !is_space_or_quote(s[end])) ++end;
    const std::size_t at = std::string_view(s).substr(begin, end - begin).rfind('@');
    if (at == std::string_view::npos) continue;
    const std::size_t colon = std::string_view(s).substr(begin, at).find(':');
    if (colon == std::string_view::npos) continue;
    s.replace(begin + colon + 1, at - colon - 1, "***");
  }
}

void mask_keyword_passwords(std::string& s) {
  for (std::string_view key : {std::string_view("password="), std::string_view("pwd=")}) {
    std::size_t from = 0;
    for (std::size_t k = find_nocase(s, key, from); k != std::string::npos;
         k = find_nocase(s, key, from)) {
      const std::size_t value = k + key.size();
      from = value;
      if (k > 0 && is_word_char(s[k - 1])) continue;
      std::size_t end = value;
      if (value < s.size() && (s[value] == '\'' || s[value] == '"' || s[value] == '{')) {
        // Quoted values end at the closing quote; ODBC braces escape `}` as `}}`.
        const char close = s[value] == '{' ? '}' : s[value];
        end = value + 1;
        while (end < s.size() &&
               !(s[end] == close && (close != '}' || end + 1 >= s.size() || s[end + 1] != '}'))) {
          end += (close == '}' && s[end] == '}') ? 2 : 1;
        }
        end = std::min(end + 1, s.size());
      } else {
        while (end < s.size() && s[end] != ';' && s[end] != ',' && !is_space_or_quote(s[end])) {
          ++end;
        }
      }
      s.replace(value, end - value, "***");
      from = value + 3;
    }
  }
}

enum class Kind {
  kDatabase,
  kInterface,
  kData,
  kOperational,
  kIntegrity,
  kInternal,
  kProgramming,
  kNotSupported
};

std::optional<Kind> kind_from_sqlstate(std::string_view sqlstate) {
  if (sqlstate.size() < 2) return std::nullopt;
  const std::string_view cls = sqlstate.substr(0, 2);
  if (cls == "23") return Kind::kIntegrity;
  if (cls == "22") return Kind::kData;
  if (cls == "42" || cls == "3D" || cls == "3F" || cls == "44") return Kind::kProgramming;
  if (cls == "0A") return Kind::kNotSupported;
  if (cls == "08" || cls == "28" || cls == "40" || cls == "53" || cls == "54" || cls == "55" ||
      cls == "57" || cls == "58") {
    return Kind::kOperational;
  }
  if (cls == "XX") return Kind::kInternal;
  return std::nullopt;
}

Kind classify(std::int32_t status, std::string_view sqlstate) {
  switch (status) {
    case RETORT_NOT_IMPLEMENTED:
      return Kind::kNotSupported;
    case RETORT_SYNTAX:
    case RETORT_UNAUTHORIZED:
      return Kind::kProgramming;
    case RETORT_INVALID_ARGUMENT:
    case RETORT_INVALID_STATE:
      return Kind::kInterface;
    case RETORT_INVALID_DATA:
      return Kind::kData;
    case RETORT_INTEGRITY:
      return Kind::kIntegrity;
    case RETORT_NOT_FOUND:
    case RETORT_IO:
    case RETORT_CANCELLED:
    case RETORT_TIMEOUT:
    case RETORT_UNAUTHENTICATED:
    case RETORT_DISCONNECTED:
    case RETORT_TRANSACTION_ROLLBACK:
      return Kind::kOperational;
    case RETORT_INTERNAL:
      return kind_from_sqlstate(sqlstate).value_or(Kind::kInternal);
    default:
      return kind_from_sqlstate(sqlstate).value_or(Kind::kDatabase);
  }
}

}  // namespace

namespace detail {
void mask_passwords(std::string& text) {
  mask_url_passwords(text);
  mask_keyword_passwords(text);
}
}  // namespace detail

std::string DBAPIError::prepare(Info& info, const char* class_name) {
  mask_url_passwords(info.message);
  mask_keyword_passwords(info.message);
  if (info.status == RETORT_DISCONNECTED || info.sqlstate.starts_with("08")) {
    info.connection_invalidated = true;
  }
  std::string what = fmt::format("({})", class_name);
  if (!info.dialect.empty()) what += fmt::format(" [{}]", info.dialect);
  if (!info.message.empty()) what += " " + info.message;
  if (!info.sqlstate.empty()) what += "\nSQLSTATE: " + info.sqlstate;
  if (!info.statement.empty()) what += "\n[SQL: " + info.statement + "]";
  if (info.parameters) what += "\n[parameters: " + *info.parameters + "]";
  return what;
}

DBAPIError::DBAPIError(Info info, const char* class_name)
    : Error(prepare(info, class_name)), info_(std::move(info)) {}

std::string DBAPIError::detail(const std::string& key) const {
  for (const auto& [k, v] : info_.details) {
    if (k == key) return v;
  }
  return {};
}

void throw_dbapi_error(DBAPIError::Info info) {
  switch (classify(info.status, info.sqlstate)) {
    case Kind::kInterface:
      throw InterfaceError(std::move(info));
    case Kind::kData:
      throw DataError(std::move(info));
    case Kind::kOperational:
      throw OperationalError(std::move(info));
    case Kind::kIntegrity:
      throw IntegrityError(std::move(info));
    case Kind::kInternal:
      throw InternalError(std::move(info));
    case Kind::kProgramming:
      throw ProgrammingError(std::move(info));
    case Kind::kNotSupported:
      throw NotSupportedError(std::move(info));
    case Kind::kDatabase:
      break;
  }
  throw DatabaseError(std::move(info));
}

}  // namespace retort
