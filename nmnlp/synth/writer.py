"""Write the corpus: ``notes.jsonl``, ``gold_notes.csv``, ``gold_mentions.csv``, ``README.md``."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from ..concepts import CONCEPT_KEYS
from .model import SyntheticNote

__all__ = ["MENTION_COLUMNS", "NOTE_COLUMNS", "format_ck", "write_corpus"]

NOTE_COLUMNS: tuple[str, ...] = (
    "note_id",
    "label",
    "family",
    "style",
    "split",
    *CONCEPT_KEYS,
    "ck_max_u_per_l",
)
MENTION_COLUMNS: tuple[str, ...] = (
    "note_id",
    "start",
    "end",
    "concept",
    "status",
    "text",
    "ck_u_per_l",
)


def format_ck(value: float | None) -> str:
    """A CK value for CSV: ``12450``, ``5718.0`` -> ``5718``, ``5717.5``; empty for ``None``."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def write_corpus(
    notes: Sequence[SyntheticNote], out_dir: str | Path, *, seed: int | None = None
) -> Path:
    """Write the corpus files into ``out_dir`` (created if needed) and return it.

    Args:
        notes: Notes from :func:`nmnlp.synth.generate`.
        out_dir: Target folder.
        seed: The seed the notes were generated with (recorded in the README).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "notes.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for n in notes:
            row = {
                "note_id": n.note_id,
                "text": n.text,
                "style": n.style,
                "family": n.family,
                "split": n.split,
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    with (out / "gold_notes.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(NOTE_COLUMNS)
        for n in notes:
            writer.writerow(
                [
                    n.note_id,
                    n.label,
                    n.family,
                    n.style,
                    n.split,
                    *(n.statuses[k] for k in CONCEPT_KEYS),
                    format_ck(n.ck_max_u_per_l),
                ]
            )
    with (out / "gold_mentions.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(MENTION_COLUMNS)
        for n in notes:
            for m in n.mentions:
                writer.writerow(
                    [
                        n.note_id,
                        m.start,
                        m.end,
                        m.concept,
                        m.status,
                        m.text,
                        format_ck(m.ck_u_per_l),
                    ]
                )
    (out / "README.md").write_text(_readme(notes, seed), encoding="utf-8")
    return out


def _table(counter: Counter[str], header: tuple[str, str]) -> str:
    lines = [f"| {header[0]} | {header[1]} |", "|---|---|"]
    lines += [f"| `{key}` | {count} |" for key, count in sorted(counter.items())]
    return "\n".join(lines)


def _readme(notes: Sequence[SyntheticNote], seed: int | None) -> str:
    n = len(notes)
    positives = sum(x.label for x in notes)
    families = Counter(x.family for x in notes)
    styles = Counter(x.style for x in notes)
    splits = Counter(x.split for x in notes)
    mentions = sum(len(x.mentions) for x in notes)
    pos_fam = sorted({x.family for x in notes if x.label})
    neg_fam = sorted({x.family for x in notes if not x.label})
    command = f"python scripts/generate_corpus.py --n {n} --seed {seed} --out corpora/synthetic"
    return _README.format(
        n=n,
        positives=positives,
        prevalence=positives / n if n else 0.0,
        mentions=mentions,
        command=command,
        families=_table(families, ("family", "notes")),
        styles=_table(styles, ("style", "notes")),
        splits=_table(splits, ("split", "notes")),
        n_pos_fam=len(pos_fam),
        n_neg_fam=len(neg_fam),
    )


_README = """# Synthetic annotated corpus (necrotizing myopathy and its mimics)

{n} fully synthetic clinical notes with gold labels, note-level statuses and character-exact
mention spans, for measuring nmnlp (mentions, statuses, CK, flags). No real patient text was
used or paraphrased: every sentence comes from hand-written phrase banks in `nmnlp/synth/`
(composed from subject / verb / finding / qualifier / time parts), guided by the clinical
brief. Regenerate byte-identically with:

```bash
{command}
```

## Files

* `notes.jsonl`: one JSON object per note: `note_id`, `text`, `style`, `family`, `split`.
* `gold_notes.csv`: one row per note: `note_id`, `label`, `family`, `style`, `split`, one status
  column per concept key (`nmnlp.concepts.CONCEPT_KEYS`) and `ck_max_u_per_l`.
