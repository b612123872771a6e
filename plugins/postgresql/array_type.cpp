// plugins/postgresql/array_type.cpp — PostgreSQL arrays as plugin types (JSON ⇄ array text).
// SPDX-License-Identifier: MIT
#include "array_type.hpp"

#include <retort/sdk/plugin.hpp>

#include <cstdint>
#include <cstring>
#include <memory>

namespace retort::postgresql {
namespace {

[[noreturn]] void bad(const std::string& what) {
  throw sdk::Error(RETORT_INVALID_DATA, what, "22P02");
}

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kHex[(c >> 4) & 0xF]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] >= 'a' && a[i] <= 'z' ? static_cast<char>(a[i] - 32) : a[i];
    const char y = b[i] >= 'a' && b[i] <= 'z' ? static_cast<char>(b[i] - 32) : b[i];
    if (x != y) return false;
  }
  return true;
}

// --- array text → JSON ---------------------------------------------------------------------

class ArrayReader {
 public:
  ArrayReader(std::string_view text, ElementKind kind) : s_(text), kind_(kind) {}

  std::string run() {
    std::string out;
    skip_space();
    // Explicit bounds ("[0:2]={…}") carry nothing JSON can hold: the elements are kept.
    if (peek() == '[') {
      const size_t eq = s_.find('=', i_);
      if (eq == std::string_view::npos) fail("dimension decoration without '='");
      i_ = eq + 1;
      skip_space();
    }
    array(out);
    skip_space();
    if (i_ != s_.size()) fail("text after the closing brace");
    return out;
  }

 private:
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void skip_space() {
    while (i_ < s_.size() && is_space(s_[i_])) ++i_;
  }
  [[noreturn]] void fail(const char* what) const {
    bad("malformed array literal at byte " + std::to_string(i_) + ": " + what);
  }

  void array(std::string& out) {
    if (peek() != '{') fail("expected '{'");
    ++i_;
    out.push_back('[');
    skip_space();
    if (peek() == '}') {
      ++i_;
      out.push_back(']');
      return;
    }
    for (bool first = true;; first = false) {
      if (!first) out.push_back(',');
      skip_space();
      if (peek() == '{') {
        array(out);
      } else if (peek() == '"') {
        quoted(out);
      } else {
        unquoted(out);
      }
      skip_space();
      if (peek() == ',') {
        ++i_;
        continue;
      }
      if (peek() == '}') {
        ++i_;
        out.push_back(']');
        return;
      }
      fail("expected ',' or '}'");
    }
  }

  void quoted(std::string& out) {
    ++i_;
    std::string value;
    for (;;) {
      if (i_ >= s_.size()) fail("unterminated quoted element");
      const char c = s_[i_++];
      if (c == '"') break;
      if (c == '\\') {
        if (i_ >= s_.size()) fail("backslash at the end");
        value.push_back(s_[i_++]);
      } else {
        value.push_back(c);
      }
    }
    element(out, value, /*quoted=*/true);
  }

  void unquoted(std::string& out) {
    std::string value;
    while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}') {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
      value.push_back(s_[i_++]);
    }
    while (!value.empty() && is_space(value.back())) value.pop_back();
    if (value.empty()) fail("empty element");
    if (iequals(value, "NULL")) {
      out += "null";
      return;
    }
    element(out, value, /*quoted=*/false);
  }

  void element(std::string& out, const std::string& value, bool quoted) {
    switch (kind_) {
      case ElementKind::kBool:
        if (value == "t" || value == "true") {
          out += "true";
        } else if (value == "f" || value == "false") {
          out += "false";
        } else {
          fail("not a boolean element");
        }
        return;
      case ElementKind::kNumber:
        // NaN and infinities have no JSON number; everything else is already JSON's syntax.
        if (quoted || value == "NaN" || value == "Infinity" || value == "-Infinity") {
          append_json_string(out, value);
        } else {
          out += value;
        }
        return;
      case ElementKind::kString:
        append_json_string(out, value);
        return;
    }
  }

  std::string_view s_;
  ElementKind kind_;
  size_t i_ = 0;
};

