"""Several bot processes working as one: which gateway shards a process runs, and the Redis side
(index versions published and polled, cooldowns as expiring keys). No Discord here; ``redis`` is
imported only when a Redis URL is configured."""
