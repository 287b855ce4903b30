"""An `embeddings` entry is malformed, or its vector length differs from the file's others.

What it checks
    Each element of ``embeddings`` is an object ``{"embedding_id": string,
    "vector": [numbers]}`` (``clusters``, a list of integers, is also accepted);
    the vector holds 1 to 2,048 finite numbers; one ``embedding_id`` appears at
    most once per row; and every vector of one ``embedding_id`` has the same
    length in the file (the first vector seen sets it, later ones are compared
    with it and point back at it).

Why it matters
    The Labelbox SDK turns each entry into an ``EmbeddingVector``
    (``embedding_id: str``, ``vector: List[float]``,
    ``labelbox/schema/embedding.py``) and raises before upload when one does not
    fit; custom embeddings have at most 2,048 dimensions (limits page), and "the
    number of entries should match the Embedding's dimensions", so vectors of
    different lengths for one embedding cannot all import.

Decisions
    ``embeddings`` that is not an array is R004's. The length check is per file
    (an embedding's dimensions are not known offline; the file's first vector is
    the best witness). ``embeddingId`` gets the hint ``embedding_id``. Unknown
    extra keys are not reported: the SDK ignores them. ``NaN`` and ``Infinity``
    in a vector are J007's (non-finite-number), not reported twice here.

FAIL::

    [{"row_data": "https://example.com/a.jpg",
      "embeddings": [{"embedding_id": "clip-512", "vector": [0.1, 0.2, 0.3]}]},
     {"row_data": "https://example.com/b.jpg",
      "embeddings": [{"embedding_id": "clip-512", "vector": [0.1, 0.2]}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg",
      "embeddings": [{"embedding_id": "clip-512", "vector": [0.1, 0.2, 0.3]}]},
     {"row_data": "https://example.com/b.jpg",
      "embeddings": [{"embedding_id": "clip-512", "vector": [0.3, 0.2, 0.1]}]}]
"""
import math
from decimal import Decimal

from ..model import Problem, Related, to_pointer
from ..schemas import json_type

CODE = "R012"
NAME = "embedding-shape"
SEVERITY = "error"
# The fast path may skip this rule on clean rows under default settings: clean rows carry no embeddings, and only embeddings reach the file's state.
QUIET_ON_CLEAN = True

MAX_DIMS = 2048
_NUMBER_TYPES = (int, float, Decimal)


def check(row, ctx):
    items = row.value.get("embeddings")
    if not items or not isinstance(items, list):
        return
    seen = {}
    for i, item in enumerate(items):
        here = ("embeddings", i)
        if not isinstance(item, dict):
            yield Problem(here, f"embedding must be an object {{\"embedding_id\": ..., \"vector\": [...]}}, not {json_type(item)}")
            continue
        eid = item.get("embedding_id")
        if "embedding_id" not in item:
            hint = ": rename 'embeddingId' to 'embedding_id'" if "embeddingId" in item else \
                ": add the id of the custom embedding the vector belongs to"
            yield Problem(here, f"embedding is missing 'embedding_id'{hint}")
            eid = None
        elif not isinstance(eid, str) or not eid.strip():
            yield Problem(here + ("embedding_id",), f"embedding_id must be the embedding's id as a non-empty string, not {_what(eid)}")
            eid = None
        elif eid in seen:
            yield Problem(here + ("embedding_id",), f"embedding '{eid}' appears twice in this row (first at embeddings[{seen[eid]}]): "
                          "give each embedding at most one vector per data row")
            eid = None
        else:
            seen[eid] = i
        if "vector" not in item:
            yield Problem(here, "embedding is missing 'vector': add the list of numbers")
            continue
        vector = item["vector"]
        if not isinstance(vector, list):
            yield Problem(here + ("vector",), f"vector must be an array of numbers, not {json_type(vector)}")
            continue
        n = len(vector)
        if n == 0 or n > MAX_DIMS:
            yield Problem(here + ("vector",), f"vector has {n} values; Labelbox custom embeddings take 1 to {MAX_DIMS:,}")
            continue
        bad = _first_bad(vector)
        if bad is not None:
            v = vector[bad]
            yield Problem(here + ("vector", bad), f"vector[{bad}] is {_what(v)}; vector values must be finite numbers")
            continue
        if eid is not None:
            yield from _same_length(row, ctx, eid, n, here + ("vector",))


def _first_bad(vector):
    for j, v in enumerate(vector):
        t = type(v)
        if t is float or t is int:
            continue  # NaN and Infinity are J007's, in a file and through the Python API alike
        elif not isinstance(v, _NUMBER_TYPES) or isinstance(v, bool) or (isinstance(v, Decimal) and not v.is_finite()):
            return j
    return None


def _what(value):
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, str):
        return f"a string ({_short(value)})"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json_type(value)


def _short(text):
    import json

    shown = json.dumps(text, ensure_ascii=True)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _same_length(row, ctx, eid, n, path):
    first = ctx.file_state(CODE, dict)
    known = first.get(eid)
    if known is None:
        first[eid] = (n, row.index, path)
        return
    length, index, first_path = known
    if length == n:
        return
    pointer = f"/{index}{to_pointer(first_path)}"
    yield Problem(
        path,
        f"vector of embedding '{_clip(eid)}' has {n} values, but row {index} ({pointer}) gave it {length}: "
        "all vectors of one embedding must have the embedding's dimensions",
        related=Related(row.file, index, pointer),
    )


def _clip(text):
    return text if len(text) <= 60 else text[:57] + "..."
