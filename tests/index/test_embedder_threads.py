"""The embedding model shares two cores with numpy: once it loads, numpy's BLAS runs one thread,
whose spinning workers would otherwise starve the model's own (answers twice as slow, session 59)."""
import pytest
from threadpoolctl import threadpool_info

from index.semantic.embedder import load_embedder


def test_loading_the_model_leaves_blas_one_thread():
    status = load_embedder()
    if status.embedder is None:
        pytest.skip(f"the model is not installed here: {status.reason}")
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)
