"""Which cloud storage integration (IAM delegated access) a URL belongs to.

Configuration (`[tool.lbx-validate.integrations]`) maps an integration name to
prefixes: URL prefixes, or `s3://bucket[/prefix]`, `gs://bucket[/prefix]`,
`azure://account/container[/prefix]`, matched against the URL's recognised
storage location so every regional or path-style spelling of a bucket matches.
A URL prefix matches with its scheme and host in any case (RFC 3986: they are
case-insensitive) and its path as written (paths are case-sensitive).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Dict, Optional, Tuple

from . import urls

_PROVIDERS = {"s3": "s3", "gs": "gcs", "gcs": "gcs", "azure": "azure"}


class Integrations:
    def __init__(self, config: Dict[str, Tuple[str, ...]]):
        self._entries = []
        for name, prefixes in config.items():
            for prefix in prefixes:
                self._entries.append((name, _parse_prefix(prefix)))
        self.configured = bool(self._entries)
        self._url_prefixes = any(kind == "url" for _, (kind, _a, _b) in self._entries)
        self.of = lru_cache(maxsize=8192)(self._of)

    def _of(self, url: str) -> Optional[str]:
        """The configured integration covering `url`, or None."""
        if urls.is_signed(url):
            return None
        loc = urls.storage_location(url)
        folded = fold_origin(url) if self._url_prefixes else url
        for name, (kind, a, b) in self._entries:
            if kind == "url":
                if folded.startswith(a):
                    return name
            elif loc is not None and loc.provider == kind and loc.bucket == a and loc.key.startswith(b):
                return name
        return None


def _parse_prefix(prefix: str):
    scheme, sep, rest = prefix.partition("://")
    provider = _PROVIDERS.get(scheme.lower()) if sep else None
    if provider is None:
        return ("url", fold_origin(prefix), "")
    if provider == "azure":
        account, _, tail = rest.partition("/")
        container, _, key = tail.partition("/")
        return ("azure", f"{account.lower()}/{container}", key)
    bucket, _, key = rest.partition("/")
    return (provider, bucket.lower() if provider == "gcs" else bucket, key)


def fold_origin(url: str) -> str:
    """`url` with its scheme and authority (host, port) in lower case and the rest as written:
    `HTTPS://CDN.Acme.com/IAM/a.jpg` -> `https://cdn.acme.com/IAM/a.jpg`. Scheme and host are
    case-insensitive (RFC 3986 3.1, 3.2.2), the path is not. A partial prefix such as
    `https://CDN.acme` folds the same way, so prefixes and URLs compare by `startswith`."""
    span = urls.authority_span(url)
    if span is None:
        return url
    end = span[1]
    head = url[:end]
    lowered = head.lower()
    return url if lowered == head else lowered + url[end:]


def default_iam(url: str) -> Optional[str]:
    """Without configuration, only gs:// URIs are certainly IAM paths: 'gcs:<bucket>'."""
    if url[:5].lower() == "gs://":
        loc = urls.storage_location(url)
        return f"gcs:{loc.bucket}" if loc else None
    return None


@lru_cache(maxsize=8)
def _for_config(config: Tuple[Tuple[str, Tuple[str, ...]], ...]) -> Integrations:
    return Integrations(dict(config))


def for_settings(settings) -> Integrations:
    """The run's integrations, built once per configuration (no per-run state needed)."""
    return _for_config(settings.integrations)


def mentions_gs(row: dict) -> bool:
    """Does the row hold a gs:// URI (row_data, a field of an object row_data, or an
    attachment value)? A cheap pre-check: unconfigured, only gs:// URIs are certainly IAM paths."""
    data = row.get("row_data")
    if _is_gs(data) or isinstance(data, dict) and any(_is_gs(v) for v in data.values()):
        return True
    items = row.get("attachments")
    return isinstance(items, list) and any(isinstance(item, dict) and _is_gs(item.get("value")) for item in items)


def _is_gs(value) -> bool:
    return isinstance(value, str) and value.lstrip()[:5].lower() == "gs://"
