"""Rows of one file use IAM paths of more than one cloud storage integration.

What it checks
    Every URL of every row of a file (assets, attachments, tiles) that is an IAM
    delegated access path: per ``[tool.lbx-validate.integrations]`` when
    configured, otherwise only ``gs://`` URIs (the GCS integration of their
    bucket). When a file reaches a second (third...) integration, the URL that
    does so is reported with the integrations seen so far and the first row of
    each. Signed URLs are never IAM paths.

Why it matters
    A dataset uses one cloud storage integration, and a GCS integration covers
    one bucket; an attachment "must utilize the same cloud storage integration
    as the data row" (attachments pages, ``000_bcdac60c1f9def49.txt``). One file
    is imported into one dataset, so the assets of the other integrations will
    not load.

Decisions
    Reported per file (not per run: several files may go to several datasets),
    once per additional integration, so a file mixing two buckets gives one
    warning, not one per row.

FAIL::

    [{"row_data": "gs://acme-images/a.jpg"},
     {"row_data": "gs://acme-archive/b.jpg"}]

PASS::

    [{"row_data": "gs://acme-images/a.jpg"},
     {"row_data": "gs://acme-images/b.jpg"}]
"""
from ..integrations import default_iam, for_settings, mentions_gs
from ..model import Problem
from ..model import to_pointer

CODE = "I002"
NAME = "multiple-integrations"
SEVERITY = "warning"
# The fast path may skip this rule on clean rows under default settings: clean rows hold https URLs only: with no integrations configured no IAM path is noted.
QUIET_ON_CLEAN = True


def _integrations(ctx):
    return for_settings(ctx.settings)


def _label(name, configured):
    if configured:
        return f"'{name}'"
    return f"the GCS integration of bucket '{name[4:]}'"


def check(row, ctx):
    integ = _integrations(ctx)
    if not integ.configured and not mentions_gs(row.value):
        return  # unconfigured, only gs:// URIs name an integration
    refs = row.urls()
    if not refs:
        return
    of = integ.of if integ.configured else default_iam
    seen = None
    for ref in refs:
        name = of(ref.value)
        if name is None:
            continue
        if seen is None:
            seen = ctx.file_state(CODE, dict)
        if name in seen:
            continue
        here = f"/{row.index}{to_pointer(ref.path)}"
        seen[name] = (row.index, here)
        if len(seen) < 2:
            continue
        before = "; ".join(f"{_label(n, integ.configured)} (first at row {r}, {p})" for n, (r, p) in seen.items() if n != name)
        yield Problem(ref.path, f"this file uses IAM paths of {len(seen)} cloud storage integrations: {_label(name, integ.configured)} here, "
                                f"and {before}; a dataset uses one integration, so assets of the others will not load: "
                                "split the file by integration (one dataset each), or use signed URLs")
