"""A reserved metadata field (`tag`, `split`, `captureDateTime`, `embedding`) has a bad value.

What it checks
    Fields named by a reserved name or by its well-known schema id:
    ``tag`` (``cko8s9r5v0001h2dk9elqdidh``) a string; ``split``
    (``cko8sbczn0002h2dkdaxb5kal``) one of ``train``, ``valid``, ``test`` (by
    name), or the option's schema id (by ``schema_id``: train
    ``cko8sbscr0003h2dk04w86hof``, valid ``cko8sc2yr0004h2dk69aj5x63``, test
    ``cko8scbz70005h2dkastwhgqt``); ``captureDateTime``
    (``cko8sdzv70006h2dk8jg64zvb``) an ISO 8601 date-time, a warning when it has
    no UTC offset (read as UTC); ``embedding`` (``ckpyije740000yxdk81pbgjdc``)
    128 finite numbers.

Why it matters
    "Metadata is a set of reserved fields with predefined names and types.
    Fields are tag, split, captureDateTime & embedding" (``002_76929483b18e37d0.txt``).
    The SDK (``DataRowMetadataOntology._parse_upsert``) rejects a wrong type and
    stops the upload: "Expected a string type for the text field", "Option ...
    not found", "Embedding length invalid".

Decisions
    The schema ids are the same in every organization; they come from the
    Labelbox SDK's tests (``TEXT_SCHEMA_ID``, ``SPLIT_SCHEMA_ID``,
    ``TRAIN_SPLIT_ID``, ``TEST_SPLIT_ID``, ``CAPTURE_DT_SCHEMA_ID``,
    ``EMBEDDING_SCHEMA_ID``) and the samples (``000_bcdac60c1f9def49.txt`` uses
    the tag id). With ``schema_id`` the SDK needs the option's schema id for
    ``split`` (``_validate_enum_parse``); only by ``name`` does it translate
    ``"train"``. Null values are M001's.

    ``captureDateTime`` values are ISO 8601 date-times, unambiguous to the SDK
    (which reads them with ``dateutil`` and converts them to UTC): a calendar
    date that exists (``2024-02-30`` does not), then optionally ``T`` (or
    ``t``, or a space in the extended format) and a time of hours and minutes,
    optionally seconds and a fraction (``.`` or ``,``), hours 0-23, minutes
    and seconds 0-59 (no ``24:00``, no leap second); then optionally a UTC
    offset: ``Z``, ``z``, ``+hh:mm``, ``+hhmm`` or ``+hh`` (or ``-``), below
    24 hours (the SDK fails on ``+25:00``) with minutes below 60. Date and time
    are both in the extended format (``2024-05-01T12:30:00Z``) or both in the
    basic one (``20240501T123000Z``), never mixed (ISO 8601 forbids it).
    Reduced forms (``2024-05``, ``T12``), week and ordinal dates, and other
    spellings ``dateutil`` guesses at (``05/01/2024``) are errors. A value
    without an offset is read as UTC: a warning, also for a date without a
    time (``2024-05-01``, midnight UTC).

FAIL::

    [{"row_data": "https://example.com/a.jpg",
      "metadata_fields": [{"name": "split", "value": "training"}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg",
      "metadata_fields": [{"schema_id": "cko8sbczn0002h2dkdaxb5kal", "value": "cko8sbscr0003h2dk04w86hof"},
                          {"name": "tag", "value": "night"},
                          {"name": "captureDateTime", "value": "2024-05-01T12:30:00Z"}]}]
"""
from ..metadata_schema import reserved_field, value_problem
from ..model import Problem, Severity

CODE = "M002"
NAME = "reserved-metadata-value"
SEVERITY = "error"


def check(row, ctx):
    if "metadata_fields" not in row.value:
        return
    for i, item in row.metadata_fields():
        if item.get("value") is None:
            continue
        field = reserved_field(item)
        if field is None:
            continue
        p = value_problem(field, item)
        if p:
            yield Problem(("metadata_fields", i, "value"), f"reserved {p[0]}", severity=Severity.WARNING if p[1] else None)
