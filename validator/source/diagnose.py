"""Pin a syntax error to its exact line and column.

ijson (yajl) says that a file is broken but not where. When it fails, the file is
read again from the start with the standard library's decoder, element by
element, in bounded memory, and the first problem found is described in the
user's terms. This runs once per broken file, never on the happy path.
"""
from __future__ import annotations

import json
import math
import re
from typing import BinaryIO, List, Optional, Tuple

from ..model import Path
from .encoding import UTF8_BOM, describe_invalid_utf8

READ_SIZE = 1 << 20
_WS = re.compile(r"[ \t\n\r]*")
# yajl (ijson, use_float=True) reads integers within +-(2**63 - 1): -2**63 is an overflow there too
INT64 = (-(1 << 63) + 1, (1 << 63) - 1)

Found = Tuple[str, str, int, int, Optional[int], Path]


class _BadNumber(Exception):
    def __init__(self, literal: str, message: str):
        super().__init__(literal)
        self.literal = literal
        self.message = message


def _constant(name: str):
    raise _BadNumber(name, _not_a_number(name))


def _not_a_number(name: str) -> str:
    return f"{name} is not a JSON number (RFC 8259 §6); use null or a finite number"


def _too_long_int(text: str) -> str:
    return (f"the integer {_short(text)} does not fit in 64 bits (beyond +-9223372036854775807); Labelbox cannot store "
            "it as a number, write it as a string")


def python_number_problem(value: object) -> Optional[str]:
    """J007's message for a Python number that `json.dumps` would write as no JSON number
    (NaN, Infinity) or as one the file check reports (an integer past 64 bits), else None."""
    if isinstance(value, float):
        if value != value:
            return _not_a_number("NaN")
        if math.isinf(value):
            return _not_a_number("Infinity" if value > 0 else "-Infinity")
    elif isinstance(value, int) and not isinstance(value, bool) and not INT64[0] <= value <= INT64[1]:
        try:
            text = str(value)
        except ValueError:  # more digits than Python converts (sys.int_info.str_digits_check_threshold)
            text = f"{'-' if value < 0 else ''}<{value.bit_length()}-bit integer>"
        return _too_long_int(text)
    return None


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _BadNumber(text, f"the number {_short(text)} overflows a 64-bit float (it would become Infinity); check the value")
    return value


def _int(text: str) -> int:
    digits = len(text) - (text[0] == "-")
    if digits > 18:
        if digits > 19 or not (INT64[0] <= int(text) <= INT64[1]):
            raise _BadNumber(text, _too_long_int(text))
    return int(text)


_DECODER = json.JSONDecoder(parse_float=_float, parse_int=_int, parse_constant=_constant)


def noting_decoder(dups: List[Tuple[dict, str]]) -> json.JSONDecoder:
    """A decoder that raises `_BadNumber` where J007 applies and appends (object, key) to
    `dups` for each repeated key (J006), keeping the last value as JSON does."""

    def pairs_hook(pairs, _dict=dict):
        obj = _dict(pairs)
        if len(obj) != len(pairs):
            seen = set()
            for key, _ in pairs:
                if key in seen:
                    dups.append((obj, key))
                seen.add(key)
        return obj

    return json.JSONDecoder(object_pairs_hook=pairs_hook, parse_float=_float, parse_int=_int, parse_constant=_constant)


_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_ESCAPE = re.compile(r"\\(?:u([dD][89a-fA-F][0-9a-fA-F]{2})|u[0-9a-fA-F]{4}|.)", re.S)


def lone_surrogate(text: str, start: int, end: int) -> Optional[int]:
    """Index of the first surrogate escape in text[start:end] that is not half of a pair.

    The stdlib decoder takes "\\ud800" alone; ijson does not, and Labelbox cannot
    store it. Read from the text, not the value (a repeated key may have dropped
    the string); escapes are matched left to right, so an escaped backslash is never
    mistaken for the start of one.
    """
    if _SURROGATE.search(text, start, end) is None:
        return None
    high = -1  # index of a high half waiting for its low half
    for m in _ESCAPE.finditer(text, start, end):
        half = m.group(1)
        if high >= 0:
            if m.start() != high + 6 or not half or half[1] not in "cdefCDEF":
                return high
            high = -1
        elif half:
            if half[1] in "cdefCDEF":
                return m.start()  # a low half with no high half before it
            high = m.start()
    return high if high >= 0 else None


def half_surrogate_message(text: str, at: int) -> str:
    """J001's message for the lone surrogate escape at text[at]."""
    return (f"'{text[at:at + 6]}' is half of a UTF-16 surrogate pair with no other half: "
            "it encodes no character; remove it or write the whole pair")


