// Value conversion by SQL type (bind checks and conversions, error paths), TypeDecorator DDL
// and hooks, and type plugins: discovery, DDL per dialect, a round trip on SQLite, and the
// error for an unknown type.
#include "sql/type_values.hpp"
#include "support/sql_expect.hpp"

#include <retort/engine.hpp>
#include <retort/plugins.hpp>
#include <retort/sql/ddl.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

namespace {

using namespace retort;
using retort::testing::expect_compile_error;
using retort::testing::expect_sql;

template <typename E, typename F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "no exception";
  return {};
}

// A dialect's capabilities as the conversions see them.
retort_dialect dialect_with(std::uint64_t caps) {
  retort_dialect d = detail::default_dialect();
  d.capabilities = caps;
  return d;
}

Value bind_as(const Type& type, Value v,
              std::uint64_t caps = RETORT_CAP_NATIVE_DECIMAL | RETORT_CAP_NATIVE_INTERVAL) {
  return detail::process_bind_value(type, std::move(v), dialect_with(caps), "col");
}

// Stores an int64 count of cents as NUMERIC(12, 2) text.
class Cents : public TypeDecorator {
 public:
  Cents() : TypeDecorator(Numeric(12, 2)) {}
  const char* type_name() const noexcept override { return "Cents"; }
  Value process_bind_param(const Value& v) const override {
    if (v.is_null()) return v;
    const std::int64_t c = v.as<std::int64_t>();
    const std::int64_t a = c < 0 ? -c : c;
    const std::string cents = std::to_string(a % 100);
    return Decimal{(c < 0 ? "-" : "") + std::to_string(a / 100) + "." +
                   (cents.size() < 2 ? "0" : "") + cents};
  }
  Value process_result_value(const Value& v) const override {
    if (v.is_null()) return v;
    std::string text = v.as<Decimal>().text;
    text.erase(text.find('.'), 1);
    return std::int64_t{std::stoll(text)};
  }
};

// Upper-cases on the way in, wraps in brackets on the way out.
class Shout : public TypeDecorator {
 public:
  Shout() : TypeDecorator(String(20)) {}
  const char* type_name() const noexcept override { return "Shout"; }
  Value process_bind_param(const Value& v) const override {
    if (v.is_null()) return Value("<null>");
    std::string s = v.as<std::string>();
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }
  Value process_result_value(const Value& v) const override {
    return "[" + v.as<std::string>() + "]";
  }
};

TEST(SqlTypesBind, ValuesOfTheColumnsTypePassUnchanged) {
  EXPECT_EQ(bind_as(Integer(), 42), Value(42));
  EXPECT_EQ(bind_as(Boolean(), true), Value(true));
  EXPECT_EQ(bind_as(Double(), 1.5), Value(1.5));
  EXPECT_EQ(bind_as(Numeric(38, 9), Decimal{"12345678901234567890.123456789"}),
            Value(Decimal{"12345678901234567890.123456789"}));
  EXPECT_EQ(bind_as(String(10), "x"), Value("x"));
  EXPECT_EQ(bind_as(types::Uuid(), Uuid::parse("0123456789abcdef0123456789abcdef")),
            Value(Uuid::parse("0123456789abcdef0123456789abcdef")));
  EXPECT_EQ(bind_as(JSON(), Json{"{\"a\": [1, 2]}"}), Value(Json{"{\"a\": [1, 2]}"}));
}

TEST(SqlTypesBind, CompatibleValuesAreConvertedToTheTypesValue) {
  EXPECT_EQ(bind_as(Boolean(), 1), Value(true));
  EXPECT_EQ(bind_as(Boolean(), 0), Value(false));
  EXPECT_EQ(bind_as(Integer(), true), Value(1));
  EXPECT_EQ(bind_as(Double(), 3), Value(3.0));
  EXPECT_EQ(bind_as(Numeric(), 7), Value(Decimal{"7"}));
  EXPECT_EQ(bind_as(Numeric(), 0.1), Value(Decimal{"0.1"}));
  EXPECT_EQ(bind_as(types::Uuid(), "01234567-89ab-cdef-0123-456789abcdef"),
            Value(Uuid::parse("0123456789abcdef0123456789abcdef")));
  EXPECT_EQ(bind_as(Integer(), nullptr), Value());
}

