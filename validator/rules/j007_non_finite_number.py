"""A number JSON cannot carry: NaN, Infinity, or a value that overflows.

What it checks
    The literals ``NaN``, ``Infinity`` and ``-Infinity`` (which some encoders, like
    Python's ``json.dumps``, write by default), numbers that overflow a 64-bit
    float (``1e999``), and integers that do not fit in 64 bits.

Why it matters
    RFC 8259 §6 allows neither NaN nor Infinity; strict parsers reject the file.
    Out-of-range numbers silently become infinity or lose digits.

Decisions
    The parser stops at the first such number, like at a syntax error: write it as
    ``null``, a finite number, or a string, and run the check again.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "embeddings": [{"embedding_id": "e", "vector": [NaN]}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "embeddings": [{"embedding_id": "e", "vector": [0.5]}]}]
"""
CODE = "J007"
NAME = "non-finite-number"
SEVERITY = "error"
