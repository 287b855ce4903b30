"""The README's rule table, generated from the rules' own docstrings."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from . import rules as registry

START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def rule_table() -> str:
    lines = ["| code | name | severity | what it checks |", "|---|---|---|---|"]
    for r in registry.all_rules():
        flags = []
        if r.opt_in:
            flags.append("opt-in")
        if r.fixable:
            flags.append("fixable")
        sev = r.severity.value + (f" ({', '.join(flags)})" if flags else "")
        summary = r.summary.replace("|", "\\|")
        lines.append(f"| {r.code} | `{r.name}` | {sev} | {summary} |")
    return "\n".join(lines)


def updated_readme(text: str) -> str:
    block = f"{START}\n{rule_table()}\n{END}"
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise ValueError(f"README has no {START} ... {END} block")
    return pattern.sub(lambda _: block, text)


def main(path: Optional[str] = None) -> None:
    readme = Path(path or "README.md")
    readme.write_text(updated_readme(readme.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
