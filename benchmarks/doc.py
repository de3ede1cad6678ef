"""docs/benchmarks.md, where each benchmark script owns the section between its two markers."""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(text: str, start: str, end: str) -> None:
    """Replace the section from `start` to `end` with `text` (which holds both markers), or add
    it at the end; nothing else in the file changes."""
    DOC.parent.mkdir(parents=True, exist_ok=True)
    old = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if start in old and end in old:
        new = old[:old.index(start)] + text + old[old.index(end) + len(end):]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    DOC.write_text(new, encoding="utf-8")
