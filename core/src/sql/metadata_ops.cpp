// core/src/sql/metadata_ops.cpp — MetaData::create_all / drop_all: dependency order,
// foreign-key cycles, and the objects around tables (ENUM types, sequences, indexes,
// comments).
#include "../plugin_loader.hpp"
#include "compiler.hpp"
#include "ddl_support.hpp"

#include <retort/engine.hpp>
#include <retort/exceptions.hpp>
#include <retort/sql/ddl.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <functional>
#include <set>

namespace retort {

using detail::ForeignKeyData;
using detail::make_node;
using detail::Node;
using detail::NodeKind;
using detail::NodePtr;
using detail::TableData;

namespace {

using TablePtr = std::shared_ptr<const TableData>;
using ForeignKeyPtr = std::shared_ptr<const ForeignKeyData>;

struct Plan {
  // Every table after the tables its (inline) foreign keys reference.
  std::vector<TablePtr> tables;
  // Foreign keys added with ALTER TABLE after every table exists: use_alter ones and those
  // in a cycle, on dialects that can; by table.
  std::vector<std::pair<TablePtr, ForeignKeyPtr>> alter;
};

// Strongly connected components (Tarjan): component number per table.
std::vector<std::size_t> components(const std::vector<std::set<std::size_t>>& deps) {
  const std::size_t n = deps.size();
  std::vector<std::size_t> index(n, SIZE_MAX), low(n, 0), comp(n, SIZE_MAX);
  std::vector<std::size_t> stack;
  std::vector<bool> on_stack(n, false);
  std::size_t counter = 0, comps = 0;
  std::function<void(std::size_t)> visit = [&](std::size_t v) {
    index[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = true;
    for (std::size_t w : deps[v]) {
      if (index[w] == SIZE_MAX) {
        visit(w);
        low[v] = std::min(low[v], low[w]);
      } else if (on_stack[w]) {
        low[v] = std::min(low[v], index[w]);
      }
    }
    if (low[v] == index[v]) {
      std::size_t w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        comp[w] = comps;
      } while (w != v);
      ++comps;
    }
  };
  for (std::size_t v = 0; v < n; ++v)
    if (index[v] == SIZE_MAX) visit(v);
  return comp;
}

// SQLAlchemy's sort_tables_and_constraints: a foreign key between two tables of a cycle does
// not order them; with ALTER it is added afterwards, without (SQLite, which does not check
// referenced tables at CREATE time) it stays inline.
Plan plan(const detail::MetaDataImpl& md, bool alter) {
  const auto& tables = md.tables;
  const std::size_t n = tables.size();
  auto index_of = [&](const TableData* t) {
    for (std::size_t i = 0; i < n; ++i)
      if (tables[i].get() == t) return i;
    return n;
  };
  struct Edge {
    std::size_t from, to;
    ForeignKeyPtr fk;
  };
  Plan out;
  std::vector<Edge> edges;
  std::vector<std::set<std::size_t>> deps(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& fk : tables[i]->foreign_keys) {
      const auto target = detail::resolve(*tables[i], *fk);  // ArgumentError when unknown
      if (alter && fk->options.use_alter) {
        out.alter.emplace_back(tables[i], fk);
        continue;
      }
      const std::size_t j = index_of(target.table.get());
      if (j == i || j == n) continue;
      edges.push_back({i, j, fk});
      deps[i].insert(j);
    }
  }
  const auto comp = components(deps);
  for (auto& d : deps) d.clear();
  for (const auto& e : edges) {
    if (comp[e.from] == comp[e.to]) {
      if (alter) out.alter.emplace_back(tables[e.from], e.fk);
      continue;
    }
    deps[e.from].insert(e.to);
  }
  // Kahn's algorithm, stable in registration order.
  std::vector<bool> done(n, false);
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (done[i]) continue;
      if (std::all_of(deps[i].begin(), deps[i].end(), [&](std::size_t j) { return done[j]; })) {
        done[i] = true;
        out.tables.push_back(tables[i]);
        progress = true;
      }
    }
  }
  return out;
}

// A statement over already-built nodes.
struct DdlStatement : Executable {
  explicit DdlStatement(NodePtr n) : Executable(std::move(n)) {}
};

NodePtr node(NodeKind kind, bool flag, const std::function<void(Node&)>& fill) {
  Node n{kind};
  n.flag = flag;
  fill(n);
  return make_node(std::move(n));
}

