"""Where each part of a slide goes, in inches on a 16:9 slide of 13.333 × 7.5 in (a 1920 × 1080
projector). The .pptx uses it as is; the .pdf scales it onto its page. Type sizes in points."""

from __future__ import annotations

from dataclasses import dataclass

from report.content import Slide

WIDTH, HEIGHT = 13.333, 7.5
MARGIN = 0.5
BODY_TOP, BODY_BOTTOM = 1.45, 6.85
PX_PER_INCH = 100  # a figure is drawn at its box's size in CSS pixels (then × 2 for sharpness)

TITLE_PT, TITLE_SMALL_PT, SUBTITLE_PT, COVER_TITLE_PT = 30, 24, 22, 40
BULLET_SIZES = (20, 18, 16, 14)  # the largest whose lines fit the box is used
CHAR_EM = 0.55  # mean width of a character, in ems (DejaVu Sans; Calibri is narrower)
TABLE_PT, TABLE_SMALL_PT = 16, 14
FOOTER_PT = 11
FIGURE_FONT_PX = 17


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def pixels(self) -> tuple[int, int]:
        return round(self.w * PX_PER_INCH), round(self.h * PX_PER_INCH)


def boxes(slide: Slide) -> dict[str, Box]:
    """Named boxes of a slide: title, subtitle, bullets, table, figure, footer (only those it has)."""
    if slide.figure and slide.bullets and slide.table:
        raise ValueError(f"slide {slide.key}: bullets, a table and a figure do not fit on one slide")
    full = WIDTH - 2 * MARGIN
    out = {"footer": Box(MARGIN, HEIGHT - 0.5, full, 0.38)}
    if slide.key == "title":
        out["title"] = Box(MARGIN, 1.1, full, 1.6)
        out["subtitle"] = Box(MARGIN, 2.85, full, 0.7)
        out["bullets"] = Box(MARGIN, 3.9, full, 2.6)
        return out
    out["title"] = Box(MARGIN, 0.35, full, 1.0)
    height = BODY_BOTTOM - BODY_TOP
    text = "table" if slide.table else "bullets" if slide.bullets else None
    if slide.figure and text:
        left = 6.3 if slide.table else 5.0
        out[text] = Box(MARGIN, BODY_TOP, left, height)
        out["figure"] = Box(MARGIN + left + 0.2, BODY_TOP, full - left - 0.2, height)
    elif slide.figure:
        out["figure"] = Box(MARGIN, BODY_TOP, full, height)
    elif slide.table and slide.bullets:
        out["bullets"] = Box(MARGIN, BODY_TOP, full, 1.9)
        out["table"] = Box(MARGIN, BODY_TOP + 2.0, full, height - 2.0)
    elif text:
        out[text] = Box(MARGIN, BODY_TOP, full, height)
    return out


def title_pt(slide: Slide) -> int:
    """Long titles (a plan's full name) in smaller type, so that they keep to two lines."""
    if slide.key == "title":
        return COVER_TITLE_PT
    return TITLE_PT if len(slide.title) <= 50 else TITLE_SMALL_PT


def table_pt(slide: Slide) -> int:
    return TABLE_SMALL_PT if slide.table and len(slide.table.rows) > 10 else TABLE_PT


def bullet_pt(slide: Slide) -> int:
    """The largest bullet size at which the bullets, wrapped, fit their box (1.3 lines of height per
    line, plus the space after each bullet)."""
    box = boxes(slide)["bullets"]
    for pt in BULLET_SIZES:
        per_line = max(int(box.w * 72 / (pt * CHAR_EM)), 1)
        lines = sum(-(-(len(b) + 2) // per_line) for b in slide.bullets)
        if (lines * 1.3 + len(slide.bullets) * 0.45) * pt / 72 <= box.h:
            return pt
    return BULLET_SIZES[-1]


def column_widths(slide: Slide, width: float) -> list[float]:
    """Columns in proportion to their longest text (header included), at least 12% each."""
    table = slide.table
    longest = [max([len(table.columns[i]), *(len(r[i]) for r in table.rows)]) for i in range(len(table.columns))]
    shares = [max(n / sum(longest), 0.12) for n in longest]
    return [width * s / sum(shares) for s in shares]
