"""One corpus snapshot made compact and fast to build and to open.

``table``: passages as arrays, a ``Passage`` made when asked for. ``work``: the per-source work of
a build (cut, terms, spelling words), on every core. ``assemble``: a snapshot from sources read
now and sources unchanged since the previous version (reused by file SHA-256). ``files``: the
version's ``snapshot/`` files. ``version``: open the published version, or build and publish one.
``order``: first-occurrence order in one pass.
"""
