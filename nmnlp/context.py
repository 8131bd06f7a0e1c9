"""ConText with one fix: modifiers inside a target are dropped *before* anything else.

medSpaCy's ConText (1.3.1) sets every modifier's scope first and only then,
with ``prune_on_target_overlap``, drops the modifiers that overlap a target. A
dropped modifier has by then already cut the scope of its neighbours of the
same category: in "return if she has any worsening pain", the "any worsening"
inside the target "worsening pain" ends the scope of "return if" before it
reaches the target. Here the overlapping modifiers never take part, so a word
inside a finding ("no energy", "status post CABG") neither modifies that
finding nor shortens other modifiers' reach. For the same reason overlapping
modifiers are pruned (longest wins) only *after* that step: in "No change in
her voice" the pseudo-trigger "no change in" overlaps the target "change in her
voice" and drops out, leaving the negation "no". Build it with
``prune_on_modifier_overlap=False``; this class does the pruning itself.
"""

from __future__ import annotations

from medspacy.common.util import prune_overlapping_matches, tuple_overlaps
from medspacy.context import ConText
from medspacy.context.context_graph import ConTextGraph
from medspacy.context.context_modifier import ConTextModifier
from spacy.tokens import Doc

__all__ = ["TargetAwareConText"]


class TargetAwareConText(ConText):
    """medSpaCy ``ConText`` that ignores modifiers overlapping a target (see module docstring)."""

    def __call__(self, doc: Doc, targets: str | None = None) -> Doc:
        spans = list(getattr(doc._, targets)) if targets else list(doc.ents)
        graph = ConTextGraph(prune_on_modifier_overlap=False)
        graph.targets = spans
        # medSpaCy keeps its matcher private; the package version is pinned in pyproject.toml.
        matcher = self._ConText__matcher
        target_bounds = [(span.start, span.end) for span in spans]
        outside_targets = [
            match
            for match in matcher(doc)
            if not any(tuple_overlaps(bounds, match[1:]) for bounds in target_bounds)
        ]
        modifiers = []
        for match_id, start, end in prune_overlapping_matches(outside_targets):
            rule = matcher.rule_map[self.nlp.vocab[match_id].text]
            modifiers.append(ConTextModifier(rule, start, end, doc, max_scope=self.max_scope))
        graph.modifiers = modifiers
        graph.update_scopes()
        graph.apply_modifiers()
        for target, modifier in graph.edges:
            target._.modifiers += (modifier,)
        if self.context_attributes_mapping:
            self.set_context_attributes(graph.edges)
        doc._.context_graph = graph
        return doc
