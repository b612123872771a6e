// cli/schema_copy.cpp — `retort schema` and `retort copy`: reflection put to work.
#include "schema_copy.hpp"

#include "schema_objects.hpp"

#include <retort/retort.hpp>

#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace retort::cli {

namespace {

MetaData reflect_from(const Engine& engine, const std::vector<std::string>& tables,
                      const std::string& schema) {
  MetaData md;
  md.reflect(engine, {.schema = schema, .only = tables});
  return md;
}

// Progress on a terminal: one bar redrawn in place; otherwise nothing until the table ends.
class Progress {
 public:
  Progress() : tty_(isatty(fileno(stderr)) != 0) {}
  void update(const std::string& table, std::int64_t done, std::int64_t total) {
    if (!tty_) return;
    const int width = 30;
    const int filled =
        total > 0 ? static_cast<int>(width * std::min<double>(1.0, double(done) / total)) : width;
    std::cerr << fmt::format("\r{:<24} [{}{}] {}/{} rows", table, std::string(filled, '#'),
                             std::string(width - filled, ' '), done, total)
              << std::flush;
  }
  void finish(const std::string& table, std::int64_t rows, double seconds) {
    if (tty_) std::cerr << "\r\033[K";
    std::cerr << fmt::format("copied {}: {} rows in {:.2f} s\n", table, rows, seconds);
  }

 private:
  bool tty_;
};

std::int64_t count_rows(Connection& conn, const Table& t) {
  return conn.execute(select(func::count()).select_from(t)).scalar_one<std::int64_t>();
}

// PostgreSQL does not advance a serial's or identity's sequence for explicit values.
void advance_sequences(Connection& dst, Inspector& insp, const Table& t) {
  for (const auto& c : insp.get_columns(t.name(), t.schema())) {
    if (!c.autoincrement || !c.type->is_integer()) continue;
    const std::string qualified = t.schema().empty() ? t.name() : t.schema() + "." + t.name();
    // setval(seq, max): the next value is max + the increment, as the source would give.
    dst.execute(text("SELECT setval(pg_get_serial_sequence(:t, :c), max(" +
                     fmt::format("\"{}\"", c.name) + ")) FROM " +
                     (t.schema().empty() ? "" : fmt::format("\"{}\".", t.schema())) +
                     fmt::format("\"{}\"", t.name()) + " HAVING max(" +
                     fmt::format("\"{}\"", c.name) + ") IS NOT NULL"),
                Params{{"t", fmt::format("\"{}\"", qualified)}, {"c", c.name}});
  }
}

}  // namespace

int cmd_schema(const std::string& url, const std::string& dialect,
               const std::vector<std::string>& tables, const std::string& schema) {
  Engine engine = create_engine(url);
  const MetaData md = reflect_from(engine, tables, schema);
  const std::string target = dialect.empty() ? engine.dialect_name() : dialect;
  // Views and standalone sequences belong to no table: only with the whole schema.
  const SchemaObjects objects =
      tables.empty() ? schema_objects(engine, schema, target) : SchemaObjects{};
  const std::vector<std::string> statements = md.create_all_sql(target);
  for (const auto& s : objects.sequences) std::cout << s.sql << ";\n\n";
  for (const auto& statement : statements) std::cout << statement << ";\n\n";
  for (const auto& v : objects.views) std::cout << v.sql << ";\n\n";
  for (const auto& w : objects.warnings) std::cerr << "retort: warning: " << w << "\n";
  return 0;
}

int cmd_copy(const std::string& src_url, const std::string& dst_url,
             const std::vector<std::string>& tables, std::int64_t batch) {
  if (batch <= 0) throw ArgumentError("--batch must be a positive number of rows");
  EngineOptions src_options;
  src_options.fetch_batch_rows = batch;  // one batch read from the source, one written
  Engine src = create_engine(src_url, src_options);
  Engine dst = create_engine(dst_url);
  const MetaData md = reflect_from(src, tables, {});
  const std::vector<Table> order = md.sorted_tables();
  {
    // Never write into tables that exist: a copy creates what it fills.
    Inspector dst_insp(dst);
    for (const Table& t : order) {
      if (dst_insp.has_table(t.name(), t.schema())) {
        throw InvalidRequestError(fmt::format(
            "the destination already has a table '{}'; drop it, or leave it out with --tables",
            t.name()));
      }
    }
  }
  try {
    md.create_all(dst, false);
  } catch (const std::exception& e) {
    // DDL is not transactional everywhere (MariaDB commits each CREATE TABLE): drop what was
    // created before the failing statement.  None of these tables existed (checked above).
    try {
      md.drop_all(dst, true);
    } catch (const std::exception& cleanup) {
      std::cerr << "retort: could not drop the created tables again: " << cleanup.what() << "\n";
    }
    throw InvalidRequestError(fmt::format(
        "creating the schema on the destination failed: {}\nThe tables this copy created on "
        "the destination were dropped.",
        e.what()));
  }
  const auto always = relax_always_identities(dst, md);  // identities take the copied values
  Connection in = src.connect();
  Connection out = dst.connect();
  Progress progress;
  std::string current;
  try {
    for (const Table& t : order) {
      current = t.name();
      const auto t0 = std::chrono::steady_clock::now();
      const std::int64_t total = count_rows(in, t);
      // The source's batches go to the destination as fetched: through its bulk path
      // (PostgreSQL COPY) when it has one, else as executemany INSERTs of `batch` rows.
      Result rows = in.execute(select(t));
      BulkInsertOptions load;
      load.batch_rows = batch;
      load.on_progress = [&](std::int64_t done) { progress.update(t.name(), done, total); };
      out.bulk_insert(t, rows, load);
      const std::int64_t copied = count_rows(out, t);
      if (copied != total) {
        throw InvalidRequestError(
            fmt::format("row counts differ: {} in the source, {} copied", total, copied));
      }
      if (dst.dialect_name() == "postgresql") {
        Inspector dst_insp(out);
        advance_sequences(out, dst_insp, t);
      }
      progress.finish(t.name(), copied,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    in.rollback();
    out.commit();
  } catch (const std::exception& e) {
    // Nothing half-copied stays behind: the rows go with the rollback, the tables with
    // drop_all (create_all made every one of them).
    try {
      out.rollback();
      out.close();
      md.drop_all(dst, true);
    } catch (const std::exception& cleanup) {
      std::cerr << "retort: could not drop the copied tables again: " << cleanup.what() << "\n";
    }
    throw InvalidRequestError(
        fmt::format("copy failed at table '{}': {}\nThe tables this copy created on the "
                    "destination were dropped.",
                    current, e.what()));
  }
  std::cerr << fmt::format("copied {} table{}; row counts verified\n", order.size(),
                           order.size() == 1 ? "" : "s");
  restore_always_identities(dst, always);
  if (tables.empty()) {
    for (const auto& w : copy_schema_objects(src, dst))
      std::cerr << "retort: warning: " << w << "\n";
  }
  return 0;
}

}  // namespace retort::cli
