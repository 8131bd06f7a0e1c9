"""Generate the synthetic annotated corpus.

python scripts/generate_corpus.py --n 3000 --seed 13 --out corpora/synthetic
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from nmnlp.synth import generate, write_corpus


def main(argv: list[str] | None = None) -> int:
    """Parse options, generate the notes, write the files, print counts (never note text)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="number of notes (default 3000)")
    parser.add_argument("--seed", type=int, default=13, help="corpus seed (default 13)")
    parser.add_argument("--out", default="corpora/synthetic", help="output folder")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    notes = generate(args.n, args.seed)
    out = write_corpus(notes, args.out, seed=args.seed)
    splits = Counter(n.split for n in notes)
    positives = sum(n.label for n in notes)
    print(
        f"{len(notes)} notes ({positives} positive), "
        f"{sum(len(n.mentions) for n in notes)} gold mentions -> {out}"
    )
    print("splits: " + ", ".join(f"{k} {v}" for k, v in sorted(splits.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