TEST(SqlTypesBind, WrongValueTypeRaisesArgumentErrorNamingParameterAndType) {
  EXPECT_EQ(message_of<ArgumentError>([] { bind_as(Integer(), "abc"); }),
            "Cannot bind std::string value 'abc' to 'col', of type Integer: expected an integer");
  EXPECT_EQ(message_of<ArgumentError>([] { bind_as(types::Date(), 5); }),
            "Cannot bind int64_t value 5 to 'col', of type Date: expected retort::Date");
  EXPECT_EQ(message_of<ArgumentError>([] { bind_as(types::DateTime(true), DateTime{}); }),
            "Cannot bind retort::DateTime value 1970-01-01 00:00:00.000000 to 'col', of type "
            "DateTime: expected retort::DateTimeTz (the column is WITH TIME ZONE)");
  EXPECT_EQ(message_of<ArgumentError>([] { bind_as(Boolean(), 2); }),
            "Cannot bind int64_t value 2 to 'col', of type Boolean: expected bool (or the integer "
            "0 or 1)");
  EXPECT_THROW(bind_as(LargeBinary(), "text"), ArgumentError);
  EXPECT_THROW(bind_as(JSON(), "{}"), ArgumentError);
  EXPECT_THROW(bind_as(types::Uuid(), "not a uuid"), ArgumentError);
}

TEST(SqlTypesBind, EnumRefusesValuesOutsideItsSet) {
  EXPECT_EQ(bind_as(Enum({"a", "b"}), "a"), Value("a"));
  EXPECT_EQ(message_of<ArgumentError>([] {
              bind_as(Enum({"a", "b"}), "c");
            }),
            "Cannot bind 'c' to 'col': not one of the values of Enum ('a', 'b')");
}

TEST(SqlTypesBind, IntervalBecomesAnEpochOffsetWithoutNativeInterval) {
  const Interval i{0, 2, std::chrono::hours(3)};
  EXPECT_EQ(bind_as(types::Interval(), i), Value(i));
  EXPECT_EQ(bind_as(types::Interval(), i, 0),
            Value(DateTime(std::chrono::days(2) + std::chrono::hours(3))));
  EXPECT_EQ(message_of<ArgumentError>([] {
              bind_as(types::Interval(), Interval{1, 0, {}}, 0);
            }),
            "Cannot bind P1M to 'col', of type Interval: this dialect stores intervals as a "
            "datetime offset from 1970-01-01, which has no months; give days instead");
}

TEST(SqlTypesBind, DecimalsDoubleStorageCannotKeepAreRefused) {
  EXPECT_EQ(bind_as(Numeric(), Decimal{"123456789012.345"}, 0), Value(Decimal{"123456789012.345"}));
  EXPECT_EQ(bind_as(Numeric(), Decimal{"-9223372036854775807"}, 0),
            Value(Decimal{"-9223372036854775807"}));
  EXPECT_EQ(bind_as(Numeric(), Decimal{"1.50000000000000000000"}, 0),
            Value(Decimal{"1.50000000000000000000"}));
  EXPECT_NE(message_of<ArgumentError>([] {
              bind_as(Numeric(38, 9), Decimal{"12345678901234567890.123456789"}, 0);
            }).find("keeps at most 15 significant digits"),
            std::string::npos);
}

TEST(SqlTypesDecorator, DdlUsesTheImplsSpelling) {
  MetaData m;
  Table t("sqlt_dec_ddl", m,
          {Column("id", Integer(), {.primary_key = true}), Column("price", Cents()),
           Column("who", Shout())});
  expect_sql(CreateTable(t), {{"sqlite",
                               "CREATE TABLE sqlt_dec_ddl (\n\tid INTEGER NOT NULL, \n\tprice "
                               "NUMERIC(12, 2), \n\twho VARCHAR(20), \n\tPRIMARY KEY (id)\n)"}});
}

TEST(SqlTypesDecorator, BindHookRunsBeforeTheImplsCheck) {
  EXPECT_EQ(bind_as(Cents(), 1234), Value(Decimal{"12.34"}));
  EXPECT_EQ(bind_as(Cents(), -5), Value(Decimal{"-0.05"}));
  EXPECT_EQ(bind_as(Shout(), nullptr), Value("<null>"));
}

TEST(SqlTypesPlugin, UnknownTypeNamesTheSearchedPaths) {
  const std::string message = message_of<NoSuchModuleError>([] { plugin_type("nosuchtype"); });
  EXPECT_NE(message.find("no Retort plugin provides type 'nosuchtype'"), std::string::npos)
      << message;
  EXPECT_NE(message.find(RETORT_BUILD_PLUGIN_DIR), std::string::npos) << message;
}

class SqlTypesPluginMoney : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    register_plugin_file(std::string(RETORT_TEST_PLUGIN_DIR) +
                         "/money_type/retort_plugin_test_money_type.so");
  }
};

