// Uses an installed Retort: the sqlite plugin must be found relative to the installed library
// with no configuration at all.
#include <retort/retort.hpp>

#include <iostream>

int main() {
  auto engine = retort::create_engine("sqlite://");
  auto conn = engine.connect();
  const auto n = conn.execute(retort::text("SELECT :a + :b"), {{"a", 40}, {"b", 2}})
                     .scalar_one<int64_t>();
  std::cout << "consumer: " << n << " via " << engine.driver_plugin_path() << "\n";
  return n == 42 ? 0 : 1;
}
