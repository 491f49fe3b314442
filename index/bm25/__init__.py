"""BM25 scoring: rank-bm25's Okapi ranking (the reference) and the exact fast path."""
