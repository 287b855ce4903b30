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
    ``"train"``. A date without a time (``2024-05-01``) is accepted as midnight
    UTC, with the no-offset warning. Null values are M001's.

FAIL::

    [{"row_data": "https://example.com/a.jpg",
      "metadata_fields": [{"name": "split", "value": "training"}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg",
      "metadata_fields": [{"name": "split", "value": "train"},
                          {"schema_id": "cko8sbczn0002h2dkdaxb5kal", "value": "cko8sbscr0003h2dk04w86hof"},
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
