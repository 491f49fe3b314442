"""A large corpus for scale checks: the real sources plus seeded filler sources.

Filler paragraphs are 40-120 words drawn (Zipf-like) from the real corpus' own vocabulary, so the
tokenizer, the passage cutter and BM25 see realistic words; the real sources stay in, so real
questions still have real answers.
"""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
PARAGRAPHS_PER_FILE = 1000


def _vocabulary() -> list[str]:
    words: dict[str, int] = {}
    for path in sorted((CORPUS / "sources").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", body):
            words[w] = words.get(w, 0) + 1
    return sorted(words, key=lambda w: (-words[w], w))


def write_corpus(target: Path, passages: int, seed: int = 20240601, marker: str = "",
                 per_file: int = PARAGRAPHS_PER_FILE) -> Path:
    """Write the real corpus plus filler sources holding about ``passages`` paragraphs,
    ``per_file`` paragraphs a file."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(CORPUS, target)
    rng = random.Random(seed)
    vocab = _vocabulary()
    weights = [1.0 / (rank + 1) ** 1.1 for rank in range(len(vocab))]
    files = max(1, -(-passages // per_file))
    left = passages
    for n in range(files):
        count = min(per_file, left)
        left -= count
        paragraphs = []
        for _ in range(count):
            words = rng.choices(vocab, weights, k=rng.randint(40, 120))
            paragraphs.append(" ".join(words) + ".")
        source_id = f"filler-{n:04d}"
        front = (f"---\nid: {source_id}\ntitle: Filler {n}{marker}\nkind: article\n"
                 f"publisher: a synthetic test corpus\nseed: none\n---\n")
        (target / "sources" / f"{source_id}.md").write_text(front + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return target
