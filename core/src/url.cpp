// core/src/url.cpp — parsing and rendering of database URLs (SQLAlchemy's grammar).
#include <retort/exceptions.hpp>
#include <retort/url.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace retort {

namespace {

constexpr std::string_view kUrlShape =
    "dialect[+driver]://[user[:password]@][host][:port][/database][?key=value&...]";
constexpr std::string_view kDriverChars = "letters, digits, '_', '.', '-' and at most one '+'";
constexpr std::string_view kPercentEscape = "'%' followed by two hexadecimal digits";
constexpr std::string_view kPortRange = "digits 0-65535";

bool is_driver_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-' || c == '+';
}

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Control characters and spaces would make an error message unreadable (or span lines).
std::string describe_char(std::string_view text, std::size_t at) {
  const auto c = static_cast<unsigned char>(text[at]);
  if (c < 0x20 || c == 0x7f) return fmt::format("\\x{:02x}", c);
  if (c < 0x80) return fmt::format("'{}'", static_cast<char>(c));
  std::size_t end = at + 1;
  while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  return fmt::format("'{}'", text.substr(at, end - at));
}

// Positions in messages count characters (not bytes) from 1, like PostgreSQL's.
std::size_t char_position(std::string_view text, std::size_t byte_offset) {
  std::size_t pos = 1;
  for (std::size_t i = 0; i < byte_offset && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++pos;
  }
  return pos;
}

bool is_valid_port(std::string_view s) noexcept {
  if (s.empty() || s.size() > 5) return false;
  int v = 0;
  for (char c : s) {
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  return v <= 65535;
}

// Where the credentials end (the `@` that separates them from the host) in the text after
// `://`, or npos.  Normally that is the last `@` before the first `/` or `?`.  Like
// SQLAlchemy, a password may also hold a raw `/` or `?`: when the part before the first `/` or
// `?` looks like `user:pass` (it is not a valid `host:port`) and an `@` follows, the
// credentials run to the last `@` of the host part that follows.  An `@` in the database or
// query never starts credentials otherwise.
std::size_t find_credentials_end(std::string_view rest) {
  const std::size_t auth_end = std::min(rest.find_first_of("/?"), rest.size());
  const std::size_t at = rest.substr(0, auth_end).rfind('@');
  if (at != std::string_view::npos) return at;
  if (auth_end == rest.size() || auth_end == 0 || rest[0] == '[') return std::string_view::npos;
  const std::string_view auth = rest.substr(0, auth_end);
  const std::size_t colon = auth.find(':');
  if (colon == std::string_view::npos || is_valid_port(auth.substr(colon + 1))) {
    return std::string_view::npos;
  }
  const std::size_t first_at = rest.find('@', auth_end);
  if (first_at == std::string_view::npos) return std::string_view::npos;
  const std::size_t host_end = std::min(rest.find_first_of("/?", first_at + 1), rest.size());
  return rest.substr(0, host_end).rfind('@');
}

// Where the text after the scheme starts, also for text too broken to have `://`, so that a
// password can be masked in any error message.
std::size_t authority_start(std::string_view text) {
  const std::size_t sep = text.find("://");
  if (sep != std::string_view::npos) return sep + 3;
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon + 1 >= text.size() || text[colon + 1] != '/') {
    return 0;
  }
  std::size_t p = colon + 1;
  while (p < text.size() && text[p] == '/') ++p;
  return p;
}

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The byte range of whatever looks like a password, if anything does.
std::optional<Span> find_password(std::string_view text) {
  const std::size_t start = authority_start(text);
  const std::string_view rest = text.substr(start);
  const std::size_t creds_end = find_credentials_end(rest);
  if (creds_end != std::string_view::npos) {
    const std::size_t colon = rest.substr(0, creds_end).find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    return Span{start + colon + 1, start + creds_end};
  }
  if (text.find("://") != std::string_view::npos) return std::nullopt;
  // Too broken to find the authority (`postgresql//u:p@h`): the first `@`, extended over any
  // further `@` of the same host part, ends the credentials; the user name is taken to hold
  // no `/`, the password may.
  std::size_t at = text.find('@');
  if (at == std::string_view::npos) return std::nullopt;
  at = text.substr(0, std::min(text.find_first_of("/?", at), text.size())).rfind('@');
  std::size_t seg = at;
  while (true) {
    const std::size_t slash = seg == 0 ? std::string_view::npos : text.rfind('/', seg - 1);
    seg = slash == std::string_view::npos ? 0 : slash + 1;
    const std::size_t colon = text.substr(seg, at - seg).find(':');
    if (colon != std::string_view::npos) return Span{seg + colon + 1, at};
    if (slash == std::string_view::npos) return std::nullopt;
    seg = slash;
  }
}

