// sdk/conformance/transaction_test.cpp — autobegin, explicit transactions and savepoints.
#include <retort/conformance/backend.hpp>

#include <gmock/gmock.h>

namespace retort::conformance {

namespace {

int64_t count(Connection& c, const std::string& table) {
  return c.execute(text("SELECT count(*) FROM " + table)).scalar_one<int64_t>();
}

}  // namespace

TEST_P(TransactionTest, CommittedWorkIsVisibleToAnotherConnection) {
  create_table("rt_tx", "id " + backend().type_int);
  auto tx = conn->begin();
  conn->execute(text("INSERT INTO rt_tx (id) VALUES (1)"));
  tx.commit();
  EXPECT_FALSE(tx.is_active());
  Connection other = engine->connect();
  EXPECT_EQ(count(other, "rt_tx"), 1);
}

TEST_P(TransactionTest, DroppedTransactionRollsBack) {
  create_table("rt_tx", "id " + backend().type_int);
  {
    auto tx = conn->begin();
    conn->execute(text("INSERT INTO rt_tx (id) VALUES (1)"));
  }
  EXPECT_FALSE(conn->in_transaction());
  EXPECT_EQ(count(*conn, "rt_tx"), 0);
}

TEST_P(TransactionTest, AutobegunTransactionIsRolledBackWhenTheConnectionCloses) {
  create_table("rt_tx", "id " + backend().type_int);
  conn->execute(text("INSERT INTO rt_tx (id) VALUES (1)"));
  EXPECT_TRUE(conn->in_transaction());
  conn->close();
  Connection other = engine->connect();
  EXPECT_EQ(count(other, "rt_tx"), 0);
}

TEST_P(TransactionTest, ConnectionCommitEndsTheAutobegunTransaction) {
  create_table("rt_tx", "id " + backend().type_int);
  conn->execute(text("INSERT INTO rt_tx (id) VALUES (1)"));
  conn->commit();
  EXPECT_FALSE(conn->in_transaction());
  conn->execute(text("INSERT INTO rt_tx (id) VALUES (2)"));
  conn->rollback();
  EXPECT_EQ(count(*conn, "rt_tx"), 1);
}

TEST_P(TransactionTest, BeginDuringAnAutobegunTransactionIsRefused) {
  conn->execute(text("SELECT 1"));
  try {
    conn->begin();
    FAIL() << "expected InvalidRequestError";
  } catch (const InvalidRequestError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("already begun implicitly"));
  }
}

TEST_P(TransactionTest, SavepointRollbackKeepsOuterWork) {
  if (!backend().savepoints) GTEST_SKIP() << "requires: savepoints";
  create_table("rt_tx", "id " + backend().type_int);
  auto tx = conn->begin();
  conn->execute(text("INSERT INTO rt_tx (id) VALUES (1)"));
  {
    auto sp = conn->begin_nested();
    EXPECT_TRUE(sp.is_nested());
    conn->execute(text("INSERT INTO rt_tx (id) VALUES (2)"));
    sp.rollback();
  }
  conn->execute(text("INSERT INTO rt_tx (id) VALUES (3)"));
  tx.commit();
  auto ids = conn->execute(text("SELECT id FROM rt_tx ORDER BY id")).scalars<int64_t>();
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 3}));
}

TEST_P(TransactionTest, NestedBeginIsASavepointAndNestsSeveralLevels) {
  if (!backend().savepoints) GTEST_SKIP() << "requires: savepoints";
  create_table("rt_tx", "id " + backend().type_int);
  auto tx = conn->begin();
  auto sp1 = conn->begin();  // nested begin → SAVEPOINT
  EXPECT_TRUE(sp1.is_nested());
  conn->execute(text("INSERT INTO rt_tx (id) VALUES (1)"));
  auto sp2 = conn->begin_nested();
  conn->execute(text("INSERT INTO rt_tx (id) VALUES (2)"));
  sp2.commit();
  auto sp3 = conn->begin_nested();
  conn->execute(text("INSERT INTO rt_tx (id) VALUES (3)"));
  sp3.rollback();
  sp1.commit();
  tx.commit();
  EXPECT_EQ(count(*conn, "rt_tx"), 2);
}

TEST_P(TransactionTest, FailureInsideASavepointCanBeRolledBackAndContinued) {
  if (!backend().savepoints) GTEST_SKIP() << "requires: savepoints";
  create_table("rt_tx", "id " + backend().type_int + " PRIMARY KEY");
  auto tx = conn->begin();
  conn->execute(text("INSERT INTO rt_tx (id) VALUES (1)"));
  auto sp = conn->begin_nested();
  EXPECT_THROW(conn->execute(text("INSERT INTO rt_tx (id) VALUES (1)")), IntegrityError);
  sp.rollback();
  conn->execute(text("INSERT INTO rt_tx (id) VALUES (2)"));
  tx.commit();
  EXPECT_EQ(count(*conn, "rt_tx"), 2);
}

TEST_P(TransactionTest, EndingTheOuterTransactionDeactivatesSavepoints) {
  if (!backend().savepoints) GTEST_SKIP() << "requires: savepoints";
  auto tx = conn->begin();
  auto sp = conn->begin_nested();
  tx.commit();
  EXPECT_FALSE(sp.is_active());
  EXPECT_THROW(sp.commit(), InvalidRequestError);
}

TEST_P(TransactionTest, CommittingTwiceIsAnError) {
  auto tx = conn->begin();
  tx.commit();
  try {
    tx.commit();
    FAIL() << "expected InvalidRequestError";
  } catch (const InvalidRequestError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("inactive"));
  }
}

TEST_P(TransactionTest, TransactionOutlivingItsConnectionIsInactive) {
  std::optional<Transaction> tx;
  {
    Connection c = engine->connect();
    tx.emplace(c.begin());
  }
  EXPECT_FALSE(tx->is_active());
  EXPECT_THROW(tx->rollback(), InvalidRequestError);
}

}  // namespace retort::conformance