// The indexes of `t`: defined with it, and built later from its columns.
std::vector<std::shared_ptr<const detail::IndexData>> indexes_of(const detail::MetaDataImpl& md,
                                                                 const TablePtr& t) {
  std::vector<std::shared_ptr<const detail::IndexData>> out(t->indexes.begin(), t->indexes.end());
  for (const auto& ix : md.indexes) {
    if (ix->table.lock() == t) out.push_back(ix);
  }
  return out;
}

// Named ENUM types and sequences of the tables, each once, in table order.
std::vector<Type> enum_types(const std::vector<TablePtr>& tables) {
  std::vector<Type> out;
  std::set<std::string> seen;
  for (const auto& t : tables) {
    for (const auto& c : t->columns) {
      if (c.type.kind() != TypeKind::enum_ || c.type->enum_name().empty()) continue;
      if (seen.insert(c.type->enum_name()).second) out.push_back(c.type);
    }
  }
  return out;
}
std::vector<Sequence> sequences(const std::vector<TablePtr>& tables) {
  std::vector<Sequence> out;
  std::set<std::string> seen;
  for (const auto& t : tables) {
    for (const auto& c : t->columns) {
      if (!c.options.sequence) continue;
      const auto& s = *c.options.sequence;
      if (seen.insert(s.options().schema + "." + s.name()).second) out.push_back(s);
    }
  }
  return out;
}

// Whether `t` exists: a query that reads no row, in a savepoint so that a failure leaves the
// transaction usable (PostgreSQL aborts it otherwise).
bool table_exists(Connection& conn, const TablePtr& t) {
  auto sp = conn.begin_nested();
  try {
    conn.execute(select(literal_column("1"))
                     .select_from(FromClause(make_node([&] {
                       Node n{NodeKind::table};
                       n.table = t;
                       return n;
                     }())))
                     .where(false_()));
    sp.commit();
    return true;
  } catch (const DBAPIError&) {
    sp.rollback();
    return false;
  }
}

std::string constraint_name(const retort_dialect& dialect, const TableData& t,
                            const ForeignKeyData& fk) {
  const auto target = detail::resolve(t, fk);
  return detail::fit_name(
      dialect, detail::conventional_name({"fk", &t, fk.columns, fk.options.name, &target}));
}

// One statement of create_all / drop_all.  `alter_table`: set for a foreign key added with
// ALTER TABLE (skipped by create_all for a table that already existed).
struct Step {
  NodePtr statement;
  TablePtr alter_table;
};

std::vector<Step> create_steps(const detail::MetaDataImpl& md, const retort_dialect& dialect,
                               bool checkfirst) {
  const std::uint64_t caps = dialect.capabilities;
  const Plan p = plan(md, (caps & RETORT_CAP_ALTER_CONSTRAINTS) != 0);
  std::vector<Step> out;
  auto add = [&](NodePtr n, TablePtr alter = nullptr) { out.push_back({std::move(n), alter}); };
  if ((caps & RETORT_CAP_ENUM_TYPES) && (caps & RETORT_CAP_NATIVE_ENUM)) {
    for (const auto& type : enum_types(p.tables)) add(CreateEnumType(type, checkfirst).node());
  }
  if (caps & RETORT_CAP_SEQUENCES) {
    for (const auto& s : sequences(p.tables)) add(CreateSequence(s, checkfirst).node());
  }
  for (const auto& t : p.tables) {
    add(node(NodeKind::create_table, checkfirst, [&](Node& n) {
      n.table = t;
      for (const auto& [owner, fk] : p.alter)
        if (owner == t) n.omitted_foreign_keys.push_back(fk);
    }));
    for (const auto& ix : indexes_of(md, t)) {
      add(node(NodeKind::create_index, checkfirst, [&](Node& n) { n.index = ix; }));
    }
    if (caps & RETORT_CAP_COMMENTS) {
      if (!t->comment.empty()) {
        add(node(NodeKind::set_table_comment, false, [&](Node& n) { n.table = t; }));
      }
      for (const auto& c : t->columns) {
        if (c.options.comment.empty()) continue;
        add(node(NodeKind::set_column_comment, false, [&](Node& n) {
          n.table = t;
          n.text = c.name;
        }));
      }
    }
  }
  for (const auto& [t, fk] : p.alter) {
    add(node(NodeKind::add_foreign_key, false,
             [&](Node& n) {
               n.table = t;
               n.foreign_key = fk;
             }),
        t);
  }
  return out;
}

