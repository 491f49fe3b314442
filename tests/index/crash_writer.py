"""Run by tests/index/test_versions.py in a subprocess: write one version (killed at a named step)."""
import sys
from pathlib import Path

from index.corpus.versions import Author, CorpusRepo

root, base = Path(sys.argv[1]), sys.argv[2]
source = Path(sys.argv[3]).read_bytes()
timeline = Path(sys.argv[4]).read_bytes()
repo = CorpusRepo(root)
repo.commit({"sources/new-source.md": source, "timeline.yaml": timeline}, Author("mod", "42"), "add new-source", base)
print("done")
