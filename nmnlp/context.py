"""ConText, sentence by sentence, with modifiers inside a target dropped first.

Two changes to medSpaCy's ConText (1.3.1), same rules and same scopes:

1. Modifiers that overlap a target are dropped *before* anything else.
   medSpaCy sets every modifier's scope first and only then (with
   ``prune_on_target_overlap``) drops those inside a target; by then a dropped
   modifier has already cut the scope of its neighbours of the same category:
   in "return if she has any worsening pain", "any worsening" inside the target
   "worsening pain" ended "return if" before it reached the target. For the same
   reason overlapping modifiers are pruned (longest wins) only *after* that
   step: in "No change in her voice" the pseudo-trigger "no change in" overlaps
   the target "change in her voice" and drops out, leaving the negation "no".
   Build it with ``prune_on_modifier_overlap=False``; this class prunes itself.

2. The graph is built per sentence, and only for sentences that hold a target.
   A modifier's scope never leaves its sentence, so this gives the same edges,
   while medSpaCy compares every pair of modifiers in the whole document (a
   note pasted as one long line took minutes).
"""

from __future__ import annotations

from collections import defaultdict

from medspacy.common.util import prune_overlapping_matches, tuple_overlaps
from medspacy.context import ConText
from medspacy.context.context_graph import ConTextGraph
from medspacy.context.context_modifier import ConTextModifier
from spacy.tokens import Doc, Span

__all__ = ["TargetAwareConText"]


class TargetAwareConText(ConText):
    """medSpaCy ``ConText`` as described in the module docstring."""

    def __call__(self, doc: Doc, targets: str | None = None) -> Doc:
        spans = list(getattr(doc._, targets)) if targets else list(doc.ents)
        targets_by_sentence: dict[int, list[Span]] = defaultdict(list)
        for span in spans:
            targets_by_sentence[span.sent.start].append(span)
        # medSpaCy keeps its matcher private; the package version is pinned in pyproject.toml.
        matcher = self._ConText__matcher
        matches_by_sentence: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for match in matcher(doc):
            sentence_start = doc[match[1]].sent.start
            if sentence_start in targets_by_sentence:
                matches_by_sentence[sentence_start].append(match)

        whole = ConTextGraph(prune_on_modifier_overlap=False)
        whole.targets, whole.modifiers, whole.edges = spans, [], []
        for sentence_start, sentence_targets in targets_by_sentence.items():
            graph = self._sentence_graph(doc, sentence_targets, matches_by_sentence[sentence_start])
            whole.modifiers.extend(graph.modifiers)
            whole.edges.extend(graph.edges)
        for target, modifier in whole.edges:
            target._.modifiers += (modifier,)
        if self.context_attributes_mapping:
            self.set_context_attributes(whole.edges)
        doc._.context_graph = whole
        return doc

    def _sentence_graph(
        self, doc: Doc, targets: list[Span], matches: list[tuple[int, int, int]]
    ) -> ConTextGraph:
        matcher = self._ConText__matcher
        bounds = [(span.start, span.end) for span in targets]
        outside_targets = [m for m in matches if not any(tuple_overlaps(b, m[1:]) for b in bounds)]
        graph = ConTextGraph(prune_on_modifier_overlap=False)
        graph.targets = targets
        graph.modifiers = [
            ConTextModifier(
                matcher.rule_map[self.nlp.vocab[match_id].text],
                start,
                end,
                doc,
                max_scope=self.max_scope,
            )
            for match_id, start, end in prune_overlapping_matches(outside_targets)
        ]
        graph.update_scopes()
        graph.apply_modifiers()
        return graph
