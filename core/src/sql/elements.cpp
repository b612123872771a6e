// core/src/sql/elements.cpp — building expression nodes.
#include "nodes.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/compiler.hpp>
#include <retort/sql/elements.hpp>
#include <retort/sql/types.hpp>

#include <fmt/format.h>

#include <algorithm>

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
  if (e.kind == NodeKind::label || e.kind == NodeKind::collate || e.kind == NodeKind::type_coerce)
    return bind_base(*e.left);
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

bool is_string_type(const Type& t) {
  switch (t.kind()) {
    case TypeKind::string:
    case TypeKind::text:
    case TypeKind::unicode:
    case TypeKind::enum_:
      return true;
    default:
      return false;
  }
}

// The node of an operand of `self`: the expression, NULL for a null value (as SQLAlchemy
// coerces None), else a bound parameter typed like self.
NodePtr operand_node(const ColumnElement& self, const Operand& o) {
  if (o.element()) return o.element()->node();
  if (o.value()->is_null()) return make_node(Node{NodeKind::null});
  return bind_for(self, *o.value());
}

// An operand without another expression to take a type from (case results, cast).
NodePtr standalone_node(const Operand& o, const Type& type = {}) {
  if (o.element()) return o.element()->node();
  if (o.value()->is_null()) return make_node(Node{NodeKind::null});
  return literal(*o.value(), type).node();
}

ColumnElement concat_impl(NodePtr a, NodePtr b, Type type) {
  Node n{NodeKind::concat};
  n.precedence = detail::kPrecBitwise;
  n.type = is_string_type(type) ? std::move(type) : Type(String());
  // Concatenation is associative: (a || b) || c is flattened, so a dialect spelling it as a
  // function gets concat(a, b, c).
  for (NodePtr* p : {&a, &b}) {
    if ((*p)->kind == NodeKind::concat)
      n.items.insert(n.items.end(), (*p)->items.begin(), (*p)->items.end());
    else
      n.items.push_back(std::move(*p));
  }
  return ColumnElement(make_node(std::move(n)));
}

ColumnElement like_impl(NodeKind kind, const ColumnElement& self, NodePtr pattern, bool negate,
                        std::optional<char> escape) {
  Node n{kind};
  n.left = self.node();
  n.right = std::move(pattern);
  n.flag = negate;
  if (escape) {
    // A byte above 0x7f alone is not valid UTF-8, and NUL cannot appear in SQL text.
    const auto byte = static_cast<unsigned char>(*escape);
    if (byte == 0 || byte > 0x7f)
      throw ArgumentError("the LIKE escape character must be an ASCII character other than NUL");
    n.text = std::string(1, *escape);
  }
  n.precedence = detail::kPrecComparison;
  n.type = Boolean();
  return ColumnElement(make_node(std::move(n)));
}

ColumnElement percent() {
  return literal_column("'%'", String());
}

// contains / startswith / endswith: the pattern is the operand with '%' concatenated on the
// open side(s), so that the value itself stays a bound parameter.
ColumnElement match_impl(const char* what, NodeKind kind, const ColumnElement& self,
                         const Operand& other, LikeOptions options, bool lead, bool trail) {
  NodePtr operand;
  std::optional<char> escape = options.escape;
  if (options.autoescape) {
    if (!other.value() || !other.value()->holds<std::string>())
      throw ArgumentError(fmt::format("{}(autoescape=true) needs a string value", what));
    const char esc = escape.value_or('/');
    std::string escaped;
    for (char ch : other.value()->as<std::string>()) {
      if (ch == esc || ch == '%' || ch == '_') escaped += esc;
      escaped += ch;
    }
    operand = bind_for(self, Value(std::move(escaped)));
    escape = esc;
  } else {
    operand = operand_node(self, other);
  }
  ColumnElement pattern(operand);
  if (lead) pattern = concat_impl(percent().node(), pattern.node(), String());
  if (trail) pattern = concat_impl(pattern.node(), percent().node(), String());
  return like_impl(kind, self, pattern.node(), false, escape);
}

ColumnElement bitwise_impl(const char* op, const ColumnElement& self, NodePtr other) {
  Node n{NodeKind::bitwise};
  n.text = op;
  n.left = self.node();
  n.right = std::move(other);
  // `~x` is parenthesised as an operand of anything but a comparison: PostgreSQL gives prefix
  // operators other than `-` the precedence of `||`, not that of unary minus.
  n.precedence = n.right ? detail::kPrecBitwise : detail::kPrecComparison;
  n.type = self.type();
  return ColumnElement(make_node(std::move(n)));
}

