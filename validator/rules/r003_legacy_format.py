"""A row uses a legacy form the SDK still converts (`tileLayerUrl`, `conversationalData`).

What it checks
    Two legacy top-level keys:

    - ``conversationalData`` (a list of messages next to the row's own fields):
      the current form is ``row_data`` holding the conversation,
      ``{"type": "application/vnd.labelbox.conversational", "version": 1,
      "messages": [...]}``, with ``"media_type": "CONVERSATIONAL"``.
    - ``tileLayerUrl`` at the top level of the row: the current form is
      ``row_data`` holding ``{"tile_layer_url", "bounds", "epsg", ...}`` with
      ``"media_type": "TMS_GEO"`` (or ``TMS_SIMPLE``).

    The finding points at the legacy key.

Why it matters
    The Labelbox SDK still converts these forms before upload
    (``format_legacy_conversational_data`` and the ``tileLayerUrl`` branch of
    ``convert_item`` in ``labelbox/schema/internal/descriptor_file_creator.py``),
    but the import pages document only the current forms (conversational and
    geospatial import pages), the web uploader does not convert them, and rows in
    the legacy tiled form skip the SDK's key, embedding and metadata validation
    entirely.

Decisions
    A warning: the SDK path still works today. The messages of a legacy
    ``conversationalData`` list are checked by R008 like an inline conversation's.

FAIL::

    [{"conversationalData": [{"messageId": "m1", "content": "hi", "user": {"userId": "u1", "name": "Ann"}}],
      "global_key": "chat-1"}]

PASS::

    [{"row_data": {"type": "application/vnd.labelbox.conversational", "version": 1,
                   "messages": [{"messageId": "m1", "content": "hi", "user": {"userId": "u1", "name": "Ann"}}]},
      "media_type": "CONVERSATIONAL", "global_key": "chat-1"}]
"""
from ..model import Problem

CODE = "R003"
NAME = "legacy-format"
SEVERITY = "warning"

_CONVERSATION = (
    "legacy 'conversationalData' form: put the conversation in row_data as "
    "{\"type\": \"application/vnd.labelbox.conversational\", \"version\": 1, \"messages\": [...]} "
    "and set \"media_type\": \"CONVERSATIONAL\""
)
_TILES = (
    "legacy top-level 'tileLayerUrl' form: put the tile server in row_data as "
    "{\"tile_layer_url\": ..., \"bounds\": ..., \"epsg\": ...} and set \"media_type\": \"TMS_GEO\" (or \"TMS_SIMPLE\")"
)


def check(row, ctx):
    value = row.value
    if "conversationalData" in value:
        yield Problem(("conversationalData",), _CONVERSATION, on_key=True)
    if "tileLayerUrl" in value:
        yield Problem(("tileLayerUrl",), _TILES, on_key=True)
