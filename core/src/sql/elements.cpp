// core/src/sql/elements.cpp — building expression nodes.
#include "nodes.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/compiler.hpp>
#include <retort/sql/elements.hpp>
#include <retort/sql/types.hpp>

namespace retort {

using detail::make_node;
using detail::Node;
using detail::NodeKind;
using detail::NodePtr;

namespace types {
Enum::Enum(std::vector<std::string> values, std::string name) : TypeEngine(TypeKind::enum_) {
  std::int32_t longest = 0;
  for (const auto& v : values)
    longest = std::max<std::int32_t>(longest, static_cast<std::int32_t>(v.size()));
  length_ = longest;
  enum_values_ = std::move(values);
  enum_name_ = std::move(name);
}
}  // namespace types

Type::Type() : impl_(std::make_shared<const NullType>()) {}

namespace {

// The type a bound C++ value gets when nothing else gives it one.
Type type_of_value(const Value& v) {
  switch (v.variant().index()) {
    case 1:
      return Boolean();
    case 2:
      return Integer();
    case 3:
      return Double();
    case 4:
      return String();
    case 5:
      return LargeBinary();
    case 6:
      return Numeric();
    case 7:
      return types::Date();
    case 8:
      return types::Time();
    case 9:
      return types::DateTime();
    case 10:
      return types::DateTime(true);
    case 11:
      return types::Interval();
    case 12:
      return types::Uuid();
    case 13:
      return JSON();
    default:
      return Type();
  }
}

// The base name of an anonymous parameter compared with `e`: the column's name, as
// SQLAlchemy names it (`id_1`), else `param`.
std::string bind_base(const Node& e) {
  if (e.kind == NodeKind::column) return e.text;
  if (e.kind == NodeKind::label) return bind_base(*e.left);
  return "param";
}

NodePtr bind_for(const ColumnElement& other, const Value& v) {
  Node n{NodeKind::bind};
  n.text = bind_base(*other.node());
  n.type = other.type();
  n.value = v;
  return make_node(std::move(n));
}

ColumnElement binary(std::string op, int prec, NodePtr l, NodePtr r, Type type) {
  Node n{NodeKind::binary};
  n.text = std::move(op);
  n.precedence = prec;
  n.left = std::move(l);
  n.right = std::move(r);
  n.type = std::move(type);
  return ColumnElement(make_node(std::move(n)));
}

ColumnElement compare(const char* op, const ColumnElement& a, const ColumnElement& b) {
  return binary(op, detail::kPrecComparison, a.node(), b.node(), Boolean());
}

ColumnElement null_compare(bool is, const ColumnElement& a) {
  Node n{NodeKind::postfix};
  n.text = is ? " IS NULL" : " IS NOT NULL";
  n.precedence = detail::kPrecComparison;
  n.left = a.node();
  n.type = Boolean();
  return ColumnElement(make_node(std::move(n)));
}

ColumnElement arith(const char* op, int prec, const ColumnElement& a, const ColumnElement& b) {
  return binary(op, prec, a.node(), b.node(), a.type());
}

ColumnElement bool_list(const char* op, std::vector<ColumnElement> conds) {
  if (conds.empty())
    throw ArgumentError(std::string(op) == "AND" ? "and_() needs at least one condition"
                                                 : "or_() needs at least one condition");
  if (conds.size() == 1) return conds.front();
  Node n{NodeKind::boolean_list};
  n.text = op;
  n.precedence = n.text == "AND" ? detail::kPrecAnd : detail::kPrecOr;
  n.type = Boolean();
  for (auto& c : conds) {
    // Flatten nested lists of the same operator: and_(and_(a, b), c) is a AND b AND c.
    const Node& cn = *c.node();
    if (cn.kind == NodeKind::boolean_list && cn.text == n.text) {
      n.items.insert(n.items.end(), cn.items.begin(), cn.items.end());
    } else {
      n.items.push_back(c.node());
    }
  }
  return ColumnElement(make_node(std::move(n)));
}

ColumnElement in_impl(const ColumnElement& self, std::vector<Value> values, bool negate) {
  Node e{NodeKind::expanding};
  e.text = bind_base(*self.node());
  e.type = self.type();
  e.values = std::move(values);
  Node n{NodeKind::in};
  n.left = self.node();
  n.right = make_node(std::move(e));
  n.flag = negate;
  n.precedence = detail::kPrecComparison;
  n.type = Boolean();
  return ColumnElement(make_node(std::move(n)));
}

}  // namespace

ColumnElement::ColumnElement(std::shared_ptr<const Node> node) : node_(std::move(node)) {}
const Type& ColumnElement::type() const noexcept {
  return node_->type;
}

ColumnElement ColumnElement::like(const Value& pattern) const {
  return binary(" LIKE ", detail::kPrecComparison, node_, bind_for(*this, pattern), Boolean());
}
ColumnElement ColumnElement::ilike(const Value& pattern) const {
  // Marked with the operator "ILIKE"; the compiler spells it per dialect.
  return binary(" ILIKE ", detail::kPrecComparison, node_, bind_for(*this, pattern), Boolean());
}
ColumnElement ColumnElement::in_(std::vector<Value> values) const {
  return in_impl(*this, std::move(values), false);
}
ColumnElement ColumnElement::not_in(std::vector<Value> values) const {
  return in_impl(*this, std::move(values), true);
}
ColumnElement ColumnElement::between(const Value& low, const Value& high) const {
  Node n{NodeKind::between};
  n.left = node_;
  n.right = bind_for(*this, low);
  n.third = bind_for(*this, high);
  n.precedence = detail::kPrecComparison;
  n.type = Boolean();
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement ColumnElement::is_(const ColumnElement& other) const {
  return binary(" IS ", detail::kPrecComparison, node_, other.node(), Boolean());
}
ColumnElement ColumnElement::is_not(const ColumnElement& other) const {
  return binary(" IS NOT ", detail::kPrecComparison, node_, other.node(), Boolean());
}
ColumnElement ColumnElement::label(std::string name) const {
  Node n{NodeKind::label};
  n.text = std::move(name);
  n.left = node_;
  n.type = type();
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement ColumnElement::asc() const {
  Node n{NodeKind::postfix};
  n.text = " ASC";
  n.left = node_;
  n.type = type();
  n.precedence = 0;  // never nested in another expression
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement ColumnElement::desc() const {
  Node n{NodeKind::postfix};
  n.text = " DESC";
  n.left = node_;
  n.type = type();
  n.precedence = 0;
  return ColumnElement(make_node(std::move(n)));
}

#define RETORT_CMP(op, sql)                                                   \
  ColumnElement operator op(const ColumnElement& a, const ColumnElement& b) { \
    return compare(sql, a, b);                                                \
  }                                                                           \
  ColumnElement operator op(const ColumnElement& a, const Value& b) {         \
    return compare(sql, a, ColumnElement(bind_for(a, b)));                    \
  }                                                                           \
  ColumnElement operator op(const Value& a, const ColumnElement& b) {         \
    return compare(sql, ColumnElement(bind_for(b, a)), b);                    \
  }
RETORT_CMP(<, " < ")
RETORT_CMP(<=, " <= ")
RETORT_CMP(>, " > ")
RETORT_CMP(>=, " >= ")
#undef RETORT_CMP

ColumnElement operator==(const ColumnElement& a, const ColumnElement& b) {
  if (b.node()->kind == NodeKind::null) return null_compare(true, a);
  return compare(" = ", a, b);
}
ColumnElement operator==(const ColumnElement& a, const Value& b) {
  if (b.is_null()) return null_compare(true, a);
  return compare(" = ", a, ColumnElement(bind_for(a, b)));
}
ColumnElement operator==(const Value& a, const ColumnElement& b) {
  return b == a;
}
ColumnElement operator!=(const ColumnElement& a, const ColumnElement& b) {
  if (b.node()->kind == NodeKind::null) return null_compare(false, a);
  return compare(" != ", a, b);
}
ColumnElement operator!=(const ColumnElement& a, const Value& b) {
  if (b.is_null()) return null_compare(false, a);
  return compare(" != ", a, ColumnElement(bind_for(a, b)));
}
ColumnElement operator!=(const Value& a, const ColumnElement& b) {
  return b != a;
}

#define RETORT_ARITH(op, sql, prec)                                           \
  ColumnElement operator op(const ColumnElement& a, const ColumnElement& b) { \
    return arith(sql, prec, a, b);                                            \
  }                                                                           \
  ColumnElement operator op(const ColumnElement& a, const Value& b) {         \
    return arith(sql, prec, a, ColumnElement(bind_for(a, b)));                \
  }                                                                           \
  ColumnElement operator op(const Value& a, const ColumnElement& b) {         \
    return arith(sql, prec, ColumnElement(bind_for(b, a)), b);                \
  }
RETORT_ARITH(+, " + ", detail::kPrecAdd)
RETORT_ARITH(-, " - ", detail::kPrecAdd)
RETORT_ARITH(*, " * ", detail::kPrecMul)
RETORT_ARITH(/, " / ", detail::kPrecMul)
RETORT_ARITH(%, " % ", detail::kPrecMul)
#undef RETORT_ARITH

ColumnElement operator&&(const ColumnElement& a, const ColumnElement& b) {
  return bool_list("AND", {a, b});
}
ColumnElement operator||(const ColumnElement& a, const ColumnElement& b) {
  return bool_list("OR", {a, b});
}
ColumnElement operator!(const ColumnElement& a) {
  return not_(a);
}

ColumnElement and_(std::vector<ColumnElement> conditions) {
  return bool_list("AND", std::move(conditions));
}
ColumnElement or_(std::vector<ColumnElement> conditions) {
  return bool_list("OR", std::move(conditions));
}
ColumnElement not_(const ColumnElement& condition) {
  const Node& c = *condition.node();
  // NOT (x IN (…)) is x NOT IN (…), as SQLAlchemy negates it.
  if (c.kind == NodeKind::in) {
    Node n = c;
    n.flag = !n.flag;
    return ColumnElement(make_node(std::move(n)));
  }
  Node n{NodeKind::unary};
  n.text = "NOT ";
  n.left = condition.node();
  n.precedence = detail::kPrecNot;
  n.type = Boolean();
  return ColumnElement(make_node(std::move(n)));
}

ColumnElement literal(const Value& value, Type type) {
  Node n{NodeKind::bind};
  n.text = "param";
  n.type = type.kind() == TypeKind::null ? type_of_value(value) : std::move(type);
  n.value = value;
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement literal_column(std::string text, Type type) {
  Node n{NodeKind::literal_column};
  n.text = std::move(text);
  n.type = std::move(type);
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement null() {
  return ColumnElement(make_node(Node{NodeKind::null}));
}
ColumnElement true_() {
  Node n{NodeKind::true_};
  n.type = Boolean();
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement false_() {
  Node n{NodeKind::false_};
  n.type = Boolean();
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement bindparam(std::string name, Type type) {
  if (name.empty()) throw ArgumentError("bindparam() needs a name");
  Node n{NodeKind::bindparam};
  n.text = std::move(name);
  n.type = std::move(type);
  return ColumnElement(make_node(std::move(n)));
}

namespace func {
ColumnElement call(std::string name, std::vector<ColumnElement> args, Type type) {
  if (name.empty()) throw ArgumentError("func::call() needs a function name");
  Node n{NodeKind::function};
  n.text = std::move(name);
  if (type.kind() == TypeKind::null && !args.empty()) type = args.front().type();
  n.type = std::move(type);
  for (auto& a : args) n.items.push_back(a.node());
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement now() {
  return literal_column("CURRENT_TIMESTAMP", types::DateTime());
}
}  // namespace func

Compiled Executable::compile(std::string_view dialect) const {
  return retort::compile(*this, dialect);
}
std::string Executable::str() const {
  return compile("default").sql;
}

}  // namespace retort
