"""Schema findings of a row, computed once per row and shared by the R rules."""
from .. import schemas


def row_schema_issues(row, code):
    """The row's schema issues that map to `code`."""
    issues = row._schema_issues
    if issues is None:
        issues = row._schema_issues = schemas.row_issues(row.value, row.media_type, row.clean)
    return [i for i in issues if i.code == code] if issues else ()
