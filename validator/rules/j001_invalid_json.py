"""The file is not well-formed JSON (syntax error, truncated file, trailing garbage).

What it checks
    That the file parses as JSON: brackets and braces balance, strings are closed,
    values are separated by commas, keys are double-quoted, nothing follows the
    closing ``]``. The finding points at the line and column where parsing stopped;
    the rest of the file cannot be checked until it is fixed.

Why it matters
    Labelbox rejects the whole upload when the JSON does not parse (RFC 8259).
    A truncated export or a trailing comma costs a full round trip to find out.

Decisions
    Nesting deeper than 512 levels is reported here too: no data row needs it,
    and stopping there keeps time and memory bounded on hostile input.

    So is a ``\\uXXXX`` escape of half a UTF-16 surrogate pair with no other half
    (``"\\ud800"`` alone): it encodes no character, Labelbox cannot store it as
    text, and common parsers disagree on it (some turn it into ``?``, some pair
    it with the next escape whatever it is). Either half alone stops the check
    at its escape; a whole pair (``"\\ud83d\\ude00"``, an emoji) is fine.

FAIL::

    [{"row_data": "https://example.com/a.jpg",}]

PASS::

    [{"row_data": "https://example.com/a.jpg"}]
"""
CODE = "J001"
NAME = "invalid-json"
SEVERITY = "error"
