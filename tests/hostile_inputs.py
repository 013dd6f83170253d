"""The hostile-input battery: one list of ids, names and texts, used by every hostile test.

Tests import it relatively (``from .. import hostile_inputs as H``); the benchmark
``benchmarks/hostile_battery.py`` loads it by path.

Each value is either data (stored and found again on every backend) or refused with one
clear line before anything is written.
"""

from __future__ import annotations

#: Stored as data everywhere: injection fragments, quotes, odd Unicode.
DATA = [
    'Robert"); DROP TABLE names; --',
    "}) MATCH (n) DETACH DELETE n //",
    "' OR 1=1 RETURN n UNION MATCH (m) DELETE m //",
    '" } ; DROP ALL ; INSERT DATA { <urn:a> <urn:b> <urn:c> } #',
    "SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o }",
    "LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS r",
    "CALL apoc.load.json('http://127.0.0.1:9/')",
    "O'Brien \\' \\\" \\\\",
    "back`tick`` and {braces} [brackets] $param ?var",
    "<urn:kgfuse:doc:x> doc:x kg:Sentence",
    "%00%ff%2F%23 a#b?c=d&e",
    "[/bold] [red]markup[/] [link=http://127.0.0.1:9/]x[/link]",
    "../../etc/passwd",
    "\u202egnp.exe",  # right-to-left override
    "abc\u200b\u200c\u200ddef\u2060",  # zero-width characters
    "\u2066isolated\u2069 \u200fmark",  # bidi isolates and marks
    "\ufeffbom inside",  # a BOM as data
    "emoji 🐍👩‍🔬🇫🇷",
    "combining e\u0301 and ﬁ ligature",
    "ÆØÅ 東京 مرحبا שלום",
    "x" * 1000,  # long, but an acceptable id
]

#: Refused as document ids (the id rule of ``kgfuse.corpus.ids``).
BAD_IDS = [
    "nul\x00byte",
    "surr\ud800id",
    "\udfff",
    "line\nbreak",
    "tab\tinside",
    "del\x7fchar",
    "c1\x85char",
    "y" * 100_000,
]

#: Refused as stored text (sentences, surface forms, keys): no backend can hold them alike.
BAD_TEXTS = ["nul\x00inside", "surr\ud800inside", "\udc80"]

#: Refused as entity keys on every backend (FalkorDB closed the connection on a 5,000-character
#: key and then died); fine as sentence text.
LONG_TOKENS = ["k" * 1025, "🐍" * 1100, "t" * 100_000]

#: Looked up as names: found, or "not found" in one line; never anything else.
LOOKUPS = [*DATA, *BAD_IDS, *BAD_TEXTS, "", "   ", "\x00", "z" * 100_000, "%", "*", "(", "\\"]