def _short(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:10]}...{text[-6:]} ({len(text)} characters)"


class _Text:
    """Decoded text of the file with a moving start, and the line/column of its start."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.buf = ""
        self.line = 1
        self.column = 1
        self.eof = False
        self._pending = b""
        self._first = True
        self.cut_char = False  # the file ends in the middle of a UTF-8 sequence
        self.bad_byte: Optional[Tuple[int, str]] = None  # (index in buf, message)

    def more(self) -> bool:
        """Append the next block of text; False at the end or at invalid UTF-8."""
        if self.eof or self.bad_byte is not None:
            return False
        data = self.raw.read(READ_SIZE)
        if self._first:
            self._first = False
            if data.startswith(UTF8_BOM):
                data = data[len(UTF8_BOM):]
        if not data:
            self.eof = True
            # Pending bytes are the start of a valid UTF-8 sequence that the file
            # cuts short: a truncated file (J001 at its end), not a wrong encoding.
            self.cut_char = bool(self._pending)
            return False
        data = self._pending + data
        self._pending = b""
        try:
            self.buf += data.decode("utf-8")
        except UnicodeDecodeError as exc:
            good = data[: exc.start].decode("utf-8")
            if exc.end >= len(data) and len(data) - exc.start < 4 and "end of data" in exc.reason:
                self.buf += good
                self._pending = data[exc.start:]
            else:
                self.buf += good
                self.bad_byte = (len(self.buf), describe_invalid_utf8(data, exc.start))
        return True

    def drop(self, pos: int) -> int:
        """Forget text before `pos` (keeping line/column right); returns the new pos."""
        if pos < READ_SIZE:
            return pos
        head = self.buf[:pos]
        newlines = head.count("\n")
        if newlines:
            self.line += newlines
            self.column = pos - head.rindex("\n")
        else:
            self.column += pos
        self.buf = self.buf[pos:]
        if self.bad_byte is not None:
            self.bad_byte = (self.bad_byte[0] - pos, self.bad_byte[1])
        return 0

    def where(self, pos: int) -> Tuple[int, int]:
        head = self.buf[:pos]
        newlines = head.count("\n")
        if newlines:
            return self.line + newlines, pos - head.rindex("\n")
        return self.line, self.column + pos


def first_error(raw: BinaryIO) -> Optional[Found]:
    """The first J001/J002/J007 problem in the file, or None if it parses cleanly."""
    text = _Text(raw)
    text.more()
    try:
        return _parse(text)
    except MemoryError:
        return ("J001", "a value is too large to check in memory", *text.where(0), None, ())


def _skip_ws(text: _Text, pos: int) -> int:
    while True:
        pos = _WS.match(text.buf, pos).end()
        if pos < len(text.buf) or not text.more():
            return pos


def _parse(text: _Text) -> Optional[Found]:
    pos = _skip_ws(text, 0)
    if pos >= len(text.buf):
        return _at_end(text, pos, None, "the file is empty; an import file is a JSON array of data rows")
    if text.buf[pos] != "[":
        return _syntax(text, pos, None, f"expected '[' to start the array of data rows, found {_show(text.buf[pos])}; is this a JSON file?")
    pos = _skip_ws(text, pos + 1)
    row = 0
    if pos < len(text.buf) and text.buf[pos] == "]":
        return _after_array(text, pos + 1)
    while True:
        if pos >= len(text.buf):
            return _at_end(text, pos, row, "the file ends inside the array (truncated?): expected a data row")
        found, pos = _value(text, pos, row)
        if found:
            return found
        row += 1
        pos = _skip_ws(text, pos)
        if pos >= len(text.buf):
            return _at_end(text, pos, None, "the file ends inside the array (truncated?): expected ',' or ']'")
        c = text.buf[pos]
        if c == "]":
            return _after_array(text, pos + 1)
        if c != ",":
            return _syntax(text, pos, None, f"expected ',' or ']' after data row {row - 1}, found {_show(c)}")
        pos = _skip_ws(text, pos + 1)
        if pos < len(text.buf) and text.buf[pos] == "]":
            return _syntax(text, pos, None, "trailing comma before ']': remove it")
        pos = text.drop(pos)


def _value(text: _Text, pos: int, row: int):
    """Parse one element at `pos`; (problem, None) or (None, end)."""
    while True:
        try:
            _, end = _DECODER.raw_decode(text.buf, pos)
            if end >= len(text.buf) and not text.eof and text.bad_byte is None and text.more():
                continue  # a number may go on in the next block
            lone = lone_surrogate(text.buf, pos, end)
            if lone is not None:
                return _problem("J001", half_surrogate_message(text.buf, lone), text, lone, row), None
            return None, end
        except _BadNumber as exc:
            at = _find_literal(text.buf, pos, exc.literal)
            return _problem("J007", exc.message, text, at, row), None
        except json.JSONDecodeError as exc:
            near_end = exc.pos >= len(text.buf) - 8 or _runs_off_end(exc)
            if near_end and text.more():
                continue
            if text.bad_byte is not None and (near_end or exc.pos >= text.bad_byte[0] - 1):
                return _problem("J002", text.bad_byte[1], text, text.bad_byte[0], row), None
            if exc.pos >= len(text.buf) or (text.eof and (_runs_off_end(exc) or _cut_token(text.buf, exc.pos))):
                return _problem("J001", f"the file ends inside data row {row} (truncated?): {_explain(exc)}", text, len(text.buf), row), None
            return _problem("J001", _explain(exc), text, exc.pos, row), None
        except RecursionError:
            return _problem("J001", "the JSON is nested too deeply to check", text, pos, row), None


# What the end of a truncated file can cut short: a literal, a number, an escape.
_TAIL = re.compile(r"\\u[0-9a-fA-F]{0,4}\Z|[-+.0-9a-zA-Z]*\Z")
_PARTIAL = re.compile(
    r"(?:t(?:r(?:ue?)?)?|f(?:a(?:l(?:se?)?)?)?|n(?:u(?:ll?)?)?"
    r"|-?(?:(?:0|[1-9][0-9]*)(?:\.(?:[0-9]+(?:[eE][+-]?[0-9]*)?)?|[eE][+-]?[0-9]*)?)?"
    r"|\\u[0-9a-fA-F]{0,4})\Z"
)


def _cut_token(buf: str, pos: int) -> bool:
    """The error at `pos` is only that the file ends inside a token (a truncated file)."""
    tail = _TAIL.search(buf, max(0, len(buf) - 400))
    return tail is not None and tail.start() <= pos and _PARTIAL.match(buf, tail.start()) is not None


def _runs_off_end(exc: json.JSONDecodeError) -> bool:
    return exc.msg.startswith("Unterminated string")


def _after_array(text: _Text, pos: int) -> Optional[Found]:
    pos = _skip_ws(text, pos)
    if pos < len(text.buf) or text.cut_char:  # (the start of a UTF-8 sequence is content too)
        return _syntax(text, pos, None, "unexpected content after the closing ']' of the array; an import file holds one array")
    if text.bad_byte is not None:
        return _problem("J002", text.bad_byte[1], text, text.bad_byte[0], None)
    return None


def _at_end(text: _Text, pos: int, row: Optional[int], message: str) -> Found:
    if text.bad_byte is not None:
        return _problem("J002", text.bad_byte[1], text, text.bad_byte[0], row)
    return _problem("J001", message, text, pos, row)


def _syntax(text: _Text, pos: int, row: Optional[int], message: str) -> Found:
    if text.bad_byte is not None and pos >= text.bad_byte[0]:
        return _problem("J002", text.bad_byte[1], text, text.bad_byte[0], row)
    return _problem("J001", message, text, pos, row)


def _problem(code: str, message: str, text: _Text, pos: int, row: Optional[int]) -> Found:
    line, col = text.where(pos)
    return code, message, line, col, row, ()


_FRIENDLY = {
    "Expecting value": "expected a JSON value",
    "Expecting ',' delimiter": "expected ',' between values, or a closing bracket",
    "Expecting ':' delimiter": "expected ':' after the key",
    "Expecting property name enclosed in double quotes": "expected a key in double quotes (or '}'); trailing commas and single quotes are not JSON",
    "Unterminated string starting at": "this string is never closed",
    "Invalid control character at": "raw control character inside a string: escape it (\\n, \\t, \\u00XX)",
    "Invalid \\escape": "invalid escape sequence in a string",
    "Invalid \\uXXXX escape": "invalid \\u escape in a string: it needs four hex digits",
    "Extra data": "unexpected content after the value",
}


def _explain(exc: json.JSONDecodeError) -> str:
    for prefix, text in _FRIENDLY.items():
        if exc.msg.startswith(prefix):
            return text
    return exc.msg


def _show(c: str) -> str:
    return repr(c) if c.isprintable() else f"U+{ord(c):04X}"


def _find_literal(buf: str, start: int, literal: str) -> int:
    pattern = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(?<![0-9.eE+\-A-Za-z])' + re.escape(literal) + r"(?![0-9.eE+\-A-Za-z])", re.S)
    for m in pattern.finditer(buf, start):
        if not m.group().startswith('"'):
            return m.start()
    return start
