// core/src/sql/elements_forms.cpp — building the less common expression forms: tuples and
// tuple IN, extract(), regular expressions, custom operators, WITHIN GROUP.
#include "nodes.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/elements.hpp>
#include <retort/sql/types.hpp>

#include <fmt/format.h>

namespace retort {

using detail::make_node;
using detail::Node;
using detail::NodeKind;
using detail::NodePtr;

namespace {

// A bound parameter of `v`, typed and named like `like` (`x_1` next to column x).
NodePtr typed_bind(const Node& like, const Value& v) {
  if (v.is_null()) return make_node(Node{NodeKind::null});
  Node n{NodeKind::bind};
  const Node* e = &like;
  while (e->kind == NodeKind::label || e->kind == NodeKind::type_coerce) e = e->left.get();
  n.text = e->kind == NodeKind::column ? e->text : "param";
  n.type = like.type;
  n.value = v;
  return make_node(std::move(n));
}

NodePtr operand_of(const Node& self, const Operand& o) {
  if (o.element()) return o.element()->node();
  return typed_bind(self, *o.value());
}

ColumnElement tuple_in(const Tuple& self, std::vector<std::vector<Value>> rows, bool negate) {
  const auto& elements = self.node()->items;
  Node list{NodeKind::tuple_list};
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].size() != elements.size()) {
      throw ArgumentError(
          fmt::format("tuple_().in_(): row {} has {} values but the tuple has {} elements", r,
                      rows[r].size(), elements.size()));
    }
    Node row{NodeKind::tuple};
    for (std::size_t i = 0; i < elements.size(); ++i) {
      row.items.push_back(typed_bind(*elements[i], rows[r][i]));
    }
    list.items.push_back(make_node(std::move(row)));
  }
  Node n{NodeKind::in};
  n.left = self.node();
  n.right = make_node(std::move(list));
  n.flag = negate;
  n.precedence = detail::kPrecComparison;
  n.type = Boolean();
  return ColumnElement(make_node(std::move(n)));
}

ColumnElement regexp_impl(const ColumnElement& self, const Operand& pattern,
                          const Operand* replacement, bool negate) {
  Node n{NodeKind::regexp};
  n.text = replacement ? "replace" : "match";
  n.flag = negate;
  n.left = self.node();
  n.right = operand_of(*self.node(), pattern);
  if (replacement) n.third = operand_of(*self.node(), *replacement);
  n.precedence = replacement ? detail::kPrecAtom : detail::kPrecComparison;
  n.type = replacement ? self.type() : Type(Boolean());
  return ColumnElement(make_node(std::move(n)));
}

}  // namespace

Tuple tuple_(std::vector<Operand> elements) {
  if (elements.empty()) throw ArgumentError("tuple_() needs at least one element");
  Node n{NodeKind::tuple};
  for (const auto& e : elements) {
    if (e.element()) {
      n.items.push_back(e.element()->node());
    } else if (e.value()->is_null()) {
      n.items.push_back(make_node(Node{NodeKind::null}));
    } else {
      n.items.push_back(literal(*e.value()).node());
    }
  }
  return Tuple(make_node(std::move(n)));
}

ColumnElement Tuple::in_(std::vector<std::vector<Value>> rows) const {
  return tuple_in(*this, std::move(rows), false);
}
ColumnElement Tuple::not_in(std::vector<std::vector<Value>> rows) const {
  return tuple_in(*this, std::move(rows), true);
}

ColumnElement extract(std::string field, const ColumnElement& expr) {
  bool ok = !field.empty();
  for (char& ch : field) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    ok = ok && ((ch >= 'a' && ch <= 'z') || ch == '_');
  }
  if (!ok) {
    throw ArgumentError(fmt::format(
        "extract(): '{}' is not a field name (letters and '_' only: year, month, day, …)", field));
  }
  Node n{NodeKind::extract};
  n.text = std::move(field);
  n.left = expr.node();
  n.type = Integer();
  return ColumnElement(make_node(std::move(n)));
}

ColumnElement ColumnElement::regexp_match(const Operand& pattern) const {
  return regexp_impl(*this, pattern, nullptr, false);
}
ColumnElement ColumnElement::not_regexp_match(const Operand& pattern) const {
  return regexp_impl(*this, pattern, nullptr, true);
}
ColumnElement ColumnElement::regexp_replace(const Operand& pattern,
                                            const Operand& replacement) const {
  return regexp_impl(*this, pattern, &replacement, false);
}

CustomOperator ColumnElement::op(std::string opstring, OperatorOptions options) const {
  // The operator is SQL text: refuse what could end the statement or start a comment or a
  // literal, so that an operator can never smuggle anything else in.
  const bool bad = opstring.empty() || opstring.find_first_of(";'\"`") != std::string::npos ||
                   opstring.find("--") != std::string::npos ||
                   opstring.find("/*") != std::string::npos;
  if (bad) {
    throw ArgumentError(fmt::format(
        "op(): '{}' is not a usable operator (empty, or containing ';', a quote, '--' or '/*')",
        opstring));
  }
  if (options.precedence < 0 || options.precedence >= detail::kPrecAtom) {
    throw ArgumentError(fmt::format("op(): precedence {} is outside 0…{}", options.precedence,
                                    static_cast<int>(detail::kPrecAtom) - 1));
  }
  return CustomOperator(*this, std::move(opstring), std::move(options));
}

ColumnElement CustomOperator::operator()(const Operand& right) const {
  Node n{NodeKind::binary};
  n.text = " " + opstring_ + " ";
  n.precedence = options_.precedence;
  n.left = left_.node();
  n.right = operand_of(*left_.node(), right);
  n.type = options_.return_type     ? *options_.return_type
           : options_.is_comparison ? Type(Boolean())
                                    : left_.type();
  return ColumnElement(make_node(std::move(n)));
}

ColumnElement ColumnElement::within_group(std::vector<ColumnElement> order_by) const {
  if (node_->kind != NodeKind::function)
    throw ArgumentError("within_group() applies to a SQL function (func::…)");
  if (order_by.empty()) throw ArgumentError("within_group() needs at least one ORDER BY term");
  Node n{NodeKind::within_group};
  n.left = node_;
  for (const auto& o : order_by) n.order_by.push_back(o.node());
  n.type = type();
  // As SQLAlchemy's ReturnTypeFromArgs for the ordered-set aggregates: the ordered value's.
  std::string name = node_->text.substr(node_->text.rfind('.') + 1);
  for (char& ch : name)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  if (name == "percentile_cont" || name == "percentile_disc" || name == "mode") {
    const Node* o = order_by.front().node().get();
    while (o->kind == NodeKind::postfix || o->kind == NodeKind::nulls_order) o = o->left.get();
    n.type = o->type;
  }
  return ColumnElement(make_node(std::move(n)));
}

}  // namespace retort
