"""The importer on the seed pages, against the sources made from them by hand.

    python -m benchmarks.importer_seeds [--seeds ../shared/seeds] [--corpus corpus]

Each seed is imported with only an id, a title and a publisher; the figures are the share of the
shipped source's passage text found verbatim in the draft and of its timeline.yaml entries matched
(same normalized date and text), then what the importer proposed as clutter.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from index.importer.measure import measure_seeds

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = parser.parse_args()
    for row in measure_seeds(args.seeds, args.corpus):
        t, tl, d = row["text"], row["timeline"], row["draft"]
        print(f"{row['seed']} -> {row['source']}: text {t.share:.1%} ({t.found}/{t.total} chars); "
              f"timeline {tl.share:.1%} ({tl.found}/{tl.total}, {tl.exact} exact text, "
              f"{tl.inferred_agree} same year_inferred); {len(d.timeline)} proposed")
        for para in row["missing_text"]:
            print(f"   text not in draft: {para[:90]!r}")
        for e in row["missing_timeline"]:
            print(f"   timeline not matched: {e.id} {e.date} {e.text[:70]!r}")
        for r in d.removed:
            print(f"   clutter ({r.reason}): {' / '.join(r.text.splitlines())[:90]!r}")


if __name__ == "__main__":
    main()
