// tests/support/sql_expect.hpp — compile-test helper: the exact SQL a statement compiles to,
// per dialect.
//
//   expect_sql(stmt, {{"default", "SELECT t.x FROM t WHERE t.x = :x_1"},
//                     {"sqlite", "SELECT t.x FROM t WHERE t.x = ?"},
//                     {"postgresql", "SELECT t.x FROM t WHERE t.x = $1"}});
//
// Each dialect is checked separately (a failure names it); a dialect that is expected to
// refuse the construct is written with expect_compile_error.
#ifndef RETORT_TESTS_SUPPORT_SQL_EXPECT_HPP
#define RETORT_TESTS_SUPPORT_SQL_EXPECT_HPP

#include <retort/exceptions.hpp>
#include <retort/sql/compiler.hpp>

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace retort::testing {

inline void expect_sql(
    const Executable& stmt,
    std::initializer_list<std::pair<std::string_view, std::string_view>> expected) {
  for (const auto& [dialect, sql] : expected) {
    SCOPED_TRACE(std::string("dialect ") + std::string(dialect));
    try {
      EXPECT_EQ(stmt.compile(dialect).sql, sql);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "compile threw: " << e.what();
    }
  }
}

/// Expects CompileError from `dialect`, with a message containing `fragment`.
inline void expect_compile_error(const Executable& stmt, std::string_view dialect,
                                 std::string_view fragment) {
  SCOPED_TRACE(std::string("dialect ") + std::string(dialect));
  try {
    (void)stmt.compile(dialect);
    ADD_FAILURE() << "expected CompileError";
  } catch (const CompileError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

}  // namespace retort::testing

#endif  // RETORT_TESTS_SUPPORT_SQL_EXPECT_HPP