// --- JSON → array text ---------------------------------------------------------------------

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class JsonReader {
 public:
  explicit JsonReader(std::string_view json) : s_(json) {}

  std::string run() {
    std::string out;
    skip_space();
    if (peek() != '[') fail("expected a JSON array");
    array(out);
    skip_space();
    if (i_ != s_.size()) fail("text after the array");
    return out;
  }

 private:
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void skip_space() {
    while (i_ < s_.size() && is_space(s_[i_])) ++i_;
  }
  [[noreturn]] void fail(const char* what) const {
    bad("cannot bind as an array: " + std::string(what) + " at byte " + std::to_string(i_) +
        " of the JSON value");
  }

  void array(std::string& out) {
    ++i_;  // '['
    out.push_back('{');
    skip_space();
    if (peek() == ']') {
      ++i_;
      out.push_back('}');
      return;
    }
    for (bool first = true;; first = false) {
      if (!first) out.push_back(',');
      skip_space();
      value(out);
      skip_space();
      if (peek() == ',') {
        ++i_;
        continue;
      }
      if (peek() == ']') {
        ++i_;
        out.push_back('}');
        return;
      }
      fail("expected ',' or ']'");
    }
  }

  void value(std::string& out) {
    const char c = peek();
    if (c == '[') return array(out);
    if (c == '"') return string(out);
    if (c == '{') fail("an object is not an array element");
    const size_t begin = i_;
    while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != ']' && !is_space(s_[i_])) ++i_;
    const std::string_view word = s_.substr(begin, i_ - begin);
    if (word == "null") {
      out += "NULL";
    } else if (word == "true" || word == "false") {
      out += word;
    } else if (!word.empty() && (word[0] == '-' || (word[0] >= '0' && word[0] <= '9')) &&
               word.find_first_not_of("0123456789+-.eE") == std::string_view::npos) {
      out += word;  // a number: PostgreSQL reads JSON's syntax
    } else {
      fail("not a JSON value");
    }
  }

  uint32_t hex4() {
    if (i_ + 4 > s_.size()) fail("short \\u escape");
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = s_[i_++];
      v <<= 4;
      if (h >= '0' && h <= '9') {
        v |= static_cast<uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        v |= static_cast<uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        v |= static_cast<uint32_t>(h - 'A' + 10);
      } else {
        fail("bad \\u escape");
      }
    }
    return v;
  }

  // A JSON string, decoded, as a quoted array element: `"` and `\` escaped with `\`.
  void string(std::string& out) {
    ++i_;
    std::string value;
    for (;;) {
      if (i_ >= s_.size()) fail("unterminated string");
      const char c = s_[i_++];
      if (c == '"') break;
      if (c != '\\') {
        value.push_back(c);
        continue;
      }
      if (i_ >= s_.size()) fail("unterminated escape");
      const char e = s_[i_++];
      switch (e) {
        case '"':
          value.push_back('"');
          break;
        case '\\':
          value.push_back('\\');
          break;
        case '/':
          value.push_back('/');
          break;
        case 'b':
          value.push_back('\b');
          break;
        case 'f':
          value.push_back('\f');
          break;
        case 'n':
          value.push_back('\n');
          break;
        case 'r':
          value.push_back('\r');
          break;
        case 't':
          value.push_back('\t');
          break;
        case 'u': {
          uint32_t cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && i_ + 6 <= s_.size() && s_[i_] == '\\' &&
              s_[i_ + 1] == 'u') {
            i_ += 2;
            const uint32_t low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) fail("unpaired surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            fail("unpaired surrogate");
          }
          if (cp == 0) fail("a NUL character cannot be stored in PostgreSQL text");
          append_utf8(value, cp);
          break;
        }
        default:
          fail("bad escape");
      }
    }
    out.push_back('"');
    for (const char ch : value) {
      if (ch == '"' || ch == '\\') out.push_back('\\');
      out.push_back(ch);
    }
    out.push_back('"');
  }

  std::string_view s_;
  size_t i_ = 0;
};

// --- the type definitions ------------------------------------------------------------------

struct Owned {
  sdk::ColumnBuffer buffer;
  retort_column column{};
};

void release_owned(retort_batch* batch) noexcept {
  delete static_cast<Owned*>(batch->private_data);
  batch->private_data = nullptr;
  batch->columns = nullptr;
  batch->release = nullptr;
}

