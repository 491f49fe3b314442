from tests.support.redis_server import redis_server  # noqa: F401  (pytest fixture by name)