struct DriverProblem {
  std::size_t offset;
  std::string what;
  std::string_view expected;
};

std::optional<DriverProblem> check_drivername(std::string_view name) {
  if (name.empty()) {
    return DriverProblem{0, "empty drivername", "a dialect name such as 'postgresql'"};
  }
  std::size_t plus = std::string_view::npos;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!is_driver_char(name[i])) {
      return DriverProblem{
          i, fmt::format("invalid character {} in drivername", describe_char(name, i)),
          kDriverChars};
    }
    if (name[i] != '+') continue;
    if (plus != std::string_view::npos) {
      return DriverProblem{i, "second '+' in drivername",
                           "at most one '+', as in 'dialect+driver'"};
    }
    plus = i;
  }
  if (plus == 0) {
    return DriverProblem{0, "empty dialect name before '+'", "'dialect+driver'"};
  }
  if (plus == name.size() - 1) {
    return DriverProblem{plus, "empty driver name after '+'", "'dialect+driver'"};
  }
  return std::nullopt;
}

// Returns the offset of a malformed escape, or npos.  `plus_is_space` follows HTML-form
// decoding, which SQLAlchemy applies to the query (parse_qsl) and only there.
std::size_t percent_decode(std::string_view in, bool plus_is_space, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      const int hi = i + 1 < in.size() ? hex_value(in[i + 1]) : -1;
      const int lo = i + 2 < in.size() ? hex_value(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) return i;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return std::string_view::npos;
}

class UrlParser {
 public:
  explicit UrlParser(std::string_view text) : text_(text), password_(find_password(text)) {}

  struct Parts {
    std::string drivername;
    std::optional<std::string> username, password, host, database;
    std::optional<int> port;
    URL::Query query;
  };

  Parts parse() {
    Parts parts;
    if (text_.empty()) {
      throw ArgumentError(fmt::format(
          "Could not parse Retort URL '': the string is empty (expected {})", kUrlShape));
    }
    std::size_t i = 0;
    while (i < text_.size() && is_driver_char(text_[i])) ++i;
    if (text_.substr(i, 3) != "://") {
      const std::size_t sep = text_.find("://");
      if (sep != std::string_view::npos && i < sep) {
        fail(i, fmt::format("invalid character {} in drivername", describe_char(text_, i)),
             kDriverChars);
      }
      fail(i, "missing '://' after the drivername", kUrlShape);
    }
    if (auto problem = check_drivername(text_.substr(0, i))) {
      fail(problem->offset, problem->what, problem->expected);
    }
    parts.drivername = std::string(text_.substr(0, i));

    const std::size_t base = i + 3;
    const std::string_view rest = text_.substr(base);
    std::size_t p = 0;

    const std::size_t creds_end = find_credentials_end(rest);
    if (creds_end != std::string_view::npos) {
      const std::string_view creds = rest.substr(0, creds_end);
      const std::size_t colon = creds.find(':');
      parts.username = decode(creds.substr(0, colon), base, "username", false);
      if (colon != std::string_view::npos) {
        std::string password;
        if (percent_decode(creds.substr(colon + 1), false, password) != std::string_view::npos) {
          // Quoting the bad escape would reveal part of the password.
          fail(base + colon + 1, "invalid percent-escape in the password", kPercentEscape);
        }
        parts.password = std::move(password);
      }
      p = creds_end + 1;
    }

    if (p < rest.size() && rest[p] == '[') {
      const std::size_t close = rest.find_first_of("]/?", p + 1);
      if (close == std::string_view::npos || rest[close] != ']') {
        fail(base + p, "unterminated '[' in IPv6 host", "']' closing the address");
      }
      if (close == p + 1) fail(base + p, "empty IPv6 host '[]'", "an address such as '[::1]'");
      parts.host = decode(rest.substr(p + 1, close - p - 1), base + p + 1, "host", false);
      p = close + 1;
      if (p < rest.size() && rest[p] != ':' && rest[p] != '/' && rest[p] != '?') {
        fail(base + p,
             fmt::format("unexpected character {} after IPv6 host", describe_char(rest, p)),
             "':', '/', '?' or the end of the URL");
      }
    } else {
      const std::size_t end = std::min(rest.find_first_of(":/?", p), rest.size());
      if (end > p) parts.host = decode(rest.substr(p, end - p), base + p, "host", false);
      p = end;
    }

    if (p < rest.size() && rest[p] == ':') {
      const std::size_t end = std::min(rest.find_first_of("/?", p + 1), rest.size());
      const std::string_view port = rest.substr(p + 1, end - p - 1);
      // An empty port means no port, as in SQLAlchemy.
      if (!port.empty()) {
        if (!std::all_of(port.begin(), port.end(), is_digit)) {
          fail(base + p + 1, fmt::format("invalid port '{}'", port), kPortRange);
        }
        if (!is_valid_port(port)) {
          fail(base + p + 1, fmt::format("port '{}' out of range", port), kPortRange);
        }
        parts.port = std::stoi(std::string(port));
      }
      p = end;
    }

    if (p < rest.size() && rest[p] == '/') {
      const std::size_t end = std::min(rest.find('?', p + 1), rest.size());
      parts.database = decode(rest.substr(p + 1, end - p - 1), base + p + 1, "database", false);
      p = end;
    }

    if (p < rest.size() && rest[p] == '?') parse_query(rest.substr(p + 1), base + p + 1, parts);
    return parts;
  }

