// core/src/sql/naming.cpp — naming conventions, long-name truncation, foreign-key
// resolution.
#include "ddl_support.hpp"

#include <retort/exceptions.hpp>

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace retort::detail {

// --- MD5 (RFC 1321) ---------------------------------------------------------------------------
// Only to reproduce SQLAlchemy's truncated names byte for byte; not used for security.

std::string md5_hex(std::string_view data) {
  static constexpr std::array<std::uint32_t, 64> k = [] {
    std::array<std::uint32_t, 64> t{};
    constexpr std::uint32_t v[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
        0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
        0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
        0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
        0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
        0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
        0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
        0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
        0xeb86d391};
    for (int i = 0; i < 64; ++i) t[i] = v[i];
    return t;
  }();
  static constexpr int r[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
  std::string msg(data);
  const std::uint64_t bits = static_cast<std::uint64_t>(msg.size()) * 8;
  msg += static_cast<char>(0x80);
  while (msg.size() % 64 != 56) msg += '\0';
  for (int i = 0; i < 8; ++i) msg += static_cast<char>((bits >> (8 * i)) & 0xff);
  std::uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  auto rotl = [](std::uint32_t x, int c) { return (x << c) | (x >> (32 - c)); };
  for (std::size_t off = 0; off < msg.size(); off += 64) {
    std::uint32_t w[16];
    for (int i = 0; i < 16; ++i) {
      w[i] = 0;
      for (int b = 0; b < 4; ++b)
        w[i] |= static_cast<std::uint32_t>(static_cast<unsigned char>(msg[off + i * 4 + b]))
                << (8 * b);
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 64; ++i) {
      std::uint32_t f;
      int g;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const std::uint32_t tmp = d;
      d = c;
      c = b;
      b = b + rotl(a + f + k[i] + w[g], r[i]);
      a = tmp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
  }
  std::string out;
  for (std::uint32_t v : h) {
    for (int i = 0; i < 4; ++i) out += fmt::format("{:02x}", (v >> (8 * i)) & 0xff);
  }
  return out;
}

// --- Naming conventions -----------------------------------------------------------------------

namespace {

const char* long_kind(std::string_view kind) {
  if (kind == "pk") return "primary_key";
  if (kind == "fk") return "foreign_key";
  if (kind == "uq") return "unique";
  if (kind == "ck") return "check";
  return "index";
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

// One token: `column_0_name`, `column_0N_key`, `referred_column_0_N_name`, …
std::string token_value(const NamingSubject& s, const std::string& token,
                        const std::string& convention) {
  const TableData& t = *s.table;
  auto fail = [&](const std::string& why) -> std::string {
    throw ArgumentError(fmt::format("naming convention '{}' for {} on table '{}': {}", convention,
                                    long_kind(s.kind), t.name, why));
  };
  if (token == "table_name") return t.name;
  if (token == "constraint_name") {
    if (s.explicit_name.empty()) {
      fail("%(constraint_name)s needs an explicitly named constraint");
    }
    return s.explicit_name;
  }
  if (token == "referred_table_name") {
    if (s.referred == nullptr) fail("%(referred_table_name)s applies to foreign keys only");
    return s.referred->table->name;
  }
  const bool referred = token.rfind("referred_", 0) == 0;
  std::string rest = referred ? token.substr(9) : token;
  if (rest.rfind("column_", 0) != 0) fail(fmt::format("unknown token %({})s", token));
  rest = rest.substr(7);
  std::size_t digits = 0;
  while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
  if (digits == 0) fail(fmt::format("unknown token %({})s", token));
  const std::size_t index = std::stoul(rest.substr(0, digits));
  rest = rest.substr(digits);
  std::string sep;
  bool all = false;
  if (rest.rfind("N_", 0) == 0) {
    all = true;
    rest = rest.substr(1);
  } else if (rest.rfind("_N_", 0) == 0) {
    all = true;
    sep = "_";
    rest = rest.substr(2);
  }
  if (rest != "_name" && rest != "_key" && rest != "_label") {
    fail(fmt::format("unknown token %({})s", token));
  }
  if (referred && s.referred == nullptr) {
    fail(fmt::format("%({})s applies to foreign keys only", token));
  }
  const TableData& owner = referred ? *s.referred->table : t;
  std::vector<std::string> names;
  if (referred) {
    for (const auto* c : s.referred->columns) names.push_back(c->name);
  } else {
    names = s.columns;
  }
  auto render = [&](const std::string& name) {
    const ColumnData* c = owner.find_name(name);
    if (rest == "_key") return c != nullptr ? c->key : name;
    if (rest == "_label") return owner.name + "_" + name;
    return name;
  };
  if (all) {
    std::vector<std::string> parts;
    for (const auto& n : names) parts.push_back(render(n));
    return join(parts, sep);
  }
  if (index >= names.size()) {
    fail(fmt::format("%({})s: there are only {} columns", token, names.size()));
  }
  return render(names[index]);
}

}  // namespace

ConstraintName conventional_name(const NamingSubject& s) {
  ConstraintName out{s.explicit_name, false};
  auto md = s.table->metadata.lock();
  if (!md) return out;
  const auto& conventions = md->options.naming_convention;
  auto it = conventions.find(s.kind);
  if (it == conventions.end()) it = conventions.find(long_kind(s.kind));
  if (it == conventions.end()) return out;
  const std::string& convention = it->second;
  if (!s.explicit_name.empty() && convention.find("%(constraint_name)s") == std::string::npos) {
    return out;
  }
  std::string name;
  for (std::size_t i = 0; i < convention.size();) {
    if (convention.compare(i, 2, "%(") == 0) {
      const auto close = convention.find(")s", i + 2);
      if (close == std::string::npos) {
        throw ArgumentError(
            fmt::format("naming convention '{}': unterminated %( token", convention));
      }
      name += token_value(s, convention.substr(i + 2, close - i - 2), convention);
      i = close + 2;
    } else if (convention.compare(i, 2, "%%") == 0) {
      name += '%';
      i += 2;
    } else {
      name += convention[i++];
    }
  }
  return {std::move(name), true};
}

std::string fit_name(const retort_dialect& dialect, const ConstraintName& name) {
  const auto max = static_cast<std::size_t>(
      dialect.max_identifier_length > 0 ? dialect.max_identifier_length : 0);
  if (max == 0 || name.name.size() <= max) return name.name;
  if (!name.generated) {
    throw CompileError(
        fmt::format("Identifier '{}' exceeds maximum length of {} characters "
                    "for the '{}' dialect",
                    name.name, max, dialect.name));
  }
  return name.name.substr(0, max - 8) + "_" + md5_hex(name.name).substr(28);
}

void columns_in(const Node& n, std::vector<std::string>& out) {
  if (n.kind == NodeKind::column) out.push_back(n.text);
  for (const NodePtr* child : {&n.left, &n.right, &n.third}) {
    if (*child) columns_in(**child, out);
  }
  for (const auto& item : n.items) columns_in(*item, out);
}

// --- Foreign keys -----------------------------------------------------------------------------

ResolvedForeignKey resolve(const TableData& table, const ForeignKeyData& fk) {
  ResolvedForeignKey out;
  auto md = table.metadata.lock();
  for (std::size_t i = 0; i < fk.targets.size(); ++i) {
    const std::string& target = fk.targets[i];
    // Formatted only for an error: joins resolve foreign keys on every build.
    auto what = [&] {
      return fmt::format("foreign key ({}) of table '{}' referencing '{}'", join(fk.columns, ", "),
                         table.fullname(), target);
    };
    const auto dot = target.rfind('.');
    if (dot == std::string::npos) {
      throw ArgumentError(fmt::format("{}: expected 'table.column'", what()));
    }
    const std::string table_name = target.substr(0, dot);
    if (!out.table) {
      out.table = md ? md->find(table_name) : nullptr;
      // A bare table name also finds the table in the MetaData's default schema.
      if (!out.table && md && !md->options.schema.empty()) {
        out.table = md->find(md->options.schema + "." + table_name);
      }
      if (!out.table) {
        throw ArgumentError(fmt::format("{}: no table '{}' in the MetaData", what(), table_name));
      }
    }
    const ColumnData* c = out.table->find_name(target.substr(dot + 1));
    if (c == nullptr) {
      throw ArgumentError(fmt::format("{}: table '{}' has no column '{}'", what(),
                                      out.table->fullname(), target.substr(dot + 1)));
    }
    out.columns.push_back(c);
  }
  return out;
}

}  // namespace retort::detail
