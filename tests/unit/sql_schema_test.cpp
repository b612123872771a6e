// Compile tests for the schema side of the expression language on the default, sqlite and
// postgresql dialects: foreign-key options and composite foreign keys, CHECK constraints,
// indexes (CreateIndex / DropIndex, expressions), sequences, schema-qualified tables, naming
// conventions and long-name truncation, comments, the statements of create_all / drop_all
// (foreign-key cycles broken with ALTER TABLE, native ENUM types), and their errors.
#include "support/sql_expect.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/compiler.hpp>
#include <retort/sql/ddl.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace retort;
using retort::testing::expect_compile_error;
using retort::testing::expect_sql;

// Runs `f`, expecting exception E whose message contains `fragment`.
template <typename E, typename F>
void expect_error(F&& f, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "expected an exception containing: " << fragment;
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

// --- Foreign keys -----------------------------------------------------------------------------

TEST(SqlSchemaForeignKey, CompositeForeignKeyConstraintWithEveryOption) {
  MetaData md;
  // The referenced table is declared after the referencing one.
  Table orders("sch_orders", md,
               {Column("id", Integer(), {.primary_key = true}), Column("cust_region", Integer()),
                Column("cust_num", Integer()),
                ForeignKeyConstraint({"cust_region", "cust_num"},
                                     {"sch_customers.region", "sch_customers.num"},
                                     {.name = "fk_orders_customer",
                                      .ondelete = "cascade",
                                      .onupdate = "SET NULL",
                                      .deferrable = true,
                                      .initially = "deferred"})});
  Table customers("sch_customers", md,
                  {Column("region", Integer(), {.primary_key = true}),
                   Column("num", Integer(), {.primary_key = true})});
  const std::string tail =
      "cust_region INTEGER, \n\tcust_num INTEGER, \n\tPRIMARY KEY (id), \n\tCONSTRAINT "
      "fk_orders_customer FOREIGN KEY(cust_region, cust_num) REFERENCES sch_customers (region, "
      "num) ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED\n)";
  expect_sql(CreateTable(orders),
             {{"default", "CREATE TABLE sch_orders (\n\tid INTEGER NOT NULL, \n\t" + tail},
              {"sqlite", "CREATE TABLE sch_orders (\n\tid INTEGER NOT NULL, \n\t" + tail},
              {"postgresql", "CREATE TABLE sch_orders (\n\tid SERIAL NOT NULL, \n\t" + tail}});
}

TEST(SqlSchemaForeignKey, ColumnForeignKeyOptions) {
  MetaData md;
  Table parent("sch_fk_parent", md, {Column("id", Integer(), {.primary_key = true})});
  Table child(
      "sch_fk_child", md,
      {Column("pid", Integer(),
              {.foreign_key = ForeignKey("sch_fk_parent.id", {.name = "child_parent",
                                                              .ondelete = "RESTRICT",
                                                              .onupdate = "no action",
                                                              .deferrable = false,
                                                              .initially = "immediate"})})});
  const std::string sql =
      "CREATE TABLE sch_fk_child (\n\tpid INTEGER, \n\tCONSTRAINT child_parent FOREIGN KEY(pid) "
      "REFERENCES sch_fk_parent (id) ON DELETE RESTRICT ON UPDATE NO ACTION NOT DEFERRABLE "
      "INITIALLY IMMEDIATE\n)";
  expect_sql(CreateTable(child), {{"default", sql}, {"sqlite", sql}, {"postgresql", sql}});
}

TEST(SqlSchemaForeignKey, ActionsAreValidatedNotSpliced) {
  expect_error<ArgumentError>(
      [] { ForeignKey("t.id", {.ondelete = "CASCADE; DROP TABLE users"}); },
      "ForeignKey('t.id'): invalid ON DELETE action 'CASCADE; DROP TABLE users' (expected "
      "CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION)");
  expect_error<ArgumentError>([] { ForeignKey("t.id", {.onupdate = "DELETE"}); },
                              "invalid ON UPDATE action 'DELETE'");
  expect_error<ArgumentError>(
      [] { ForeignKeyConstraint({"a"}, {"t.id"}, {.initially = "LATER"}); },
      "ForeignKeyConstraint(a): invalid INITIALLY value 'LATER' (expected DEFERRED or "
      "IMMEDIATE)");
}

TEST(SqlSchemaForeignKey, MalformedConstraintsAreArgumentErrors) {
  expect_error<ArgumentError>(
      [] {
        ForeignKeyConstraint({"a", "b"}, {"t.x"});
      },
      "needs as many referenced columns as columns (got 2 and 1)");
  expect_error<ArgumentError>(
      [] {
        ForeignKeyConstraint({"a", "b"}, {"t.x", "u.y"});
      },
      "referenced columns 't.x' and 'u.y' are in different tables");
  expect_error<ArgumentError>([] { ForeignKeyConstraint({"a"}, {"x"}); },
                              "referenced column 'x' is not 'table.column'");
  MetaData md;
  expect_error<ArgumentError>(
      [&] {
        Table("sch_bad_fk", md, {Column("a", Integer()), ForeignKeyConstraint({"nope"}, {"t.id"})});
      },
      "ForeignKeyConstraint on 'sch_bad_fk' names unknown column 'nope'");
}

TEST(SqlSchemaForeignKey, UnresolvableTargetNamesTableAndColumn) {
  MetaData md;
  Table t("sch_dangling", md,
          {Column("a", Integer()), Column("b", Integer()),
           ForeignKeyConstraint({"a", "b"}, {"sch_target.x", "sch_target.y"})});
  expect_error<ArgumentError>(
      [&] { (void)CreateTable(t).compile("sqlite"); },
      "foreign key (a, b) of table 'sch_dangling' referencing 'sch_target.x': no table "
      "'sch_target' in the MetaData");
  Table target("sch_target", md, {Column("x", Integer())});
  expect_error<ArgumentError>([&] { (void)CreateTable(t).compile("postgresql"); },
                              "referencing 'sch_target.y': table 'sch_target' has no column 'y'");
  expect_error<ArgumentError>([&] { (void)md.create_all_sql("sqlite"); },
                              "table 'sch_target' has no column 'y'");
}

// --- CHECK constraints ------------------------------------------------------------------------

TEST(SqlSchemaCheck, TableAndColumnCheckConstraints) {
  MetaData md;
  Table t("sch_products", md,
          {Column("id", Integer(), {.primary_key = true}),
           Column("price", Numeric(10, 2), {.check = CheckConstraint("price > 0")}),
           Column("qty", Integer(), {.check = CheckConstraint("qty >= 0", "qty_nonneg")}),
           CheckConstraint("price < 1000 OR qty < 10", "sane_total")});
  const std::string tail =
      "price NUMERIC(10, 2) CHECK (price > 0), \n\tqty INTEGER CONSTRAINT qty_nonneg CHECK "
      "(qty >= 0), \n\tPRIMARY KEY (id), \n\tCONSTRAINT sane_total CHECK (price < 1000 OR qty "
      "< 10)\n)";
  expect_sql(CreateTable(t),
             {{"default", "CREATE TABLE sch_products (\n\tid INTEGER NOT NULL, \n\t" + tail},
              {"sqlite", "CREATE TABLE sch_products (\n\tid INTEGER NOT NULL, \n\t" + tail},
              {"postgresql", "CREATE TABLE sch_products (\n\tid SERIAL NOT NULL, \n\t" + tail}});
  expect_error<ArgumentError>([] { CheckConstraint(""); }, "CheckConstraint needs SQL text");
}

// --- Indexes ----------------------------------------------------------------------------------

struct People {
  MetaData md;
  Index by_name{"ix_people_name", {"surname", "given"}};
  Index by_email{"uq_people_email", {"email"}, {.unique = true}};
  Table people{"sch_people",
               md,
               {Column("id", Integer(), {.primary_key = true}), Column("surname", String(20)),
                Column("given", String(20)), Column("email", String(50)), by_name, by_email}};
};

TEST(SqlSchemaIndex, MultiColumnAndUniqueIndexes) {
  People p;
  const std::string by_name = "CREATE INDEX ix_people_name ON sch_people (surname, given)";
  expect_sql(CreateIndex(p.by_name),
             {{"default", by_name}, {"sqlite", by_name}, {"postgresql", by_name}});
  const std::string unique =
      "CREATE UNIQUE INDEX IF NOT EXISTS uq_people_email ON sch_people (email)";
  expect_sql(CreateIndex(p.by_email, true),
             {{"default", unique}, {"sqlite", unique}, {"postgresql", unique}});
  expect_sql(DropIndex(p.by_name), {{"default", "DROP INDEX ix_people_name"},
                                    {"sqlite", "DROP INDEX ix_people_name"},
                                    {"postgresql", "DROP INDEX ix_people_name"}});
  expect_sql(DropIndex(p.by_name, true), {{"default", "DROP INDEX IF EXISTS ix_people_name"},
                                          {"sqlite", "DROP INDEX IF EXISTS ix_people_name"},
                                          {"postgresql", "DROP INDEX IF EXISTS ix_people_name"}});
}

TEST(SqlSchemaIndex, ExpressionsRenderWithoutTableAndOperatorsParenthesised) {
  People p;
  Index lower_email("ix_people_lower_email", {func::lower(p.people.c["email"])});
  const std::string lower = "CREATE INDEX ix_people_lower_email ON sch_people (lower(email))";
  expect_sql(CreateIndex(lower_email),
             {{"default", lower}, {"sqlite", lower}, {"postgresql", lower}});
  Index mixed("ix_people_mixed", {p.people.c["given"], p.people.c["id"] + literal_column("1")});
  const std::string mixed_sql = "CREATE INDEX ix_people_mixed ON sch_people (given, (id + 1))";
  expect_sql(CreateIndex(mixed),
             {{"default", mixed_sql}, {"sqlite", mixed_sql}, {"postgresql", mixed_sql}});
}

TEST(SqlSchemaIndex, ExpressionIndexesAreCreatedByCreateAll) {
  People p;
  Index lower_email("", {func::lower(p.people.c["email"])});
  const std::vector<std::string> expected = {
      "CREATE TABLE sch_people (\n\tid INTEGER NOT NULL, \n\tsurname VARCHAR(20), \n\tgiven "
      "VARCHAR(20), \n\temail VARCHAR(50), \n\tPRIMARY KEY (id)\n)",
      "CREATE INDEX ix_people_name ON sch_people (surname, given)",
      "CREATE UNIQUE INDEX uq_people_email ON sch_people (email)",
      // Unnamed: the default "ix" convention, from the first column in the expression.
      "CREATE INDEX ix_sch_people_email ON sch_people (lower(email))",
  };
  EXPECT_EQ(p.md.create_all_sql("sqlite"), expected);
}

TEST(SqlSchemaIndex, ColumnIndexOptionStillWorksAndUniqueMakesAUniqueIndex) {
  MetaData md;
  Table t("sch_tags", md,
          {Column("name", String(20), {.index = true}),
           Column("slug", String(20), {.unique = true, .index = true})});
  const std::vector<std::string> expected = {
      "CREATE TABLE IF NOT EXISTS sch_tags (\n\tname VARCHAR(20), \n\tslug VARCHAR(20)\n)",
      "CREATE INDEX IF NOT EXISTS ix_sch_tags_name ON sch_tags (name)",
      "CREATE UNIQUE INDEX IF NOT EXISTS ix_sch_tags_slug ON sch_tags (slug)",
  };
  EXPECT_EQ(md.create_all_sql("sqlite", true), expected);
}

TEST(SqlSchemaIndex, Errors) {
  People p;
  expect_error<ArgumentError>([] { Index("ix_none", {}); },
                              "Index 'ix_none' has no columns or expressions");
  expect_error<ArgumentError>([] { (void)CreateIndex(Index("ix_lonely", {"a"})).compile(); },
                              "Index 'ix_lonely' is not associated with a table");
  expect_error<ArgumentError>(
      [&] {
        Table("sch_ix_bad", p.md, {Column("a", Integer()), Index("ix_b", {"b"})});
      },
      "Index 'ix_b' on 'sch_ix_bad' names unknown column 'b'");
  expect_error<ArgumentError>(
      [&] {
        Table("sch_ix_twice", p.md, {Column("email", Integer()), p.by_email});
      },
      "Index 'uq_people_email' already belongs to a table");
  MetaData md;
  Table other("sch_other", md, {Column("x", Integer())});
  expect_error<ArgumentError>(
      [&] {
        Index("ix_two", {p.people.c["id"], other.c["x"]});
      },
      "Index 'ix_two' has columns of two tables, 'sch_people' and 'sch_other'");
  // A bound value in an index expression would have to be a literal.
  Index bound("ix_bound", {p.people.c["id"] + 1});
  expect_compile_error(CreateIndex(bound), "postgresql",
                       "an index expression holds a bound parameter");
}

// --- Sequences --------------------------------------------------------------------------------

TEST(SqlSchemaSequence, ColumnSequenceIsTheServerDefaultWhereSequencesExist) {
  MetaData md;
  Sequence seq("sch_invoice_seq", {.start = 100, .increment = 5});
  Table invoices("sch_invoices", md,
                 {Column("id", Integer(), {.primary_key = true, .sequence = seq}),
                  Column("total", Integer())});
  expect_sql(CreateTable(invoices),
             {{"default",
               "CREATE TABLE sch_invoices (\n\tid INTEGER DEFAULT NEXT VALUE FOR sch_invoice_seq "
               "NOT NULL, \n\ttotal INTEGER, \n\tPRIMARY KEY (id)\n)"},
              // Ignored on SQLite: the column stays the rowid alias.
              {"sqlite",
               "CREATE TABLE sch_invoices (\n\tid INTEGER NOT NULL, \n\ttotal INTEGER, "
               "\n\tPRIMARY KEY (id)\n)"},
              {"postgresql",
               "CREATE TABLE sch_invoices (\n\tid INTEGER DEFAULT nextval('sch_invoice_seq') NOT "
               "NULL, \n\ttotal INTEGER, \n\tPRIMARY KEY (id)\n)"}});
  const std::string create = "CREATE SEQUENCE sch_invoice_seq INCREMENT BY 5 START WITH 100";
  expect_sql(CreateSequence(seq), {{"default", create}, {"postgresql", create}});
  expect_compile_error(CreateSequence(seq), "sqlite",
                       "The 'sqlite' dialect cannot render CREATE SEQUENCE: it has no sequences");
  expect_sql(DropSequence(seq, true), {{"default", "DROP SEQUENCE IF EXISTS sch_invoice_seq"},
                                       {"postgresql", "DROP SEQUENCE IF EXISTS sch_invoice_seq"}});
  expect_compile_error(DropSequence(seq), "sqlite", "DROP SEQUENCE");

  EXPECT_EQ(md.create_all_sql("postgresql"),
            (std::vector<std::string>{
                create,
                "CREATE TABLE sch_invoices (\n\tid INTEGER DEFAULT nextval('sch_invoice_seq') NOT "
                "NULL, \n\ttotal INTEGER, \n\tPRIMARY KEY (id)\n)"}));
  EXPECT_EQ(md.drop_all_sql("postgresql"),
            (std::vector<std::string>{"DROP TABLE sch_invoices", "DROP SEQUENCE sch_invoice_seq"}));
  EXPECT_EQ(md.create_all_sql("sqlite").size(), 1u);  // no CREATE SEQUENCE
}

TEST(SqlSchemaSequence, EveryOptionAndASchema) {
  Sequence seq("s2", {.start = 1,
                      .increment = 2,
                      .minvalue = 1,
                      .maxvalue = 1000,
                      .cache = 10,
                      .cycle = true,
                      .schema = "billing"});
  const std::string sql =
      "CREATE SEQUENCE IF NOT EXISTS billing.s2 INCREMENT BY 2 START WITH 1 MINVALUE 1 MAXVALUE "
      "1000 CACHE 10 CYCLE";
  expect_sql(CreateSequence(seq, true), {{"default", sql}, {"postgresql", sql}});
  expect_sql(CreateSequence(Sequence("s3", {.cycle = false})),
             {{"postgresql", "CREATE SEQUENCE s3 NO CYCLE"}});
  expect_error<ArgumentError>([] { Sequence(""); }, "a Sequence needs a name");
}

TEST(SqlSchemaSequence, NextValueExpression) {
  MetaData md;
  Table t("sch_seq_use", md, {Column("id", Integer())});
  Sequence seq("sch_counter");
  auto stmt = select(seq.next_value().label("n"));
  expect_sql(stmt, {{"default", "SELECT NEXT VALUE FOR sch_counter AS n"},
                    {"postgresql", "SELECT nextval('sch_counter') AS n"}});
  expect_compile_error(stmt, "sqlite",
                       "The 'sqlite' dialect cannot render the next value of sequence "
                       "'sch_counter': it has no sequences");
  auto upd = update(t).values({{"id", 1}}).where(t.c["id"] == Sequence("My Seq").next_value());
  expect_sql(upd, {{"postgresql",
                    "UPDATE sch_seq_use SET id=$1 WHERE sch_seq_use.id = "
                    "nextval('\"My Seq\"')"}});
  expect_compile_error(select(Sequence("it's").next_value().label("n")), "postgresql",
                       "a sequence name with a quote cannot be written inside nextval");
}

// --- Schemas ----------------------------------------------------------------------------------

struct Billing {
  MetaData md;
  Table accounts{"sch_accounts",
                 md,
                 {Column("id", Integer(), {.primary_key = true}), Column("owner", String(20)),
                  Index("ix_acc_owner", {"owner"})},
                 {.schema = "billing"}};
  Table entries{
      "sch_entries",
      md,
      {Column("id", Integer(), {.primary_key = true}),
       Column("account_id", Integer(), {.foreign_key = ForeignKey("billing.sch_accounts.id")})},
      {.schema = "billing"}};
};

TEST(SqlSchemaSchemas, EveryStatementQualifiesTheTable) {
  Billing b;
  EXPECT_EQ(b.md.table_names(),
            (std::vector<std::string>{"billing.sch_accounts", "billing.sch_entries"}));
  EXPECT_EQ(b.accounts.schema(), "billing");
  expect_sql(select(b.accounts.c["id"]).where(b.accounts.c["owner"] == "x"),
             {{"default",
               "SELECT billing.sch_accounts.id FROM billing.sch_accounts WHERE "
               "billing.sch_accounts.owner = :owner_1"},
              {"sqlite",
               "SELECT billing.sch_accounts.id FROM billing.sch_accounts WHERE "
               "billing.sch_accounts.owner = ?"}});
  expect_sql(select(b.accounts.alias("a").c["id"]),
             {{"postgresql", "SELECT a.id FROM billing.sch_accounts AS a"}});
  expect_sql(insert(b.accounts).values({{"owner", "ed"}}),
             {{"postgresql", "INSERT INTO billing.sch_accounts (owner) VALUES ($1)"}});
  expect_sql(
      update(b.accounts).values({{"owner", "y"}}).where(b.accounts.c["id"] == 1),
      {{"sqlite", "UPDATE billing.sch_accounts SET owner=? WHERE billing.sch_accounts.id = ?"}});
  expect_sql(delete_(b.accounts).where(b.accounts.c["id"] == 1),
             {{"sqlite", "DELETE FROM billing.sch_accounts WHERE billing.sch_accounts.id = ?"}});
  const std::string entries =
      "CREATE TABLE billing.sch_entries (\n\tid INTEGER NOT NULL, \n\taccount_id INTEGER, "
      "\n\tPRIMARY KEY (id), \n\tFOREIGN KEY(account_id) REFERENCES billing.sch_accounts "
      "(id)\n)";
  expect_sql(CreateTable(b.entries), {{"default", entries}, {"sqlite", entries}});
  expect_sql(DropTable(b.accounts), {{"postgresql", "DROP TABLE billing.sch_accounts"}});
}

TEST(SqlSchemaSchemas, IndexesOfASchemaTable) {
  Billing b;
  const auto create = b.md.create_all_sql("postgresql");
  ASSERT_EQ(create.size(), 3u);
  EXPECT_EQ(create[1], "CREATE INDEX ix_acc_owner ON billing.sch_accounts (owner)");
  // SQLite qualifies the index with the attached database's name instead.
  EXPECT_EQ(b.md.create_all_sql("sqlite")[1],
            "CREATE INDEX billing.ix_acc_owner ON sch_accounts (owner)");
  const auto drop = b.md.drop_all_sql("sqlite");
  EXPECT_EQ(drop, (std::vector<std::string>{"DROP TABLE billing.sch_entries",
                                            "DROP TABLE billing.sch_accounts"}));
}

TEST(SqlSchemaSchemas, MetaDataDefaultSchema) {
  MetaData md({.schema = "app"});
  Table a("sch_a", md, {Column("id", Integer(), {.primary_key = true})});
  Table b("sch_b", md, {Column("a_id", Integer(), {.foreign_key = ForeignKey("sch_a.id")})});
  Table c("sch_c", md, {Column("x", Integer())}, {.schema = "other"});
  EXPECT_EQ(md.table_names(), (std::vector<std::string>{"app.sch_a", "app.sch_b", "other.sch_c"}));
  expect_sql(CreateTable(b),
             {{"sqlite",
               "CREATE TABLE app.sch_b (\n\ta_id INTEGER, \n\tFOREIGN KEY(a_id) REFERENCES "
               "app.sch_a (id)\n)"}});
  // The same name in another schema is another table.
  EXPECT_NO_THROW(Table("sch_a", md, {Column("id", Integer())}, {.schema = "other"}));
  EXPECT_THROW(Table("sch_a", md, {Column("id", Integer())}), ArgumentError);
}

// --- Naming conventions -----------------------------------------------------------------------

MetaDataOptions conventions() {
  return {.naming_convention = {
              {"ix", "ix_%(column_0_label)s"},
              {"uq", "uq_%(table_name)s_%(column_0_name)s"},
              {"ck", "ck_%(table_name)s_%(constraint_name)s"},
              {"fk", "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"},
              {"pk", "pk_%(table_name)s"},
          }};
}

TEST(SqlSchemaNaming, ConventionsNameUnnamedConstraintsAndIndexes) {
  MetaData md(conventions());
  Table parent("nc_parent", md,
               {Column("id", Integer(), {.primary_key = true}),
                Column("code", String(10),
                       {.unique = true, .check = CheckConstraint("length(code) > 1", "code_len")}),
                Column("kind", String(5), {.index = true})});
  Table child("nc_child", md,
              {Column("id", Integer(), {.primary_key = true}),
               Column("parent_id", Integer(), {.foreign_key = ForeignKey("nc_parent.id")}),
               UniqueConstraint{{"id", "parent_id"}}, CheckConstraint("id > 0", "positive")});
  EXPECT_EQ(md.create_all_sql("postgresql"),
            (std::vector<std::string>{
                "CREATE TABLE nc_parent (\n\tid SERIAL NOT NULL, \n\tcode VARCHAR(10) CONSTRAINT "
                "ck_nc_parent_code_len CHECK (length(code) > 1), \n\tkind VARCHAR(5), "
                "\n\tCONSTRAINT pk_nc_parent PRIMARY KEY (id), \n\tCONSTRAINT uq_nc_parent_code "
                "UNIQUE (code)\n)",
                "CREATE INDEX ix_nc_parent_kind ON nc_parent (kind)",
                "CREATE TABLE nc_child (\n\tid SERIAL NOT NULL, \n\tparent_id INTEGER, "
                "\n\tCONSTRAINT pk_nc_child PRIMARY KEY (id), \n\tCONSTRAINT "
                "fk_nc_child_parent_id_nc_parent FOREIGN KEY(parent_id) REFERENCES nc_parent "
                "(id), \n\tCONSTRAINT uq_nc_child_id UNIQUE (id, parent_id), \n\tCONSTRAINT "
                "ck_nc_child_positive CHECK (id > 0)\n)",
            }));
}

TEST(SqlSchemaNaming, ColumnListAndReferredTokens) {
  MetaData md({.naming_convention = {
                   {"unique", "uq_%(table_name)s_%(column_0_N_name)s"},
                   {"ix", "ix_%(column_0N_name)s"},
                   {"fk", "fk_%(referred_table_name)s_%(referred_column_0_name)s_%(column_0_key)s"},
               }});
  Table a("nt_a", md,
          {Column("x", Integer()), Column("y", Integer()), PrimaryKeyConstraint{{"x", "y"}}});
  Table b("nt_b", md,
          {Column("ax", Integer(), {.key = "a_x"}), Column("ay", Integer()),
           ForeignKeyConstraint({"ax", "ay"}, {"nt_a.x", "nt_a.y"}), UniqueConstraint{{"ax", "ay"}},
           Index("", {"ay", "ax"})});
  const auto sql = md.create_all_sql("default");
  ASSERT_EQ(sql.size(), 3u);
  EXPECT_EQ(sql[1],
            "CREATE TABLE nt_b (\n\tax INTEGER, \n\tay INTEGER, \n\tCONSTRAINT fk_nt_a_x_a_x "
            "FOREIGN KEY(ax, ay) REFERENCES nt_a (x, y), \n\tCONSTRAINT uq_nt_b_ax_ay UNIQUE (ax, "
            "ay)\n)");
  EXPECT_EQ(sql[2], "CREATE INDEX ix_ayax ON nt_b (ay, ax)");
}

TEST(SqlSchemaNaming, LongGeneratedNamesAreTruncatedWithAHash) {
  MetaData md({.naming_convention = {{"uq", "uq_%(table_name)s_%(column_0_name)s"}}});
  Table t("a_very_long_table_name_that_goes_on_and_on", md,
          {Column("another_rather_long_column_name", Integer(), {.unique = true, .index = false}),
           Column("other", Integer(), {.index = true})});
  const std::string head =
      "CREATE TABLE a_very_long_table_name_that_goes_on_and_on (\n\tanother_rather_long_column_"
      "name INTEGER, \n\tother INTEGER, \n\tCONSTRAINT ";
  // SQLAlchemy: name[:max - 8] + "_" + md5(name)[-4:] for names past 63 characters.
  expect_sql(
      CreateTable(t),
      {{"postgresql", head + "uq_a_very_long_table_name_that_goes_on_and_on_another_r_d1ac UNIQUE "
                             "(another_rather_long_column_name)\n)"},
       // No identifier limit on SQLite.
       {"sqlite", head + "uq_a_very_long_table_name_that_goes_on_and_on_another_rather_long_"
                         "column_name UNIQUE (another_rather_long_column_name)\n)"}});
  // An explicit name is never changed: too long is an error.
  Table u("nt_explicit", md,
          {Column("x", Integer()),
           UniqueConstraint{{"x"},
                            "an_explicitly_given_constraint_name_that_is_far_too_long_for_pg"
                            "_to_keep"}});
  expect_compile_error(CreateTable(u), "postgresql",
                       "Identifier 'an_explicitly_given_constraint_name_that_is_far_too_long_for_"
                       "pg_to_keep' exceeds maximum length of 63 characters");
  EXPECT_NO_THROW((void)CreateTable(u).compile("sqlite"));
}

TEST(SqlSchemaNaming, ConventionErrors) {
  MetaData md(conventions());
  Table t("nc_bad", md, {Column("x", Integer()), CheckConstraint("x > 0")});
  expect_error<ArgumentError>(
      [&] { (void)CreateTable(t).compile(); },
      "naming convention 'ck_%(table_name)s_%(constraint_name)s' for check on table 'nc_bad': "
      "%(constraint_name)s needs an explicitly named constraint");
  MetaData md2({.naming_convention = {{"uq", "uq_%(nonsense)s"}}});
  Table u("nc_bad2", md2, {Column("x", Integer(), {.unique = true})});
  expect_error<ArgumentError>([&] { (void)CreateTable(u).compile(); },
                              "unknown token %(nonsense)s");
  MetaData md3({.naming_convention = {{"uq", "uq_%(column_3_name)s"}}});
  Table v("nc_bad3", md3, {Column("x", Integer(), {.unique = true})});
  expect_error<ArgumentError>([&] { (void)CreateTable(v).compile(); },
                              "%(column_3_name)s: there are only 1 columns");
}

// --- Comments ---------------------------------------------------------------------------------

TEST(SqlSchemaComments, CommentOnStatementsWhereSupported) {
  MetaData md;
  Table t("cm_notes", md,
          {Column("id", Integer(), {.primary_key = true}),
           Column("body", Text(), {.comment = "the note's text"}), Column("at", Integer())},
          {.comment = "user notes"});
  expect_sql(SetTableComment(t), {{"default", "COMMENT ON TABLE cm_notes IS 'user notes'"},
                                  {"postgresql", "COMMENT ON TABLE cm_notes IS 'user notes'"}});
  expect_sql(SetColumnComment(t, "body"),
             {{"postgresql", "COMMENT ON COLUMN cm_notes.body IS 'the note''s text'"}});
  expect_sql(SetColumnComment(t, "at"), {{"postgresql", "COMMENT ON COLUMN cm_notes.at IS NULL"}});
  expect_compile_error(SetTableComment(t), "sqlite",
                       "The 'sqlite' dialect cannot render COMMENT ON TABLE: it has no COMMENT "
                       "statement");
  expect_error<ArgumentError>([&] { SetColumnComment(t, "nope"); },
                              "SetColumnComment: table 'cm_notes' has no column 'nope'");
  const std::string create =
      "CREATE TABLE cm_notes (\n\tid SERIAL NOT NULL, \n\tbody TEXT, \n\tat INTEGER, "
      "\n\tPRIMARY KEY (id)\n)";
  EXPECT_EQ(md.create_all_sql("postgresql"),
            (std::vector<std::string>{create, "COMMENT ON TABLE cm_notes IS 'user notes'",
                                      "COMMENT ON COLUMN cm_notes.body IS 'the note''s text'"}));
  // SQLite ignores comments.
  EXPECT_EQ(md.create_all_sql("sqlite").size(), 1u);
}

// --- Foreign-key cycles and use_alter ---------------------------------------------------------

struct Cycle {
  explicit Cycle(MetaDataOptions options = {}, std::string fk_a = "fk_a_b",
                 std::string fk_b = "fk_b_a")
      : md(std::move(options)),
        a("cy_a", md,
          {Column("id", Integer(), {.primary_key = true}),
           Column("b_id", Integer(), {.foreign_key = ForeignKey("cy_b.id", {.name = fk_a})})}),
        b("cy_b", md,
          {Column("id", Integer(), {.primary_key = true}),
           Column("a_id", Integer(), {.foreign_key = ForeignKey("cy_a.id", {.name = fk_b})})}),
        c("cy_c", md,
          {Column("id", Integer(), {.primary_key = true}),
           Column("a_id", Integer(), {.foreign_key = ForeignKey("cy_a.id")})}) {}
  MetaData md;
  Table a, b, c;
};

TEST(SqlSchemaCycles, PostgresqlCreatesTheCycleWithAlterTable) {
  Cycle s;
  EXPECT_EQ(s.md.create_all_sql("postgresql"),
            (std::vector<std::string>{
                "CREATE TABLE cy_a (\n\tid SERIAL NOT NULL, \n\tb_id INTEGER, \n\tPRIMARY KEY "
                "(id)\n)",
                "CREATE TABLE cy_b (\n\tid SERIAL NOT NULL, \n\ta_id INTEGER, \n\tPRIMARY KEY "
                "(id)\n)",
                // Not in the cycle: inline, after cy_a.
                "CREATE TABLE cy_c (\n\tid SERIAL NOT NULL, \n\ta_id INTEGER, \n\tPRIMARY KEY "
                "(id), \n\tFOREIGN KEY(a_id) REFERENCES cy_a (id)\n)",
                "ALTER TABLE cy_a ADD CONSTRAINT fk_a_b FOREIGN KEY(b_id) REFERENCES cy_b (id)",
                "ALTER TABLE cy_b ADD CONSTRAINT fk_b_a FOREIGN KEY(a_id) REFERENCES cy_a (id)",
            }));
  EXPECT_EQ(s.md.drop_all_sql("postgresql", true),
            (std::vector<std::string>{"ALTER TABLE IF EXISTS cy_a DROP CONSTRAINT IF EXISTS fk_a_b",
                                      "ALTER TABLE IF EXISTS cy_b DROP CONSTRAINT IF EXISTS fk_b_a",
                                      "DROP TABLE IF EXISTS cy_c", "DROP TABLE IF EXISTS cy_b",
                                      "DROP TABLE IF EXISTS cy_a"}));
}

TEST(SqlSchemaCycles, SqliteKeepsTheCycleInline) {
  Cycle s;
  EXPECT_EQ(s.md.create_all_sql("sqlite"),
            (std::vector<std::string>{
                "CREATE TABLE cy_a (\n\tid INTEGER NOT NULL, \n\tb_id INTEGER, \n\tPRIMARY KEY "
                "(id), \n\tCONSTRAINT fk_a_b FOREIGN KEY(b_id) REFERENCES cy_b (id)\n)",
                "CREATE TABLE cy_b (\n\tid INTEGER NOT NULL, \n\ta_id INTEGER, \n\tPRIMARY KEY "
                "(id), \n\tCONSTRAINT fk_b_a FOREIGN KEY(a_id) REFERENCES cy_a (id)\n)",
                "CREATE TABLE cy_c (\n\tid INTEGER NOT NULL, \n\ta_id INTEGER, \n\tPRIMARY KEY "
                "(id), \n\tFOREIGN KEY(a_id) REFERENCES cy_a (id)\n)",
            }));
  EXPECT_EQ(s.md.drop_all_sql("sqlite"),
            (std::vector<std::string>{"DROP TABLE cy_c", "DROP TABLE cy_b", "DROP TABLE cy_a"}));
}

TEST(SqlSchemaCycles, UnnamedCycleConstraintCannotBeDropped) {
  Cycle s({}, "", "");
  EXPECT_EQ(s.md.create_all_sql("postgresql")[3],
            "ALTER TABLE cy_a ADD FOREIGN KEY(b_id) REFERENCES cy_b (id)");
  expect_error<ArgumentError>(
      [&] { (void)s.md.drop_all_sql("postgresql"); },
      "Can't drop the foreign keys cy_a(b_id), cy_b(a_id) with ALTER TABLE on the 'postgresql' "
      "dialect: they have no name");
  EXPECT_NO_THROW((void)s.md.drop_all_sql("sqlite"));
  // A naming convention names them.
  Cycle named({.naming_convention = {{"fk", "fk_%(table_name)s_%(column_0_name)s"}}}, "", "");
  EXPECT_EQ(named.md.drop_all_sql("postgresql")[0],
            "ALTER TABLE cy_a DROP CONSTRAINT fk_cy_a_b_id");
}

TEST(SqlSchemaCycles, ExplicitUseAlter) {
  MetaData md;
  Table p("ua_parent", md, {Column("id", Integer(), {.primary_key = true})});
  Table c("ua_child", md,
          {Column("pid", Integer(),
                  {.foreign_key =
                       ForeignKey("ua_parent.id", {.name = "fk_late", .use_alter = true})})});
  expect_sql(CreateTable(c), {{"default", "CREATE TABLE ua_child (\n\tpid INTEGER\n)"},
                              {"postgresql", "CREATE TABLE ua_child (\n\tpid INTEGER\n)"},
                              {"sqlite",
                               "CREATE TABLE ua_child (\n\tpid INTEGER, \n\tCONSTRAINT fk_late "
                               "FOREIGN KEY(pid) REFERENCES ua_parent (id)\n)"}});
  const auto sql = md.create_all_sql("postgresql");
  EXPECT_EQ(
      sql.back(),
      "ALTER TABLE ua_child ADD CONSTRAINT fk_late FOREIGN KEY(pid) REFERENCES ua_parent (id)");
  EXPECT_EQ(md.drop_all_sql("postgresql").front(), "ALTER TABLE ua_child DROP CONSTRAINT fk_late");
}

// --- Native ENUM ------------------------------------------------------------------------------

TEST(SqlSchemaEnum, PostgresqlCreatesTheTypeOnceBeforeItsTables) {
  MetaData md;
  const Type mood = Enum({"happy", "sad"}, "mood");
  Table a("en_a", md, {Column("m", mood)});
  Table b("en_b", md, {Column("m", mood), Column("other", Enum({"x"}, "other_mood"))});
  EXPECT_EQ(md.create_all_sql("postgresql", true),
            (std::vector<std::string>{
                "DO $$ BEGIN CREATE TYPE mood AS ENUM ('happy', 'sad'); EXCEPTION WHEN "
                "duplicate_object THEN NULL; END $$",
                "DO $$ BEGIN CREATE TYPE other_mood AS ENUM ('x'); EXCEPTION WHEN "
                "duplicate_object THEN NULL; END $$",
                "CREATE TABLE IF NOT EXISTS en_a (\n\tm mood\n)",
                "CREATE TABLE IF NOT EXISTS en_b (\n\tm mood, \n\tother other_mood\n)"}));
  EXPECT_EQ(
      md.drop_all_sql("postgresql", true),
      (std::vector<std::string>{"DROP TABLE IF EXISTS en_b", "DROP TABLE IF EXISTS en_a",
                                "DROP TYPE IF EXISTS mood", "DROP TYPE IF EXISTS other_mood"}));
  // Elsewhere: VARCHAR + CHECK, no type.
  EXPECT_EQ(md.create_all_sql("sqlite").front(),
            "CREATE TABLE en_a (\n\tm VARCHAR(5), \n\tCHECK (m IN ('happy', 'sad'))\n)");
}

TEST(SqlSchemaEnum, CreateAndDropEnumTypeConstructs) {
  const Type mood = Enum({"happy", "it's ok"}, "mood");
  expect_sql(CreateEnumType(mood),
             {{"postgresql", "CREATE TYPE mood AS ENUM ('happy', 'it''s ok')"}});
  expect_sql(DropEnumType(mood), {{"postgresql", "DROP TYPE mood"}});
  expect_compile_error(CreateEnumType(mood), "sqlite",
                       "The 'sqlite' dialect cannot render CREATE TYPE … AS ENUM: it has no "
                       "named ENUM types");
  expect_error<ArgumentError>([] { (void)CreateEnumType(Enum({"a"})); },
                              "CreateEnumType needs a named Enum type, got Enum without a name");
  expect_error<ArgumentError>([] { (void)DropEnumType(Integer()); },
                              "DropEnumType needs a named Enum type, got Integer");
}

TEST(SqlSchemaEnum, ConventionNamesTheNonNativeCheck) {
  MetaData md({.naming_convention = {{"ck", "ck_%(table_name)s_%(constraint_name)s"}}});
  Table t("en_c", md, {Column("m", Enum({"a", "b"}, "mood")), Column("n", Enum({"c"}))});
  expect_sql(CreateTable(t),
             {{"sqlite",
               "CREATE TABLE en_c (\n\tm VARCHAR(1), \n\tn VARCHAR(1), \n\tCONSTRAINT "
               "ck_en_c_mood CHECK (m IN ('a', 'b')), \n\tCHECK (n IN ('c'))\n)"}});
}

}  // namespace
