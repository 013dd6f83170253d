"""The Cypher backends: Neo4j and FalkorDB over one shared Cypher store.

``schema``, ``writes`` and ``reads`` are the pure statement builders, ``guard`` the read-only
check of raw queries, ``plan`` the write plan, ``store`` the ``GraphStore`` primitives over
Cypher, ``server`` what both drivers share about server URLs and errors; ``neo4j`` and
``falkordb`` are the driver glue.
"""