std::vector<Step> drop_steps(const detail::MetaDataImpl& md, const retort_dialect& dialect,
                             bool checkfirst) {
  const std::uint64_t caps = dialect.capabilities;
  const Plan p = plan(md, (caps & RETORT_CAP_ALTER_CONSTRAINTS) != 0);
  // Every name first: nothing is dropped when one is missing.
  std::vector<std::string> names;
  std::string unnamed;
  for (const auto& [t, fk] : p.alter) {
    names.push_back(constraint_name(dialect, *t, *fk));
    if (names.back().empty()) {
      unnamed += fmt::format("{}{}({})", unnamed.empty() ? "" : ", ", t->fullname(),
                             fmt::join(fk->columns, ", "));
    }
  }
  if (!unnamed.empty()) {
    throw ArgumentError(fmt::format(
        "Can't drop the foreign keys {} with ALTER TABLE on the '{}' dialect: they have no "
        "name; name them (ForeignKeyOptions::name or an \"fk\" naming convention) so that "
        "they can be dropped with DROP CONSTRAINT",
        unnamed, dialect.name));
  }
  std::vector<Step> out;
  auto add = [&](NodePtr n) { out.push_back({std::move(n), nullptr}); };
  for (std::size_t i = 0; i < p.alter.size(); ++i) {
    add(node(NodeKind::drop_constraint, checkfirst, [&](Node& n) {
      n.table = p.alter[i].first;
      n.text = names[i];
    }));
  }
  for (auto it = p.tables.rbegin(); it != p.tables.rend(); ++it) {
    add(node(NodeKind::drop_table, checkfirst, [&](Node& n) { n.table = *it; }));
  }
  if (caps & RETORT_CAP_SEQUENCES) {
    for (const auto& s : sequences(p.tables)) add(DropSequence(s, checkfirst).node());
  }
  if ((caps & RETORT_CAP_ENUM_TYPES) && (caps & RETORT_CAP_NATIVE_ENUM)) {
    for (const auto& type : enum_types(p.tables)) add(DropEnumType(type, checkfirst).node());
  }
  return out;
}

std::vector<std::string> compile_steps(const std::vector<Step>& steps,
                                       const retort_dialect& dialect) {
  std::vector<std::string> out;
  for (const auto& s : steps)
    out.push_back(detail::compile_for(*s.statement, dialect, nullptr).sql);
  return out;
}

template <typename F>
auto with_dialect(std::string_view name, F&& f) {
  if (name == "default") return f(detail::default_dialect());
  const detail::DialectHandle handle = detail::load_dialect(std::string(name));
  return f(handle.dialect);
}

}  // namespace

void MetaData::create_all(const Engine& engine, bool checkfirst) const {
  const detail::DialectHandle dialect = detail::load_dialect(engine.dialect_name());
  const auto steps = create_steps(*impl_, dialect.dialect, checkfirst);
  auto conn = engine.connect();
  // Tables that existed before keep the foreign keys they have.
  std::set<const TableData*> existed;
  if (checkfirst) {
    for (const auto& s : steps) {
      if (s.alter_table && !existed.count(s.alter_table.get()) &&
          table_exists(conn, s.alter_table)) {
        existed.insert(s.alter_table.get());
      }
    }
  }
  for (const auto& s : steps) {
    if (s.alter_table && existed.count(s.alter_table.get())) continue;
    conn.execute(DdlStatement(s.statement));
  }
  conn.commit();
}

void MetaData::drop_all(const Engine& engine, bool checkfirst) const {
  const detail::DialectHandle dialect = detail::load_dialect(engine.dialect_name());
  const auto steps = drop_steps(*impl_, dialect.dialect, checkfirst);
  auto conn = engine.connect();
  for (const auto& s : steps) conn.execute(DdlStatement(s.statement));
  conn.commit();
}

std::vector<std::string> MetaData::create_all_sql(std::string_view dialect, bool checkfirst) const {
  return with_dialect(dialect, [&](const retort_dialect& d) {
    return compile_steps(create_steps(*impl_, d, checkfirst), d);
  });
}

std::vector<std::string> MetaData::drop_all_sql(std::string_view dialect, bool checkfirst) const {
  return with_dialect(dialect, [&](const retort_dialect& d) {
    return compile_steps(drop_steps(*impl_, d, checkfirst), d);
  });
}

}  // namespace retort

namespace retort {

std::vector<Table> MetaData::sorted_tables() const {
  const Plan p = plan(*impl_, false);
  std::vector<Table> all = tables();
  std::vector<Table> out;
  for (const auto& t : p.tables) {
    for (const auto& candidate : all) {
      if (&candidate.data() == t.get()) out.push_back(candidate);
    }
  }
  return out;
}

}  // namespace retort
