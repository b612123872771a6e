// bench/compile_workloads.cpp — cache hit versus full compilation.
#include "compile_workloads.hpp"

#include <retort/retort.hpp>

#include <memory>

namespace retort::bench {

namespace {

constexpr int kCompiles = 100'000;

struct Schema {
  MetaData metadata;
  Table users{"users",
              metadata,
              {Column("id", Integer(), {.primary_key = true}), Column("name", String(50)),
               Column("age", Integer())}};
  Table orders{"orders",
               metadata,
               {Column("id", Integer(), {.primary_key = true}),
                Column("user_id", Integer(), {.foreign_key = ForeignKey("users.id")}),
                Column("total", Numeric(10, 2)), Column("status", String(10))}};
  Table items{"items",
              metadata,
              {Column("id", Integer(), {.primary_key = true}),
               Column("order_id", Integer(), {.foreign_key = ForeignKey("orders.id")}),
               Column("sku", String(20)), Column("quantity", Integer())}};

  Select query(int i) const {
    return select(users.c["name"], orders.c["total"], items.c["sku"])
        .select_from(users.join(orders).join(items))
        .where(users.c["age"] > i)
        .where(orders.c["status"] == "open")
        .where(orders.c["total"] >= 10)
        .where(items.c["quantity"] < 5)
        .where(users.c["name"].like("a%"))
        .order_by(orders.c["total"].desc())
        .limit(50);
  }
};

Workload make(const std::string& name, bool rebuild) {
  auto schema = std::make_shared<Schema>();
  auto cached = std::make_shared<Engine>(create_engine("sqlite://"));
  auto uncached = std::make_shared<Engine>(create_engine("sqlite://", {.query_cache_size = 0}));
  auto stmt = std::make_shared<Select>(schema->query(18));
  auto run = [schema, stmt, rebuild](const Engine& engine) {
    std::size_t sink = 0;
    const double start = now_seconds();
    for (int i = 0; i < kCompiles; ++i) {
      sink += rebuild ? engine.compile(schema->query(i)).parameters.size()
                      : engine.compile(*stmt).parameters.size();
    }
    const double elapsed = now_seconds() - start;
    if (sink == 0) std::abort();
    return elapsed;
  };
  return Workload{name, "compiler", [run, cached] { return run(*cached); },
                  [run, uncached] { return run(*uncached); }, kCompiles};
}

}  // namespace

std::vector<Workload> compile_workloads() {
  return {make("compile_join3_same_stmt", false), make("compile_join3_rebuilt", true)};
}

}  // namespace retort::bench
