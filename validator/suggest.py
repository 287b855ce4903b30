"""'Did you mean ...?' for a name from a fixed vocabulary (media types, fields...).

Memoized: the same typo usually repeats on every row of a bad export, and
difflib compares it with every choice each time (tens of microseconds).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional, Tuple


@lru_cache(maxsize=4096)
def closest(word: str, choices: Tuple[str, ...], cutoff: float) -> Optional[str]:
    """The choice most like `word` (difflib's ratio at least `cutoff`), or None."""
    import difflib  # imported on the first typo, not at start-up

    close = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return close[0] if close else None
