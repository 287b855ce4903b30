"""`row_data` does not fit the shape its media type requires.

What it checks
    ``row_data`` against ``schemas/media/<type>.schema.json`` for the declared
    media type: a URL string for IMAGE, VIDEO, AUDIO, HTML and DICOM; TEXT a URL
    or the text itself; PDF a URL or ``{pdf_url, text_layer_url?}``;
    TMS_GEO/TMS_SIMPLE ``{tile_layer_url, bounds, epsg, min_zoom?, max_zoom?,
    max_native_zoom?, tile_size?, alternative_layers?, version?}``; CONVERSATIONAL
    a URL or an inline conversation ``{type, version, messages}``.

Why it matters
    The server rejects mismatches late: an object ``row_data`` on an IMAGE row
    fails with "Expected type image/*"; tiled imagery without bounds or a PDF
    object without ``pdf_url`` fails the row. Shapes from the Labelbox import
    pages (geospatial, document, conversational) and their JSON samples.

Decisions
    Rows without ``media_type`` are not checked here: the shape depends on the
    type Labelbox infers, which cannot be known offline (R011 can ask for it).

FAIL::

    [{"row_data": {"pdf_url": "https://example.com/a.pdf"}, "media_type": "IMAGE"}]

PASS::

    [{"row_data": {"pdf_url": "https://example.com/a.pdf"}, "media_type": "PDF"}]
"""
from ..model import Problem
from ._schema import row_schema_issues

CODE = "R007"
NAME = "row-data-shape"
SEVERITY = "error"


def check(row, ctx):
    media = row.media_type
    for issue in row_schema_issues(row, CODE):
        on_key = issue.keyword == "additionalProperties"
        yield Problem(issue.path, f"{media} row: {issue.message}", on_key=on_key)
