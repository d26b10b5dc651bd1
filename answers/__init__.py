"""The services that answer users, over an open index: answers to questions, the
requirements table, precedent wording and the citation graph.

Below them lies ``index/`` (storage and ranking), above them ``ui/`` and ``search_api/``.
"""
