// tests/support/reflection_schema.hpp — the schema the reflection tests create (every generic
// type and every constraint kind) and a text description of what the Inspector says about it,
// shared by the native and the ODBC reflection suites.
#ifndef RETORT_TESTS_SUPPORT_REFLECTION_SCHEMA_HPP
#define RETORT_TESTS_SUPPORT_REFLECTION_SCHEMA_HPP

#include <retort/inspection.hpp>
#include <retort/sql/elements.hpp>
#include <retort/sql/schema.hpp>

#include <sstream>
#include <string>
#include <vector>

namespace retort::testing {

// Tables `<prefix>_parent`, `<prefix>_child`, `<prefix>_grand`; their constraints, index and
// Enum type are named with the same prefix.
// Every generic type and every constraint kind (MySQL-family servers: no INTERVAL column type
// and no expression index).
inline MetaData reflection_schema(const std::string& prefix, bool mysql) {
  auto n = [&](const char* suffix) { return prefix + suffix; };
  MetaData md;
  Table parent(n("_parent"), md,
               {Column("id", Integer(), {.primary_key = true}),
                Column("code", String(20), {.nullable = false, .unique = true}),
                Column("name", Unicode(50), {.comment = "display name"}),
                Column("price", Numeric(10, 2), {.server_default = "0"}),
                Column("ratio", Float()),
                Column("dbl", Double()),
                Column("flag", Boolean()),
                Column("born", types::Date()),
                Column("at", types::Time()),
                Column("ts", types::DateTime()),
                Column("tstz", types::DateTime(true)),
                Column("span", mysql ? Type(types::DateTime()) : Type(types::Interval())),
                Column("data", LargeBinary()),
                Column("doc", JSON()),
                Column("uid", types::Uuid()),
                Column("body", Text()),
                Column("small", SmallInteger()),
                Column("big", BigInteger()),
                Column("status", Enum({"new", "done"}, n("_status")), {.server_default = "'new'"}),
                CheckConstraint("price >= 0", n("_price_positive"))},
               {.comment = "the parents"});
  Table child(n("_child"), md,
              {Column("a", Integer()), Column("b", Integer()),
               Column("parent_id", Integer(),
                      {.foreign_key = ForeignKey(
                           n("_parent.id"), {.name = n("_fk_parent"), .ondelete = "CASCADE"})}),
               Column("note", String(40)), PrimaryKeyConstraint{{"a", "b"}, n("_child_pk")},
               UniqueConstraint{{"a", "note"}, n("_uq_a_note")}, Index(n("_ix_note"), {"note"})});
  if (!mysql) Index lower_note(n("_ix_lower_note"), {func::lower(child.c["note"])});
  Table grand(n("_grand"), md,
              {Column("id", Integer(), {.primary_key = true}), Column("ca", Integer()),
               Column("cb", Integer()),
               ForeignKeyConstraint({"ca", "cb"}, {n("_child.a"), n("_child.b")},
                                    {.name = n("_fk_child"), .onupdate = "CASCADE"})});
  return md;
}

// Everything the Inspector says about `tables`, as text; `spelled` adds each column's type as
// the database spells it (a schema emitted again may spell CHAR(32) as VARCHAR(32): both are
// String(32), so a round trip compares without it).
inline std::string describe_reflected(Inspector insp, const std::vector<std::string>& tables,
                                      bool spelled = true) {
  std::ostringstream out;
  for (const auto& t : tables) {
    out << "table " << t << " comment=" << insp.get_table_comment(t) << "\n";
    for (const auto& c : insp.get_columns(t)) {
      out << "  column " << c.name << " " << c.type->type_name();
      if (spelled) out << " [" << c.type_name << "]";
      if (c.type->length()) out << " len=" << *c.type->length();
      if (c.type->precision()) out << " p=" << *c.type->precision();
      if (c.type->scale()) out << " s=" << *c.type->scale();
      if (c.type->timezone()) out << " tz";
      for (const auto& v : c.type->enum_values()) out << " enum:" << v;
      out << (c.nullable ? " null" : " notnull");
      if (c.default_) out << " default=" << *c.default_;
      if (c.autoincrement) out << " autoincrement";
      if (c.identity != 0) out << " identity=" << c.identity;
      if (!c.comment.empty()) out << " comment=" << c.comment;
      out << "\n";
    }
    const auto pk = insp.get_pk_constraint(t);
    out << "  pk " << pk.name;
    for (const auto& c : pk.constrained_columns) out << " " << c;
    out << "\n";
    for (const auto& fk : insp.get_foreign_keys(t)) {
      out << "  fk " << fk.name << " (";
      for (const auto& c : fk.constrained_columns) out << c << ",";
      out << ") -> " << fk.referred_schema << "." << fk.referred_table << " (";
      for (const auto& c : fk.referred_columns) out << c << ",";
      out << ") ondelete=" << fk.ondelete << " onupdate=" << fk.onupdate;
      if (fk.deferrable) out << " deferrable=" << *fk.deferrable << " " << fk.initially;
      out << "\n";
    }
    for (const auto& uq : insp.get_unique_constraints(t)) {
      out << "  unique " << uq.name << " (";
      for (const auto& c : uq.column_names) out << c << ",";
      out << ")\n";
    }
    for (const auto& ix : insp.get_indexes(t)) {
      out << "  index " << ix.name << (ix.unique ? " unique" : "") << " (";
      for (std::size_t i = 0; i < ix.column_names.size(); ++i) {
        out << (ix.column_names[i].empty() ? ix.expressions[i] : ix.column_names[i]) << ",";
      }
      out << ")\n";
    }
    for (const auto& ck : insp.get_check_constraints(t)) {
      out << "  check " << ck.name << ": " << ck.sqltext << "\n";
    }
  }
  return out.str();
}

}  // namespace retort::testing

#endif  // RETORT_TESTS_SUPPORT_REFLECTION_SCHEMA_HPP
