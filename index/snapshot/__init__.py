"""One corpus snapshot made compact and fast to build: passages as arrays (``table``), per-source
work done on both cores and reused by content hash (``work``, ``assemble``), the Source records
that let a verified corpus load skip re-parsing (``records``) and the version's files (``files``)."""
