"""Deterministic generator of realistic Labelbox import files for the benchmarks.

    python -m benchmarks.generate ROWS OUT.json [--defects 0.02] [--seed 1] [--worst]

Mixed media types (mostly IMAGE, some VIDEO, AUDIO, PDF, TEXT, HTML), attachments
(overlays on images, raw text, text URLs), metadata fields (tag, split, custom),
pretty-printed and compact rows mixed, and a chosen share of defective rows
(spaces in URLs, unknown keys, duplicate global keys, bad media types...).
`--worst` gives every row three findings. Same arguments, same bytes.
"""
from __future__ import annotations

import argparse
import json
import random
from typing import Any, Dict, Iterator

_MEDIA = [("IMAGE", "jpg", 70), ("IMAGE", "png", 10), ("VIDEO", "mp4", 6), ("AUDIO", "mp3", 4), ("PDF", "pdf", 4), ("TEXT", "txt", 4), ("HTML", "html", 2)]
_HOSTS = ["https://acme-data.s3.us-west-2.amazonaws.com", "https://storage.googleapis.com/acme-archive", "https://acme.blob.core.windows.net/images"]


def _row(i: int, rnd: random.Random) -> Dict[str, Any]:
    media, ext, _ = rnd.choices(_MEDIA, weights=[w for *_, w in _MEDIA])[0]
    host = _HOSTS[i % len(_HOSTS)]
    row: Dict[str, Any] = {
        "row_data": f"{host}/farm-{i % 97:02d}/field/{media.lower()}-{i:08d}.{ext}",
        "global_key": f"{media.lower()}-{i:08d}-{rnd.randrange(16**8):08x}",
        "media_type": media,
    }
    if rnd.random() < 0.8:
        row["metadata_fields"] = [
            {"schema_id": "cko8s9r5v0001h2dk9elqdidh", "value": f"batch-{i // 1000}"},
            {"name": "split", "value": rnd.choice(["train", "valid", "test"])},
        ]
        if rnd.random() < 0.3:
            row["metadata_fields"].append({"name": "farm", "value": f"Farm {i % 97}"})
    if rnd.random() < 0.7:
        atts = []
        if media == "IMAGE" and rnd.random() < 0.5:
            atts.append({"type": "IMAGE_OVERLAY", "value": f"{host}/overlays/{i:08d}.png", "name": "NDVI"})
        atts.append({"type": "RAW_TEXT", "value": f"Iowa, zone {i % 40}, June 2022 [field notes]"})
        if rnd.random() < 0.5:
            atts.append({"type": "TEXT_URL", "value": f"{host}/notes/{i:08d}.txt"})
        row["attachments"] = atts
    if rnd.random() < 0.2:
        row["external_id"] = f"ext-{i:08d}"
    return row


def _defect(row: Dict[str, Any], i: int, rnd: random.Random, dup_key: str = "duplicated-key") -> None:
    kind = rnd.randrange(5)
    if kind == 0:
        row["row_data"] = row["row_data"].replace("/field/", "/field notes/")  # U001
    elif kind == 1:
        row["globalKey"] = row.pop("global_key")  # R002
    elif kind == 2:
        row["global_key"] = dup_key  # K001 after the first
    elif kind == 3:
        row["media_type"] = "IMAGES"  # R005
    else:
        row["attachments"] = [{"type": "IMAGE_OVERLAY", "value": "https://acme.example.com/o.png"}]
        row["media_type"] = "VIDEO"  # A004 (+ R010)


def _worst(row: Dict[str, Any], i: int) -> None:
    """Exactly three findings per row: U001 (a space in the URL) and R002 twice (camelCase keys)."""
    row["row_data"] = row["row_data"].replace("/field/", "/field notes/")
    row["mediaType"] = row.pop("media_type")
    row["externalId"] = row.pop("external_id", f"ext-{i:08d}")


def rows(n: int, defects: float = 0.02, seed: int = 1, worst: bool = False, first: int = 0) -> Iterator[Dict[str, Any]]:
    """`n` rows numbered from `first` (keys, ids and URLs carry the number: the rows of a later
    part of the same import, when `first` is the number of rows before it; its duplicated
    global key is its own too)."""
    dup_key = "duplicated-key" + (f"-from-{first}" if first else "")
    rnd = random.Random(seed)
    for i in range(first, first + n):
        row = _row(i, rnd)
        if worst:
            _worst(row, i)
        elif rnd.random() < defects:
            _defect(row, i, rnd, dup_key)
        yield row


def write(path: str, n: int, defects: float = 0.02, seed: int = 1, worst: bool = False, first: int = 0) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write("[\n")
        for i, row in enumerate(rows(n, defects, seed, worst, first)):
            if i:
                f.write(",\n")
            f.write(json.dumps(row, indent=2 if i % 3 == 0 else None))
        f.write("\n]\n")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("rows", type=int)
    p.add_argument("out")
    p.add_argument("--defects", type=float, default=0.02)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--worst", action="store_true")
    a = p.parse_args(argv)
    write(a.out, a.rows, a.defects, a.seed, a.worst)


if __name__ == "__main__":
    main()