template <typename Convert>
retort_status convert(const retort_batch* in, retort_value_type to, retort_batch* out,
                      retort_error* error, Convert&& fn) noexcept {
  return sdk::guard(error, [&] {
    auto owned = std::make_unique<Owned>();
    owned->buffer.reset(to);
    const sdk::ColumnReader reader(in->columns[0]);
    for (int64_t r = 0; r < in->row_count; ++r) {
      if (reader.is_null(r)) {
        owned->buffer.append_null();
        continue;
      }
      const std::string converted = fn(reader.bytes(r));
      owned->buffer.append_bytes(converted.data(), converted.size());
    }
    owned->column = owned->buffer.finish();
    out->struct_size = sizeof(retort_batch);
    out->column_count = 1;
    out->row_count = in->row_count;
    out->columns = &owned->column;
    out->private_data = owned.release();
    out->release = &release_owned;
  });
}

retort_status bind_array(const char* /*dialect*/, const retort_batch* values, retort_batch* out,
                         retort_error* error) noexcept {
  return convert(values, RETORT_TYPE_TEXT, out, error,
                 [](std::string_view json) { return json_to_pg_array(json); });
}

template <ElementKind Kind>
retort_status result_array(const char* /*dialect*/, const retort_batch* stored, retort_batch* out,
                           retort_error* error) noexcept {
  return convert(stored, RETORT_TYPE_JSON, out, error,
                 [](std::string_view text) { return pg_array_to_json(text, Kind); });
}

template <const char* Ddl>
retort_status render_ddl(const char* dialect, char* buffer, size_t* length,
                         retort_error* error) noexcept {
  if (dialect == nullptr || std::strcmp(dialect, "postgresql") != 0) {
    return sdk::set_error(error, RETORT_NOT_IMPLEMENTED,
                          std::string(Ddl) + " exists on PostgreSQL only");
  }
  return sdk::copy_out(Ddl, buffer, length, error);
}

constexpr const char* kDialects[] = {"postgresql", nullptr};

template <const char* Name, const char* Ddl, ElementKind Kind>
constexpr retort_type_def make_type() {
  retort_type_def t{};
  t.struct_size = sizeof(retort_type_def);
  t.name = Name;
  t.storage_type = RETORT_TYPE_TEXT;
  t.dialects = kDialects;
  t.render_ddl = &render_ddl<Ddl>;
  t.value_type = RETORT_TYPE_JSON;
  t.bind_batch = &bind_array;
  t.result_batch = &result_array<Kind>;
  return t;
}

#define RETORT_PG_ARRAY(ident, name, ddl, kind) \
  constexpr char k##ident##Name[] = name;       \
  constexpr char k##ident##Ddl[] = ddl;         \
  constexpr retort_type_def k##ident =          \
      make_type<k##ident##Name, k##ident##Ddl, ElementKind::kind>();

RETORT_PG_ARRAY(Int2, "int2_array", "SMALLINT[]", kNumber)
RETORT_PG_ARRAY(Int4, "int4_array", "INTEGER[]", kNumber)
RETORT_PG_ARRAY(Int8, "int8_array", "BIGINT[]", kNumber)
RETORT_PG_ARRAY(Float8, "float8_array", "DOUBLE PRECISION[]", kNumber)
RETORT_PG_ARRAY(Numeric, "numeric_array", "NUMERIC[]", kNumber)
RETORT_PG_ARRAY(Bool, "bool_array", "BOOLEAN[]", kBool)
RETORT_PG_ARRAY(Text, "text_array", "TEXT[]", kString)
RETORT_PG_ARRAY(Varchar, "varchar_array", "VARCHAR[]", kString)
RETORT_PG_ARRAY(Uuid, "uuid_array", "UUID[]", kString)
RETORT_PG_ARRAY(Date, "date_array", "DATE[]", kString)
RETORT_PG_ARRAY(Timestamp, "timestamp_array", "TIMESTAMP WITHOUT TIME ZONE[]", kString)
RETORT_PG_ARRAY(Timestamptz, "timestamptz_array", "TIMESTAMP WITH TIME ZONE[]", kString)
RETORT_PG_ARRAY(Inet, "inet_array", "INET[]", kString)

#undef RETORT_PG_ARRAY

constexpr const retort_type_def* kTypes[] = {
    &kInt2,    &kInt4, &kInt8, &kFloat8,    &kNumeric,     &kBool, &kText,
    &kVarchar, &kUuid, &kDate, &kTimestamp, &kTimestamptz, &kInet};

}  // namespace

std::string pg_array_to_json(std::string_view text, ElementKind kind) {
  return ArrayReader(text, kind).run();
}

std::string json_to_pg_array(std::string_view json) {
  return JsonReader(json).run();
}

std::span<const retort_type_def* const> array_types() noexcept {
  return kTypes;
}

}  // namespace retort::postgresql
