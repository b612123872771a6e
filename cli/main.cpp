// cli/main.cpp — the `retort` program: plugins, query, ping, schema, copy.
#include "output.hpp"
#include "schema_copy.hpp"

#include <retort/retort.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <iostream>

namespace {

using namespace retort;

// With no URL the program works on an embedded SQLite database that lives as long as the
// command, so it shows real work with no server and no file left behind.
constexpr const char* kDefaultUrl = "sqlite://";

bool looks_like_url(const std::string& s) {
  return s.find("://") != std::string::npos;
}

int cmd_plugins(bool verbose) {
  const DiscoveryReport report = discover_plugins();
  if (report.plugins.empty()) {
    std::cout << "No plugins found.\n";
  }
  for (const PluginInfo& p : report.plugins) {
    std::cout << fmt::format("{:<12} {:<20} {:<36} {:<8} {}\n", p.name,
                             fmt::format("{}", fmt::join(p.kinds, ",")),
                             fmt::format("{}", fmt::join(p.schemes, ",")), p.version, p.path);
  }
  if (verbose) {
    std::cout << "\nSearched, in order:\n";
    for (const auto& s : report.searched) std::cout << "  " << s << "\n";
    if (!report.rejected.empty()) {
      std::cout << "Rejected:\n";
      for (const auto& r : report.rejected) std::cout << "  " << r.path << ": " << r.reason << "\n";
    }
    if (!report.shadowed.empty()) {
      std::cout << "Shadowed by an earlier plugin of the same name:\n";
      for (const auto& p : report.shadowed) std::cout << "  " << p.name << " at " << p.path << "\n";
    }
  }
  return 0;
}

int cmd_query(std::vector<std::string> args, const std::vector<std::string>& params,
              const std::vector<std::string>& text_params, cli::Format format) {
  std::string url = kDefaultUrl;
  if (!args.empty() && looks_like_url(args.front())) {
    url = args.front();
    args.erase(args.begin());
  } else if (!args.empty() && looks_like_url(args.back())) {
    url = args.back();
    args.pop_back();
  }
  if (args.empty()) throw ArgumentError("no SQL statement given");
  Params bound;
  for (const auto& p : params) {
    auto [name, value] = cli::parse_param(p, false);
    bound.set(std::move(name), std::move(value));
  }
  for (const auto& p : text_params) {
    auto [name, value] = cli::parse_param(p, true);
    bound.set(std::move(name), std::move(value));
  }

  Engine engine = create_engine(url);
  Connection conn = engine.connect();
  for (const std::string& sql : args) {
    const TextClause stmt = text(sql);
    // Each statement gets only the parameters it names, so one -p list serves several.
    Params mine;
    for (const auto& name : stmt.bind_names()) {
      if (const Value* v = bound.find(name)) mine.set(name, *v);
    }
    Result result = conn.execute(stmt, mine);
    if (result.returns_rows()) {
      const std::vector<std::string> keys = result.keys();
      cli::print_rows(std::cout, keys, result.all(), format);
    } else if (format == cli::Format::table) {
      const auto n = result.rowcount();
      if (n >= 0)
        std::cout << fmt::format("({} row{} affected)\n", n, n == 1 ? "" : "s");
      else
        std::cout << "(done)\n";
    }
  }
  conn.commit();
  return 0;
}

int cmd_ping(const std::string& url_text) {
  Engine engine = create_engine(url_text.empty() ? kDefaultUrl : url_text);
  const auto t0 = std::chrono::steady_clock::now();
  Connection conn = engine.connect();
  const auto t1 = std::chrono::steady_clock::now();
  conn.ping();
  const auto t2 = std::chrono::steady_clock::now();
  std::string server;
  try {
    server = conn.server_version();
  } catch (const NotSupportedError&) {
    server = "(not reported by the driver)";
  }
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::cout << fmt::format("url:            {}\n", engine.url().render_as_string());
  std::cout << fmt::format("dialect:        {} ({})\n", engine.dialect_name(),
                           engine.dialect_plugin_path());
  std::cout << fmt::format("driver:         {} {} ({})\n", engine.driver_name(),
                           engine.driver_client_version(), engine.driver_plugin_path());
  std::cout << fmt::format("server version: {}\n", server);
  std::cout << fmt::format("connect:        {:.3f} ms\n", ms(t1 - t0));
  std::cout << fmt::format("round trip:     {:.3f} ms\n", ms(t2 - t1));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"retort — a database toolkit: run SQL on any backend a plugin serves"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("retort ") + retort::version());

  bool verbose = false;
  auto* plugins = app.add_subcommand("plugins", "List the discovered plugins");
  plugins->add_flag("-v,--verbose", verbose, "Also list every path searched and files rejected");

  std::vector<std::string> query_args, params, text_params;
  std::string format_name = "table";
  auto* query = app.add_subcommand(
      "query",
      "Run SQL statements in one transaction and print their rows.\n"
      "Arguments: [URL] SQL [SQL…]; without a URL, an in-memory SQLite database");
  query->add_option("args", query_args, "An optional URL, then one or more SQL statements")
      ->required();
  query->add_option("-p,--param", params, "Bind parameter name=value (type inferred)");
  query->add_option("-s,--text-param", text_params, "Bind parameter name=value (always text)");
  query->add_option("-f,--format", format_name, "Output format")
      ->check(CLI::IsMember({"table", "csv", "json"}));

  std::string ping_url;
  auto* ping = app.add_subcommand("ping",
                                  "Connect, print server and driver versions and the "
                                  "round-trip time");
  ping->add_option("url", ping_url, "Database URL (default: in-memory SQLite)");

  std::string schema_url, schema_dialect, schema_name;
  std::vector<std::string> schema_tables;
  auto* schema = app.add_subcommand(
      "schema", "Print the reflected schema as CREATE statements, for its own dialect or another");
  schema->add_option("url", schema_url, "Database URL")->required();
  schema->add_option("--dialect", schema_dialect, "Dialect to write the statements for");
  schema->add_option("--tables", schema_tables, "Only these tables (and those they refer to)")
      ->delimiter(',');
  schema->add_option("--schema", schema_name, "Schema to reflect (default: the default one)");

  std::string copy_src, copy_dst;
  std::vector<std::string> copy_tables;
  std::int64_t copy_batch = 10000;
  auto* copy = app.add_subcommand(
      "copy", "Copy tables and their rows from one database to another (any two backends)");
  copy->add_option("source", copy_src, "Source URL")->required();
  copy->add_option("destination", copy_dst, "Destination URL")->required();
  copy->add_option("--tables", copy_tables, "Only these tables (and those they refer to)")
      ->delimiter(',');
  copy->add_option("--batch", copy_batch,
                   "Rows per batch read from the source, and per executemany INSERT where the "
                   "destination has no bulk path (default 10000)");

  CLI11_PARSE(app, argc, argv);
  try {
    if (*plugins) return cmd_plugins(verbose);
    if (*query) {
      const auto format = format_name == "csv"    ? retort::cli::Format::csv
                          : format_name == "json" ? retort::cli::Format::json
                                                  : retort::cli::Format::table;
      return cmd_query(query_args, params, text_params, format);
    }
    if (*ping) return cmd_ping(ping_url);
    if (*schema) {
      return retort::cli::cmd_schema(schema_url, schema_dialect, schema_tables, schema_name);
    }
    if (*copy) return retort::cli::cmd_copy(copy_src, copy_dst, copy_tables, copy_batch);
  } catch (const retort::Error& e) {
    std::cerr << "retort: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "retort: internal error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