void check_frame(const std::optional<Frame>& f, const char* what) {
  if (f && f->start && f->end && *f->start > *f->end)
    throw ArgumentError(fmt::format("over(): the {} frame starts after it ends ({} > {})", what,
                                    *f->start, *f->end));
}

}  // namespace

ColumnElement::ColumnElement(std::shared_ptr<const Node> node) : node_(std::move(node)) {}
const Type& ColumnElement::type() const noexcept {
  return node_->type;
}

ColumnElement ColumnElement::like(const Operand& pattern, std::optional<char> escape) const {
  return like_impl(NodeKind::like, *this, operand_node(*this, pattern), false, escape);
}
ColumnElement ColumnElement::not_like(const Operand& pattern, std::optional<char> escape) const {
  return like_impl(NodeKind::like, *this, operand_node(*this, pattern), true, escape);
}
ColumnElement ColumnElement::ilike(const Operand& pattern, std::optional<char> escape) const {
  return like_impl(NodeKind::ilike, *this, operand_node(*this, pattern), false, escape);
}
ColumnElement ColumnElement::not_ilike(const Operand& pattern, std::optional<char> escape) const {
  return like_impl(NodeKind::ilike, *this, operand_node(*this, pattern), true, escape);
}
ColumnElement ColumnElement::contains(const Operand& other, LikeOptions options) const {
  return match_impl("contains", NodeKind::like, *this, other, options, true, true);
}
ColumnElement ColumnElement::startswith(const Operand& other, LikeOptions options) const {
  return match_impl("startswith", NodeKind::like, *this, other, options, false, true);
}
ColumnElement ColumnElement::endswith(const Operand& other, LikeOptions options) const {
  return match_impl("endswith", NodeKind::like, *this, other, options, true, false);
}
ColumnElement ColumnElement::icontains(const Operand& other, LikeOptions options) const {
  return match_impl("icontains", NodeKind::ilike, *this, other, options, true, true);
}
ColumnElement ColumnElement::istartswith(const Operand& other, LikeOptions options) const {
  return match_impl("istartswith", NodeKind::ilike, *this, other, options, false, true);
}
ColumnElement ColumnElement::iendswith(const Operand& other, LikeOptions options) const {
  return match_impl("iendswith", NodeKind::ilike, *this, other, options, true, false);
}
ColumnElement ColumnElement::concat(const Operand& other) const {
  return concat_impl(node_, operand_node(*this, other), type());
}
ColumnElement ColumnElement::in_(std::vector<Value> values) const {
  return in_impl(*this, std::move(values), false);
}
ColumnElement ColumnElement::not_in(std::vector<Value> values) const {
  return in_impl(*this, std::move(values), true);
}
ColumnElement ColumnElement::between(const Operand& low, const Operand& high,
                                     bool symmetric) const {
  Node n{NodeKind::between};
  n.left = node_;
  n.right = operand_node(*this, low);
  n.third = operand_node(*this, high);
  n.flag = symmetric;
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
ColumnElement ColumnElement::is_distinct_from(const Operand& other) const {
  Node n{NodeKind::is_distinct};
  n.left = node_;
  n.right = operand_node(*this, other);
  n.precedence = detail::kPrecComparison;
  n.type = Boolean();
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement ColumnElement::is_not_distinct_from(const Operand& other) const {
  Node n = *is_distinct_from(other).node();
  n.flag = true;
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement ColumnElement::collate(std::string collation) const {
  if (collation.empty()) throw ArgumentError("collate() needs a collation name");
  Node n{NodeKind::collate};
  n.text = std::move(collation);
  n.left = node_;
  n.precedence = detail::kPrecCollate;
  n.type = type();
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement ColumnElement::bitwise_and(const Operand& other) const {
  return bitwise_impl("&", *this, operand_node(*this, other));
}
ColumnElement ColumnElement::bitwise_or(const Operand& other) const {
  return bitwise_impl("|", *this, operand_node(*this, other));
}
ColumnElement ColumnElement::bitwise_xor(const Operand& other) const {
  return bitwise_impl("^", *this, operand_node(*this, other));
}
ColumnElement ColumnElement::bitwise_not() const {
  return bitwise_impl("~", *this, nullptr);
}
ColumnElement ColumnElement::bitwise_lshift(const Operand& other) const {
  return bitwise_impl("<<", *this, operand_node(*this, other));
}
ColumnElement ColumnElement::bitwise_rshift(const Operand& other) const {
  return bitwise_impl(">>", *this, operand_node(*this, other));
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

ColumnElement ColumnElement::nulls_first() const {
  Node n{NodeKind::nulls_order};
  n.left = node_;
  n.flag = true;
  n.type = type();
  n.precedence = 0;
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement ColumnElement::nulls_last() const {
  Node n = *nulls_first().node();
  n.flag = false;
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement ColumnElement::over(const Window& window) const {
  if (node_->kind != NodeKind::function && node_->kind != NodeKind::aggregate_filter &&
      node_->kind != NodeKind::within_group)
    throw ArgumentError("over() applies to a SQL function (func::…)");
  const int frames = (window.rows ? 1 : 0) + (window.range ? 1 : 0) + (window.groups ? 1 : 0);
  if (frames > 1) throw ArgumentError("over(): 'rows', 'range' and 'groups' are exclusive");
  check_frame(window.rows, "rows");
  check_frame(window.range, "range");
  check_frame(window.groups, "groups");
  Node n{NodeKind::over};
  n.left = node_;
  n.type = type();
  for (const auto& p : window.partition_by) n.items.push_back(p.node());
  for (const auto& o : window.order_by) n.order_by.push_back(o.node());
  const std::optional<Frame>& frame =
      window.rows ? window.rows : (window.range ? window.range : window.groups);
  if (window.exclude) {
    if (!frame) throw ArgumentError("over(): 'exclude' needs a rows, range or groups frame");
    switch (*window.exclude) {
      case FrameExclude::current_row:
        n.text = "CURRENT ROW";
        break;
      case FrameExclude::group:
        n.text = "GROUP";
        break;
      case FrameExclude::ties:
        n.text = "TIES";
        break;
      case FrameExclude::no_others:
        n.text = "NO OTHERS";
        break;
    }
  }
  if (frame) {
    n.frame_mode = window.rows    ? detail::kFrameRows
                   : window.range ? detail::kFrameRange
                                  : detail::kFrameGroups;
    n.frame_start = frame->start;
    n.frame_end = frame->end;
  }
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement ColumnElement::filter(const ColumnElement& condition) const {
  if (node_->kind != NodeKind::function)
    throw ArgumentError("filter() applies to a SQL function (func::…)");
  Node n{NodeKind::aggregate_filter};
  n.left = node_;
  n.where = condition.node();
  n.type = type();
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
RETORT_ARITH(-, " - ", detail::kPrecAdd)
RETORT_ARITH(*, " * ", detail::kPrecMul)
RETORT_ARITH(/, " / ", detail::kPrecMul)
RETORT_ARITH(%, " % ", detail::kPrecMul)
#undef RETORT_ARITH

// `+` between strings is concatenation, as in SQLAlchemy.
ColumnElement operator+(const ColumnElement& a, const ColumnElement& b) {
  if (is_string_type(a.type())) return concat_impl(a.node(), b.node(), a.type());
  return arith(" + ", detail::kPrecAdd, a, b);
}
ColumnElement operator+(const ColumnElement& a, const Value& b) {
  return a + ColumnElement(bind_for(a, b));
}
ColumnElement operator+(const Value& a, const ColumnElement& b) {
  return ColumnElement(bind_for(b, a)) + b;
}
ColumnElement operator-(const ColumnElement& a) {
  Node n{NodeKind::unary};
  n.text = "-";
  n.left = a.node();
  n.precedence = detail::kPrecUnary;
  n.type = a.type();
  return ColumnElement(make_node(std::move(n)));
}

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
  // NOT (x IN (…)) is x NOT IN (…), as SQLAlchemy negates it; likewise NOT LIKE, IS NOT
  // DISTINCT FROM.
  if (c.kind == NodeKind::in || c.kind == NodeKind::like || c.kind == NodeKind::ilike ||
      c.kind == NodeKind::is_distinct || (c.kind == NodeKind::regexp && c.text == "match")) {
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

ColumnElement case_(std::vector<std::pair<ColumnElement, Operand>> whens,
                    std::optional<Operand> else_) {
  if (whens.empty()) throw ArgumentError("case_() needs at least one WHEN");
  Node n{NodeKind::case_};
  for (auto& [cond, result] : whens) {
    n.items.push_back(cond.node());
    n.items.push_back(standalone_node(result));
  }
  if (else_) n.right = standalone_node(*else_);
  for (std::size_t i = 1; i < n.items.size() && n.type.kind() == TypeKind::null; i += 2)
    n.type = n.items[i]->type;
  if (n.type.kind() == TypeKind::null && n.right) n.type = n.right->type;
  return ColumnElement(make_node(std::move(n)));
}

ColumnElement case_(const ColumnElement& value, std::vector<std::pair<Operand, Operand>> whens,
                    std::optional<Operand> else_) {
  if (whens.empty()) throw ArgumentError("case_() needs at least one WHEN");
  Node n{NodeKind::case_};
  n.left = value.node();
  for (auto& [when, result] : whens) {
    n.items.push_back(operand_node(value, when));
    n.items.push_back(standalone_node(result));
  }
  if (else_) n.right = standalone_node(*else_);
  for (std::size_t i = 1; i < n.items.size() && n.type.kind() == TypeKind::null; i += 2)
    n.type = n.items[i]->type;
  if (n.type.kind() == TypeKind::null && n.right) n.type = n.right->type;
  return ColumnElement(make_node(std::move(n)));
}

ColumnElement cast(const Operand& expr, Type type) {
  if (type.kind() == TypeKind::null) throw ArgumentError("cast() needs a target type");
  Node n{NodeKind::cast};
  n.left = standalone_node(expr);
  n.type = std::move(type);
  return ColumnElement(make_node(std::move(n)));
}

ColumnElement type_coerce(const Operand& expr, Type type) {
  Node n{NodeKind::type_coerce};
  n.left = standalone_node(expr, type);
  // Renders as its operand, so it groups like it.
  n.precedence = n.left->precedence;
  n.type = std::move(type);
  return ColumnElement(make_node(std::move(n)));
}

namespace {

// The return type of a known function (SQLAlchemy's GenericFunction registry), looked up by
// lower-case name; NullType for others.
Type known_return_type(std::string_view name, const std::vector<ColumnElement>& args) {
  std::string lower(name);
  for (char& ch : lower)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  auto is = [&](std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), lower) != names.end();
  };
  if (is({"count", "length", "char_length", "character_length", "row_number", "rank", "dense_rank",
          "ntile"}))
    return Integer();
  if (is({"sum", "min", "max", "abs", "round", "lag", "lead", "first_value", "last_value",
          "nth_value"}))
    return args.empty() ? Type() : args.front().type();
  if (is({"coalesce"})) {
    for (const auto& a : args)
      if (a.type().kind() != TypeKind::null) return a.type();
    return Type();
  }
  if (is({"avg"})) return Numeric();
  if (is({"percent_rank", "cume_dist", "random"})) return Double();
  if (is({"lower", "upper", "trim", "ltrim", "rtrim", "concat", "substr", "substring", "replace",
          "group_concat", "string_agg"}))
    return String();
  if (is({"now", "current_timestamp", "localtimestamp"})) return types::DateTime();
  if (is({"current_date"})) return types::Date();
  if (is({"current_time", "localtime"})) return types::Time();
  return Type();
}

}  // namespace

namespace func {
ColumnElement call(std::string name, std::vector<ColumnElement> args, Type type) {
  if (name.empty()) throw ArgumentError("func::call() needs a function name");
  Node n{NodeKind::function};
  n.type = type.kind() == TypeKind::null ? known_return_type(name, args) : std::move(type);
  n.text = std::move(name);
  for (auto& a : args) n.items.push_back(a.node());
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement now() {
  return call("now", {});
}
ColumnElement current_timestamp() {
  return call("current_timestamp", {});
}
ColumnElement current_date() {
  return call("current_date", {});
}
ColumnElement current_time() {
  return call("current_time", {});
}
}  // namespace func

Compiled Executable::compile(std::string_view dialect) const {
  return retort::compile(*this, dialect);
}
std::string Executable::str() const {
  return compile("default").sql;
}

}  // namespace retort
