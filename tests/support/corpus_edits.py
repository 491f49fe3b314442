"""Changing a test's copy of the corpus the way an operator should (a new file renamed into place,
dated in the past so a reload does not refuse it as just changed), and the way a stat signature
cannot see (``forged_edit``: rewritten in place, same size, times put back)."""
from __future__ import annotations

import os
import time
from pathlib import Path

NEW_PHRASE = "quartzite zeppelin"
NEW_QUESTION = "What happened to the quartzite zeppelin?"


def add_source(corpus: Path, source_id: str = "extra-note", phrase: str = NEW_PHRASE) -> Path:
    text = (f"---\nid: {source_id}\ntitle: Extra note\nkind: blog-post\npublisher: a test\nseed: none.txt\n---\n"
            f"The {phrase} landed beside the river in the story told by this note, and nobody saw it again.\n")
    target = corpus / "sources" / f"{source_id}.md"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    past = time.time() - 5
    os.utime(tmp, (past, past))
    os.replace(tmp, target)
    os.utime(corpus / "sources", (past, past))
    return target


def forged_edit(path, old: str, new: str) -> None:
    """Rewrite ``path`` in place, same size, with its access and modification times put back."""
    st = os.stat(path)
    data = path.read_bytes()
    assert len(old.encode()) == len(new.encode()) and old.encode() in data
    with open(path, "r+b") as f:
        f.write(data.replace(old.encode(), new.encode(), 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(path).st_size == st.st_size and os.stat(path).st_mtime_ns == st.st_mtime_ns
