// tests/fuzz/text_fuzz.cpp — libFuzzer target for the text() bind-parameter parser.
//
// Any input either parses or throws ArgumentError.  A parsed statement must be consistent in
// every paramstyle: each placeholder binds an existing name, `?`/`%s` styles have one
// placeholder per parameter occurrence, and joining the pieces gives back a statement with the
// same parameters.
#include <retort/exceptions.hpp>
#include <retort/plugin_abi.h>
#include <retort/text.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "text_fuzz: %s\n  input: %.*s\n", what, static_cast<int>(input.size()),
               input.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    const retort::TextClause clause(input);
    std::size_t occurrences = 0;
    for (const auto& piece : clause.pieces()) {
      if (piece.param >= 0) {
        ++occurrences;
        if (static_cast<std::size_t>(piece.param) >= clause.bind_names().size()) {
          fail("a piece binds a name that does not exist", input);
        }
      }
    }
    for (const std::uint32_t style : {RETORT_PARAMSTYLE_QMARK, RETORT_PARAMSTYLE_NUMERIC,
                                      RETORT_PARAMSTYLE_DOLLAR, RETORT_PARAMSTYLE_FORMAT}) {
      const retort::TextClause::Rendered r = clause.render(style);
      for (const std::uint32_t p : r.placeholder_params) {
        if (p >= clause.bind_names().size()) fail("a placeholder binds a missing name", input);
      }
      const bool positional = style == RETORT_PARAMSTYLE_QMARK || style == RETORT_PARAMSTYLE_FORMAT;
      if (positional && r.placeholder_params.size() != occurrences) {
        fail("positional placeholders differ from parameter occurrences", input);
      }
      if (!positional && r.placeholder_params.size() > occurrences) {
        fail("more numbered placeholders than occurrences", input);
      }
    }
  } catch (const retort::ArgumentError&) {
  }
  return 0;
}