TEST_F(SqlTypesPluginMoney, IsDiscoveredAndRendersDdlPerDialect) {
  const Type money = plugin_type("money");
  EXPECT_EQ(money.kind(), TypeKind::numeric);
  EXPECT_STREQ(money->type_name(), "plugin type 'money'");
  MetaData m;
  Table t("sqlt_money", m,
          {Column("id", Integer(), {.primary_key = true}), Column("amount", money)});
  expect_sql(CreateTable(t),
             {{"sqlite",
               "CREATE TABLE sqlt_money (\n\tid INTEGER NOT NULL, \n\tamount NUMERIC(19, 4), "
               "\n\tPRIMARY KEY (id)\n)"},
              {"postgresql",
               "CREATE TABLE sqlt_money (\n\tid SERIAL NOT NULL, \n\tamount NUMERIC(19, 4), "
               "\n\tPRIMARY KEY (id)\n)"}});
  expect_compile_error(CreateTable(t), "default",
                       "The 'default' dialect cannot render plugin type 'money': the plugin has "
                       "no DDL spelling for this dialect: money has no spelling for this dialect");
}

TEST_F(SqlTypesPluginMoney, RoundTripsOnSqlite) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("retort-sqlt-money-" + std::to_string(getpid()) + ".db");
  {
    auto engine = create_engine("sqlite:///" + path.string());
    MetaData m;
    Table t(
        "sqlt_money_rt", m,
        {Column("id", Integer(), {.primary_key = true}), Column("amount", plugin_type("money"))});
    m.create_all(engine);
    auto conn = engine.connect();
    // SQLite keeps NUMERIC as a double; the plugin's DDL gives the core no scale, so values
    // read back in their shortest form.
    conn.execute(insert(t), std::vector<Params>{{{"id", 1}, {"amount", Decimal{"1234.56"}}},
                                                {{"id", 2}, {"amount", Decimal{"-0.01"}}},
                                                {{"id", 3}, {"amount", nullptr}}});
    // A comparison binds its value with the column's type too (an int becomes a decimal).
    auto rows =
        conn.execute(select(t.c["id"], t.c["amount"]).where(t.c["amount"] != 7).order_by(t.c["id"]))
            .all();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].get<Decimal>("amount"), Decimal{"1234.56"});
    EXPECT_EQ(rows[1].get<Decimal>("amount"), Decimal{"-0.01"});
    EXPECT_THROW(conn.execute(insert(t).values({{"id", 4}, {"amount", "lots"}})), ArgumentError);
    conn.rollback();
    m.drop_all(engine);
  }
  std::filesystem::remove(path);
}

TEST_F(SqlTypesPluginMoney, ConvertingPluginTypeRunsItsBatchHooksBothWays) {
  const Type cents = plugin_type("cents");
  EXPECT_EQ(cents.kind(), TypeKind::big_integer);  // the kind of its value type, INT64
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("retort-sqlt-cents-" + std::to_string(getpid()) + ".db");
  {
    auto engine = create_engine("sqlite:///" + path.string());
    MetaData m;
    Table t("sqlt_cents_rt", m,
            {Column("id", Integer(), {.primary_key = true}), Column("price", cents)});
    m.create_all(engine);
    auto conn = engine.connect();
    conn.execute(insert(t), std::vector<Params>{{{"id", 1}, {"price", 1999}},
                                                {{"id", 2}, {"price", -5}},
                                                {{"id", 3}, {"price", nullptr}}});
    // Stored as the plugin's DECIMAL text ("19.99", a REAL on SQLite).
    EXPECT_EQ(
        conn.exec_driver_sql("SELECT price FROM sqlt_cents_rt WHERE id = 1").scalar_one<double>(),
        19.99);
    // The comparison's value goes through bind_batch too.
    EXPECT_EQ(conn.execute(select(t.c["id"]).where(t.c["price"] == -5)).scalar_one<int>(), 2);
    const auto rows = conn.execute(select(t.c["price"]).order_by(t.c["id"])).all();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].get<std::int64_t>(0), 1999);
    EXPECT_EQ(rows[1].get<std::int64_t>(0), -5);
    EXPECT_TRUE(rows[2].is_null(0));
    // A value with a fraction of a cent: result_batch fails, naming the column and the type.
    conn.exec_driver_sql("UPDATE sqlt_cents_rt SET price = 0.125 WHERE id = 3");
    EXPECT_EQ(message_of<TypeConversionError>(
                  [&] { conn.execute(select(t.c["price"]).order_by(t.c["id"])).all(); }),
              "Column 'price' of plugin type 'cents' cannot be read: '0.125' is not a whole "
              "number of cents");
    conn.rollback();
    m.drop_all(engine);
  }
  std::filesystem::remove(path);
}

}  // namespace
