// core/src/sql/compiler_cte.cpp — common table expressions: each CTE a statement references,
// at any depth, is rendered once into its own segment while the statement is compiled; the
// WITH clause is then put in front of whatever statement it was (SELECT, INSERT, UPDATE,
// DELETE), dependencies first.
#include "compiler.hpp"

#include <retort/exceptions.hpp>

#include <fmt/format.h>

namespace retort::detail {

SQLCompiler::Segment SQLCompiler::take_segment() {
  Segment out;
  out.pieces = std::move(pieces_);
  out.params = std::move(params_);
  out.empty_sets = std::move(empty_sets_);
  out.sources = std::move(sources_);
  out.tail = std::move(cur_);
  pieces_.clear();
  params_.clear();
  empty_sets_.clear();
  sources_.clear();
  cur_.clear();
  return out;
}

SQLCompiler::Segment SQLCompiler::render_segment(const std::function<void()>& render) {
  Segment saved = take_segment();
  render();
  Segment out = take_segment();
  pieces_ = std::move(saved.pieces);
  params_ = std::move(saved.params);
  empty_sets_ = std::move(saved.empty_sets);
  sources_ = std::move(saved.sources);
  cur_ = std::move(saved.tail);
  return out;
}

void SQLCompiler::append_segment(const Segment& segment) {
  for (std::size_t i = 0; i < segment.params.size(); ++i) {
    cur_ += segment.pieces[i];
    emit_param(segment.params[i], segment.empty_sets[i], segment.sources[i]);
  }
  cur_ += segment.tail;
}

void SQLCompiler::emit_cte_reference(const Node& cte) {
  emit_identifier(from_name(cte));
  define_cte(cte);
}

void SQLCompiler::define_cte(const Node& cte) {
  if (!(dialect_.capabilities & RETORT_CAP_CTE)) {
    throw CompileError(fmt::format(
        "The '{}' dialect cannot render WITH: it does not support common table expressions",
        dialect_.name));
  }
  const Node* root = cte_root(cte);
  const std::string name = from_name(cte);
  // Rendered once per WITH clause; a reference from inside its own definition (recursion)
  // is just the name.
  CteScope* scope = nullptr;
  if (root->nesting && !cte_scopes_.empty() && !cte_scopes_.back().outermost) {
    for (const auto& s : cte_scopes_)
      if (s.seen.count(root)) return;
    scope = &cte_scopes_.back();
    scope->seen.insert(root);
  } else if (!ctes_seen_.insert(root).second) {
    return;
  }
  const std::size_t scope_index = scope ? cte_scopes_.size() - 1 : 0;
  // The definition is a statement of its own: no enclosing SELECT to correlate with.
  std::vector<SelectFrame> frames;
  frames.swap(frames_);
  Segment definition = render_segment([&] {
    emit_identifier(name);
    if (cte.flag) {
      // WITH RECURSIVE name(a, b): the column list, as SQLAlchemy renders recursive CTEs.
      emit("(");
      const std::size_t count = exported_columns(*cte.left).size();
      for (std::size_t i = 0; i < count; ++i) {
        if (i) emit(", ");
        emit_identifier(result_name(*cte.left, i));
      }
      emit(")");
    }
    emit(" AS (");
    visit_selectable(*cte.left, SelectRole::from);
    emit(")");
  });
  frames_.swap(frames);
  // After its body: CTEs the body referenced were added first.
  CteEntry entry{root, cte.flag, std::move(definition)};
  if (scope) {
    cte_scopes_[scope_index].entries.push_back(std::move(entry));
  } else {
    ctes_.push_back(std::move(entry));
  }
}

SQLCompiler::Segment SQLCompiler::with_clause(const std::vector<CteEntry>& entries) {
  return render_segment([&] {
    const bool recursive =
        std::any_of(entries.begin(), entries.end(), [](const CteEntry& e) { return e.recursive; });
    emit(recursive ? "WITH RECURSIVE " : "WITH ");
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (i) emit(", ");
      append_segment(entries[i].definition);
    }
    emit(" ");
  });
}

void SQLCompiler::insert_at(const Mark& at, const Segment& segment) {
  // Cut off what was written after `at`, write the segment, put it back.
  Segment after;
  if (params_.size() == at.params) {
    after.tail = cur_.substr(at.offset);
    cur_.resize(at.offset);
  } else {
    const auto first = static_cast<std::ptrdiff_t>(at.params);
    after.pieces.assign(pieces_.begin() + first, pieces_.end());
    after.params.assign(params_.begin() + first, params_.end());
    after.empty_sets.assign(empty_sets_.begin() + first, empty_sets_.end());
    after.sources.assign(sources_.begin() + first, sources_.end());
    after.tail = std::move(cur_);
    cur_ = after.pieces.front().substr(0, at.offset);
    after.pieces.front().erase(0, at.offset);
    pieces_.resize(at.params);
    params_.resize(at.params);
    empty_sets_.resize(at.params);
    sources_.resize(at.params);
  }
  append_segment(segment);
  append_segment(after);
}

void SQLCompiler::emit_with_prefix() {
  Segment body = take_segment();
  append_segment(with_clause(ctes_));
  append_segment(body);
}

}  // namespace retort::detail
