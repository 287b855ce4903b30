"""labelbox-import-validator: check Labelbox data-row import files offline.

    >>> from validator import check_rows
    >>> [f.code for f in check_rows([{"row_data": "https://example.com/a#1.jpg"}])]
    ['U001']
"""
__version__ = "0.1.0"

from .api import Report, check_file, check_rows  # noqa: E402
from .model import Finding, Severity  # noqa: E402

__all__ = ["check_rows", "check_file", "Report", "Finding", "Severity", "__version__"]
