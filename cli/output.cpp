// cli/output.cpp — table, CSV and JSON output for `retort query`.
#include "output.hpp"

#include <retort/exceptions.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ostream>

namespace retort::cli {

namespace {

std::string hex(const Bytes& b) {
  std::string out = "\\x";
  for (uint8_t byte : b) out += fmt::format("{:02x}", byte);
  return out;
}

// Display width of UTF-8 text, counting code points (good enough for alignment of most
// scripts; wide East Asian characters are not special-cased).
std::size_t display_width(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string json_value(const Value& v) {
  if (v.is_null()) return "null";
  if (v.holds<bool>()) return v.as<bool>() ? "true" : "false";
  if (v.holds<std::int64_t>()) return std::to_string(v.as<std::int64_t>());
  if (v.holds<double>()) {
    const double d = v.as<double>();
    if (!std::isfinite(d)) return json_string(fmt::format("{}", d));
    return fmt::format("{}", d);
  }
  if (v.holds<Json>()) return v.as<Json>().text;
  return json_string(*plain_text(v));
}

}  // namespace

std::optional<std::string> plain_text(const Value& v) {
  if (v.is_null()) return std::nullopt;
  if (v.holds<std::string>()) return v.as<std::string>();
  if (v.holds<bool>()) return v.as<bool>() ? "true" : "false";
  if (v.holds<std::int64_t>()) return std::to_string(v.as<std::int64_t>());
  if (v.holds<double>()) return fmt::format("{}", v.as<double>());
  if (v.holds<Bytes>()) return hex(v.as<Bytes>());
  if (v.holds<Decimal>()) return v.as<Decimal>().text;
  if (v.holds<Json>()) return v.as<Json>().text;
  if (v.holds<Date>()) return to_iso_string(v.as<Date>());
  if (v.holds<Time>()) return to_iso_string(v.as<Time>());
  if (v.holds<DateTime>()) return to_iso_string(v.as<DateTime>());
  if (v.holds<DateTimeTz>()) return to_iso_string(v.as<DateTimeTz>());
  if (v.holds<Uuid>()) return v.as<Uuid>().to_string();
  return v.repr();  // Interval
}

void print_rows(std::ostream& out, const std::vector<std::string>& keys,
                const std::vector<Row>& rows, Format format) {
  std::vector<std::vector<std::optional<std::string>>> cells;
  cells.reserve(rows.size());
  for (const Row& row : rows) {
    auto& line = cells.emplace_back();
    for (std::size_t i = 0; i < row.size(); ++i) line.push_back(plain_text(row[i]));
  }
  switch (format) {
    case Format::csv: {
      for (std::size_t i = 0; i < keys.size(); ++i) out << (i ? "," : "") << csv_field(keys[i]);
      out << "\r\n";
      for (const auto& line : cells) {
        for (std::size_t i = 0; i < line.size(); ++i) {
          out << (i ? "," : "") << (line[i] ? csv_field(*line[i]) : "");
        }
        out << "\r\n";
      }
      return;
    }
    case Format::json: {
      out << "[";
      for (std::size_t r = 0; r < rows.size(); ++r) {
        out << (r ? ",\n " : "\n ") << "{";
        for (std::size_t i = 0; i < keys.size(); ++i) {
          out << (i ? ", " : "") << json_string(keys[i]) << ": " << json_value(rows[r][i]);
        }
        out << "}";
      }
      out << (rows.empty() ? "]\n" : "\n]\n");
      return;
    }
    case Format::table: {
      std::vector<std::size_t> width(keys.size());
      for (std::size_t i = 0; i < keys.size(); ++i) width[i] = display_width(keys[i]);
      for (const auto& line : cells) {
        for (std::size_t i = 0; i < line.size(); ++i) {
          width[i] = std::max(width[i], display_width(line[i] ? *line[i] : "NULL"));
        }
      }
      auto pad = [&](const std::string& s, std::size_t w) {
        return s + std::string(w - std::min(w, display_width(s)), ' ');
      };
      for (std::size_t i = 0; i < keys.size(); ++i) {
        out << (i ? " | " : "") << pad(keys[i], width[i]);
      }
      out << "\n";
      for (std::size_t i = 0; i < keys.size(); ++i) {
        out << (i ? "-+-" : "") << std::string(width[i], '-');
      }
      out << "\n";
      for (const auto& line : cells) {
        for (std::size_t i = 0; i < line.size(); ++i) {
          out << (i ? " | " : "") << pad(line[i] ? *line[i] : "NULL", width[i]);
        }
        out << "\n";
      }
      out << "(" << rows.size() << (rows.size() == 1 ? " row)\n" : " rows)\n");
      return;
    }
  }
}

std::pair<std::string, Value> parse_param(const std::string& spec, bool force_text) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw ArgumentError(fmt::format("parameter '{}' is not of the form name=value", spec));
  }
  std::string name = spec.substr(0, eq);
  std::string text = spec.substr(eq + 1);
  if (force_text) return {name, Value(text)};
  if (text == "null" || text == "NULL") return {name, Value()};
  if (text == "true") return {name, Value(true)};
  if (text == "false") return {name, Value(false)};
  std::int64_t i = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
  if (ec == std::errc() && p == text.data() + text.size() && !text.empty()) return {name, Value(i)};
  double d = 0;
  auto [p2, ec2] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec2 == std::errc() && p2 == text.data() + text.size() && !text.empty()) {
    return {name, Value(d)};
  }
  return {name, Value(text)};
}

}  // namespace retort::cli