* `gold_mentions.csv`: one row per gold mention ({mentions} in all): `note_id`, `start`, `end`
  (character offsets into `text`), `concept`, `status`, `text` (= `text[start:end]`) and
  `ck_u_per_l` (CK mentions that state a value).

## Labels

`label` = 1 for notes consistent with immune-mediated necrotizing myopathy that deserve a chart
review (including early notes before any diagnosis, with high CK and proximal weakness and
antibodies pending, and notes whose results are still pending); 0 for every differential and
unrelated note. {positives} of {n} notes are positive ({prevalence:.1%}).
{n_pos_fam} positive and {n_neg_fam} negative families:

{families}

## Annotation conventions

* Gold is what is **true** for the patient as the text states it, not what nmnlp finds.
* Mention status: `present`, `absent` (negated, normal value, "strength 5/5"), `possible`
  (hedged: "possible", "?", "r/o", "concern for", differential lists), `historical` (resolved or
  remote: "h/o rash in 2019, resolved", a rash listed under allergies, a remote statin course),
  `family` (a relative's finding or value), `hypothetical` (return precautions, planned tests,
  **pending results**: "HMGCR Ab pending", "muscle biopsy booked", "repeat CK in 4 weeks").
* Note status per concept: `nmnlp.assertion.note_status` over the note's gold mention statuses
  (`present > possible > absent > historical > hypothetical > family > not_mentioned`).
* Spans cover the words naming the finding (with the body site when part of the phrase; for
  labs the analyte through its value, unit, reference range and flag; for MRC grades the muscle
  and its grade); negation, hedge, time and severity words stay outside. One span may carry
  several concepts: "strength 5/5 throughout" (proximal, distal and unspecified weakness absent),
  "anti-HMGCR myopathy" (diagnosis and antibody present), "rhabdomyolysis" (CK elevated).
* `statin_exposure`: `present` for a current statin **or one stopped / held during the current
  illness**; `historical` for a remote course or a statin stopped at an earlier diagnosis
  (follow-up notes); `absent` for "never on a statin", "statin-naive".
* An antibody result that characterises the patient (e.g. "HMGCR positive at diagnosis") stays
  `present` in follow-up notes.
* CK: a value above the stated upper limit is `present`, at or below it `absent`; a trend
  ("CK 9,299 -> 4,100") is one span valued at its maximum; "CK>22k" is valued 22,000; µkat/L is
  converted (x 60); a value written only as a multiple of the ULN ("35x ULN") has no U/L value.
  `ck_max_u_per_l` is the largest value over present / absent / historical / possible CK mentions
  (relatives' and hypothetical values excluded); empty when no value is stated. CK-MB,
  creatinine and "CKD" are never CK.
* "invasion of non-necrotic fibres" is not a biopsy-necrosis mention; "occasional necrotic
  fibre" (IBM, dermatomyositis) and dystrophic necrosis (dysferlinopathy) are `present`:
  biopsy necrosis alone does not make a note positive.
* Typos: a small seeded rate of misspellings in finding spans (only those nmnlp's lexicon lists,
  e.g. "weakenss", "fatique", "mylagia", "dysphagea", "atrovastatin") and in plain words
  ("pateint", "becuase"); gold stays correct either way.
* About 30% of notes of the 16 differential families stop short of their diagnosis (it is only
  suspected, or not named) and rely on the discriminating findings, as early notes do.
* Some surface forms are deliberately outside nmnlp's lexicon (e.g. "atorva", "swallow probs",
  "body aches"); the corpus measures the tool, it was not tuned to it.

## Styles and splits

{styles}

The split is by style and template, not random:

{splits}

* `test_heldout_style`: every `progress_note` (terse SOAP ward/progress note with S/O/A/P
  headers). This style never appears in `train` or `validation`. These notes also draw from
  **held-out phrase variants** (about one in five forms of each phrase bank: finding phrases,
  sentence frames, lab layouts, header spellings) that no train or validation note uses.
* `validation`: 15% of the other notes at random (same styles and phrase variants as train).
* `train`: the rest.

## Limits

Synthetic text is cleaner and more regular than real notes, even with the variation above:
no copy-forward duplication, no real formatting noise, one patient per note, and the
clinical mix (prevalence, family weights) is chosen, not sampled from a clinic. Use it to
compare versions of nmnlp and to find systematic errors, not as an estimate of real-world
accuracy.
"""
