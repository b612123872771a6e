// tests/fuzz/url_fuzz.cpp — libFuzzer target for the URL parser (make_url).
//
// Any input either parses or throws ArgumentError; nothing else may happen (a crash, another
// exception, a sanitizer report).  A parsed URL must survive the round trip its documentation
// promises: make_url(url.render_as_string(false)) == url; and the masked rendering must parse
// and carry no password but `***`.
#include <retort/exceptions.hpp>
#include <retort/url.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void fail(const char* what, const std::string& a, const std::string& b) {
  std::fprintf(stderr, "url_fuzz: %s\n  first:  %s\n  second: %s\n", what, a.c_str(), b.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  retort::URL url = retort::URL::create("x");
  try {
    url = retort::make_url(input);
  } catch (const retort::ArgumentError&) {
    return 0;
  }
  const std::string rendered = url.render_as_string(false);
  try {
    if (!(retort::make_url(rendered) == url))
      fail("round trip changed the URL", std::string(input), rendered);
  } catch (const retort::ArgumentError& e) {
    fail("rendering does not parse", rendered, e.what());
  }
  const std::string masked = url.render_as_string(true);
  try {
    const retort::URL m = retort::make_url(masked);
    if (url.password().has_value() && m.password() != std::optional<std::string>("***")) {
      fail("masked rendering shows a password", rendered, masked);
    }
  } catch (const retort::ArgumentError& e) {
    fail("masked rendering does not parse", masked, e.what());
  }
  return 0;
}
