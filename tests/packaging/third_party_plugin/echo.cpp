// A minimal third-party plugin: dialect `echo`, driver `echodrv`.  Every statement returns one
// row with one TEXT column holding the SQL it was given.
#include <retort/sdk/plugin.hpp>

#include <memory>
#include <string>

namespace {

class EchoStatement {
 public:
  explicit EchoStatement(std::string sql) : sql_(std::move(sql)) {}
  void execute(const retort_batch*, retort_exec_info& info) {
    info.column_count = 1;
    done_ = false;
  }
  void describe(int32_t, retort_column_desc& out) {
    out.name = "sql";
    out.name_length = 3;
    out.type = RETORT_TYPE_TEXT;
  }
  void fetch(int64_t, retort_batch& out) {
    if (done_) return retort::sdk::BatchBuilder::finish_empty(&out);
    retort::sdk::BatchBuilder b;
    const retort_value_type types[] = {RETORT_TYPE_TEXT};
    b.reset(types);
    b.column(0).append_bytes(sql_.data(), sql_.size());
    b.finish(&out);
    done_ = true;
  }

 private:
  std::string sql_;
  bool done_ = true;
};

class EchoConnection {
 public:
  static std::unique_ptr<EchoConnection> connect(const retort_connect_params&) {
    return std::make_unique<EchoConnection>();
  }
  std::unique_ptr<EchoStatement> prepare(std::string_view sql) {
    return std::make_unique<EchoStatement>(std::string(sql));
  }
  void begin() {}
  void commit() {}
  void rollback() {}
};

const char* const kDialects[] = {"echo", nullptr};
const retort_dialect kDialect = {sizeof(retort_dialect), "echo", "echodrv",
                                 RETORT_PARAMSTYLE_QMARK, 0, "\"", "\"", 0, nullptr, 0};

const retort::sdk::PluginSpec& spec() {
  static const retort_dialect* dialects[] = {&kDialect};
  static const retort_driver* drivers[] = {
      &retort::sdk::make_driver<EchoConnection, EchoStatement>({"echodrv", kDialects, "1.0"})};
  static const retort::sdk::PluginSpec s{"echo", "1.0.0", RETORT_KIND_DIALECT | RETORT_KIND_DRIVER,
                                         dialects, drivers, {}};
  return s;
}

}  // namespace

RETORT_SDK_PLUGIN("abi=1.0\nname=echo\nversion=1.0.0\nkinds=dialect,driver\ndialects=echo\n"
                  "drivers=echodrv\ndriver.echodrv.dialects=echo\n"
                  "dialect.echo.default_driver=echodrv\nschemes=echo,echo+echodrv\n",
                  spec)
