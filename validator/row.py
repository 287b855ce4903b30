"""The data row as rules see it: the parsed value plus facts several rules share,
each computed once per row and only when a rule asks.
"""
from __future__ import annotations

from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Tuple

from . import urls
from .model import Path

MEDIA_TYPES = ("IMAGE", "VIDEO", "TEXT", "AUDIO", "HTML", "PDF", "DICOM", "TMS_GEO", "TMS_SIMPLE", "CONVERSATIONAL")
# In the SDK's MediaType enum, but project kinds rather than import media types.
NON_IMPORT_MEDIA_TYPES = ("POINT_CLOUD", "LLM", "LLM_PROMPT_CREATION", "LLM_PROMPT_RESPONSE_CREATION", "UNKNOWN", "UNSUPPORTED")

ATTACHMENT_TYPES = ("IMAGE", "VIDEO", "AUDIO", "RAW_TEXT", "TEXT_URL", "HTML", "IMAGE_OVERLAY", "PDF_URL", "CAMERA_IMAGE")
URL_ATTACHMENT_TYPES = frozenset(ATTACHMENT_TYPES) - {"RAW_TEXT"}

# The file extensions each media type's asset is expected to have (import pages).
MEDIA_EXTENSIONS = {
    "IMAGE": ("jpg", "jpeg", "png", "bmp"),
    "VIDEO": ("mp4",),
    "AUDIO": ("mp3", "wav", "m4a"),
    "PDF": ("pdf",),
    "HTML": ("html", "htm"),
    "DICOM": ("dcm",),
    "CONVERSATIONAL": ("json",),
    "TEXT": ("txt",),
}

# Media type implied by a file extension, for rows that do not declare one.
MEDIA_BY_EXTENSION = {
    "jpg": "IMAGE", "jpeg": "IMAGE", "png": "IMAGE", "bmp": "IMAGE",
    "mp4": "VIDEO",
    "mp3": "AUDIO", "wav": "AUDIO", "m4a": "AUDIO",
    "pdf": "PDF",
    "html": "HTML", "htm": "HTML",
    "dcm": "DICOM",
    "txt": "TEXT",
}

# URL-valued keys inside an object row_data, by media type.
_OBJECT_URL_KEYS = ("pdf_url", "text_layer_url", "tile_layer_url")
_TILE_TYPES = ("TMS_GEO", "TMS_SIMPLE")


class UrlRef(NamedTuple):
    """A URL-typed value in a row: where it is, what it is, and its role."""

    path: Path
    value: str
    role: str  # "asset", "attachment" or "tile"
    attachment_type: Optional[str] = None


class Row:
    """One data row (a JSON object) of one file."""

    __slots__ = ("index", "value", "file", "clean", "_urls", "_schema_issues", "_media", "_overlays")

    def __init__(self, index: int, value: Dict[str, Any], file: str = "<rows>", clean: Optional[bool] = None):
        self.index = index
        self.value = value
        self.file = file
        self.clean = clean  # fastpath.is_clean's verdict when the checker asked it (else None)
        self._urls: Optional[List[UrlRef]] = None
        self._schema_issues = None
        self._media: Optional[Tuple[Optional[str]]] = None
        self._overlays: Optional[List[int]] = None

    def get(self, key: str, default: Any = None) -> Any:
        return self.value.get(key, default)

    @property
    def media_type(self) -> Optional[str]:
        """The declared media type in canonical form, if it names an import media type."""
        if self._media is None:
            declared = self.value.get("media_type")
            canon = declared.upper() if isinstance(declared, str) else None
            self._media = (canon if canon in MEDIA_TYPES else None,)
        return self._media[0]

    def effective_media_type(self) -> Optional[str]:
        """Declared media type, else the one implied by a string row_data's extension."""
        declared = self.media_type
        if declared or "media_type" in self.value:
            return declared
        data = self.value.get("row_data")
        if isinstance(data, str):
            ext = urls.extension(data)
            return MEDIA_BY_EXTENSION.get(ext) if ext else None
        return None

    def attachments(self) -> Iterator[Tuple[int, Dict[str, Any]]]:
        """(index, attachment) for each attachment that is an object."""
        items = self.value.get("attachments")
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    yield i, item

    def overlays(self) -> List[int]:
        """Indexes of the IMAGE_OVERLAY attachments (A004, A005), the type read in any case
        (A002 reports the spelling); only string types."""
        if self._overlays is None:
            self._overlays = [i for i, a in self.attachments()
                              if (t := a.get("type")) == "IMAGE_OVERLAY" or isinstance(t, str) and t.upper() == "IMAGE_OVERLAY"]
        return self._overlays

    def metadata_fields(self) -> Iterator[Tuple[int, Dict[str, Any]]]:
        items = self.value.get("metadata_fields")
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    yield i, item

    def urls(self) -> List[UrlRef]:
        """Every URL-typed string value in the row (asset, object fields, attachments)."""
        if self._urls is None:
            self._urls = list(self._find_urls())
        return self._urls

    def asset_url(self) -> Optional[UrlRef]:
        for ref in self.urls():
            if ref.role == "asset":
                return ref
        return None

    def _find_urls(self) -> Iterator[UrlRef]:
        data = self.value.get("row_data")
        media = self.media_type
        if isinstance(data, str):
            if is_url_row_data(data, media):
                yield UrlRef(("row_data",), data, "asset")
        elif isinstance(data, dict):
            for key in _OBJECT_URL_KEYS:
                url = data.get(key)
                if isinstance(url, str):
                    role = "tile" if key == "tile_layer_url" else "asset"
                    yield UrlRef(("row_data", key), url, role)
            layers = data.get("alternative_layers")
            if isinstance(layers, list):
                for i, layer in enumerate(layers):
                    if isinstance(layer, dict) and isinstance(layer.get("tile_layer_url"), str):
                        yield UrlRef(("row_data", "alternative_layers", i, "tile_layer_url"), layer["tile_layer_url"], "tile")
        for i, att in self.attachments():
            kind = att.get("type")
            value = att.get("value")
            if isinstance(kind, str) and isinstance(value, str) and kind.upper() in URL_ATTACHMENT_TYPES:
                if value.strip() and not is_local_path(value):
                    yield UrlRef(("attachments", i, "value"), value, "attachment", kind.upper())


def is_local_path(value: str) -> bool:
    """`/abs/path`, `./rel`, `../rel`, `~/x`, `C:\\x`, `file://...`: a file on someone's disk.

    `//cdn.example.com/a.jpg` is not: it is a URL without its scheme (U004's)."""
    v = value.strip()
    if v.startswith("//") and urls.looks_like_bare_host(v[2:]):
        return False
    if v.startswith(("/", "./", "../", "~/", ".\\", "..\\", "\\\\")) or v.lower().startswith("file:"):
        return True
    return len(v) > 2 and v[0].isalpha() and v[1] == ":" and v[2] in "\\/"


def is_url_row_data(data: str, media: Optional[str]) -> bool:
    """Is a string row_data meant as a URL? TEXT (and undeclared) rows may hold raw text:
    there only a single token that starts with a scheme counts as a URL."""
    if is_local_path(data):
        return False
    if media in ("TEXT", None):
        stripped = data.strip()
        if not urls.looks_like_url(stripped) or "\n" in stripped:
            return False
        # Declared TEXT may be a sentence that starts with a link; undeclared rows
        # that start with a scheme are meant as URLs (spaces in them are U001's).
        return media is None or not any(c in stripped for c in " \t")
    return True