 private:
  void parse_query(std::string_view query, std::size_t offset, Parts& parts) const {
    std::size_t start = 0;
    while (start <= query.size()) {
      const std::size_t amp = std::min(query.find('&', start), query.size());
      const std::string_view item = query.substr(start, amp - start);
      if (!item.empty()) {
        const std::size_t eq = item.find('=');
        const std::string_view key = item.substr(0, eq);
        if (key.empty()) fail(offset + start, "empty query key", "'key=value'");
        std::string k = decode(key, offset + start, "query key", true);
        std::string v;
        if (eq != std::string_view::npos) {
          v = decode(item.substr(eq + 1), offset + start + eq + 1, "query value", true);
        }
        parts.query.emplace_back(std::move(k), std::move(v));
      }
      start = amp + 1;
    }
  }

  std::string decode(std::string_view in, std::size_t offset, std::string_view component,
                     bool plus_is_space) const {
    std::string out;
    const std::size_t bad = percent_decode(in, plus_is_space, out);
    if (bad != std::string_view::npos) {
      fail(offset + bad,
           fmt::format("invalid percent-escape '{}' in the {}", in.substr(bad, 3), component),
           kPercentEscape);
    }
    return out;
  }

  [[noreturn]] void fail(std::size_t offset, std::string_view what,
                         std::string_view expected) const {
    std::string shown(text_);
    std::size_t shown_offset = offset;
    if (password_) {
      const auto [b, e] = *password_;
      shown.replace(b, e - b, "***");
      if (offset >= e) {
        shown_offset = offset - (e - b) + 3;
      } else if (offset > b) {
        shown_offset = b;
      }
    }
    throw ArgumentError(
        fmt::format("Could not parse Retort URL '{}': {} at position {} (expected {})", shown, what,
                    char_position(shown, shown_offset), expected));
  }

  std::string_view text_;
  std::optional<Span> password_;
};

bool needs_escape(unsigned char c, std::string_view reserved) noexcept {
  return c <= 0x20 || c == 0x7f || reserved.find(static_cast<char>(c)) != std::string_view::npos;
}

// Bytes >= 0x80 stay as they are: UTF-8 names read better than %XX and still round-trip.
void append_encoded(std::string& out, std::string_view s, std::string_view reserved,
                    bool space_as_plus = false) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ' && space_as_plus) {
      out.push_back('+');
    } else if (needs_escape(c, reserved)) {
      out += fmt::format("%{:02X}", c);
    } else {
      out.push_back(ch);
    }
  }
}

constexpr std::string_view kUserinfoReserved = "%@:/?#&=[]";
constexpr std::string_view kHostReserved = "%@:/?#[]";
constexpr std::string_view kBracketedHostReserved = "%@/?#[]";
constexpr std::string_view kDatabaseReserved = "%?#";
constexpr std::string_view kQueryReserved = "%&=#+";

}  // namespace

