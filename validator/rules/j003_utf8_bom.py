"""The file starts with a UTF-8 byte-order mark.

What it checks
    The first three bytes are EF BB BF (a BOM, as some Windows editors write).

Why it matters
    RFC 8259 §8.1: implementations "MUST NOT add a byte order mark" to JSON text;
    parsers may reject it. The rest of the file is still checked.

FAIL::

    ﻿[{"row_data": "https://example.com/a.jpg"}]

PASS::

    [{"row_data": "https://example.com/a.jpg"}]
"""
CODE = "J003"
NAME = "utf8-bom"
SEVERITY = "warning"
