// retort/url.hpp — database URLs: `dialect[+driver]://[user[:password]@]host[:port][/db][?k=v…]`
// SPDX-License-Identifier: MIT
//
// The grammar is SQLAlchemy's:
//
//   postgresql+libpq://scott:tiger@localhost:5432/mydb?sslmode=require
//   mariadb://u:p@[::1]:3306/db            IPv6 host in brackets
//   sqlite://                               in-memory database
//   sqlite:///relative/path.db              path relative to the working directory
//   sqlite:////absolute/path.db             absolute path
//   sqlite:///file.db?mode=ro&timeout=5     query keys; a key may repeat
//
// User, password, host, database and query parts are percent-decoded; in the query, as in
// SQLAlchemy (which reads it with parse_qsl), `+` also means a space, so
// `?driver=ODBC+Driver+18+for+SQL+Server` works and a literal `+` there is written `%2B`.
// A key without `=` has the value "".  An empty port (`host:/db`) means no port.
//
// A password should percent-encode `@`, `/` and `?`, but as in SQLAlchemy the last `@` of the
// host part ends the credentials, so `u:p@ss@host` and `u:pa/ss@host` still parse.
//
// A URL is an immutable value; printing it masks the password as `***`.  Thread-safe as any
// const value.
#ifndef RETORT_URL_HPP
#define RETORT_URL_HPP

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort {

class URL {
 public:
  using Query = std::vector<std::pair<std::string, std::string>>;

  /// Builds a URL from parts (already decoded).  Throws ArgumentError when `drivername` is
  /// empty or malformed (`[A-Za-z0-9_.-]+`, at most one `+`), the port is outside 0-65535 or
  /// a query key is empty.  So that rendering round-trips, an empty host becomes no host and
  /// a password without a username gets the username "".
  static URL create(std::string drivername, std::optional<std::string> username = {},
                    std::optional<std::string> password = {},
                    std::optional<std::string> host = {}, std::optional<int> port = {},
                    std::optional<std::string> database = {}, Query query = {});

  /// `dialect` or `dialect+driver`, as written.
  const std::string& drivername() const noexcept { return drivername_; }
  /// The part before `+`: `postgresql`.
  std::string get_backend_name() const;
  /// The part after `+`, or empty when the URL names no driver.
  std::string get_driver_name() const;

  const std::optional<std::string>& username() const noexcept { return username_; }
  const std::optional<std::string>& password() const noexcept { return password_; }
  const std::optional<std::string>& host() const noexcept { return host_; }
  const std::optional<int>& port() const noexcept { return port_; }
  const std::optional<std::string>& database() const noexcept { return database_; }
  /// Every query key/value, in order, repeated keys repeated.
  const Query& query() const noexcept { return query_; }
  /// The last value given for `key`, if any.
  std::optional<std::string> query_value(std::string_view key) const;
  /// Every value given for `key`, in order.
  std::vector<std::string> query_values(std::string_view key) const;

  /// The URL as text, percent-encoding what needs it (`make_url` of the unmasked rendering
  /// gives an equal URL).  With `hide_password` (the default) the password is `***`.  A host
  /// holding `:` is written in brackets; query spaces are written `+`.
  std::string render_as_string(bool hide_password = true) const;

  /// A copy with the query key `key` set to `value` (replacing earlier values; the key keeps
  /// the place of its first occurrence).  Throws ArgumentError for an empty key.
  URL with_query_value(std::string key, std::string value) const;

  friend bool operator==(const URL&, const URL&) = default;

 private:
  URL() = default;
  friend URL make_url(std::string_view);

  std::string drivername_;
  std::optional<std::string> username_;
  std::optional<std::string> password_;
  std::optional<std::string> host_;
  std::optional<int> port_;
  std::optional<std::string> database_;
  Query query_;
};

/// Parses a URL.  Throws ArgumentError on malformed input; the message quotes the URL (with
/// any password masked), gives the character position (counted from 1 in the quoted text)
/// and says what was expected there:
///
///   Could not parse Retort URL 'postgresql://u:***@host:99x/db': invalid port '99x' at
///   position 25 (expected digits 0-65535)
URL make_url(std::string_view text);

/// Prints `url.render_as_string()` (password masked).
std::ostream& operator<<(std::ostream& out, const URL& url);

}  // namespace retort

#endif  // RETORT_URL_HPP
