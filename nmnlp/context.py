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

2. Modifiers are matched, and the graph is built, per sentence, and only for
   sentences that hold a target. A modifier's scope never leaves its
   sentence, so this gives the same edges, while medSpaCy matches the whole
   document and compares every pair of its modifiers (a note pasted as one
   long line took minutes).
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
        whole = ConTextGraph(prune_on_modifier_overlap=False)
        whole.targets, whole.modifiers, whole.edges = spans, [], []
        for sentence_targets in targets_by_sentence.values():
            matches = self._matches_in(sentence_targets[0].sent)
            graph = self._sentence_graph(doc, sentence_targets, matches)
            whole.modifiers.extend(graph.modifiers)
            whole.edges.extend(graph.edges)
        for target, modifier in whole.edges:
            target._.modifiers += (modifier,)
        if self.context_attributes_mapping:
            self.set_context_attributes(whole.edges)
        doc._.context_graph = whole
        return doc

    def _matches_in(self, sentence: Span) -> list[tuple[int, int, int]]:
        """The modifier matches inside ``sentence``, as ``(rule key, start, end)``.

        Only sentences with a target are matched (about a tenth of the tokens
        of a note's candidate sentences). Same matches, in the same order, as
        medSpaCy's matcher on the whole Doc gives for the sentence: its token
        matches, then its phrase matches (spans give Doc offsets for both).
        """
        # medSpaCy keeps its matchers private; the package version is pinned in pyproject.toml.
        matcher = self._ConText__matcher
        if matcher._prune or len(matcher._MedspacyMatcher__regex_matcher._patterns):
            # Rules the shortcut does not cover (regex patterns need the whole Doc): match
            # the Doc and keep the matches inside the sentence, as the shortcut finds them.
            inside = sentence.start, sentence.end
            return [m for m in matcher(sentence.doc) if inside[0] <= m[1] and m[2] <= inside[1]]
        found = [
            *matcher._MedspacyMatcher__matcher(sentence, as_spans=True),
            *matcher._MedspacyMatcher__phrase_matcher(sentence, as_spans=True),
        ]
        return [(span.label, span.start, span.end) for span in found]

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
