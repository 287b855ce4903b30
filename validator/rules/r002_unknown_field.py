"""A row has a key that is not a data-row field.

What it checks
    Row keys are among ``row_data``, ``global_key``, ``external_id``,
    ``media_type``, ``metadata_fields``, ``attachments``, ``embeddings`` and
    ``dataset_id`` (plus the legacy forms R003 reports). Common slips get the
    right name: ``globalKey`` -> ``global_key``, ``externalId`` ->
    ``external_id``, ``rowData`` -> ``row_data``, ``mediaType`` -> ``media_type``,
    ``metadata`` -> ``metadata_fields``, ``imageUrl``/``videoUrl``/``data`` ->
    ``row_data``; otherwise the closest field name is suggested.

Why it matters
    The SDK raises ``InvalidAttributeError`` for unknown keys (``validate_keys``)
    and the whole call fails; a misspelled ``globalKey`` would otherwise lose the
    key for every row.

Decisions
    ``type`` and ``version`` beside a legacy ``conversationalData`` are part of
    that form (the SDK pops them); R003 reports the form instead.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "globalKey": "a"}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "global_key": "a"}]
"""

from ..model import Problem
from ..suggest import closest
from ._schema import row_schema_issues

CODE = "R002"
NAME = "unknown-field"
SEVERITY = "error"

FIELDS = ("row_data", "global_key", "external_id", "media_type", "metadata_fields", "attachments", "embeddings", "dataset_id")
SUGGESTIONS = {
    "globalkey": "global_key", "global_id": "global_key", "externalid": "external_id", "external_key": "external_id",
    "rowdata": "row_data", "mediatype": "media_type", "metadata": "metadata_fields", "metadatafields": "metadata_fields",
    "imageurl": "row_data", "videourl": "row_data", "data": "row_data", "url": "row_data", "attachment": "attachments",
    "embedding": "embeddings",
}


def suggest(key):
    folded = key.lower().replace("-", "_")
    if folded in FIELDS:
        return folded
    hit = SUGGESTIONS.get(folded.replace("_", "")) or SUGGESTIONS.get(folded)
    if hit:
        return hit
    return closest(folded, FIELDS, 0.75)


# The legacy conversational form carries these beside conversationalData; the SDK pops them (R003).
LEGACY_CONVERSATION_KEYS = ("type", "version")


def check(row, ctx):
    legacy = "conversationalData" in row.value
    for issue in row_schema_issues(row, CODE):
        key = issue.detail
        if legacy and key in LEGACY_CONVERSATION_KEYS:
            continue
        better = suggest(key)
        hint = f"did you mean '{better}'?" if better else f"data-row fields are: {', '.join(FIELDS)}"
        yield Problem(issue.path, f"unknown data-row field '{key}': {hint}", on_key=True)