URL URL::create(std::string drivername, std::optional<std::string> username,
                std::optional<std::string> password, std::optional<std::string> host,
                std::optional<int> port, std::optional<std::string> database, Query query) {
  if (auto problem = check_drivername(drivername)) {
    throw ArgumentError(fmt::format("Invalid drivername '{}': {} at position {} (expected {})",
                                    drivername, problem->what,
                                    char_position(drivername, problem->offset), problem->expected));
  }
  if (port && (*port < 0 || *port > 65535)) {
    throw ArgumentError(fmt::format("Invalid port {} (expected 0-65535)", *port));
  }
  for (const auto& [key, value] : query) {
    if (key.empty()) throw ArgumentError("Invalid URL query: empty key (expected 'key=value')");
  }
  URL url;
  url.drivername_ = std::move(drivername);
  // Normalised so that rendering and parsing again gives an equal URL: text cannot tell an
  // empty host from no host, nor a password alone from an empty user with a password.
  url.username_ = (password && !username) ? std::optional<std::string>("") : std::move(username);
  url.password_ = std::move(password);
  url.host_ = (host && host->empty()) ? std::nullopt : std::move(host);
  url.port_ = port;
  url.database_ = std::move(database);
  url.query_ = std::move(query);
  return url;
}

std::string URL::get_backend_name() const {
  return drivername_.substr(0, drivername_.find('+'));
}

std::string URL::get_driver_name() const {
  const std::size_t plus = drivername_.find('+');
  return plus == std::string::npos ? std::string() : drivername_.substr(plus + 1);
}

std::optional<std::string> URL::query_value(std::string_view key) const {
  for (auto it = query_.rbegin(); it != query_.rend(); ++it) {
    if (it->first == key) return it->second;
  }
  return std::nullopt;
}

std::vector<std::string> URL::query_values(std::string_view key) const {
  std::vector<std::string> values;
  for (const auto& [k, v] : query_) {
    if (k == key) values.push_back(v);
  }
  return values;
}

std::string URL::render_as_string(bool hide_password) const {
  std::string out = drivername_;
  out += "://";
  if (username_ || password_) {
    if (username_) append_encoded(out, *username_, kUserinfoReserved);
    if (password_) {
      out.push_back(':');
      if (hide_password) {
        out += "***";
      } else {
        append_encoded(out, *password_, kUserinfoReserved);
      }
    }
    out.push_back('@');
  }
  if (host_) {
    if (host_->find(':') != std::string::npos) {
      out.push_back('[');
      append_encoded(out, *host_, kBracketedHostReserved);
      out.push_back(']');
    } else {
      append_encoded(out, *host_, kHostReserved);
    }
  }
  if (port_) out += fmt::format(":{}", *port_);
  if (database_) {
    out.push_back('/');
    append_encoded(out, *database_, kDatabaseReserved);
  }
  for (std::size_t i = 0; i < query_.size(); ++i) {
    out.push_back(i == 0 ? '?' : '&');
    append_encoded(out, query_[i].first, kQueryReserved, true);
    out.push_back('=');
    append_encoded(out, query_[i].second, kQueryReserved, true);
  }
  return out;
}

URL URL::with_query_value(std::string key, std::string value) const {
  if (key.empty()) throw ArgumentError("Invalid URL query: empty key (expected 'key=value')");
  URL copy = *this;
  auto& q = copy.query_;
  const auto first =
      std::find_if(q.begin(), q.end(), [&](const auto& kv) { return kv.first == key; });
  if (first == q.end()) {
    q.emplace_back(std::move(key), std::move(value));
    return copy;
  }
  // The key keeps the place of its first occurrence.
  const auto index = first - q.begin();
  std::erase_if(q, [&](const auto& kv) { return kv.first == key; });
  q.insert(q.begin() + index, {std::move(key), std::move(value)});
  return copy;
}

URL make_url(std::string_view text) {
  UrlParser::Parts parts = UrlParser(text).parse();
  URL url;
  url.drivername_ = std::move(parts.drivername);
  url.username_ = std::move(parts.username);
  url.password_ = std::move(parts.password);
  url.host_ = std::move(parts.host);
  url.port_ = parts.port;
  url.database_ = std::move(parts.database);
  url.query_ = std::move(parts.query);
  return url;
}

std::ostream& operator<<(std::ostream& out, const URL& url) {
  return out << url.render_as_string(true);
}

}  // namespace retort
