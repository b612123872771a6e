// The SDK's reflection helpers: ReflectRows checks every value against its layout, and LIST
// cells round-trip through split_list.
#include <retort/sdk/reflection.hpp>

#include <gtest/gtest.h>

namespace {

using retort::sdk::ReflectRows;

TEST(ReflectRows, BuildsABatchInTheLayout) {
  ReflectRows rows("TIL");
  rows.text("a").integer(int64_t{7}).list({"x", "y"}).end_row();
  rows.null().null().list({}).end_row();
  EXPECT_EQ(rows.row_count(), 2);
}

TEST(ReflectRows, RefusesAValueOfTheWrongKind) {
  ReflectRows rows("TI");
  rows.text("a");
  try {
    rows.text("b");
    FAIL() << "no exception";
  } catch (const retort::sdk::Error& e) {
    EXPECT_EQ(e.status(), RETORT_INTERNAL);
    EXPECT_NE(std::string(e.what()).find("column 1 of layout 'TI'"), std::string::npos) << e.what();
  }
}

TEST(ReflectRows, RefusesAnUnfinishedRow) {
  ReflectRows rows("TT");
  rows.text("a");
  EXPECT_THROW(rows.end_row(), retort::sdk::Error);
}

TEST(SplitList, ItemsAreNulTerminated) {
  using namespace std::string_literals;
  EXPECT_EQ(retort::sdk::split_list("a\0bc\0\0"s), (std::vector<std::string>{"a", "bc", ""}));
  EXPECT_TRUE(retort::sdk::split_list("").empty());
}

}  // namespace
