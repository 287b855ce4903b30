"""A row has no `global_key`.

What it checks
    Each data row has a ``global_key`` (absent or ``null`` is reported, at the
    row's ``{``). Opt-in: enable it with ``--extend-select K005``.

Why it matters
    Labelbox "strongly recommends" global keys (data row docs): they are the
    organization-wide unique handle that exports, label imports and
    ``client.get_data_row_ids_for_global_keys`` use, and the guard against
    importing the same asset twice. Rows without one can only be found by their
    Labelbox id or by a non-unique ``external_id``.

Decisions
    Advice (info) and opt-in, since Labelbox imports rows without keys. An empty
    string is K002's.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "external_id": "a.jpg"}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "global_key": "a.jpg"}]
"""
from ..model import Problem

CODE = "K005"
NAME = "missing-global-key"
SEVERITY = "info"
OPT_IN = True


def check(row, ctx):
    if row.value.get("global_key") is None:
        yield Problem((), "data row has no global_key: add a unique key (for example the asset's path) so the row can be "
                          "found, updated and de-duplicated later")
