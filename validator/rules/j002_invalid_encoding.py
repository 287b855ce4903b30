"""The file is not UTF-8 (invalid byte sequences, or UTF-16/UTF-32).

What it checks
    Every byte sequence is valid UTF-8. A UTF-16 or UTF-32 file is recognised by
    its byte-order mark or by the pattern of NUL bytes at its start; text that
    looks like Latin-1 or Windows-1252 is named as such. The message says how to
    convert the file (``iconv -f ... -t UTF-8``).

Why it matters
    JSON exchanged between systems must be UTF-8 (RFC 8259 §8.1), and Labelbox
    reads import files as UTF-8: other encodings fail to parse or garble text.

FAIL (a UTF-16 file)::

    ÿþ[ ]

PASS::

    [{"row_data": "https://example.com/cafe.jpg", "metadata_fields": [{"name": "tag", "value": "café"}]}]
"""
CODE = "J002"
NAME = "invalid-encoding"
SEVERITY = "error"
