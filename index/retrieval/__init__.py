"""The retrieval seam: a question in, candidate passages out, each with what matched.

``Retriever`` (``protocol.py``) is all the answer builder sees of retrieval. The snapshot's
retriever runs BM25 first (``lexical.py``, exact), then the semantic stage (``dense.py``) when
the model is available; both return passages and their evidence, and the candidates are the union.
A new stage or backend is a new module that fills the same ``Candidate`` fields.
"""
