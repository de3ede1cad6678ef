"""The Excel template of one unit's half-year report, in the user's language (data contract v1.1,
"Excel template"; loaders/workbook.py reads it back): instructions, the 30 sector × business-type
rows with their codes locked and whole-number cells to fill, the activities row, totals and rates
as live formulas for the officer, and the very hidden `_meta` sheet the reader trusts."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

import i18n
from loaders import periods
from loaders.reference import business_types, sectors, units
from loaders.schema import COUNT_COLUMNS
from loaders.workbook import COLUMNS, HEADER_ROW, KEYS, META, SHEETS, TEMPLATE_VERSION

# Explained on the instructions sheet, in the contract's words.
HELP = {
    "businesses": ("cơ sở kinh doanh đang hoạt động trên địa bàn", "businesses operating in the unit"),
    "digital_any": ("cơ sở dùng ít nhất một kênh số (mạng xã hội, sàn TMĐT, website/ứng dụng) để giới thiệu, bán "
                    "hàng hoặc phục vụ khách; không lớn hơn số cơ sở và không lớn hơn tổng ba kênh bên cạnh",
                    "businesses using at least one digital channel (social network, marketplace, website/app) to "
                    "present, sell or serve; at most businesses, and at most the sum of the three channels"),
    "digital_social": ("trong đó qua mạng xã hội (Facebook, Zalo, TikTok…); không lớn hơn cột kênh số",
                       "of which via social networks; at most digital_any"),
    "digital_marketplace": ("trong đó qua sàn TMĐT (Shopee, Lazada, Tiki…); không lớn hơn cột kênh số",
                            "of which via marketplaces; at most digital_any"),
    "digital_web_app": ("trong đó qua website hoặc ứng dụng riêng; không lớn hơn cột kênh số",
                        "of which via an own website or app; at most digital_any"),
    "cashless": ("cơ sở chấp nhận thanh toán không dùng tiền mặt (QR, thẻ, ví điện tử, chuyển khoản)",
                 "businesses accepting non-cash payment (QR, card, e-wallet, transfer)"),
    "point_of_sale": ("cơ sở là điểm bán tại chợ, phố thương mại, cửa hàng tiện lợi",
                      "businesses located at a market, commercial street or convenience store"),
    "point_of_sale_informed": ("trong số điểm bán đó, số được tuyên truyền, hướng dẫn thanh toán không tiền mặt",
                               "of those points of sale, those reached by cashless-payment outreach"),
    "online_sellers": ("cơ sở bán hàng hóa, dịch vụ trực tuyến", "businesses selling goods or services online"),
    "site_notified": ("cơ sở đã thông báo/đăng ký website, ứng dụng TMĐT với Bộ Công Thương",
                      "businesses that notified or registered an e-commerce website/app"),
    "needs_training": ("cơ sở đề nghị hỗ trợ tập huấn", "businesses asking for training"),
    "needs_marketplace": ("cơ sở đề nghị hỗ trợ mở tài khoản, gian hàng trên sàn", "businesses asking for a marketplace shop"),
    "needs_payment": ("cơ sở đề nghị hỗ trợ thanh toán điện tử", "businesses asking for e-payment support"),
    "needs_logistics": ("cơ sở đề nghị hỗ trợ logistics", "businesses asking for logistics support"),
    "trainings": ("số lớp tập huấn tổ chức hoặc tham dự trong kỳ", "training sessions organised or attended"),
    "trainees": ("lượt người tham dự tập huấn", "training participations"),
    "outreach_items": ("tin, bài, thông báo, pano tuyên truyền đã đăng", "outreach items published"),
    "marketplace_onboarded": ("cơ sở được hỗ trợ lên sàn, nền tảng số", "businesses helped onto a marketplace"),
    "register_updated": ("đã rà soát danh sách cơ sở bán hàng trực tuyến trong kỳ: Có hoặc Không",
                         "the online-seller list was reviewed in the period: Yes or No"),
    "complaints_forwarded": ("phản ánh vi phạm TMĐT đã tiếp nhận và chuyển xử lý", "violation reports received and forwarded"),
}
_UNLOCKED = Protection(locked=False)
_INPUT = PatternFill("solid", fgColor="FFFFFF")
_LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")


def _text(cell, value) -> None:
    """Write a text as text: openpyxl would store one starting with "=" as a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def make_template(unit_code: str, period: str, lang: str = "vi",
                  previous: dict[str, pd.DataFrame] | None = None) -> bytes:
    """The template of one unit and period as .xlsx bytes; with `previous` (frames of the contract's
    businesses and activities columns, e.g. the unit's latest report) its counts are filled in."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    unit = units().set_index("unit_code").loc[unit_code]
    name = i18n.unit_full_name(unit["name"], unit["type"], lang)
    due = i18n.fmt_date(periods.deadline(period), lang)
    title = t("template.title", period=i18n.fmt_period(period, lang).upper())
    subtitle = t("template.subtitle", unit=name, code=unit_code, deadline=due)
    book = openpyxl.Workbook()
    help_sheet = book.active
    help_sheet.title = SHEETS["help"][lang]
    _instructions(help_sheet, title, subtitle, lang)

    biz = book.create_sheet(SHEETS["businesses"][lang])
    rows = [(s, b) for s in sectors() for b in business_types()]
    values = _values(previous, "businesses", COUNT_COLUMNS, KEYS)
    labels = ["", "", t("columns.sector"), t("columns.business_type")] + [t(f"columns.{c}") for c in COUNT_COLUMNS]
    header = [*KEYS, "", "", *COUNT_COLUMNS]
    _heading(biz, title, subtitle, t("template.fill_note"), labels, header, at=3)  # A and B (codes) are hidden
    first = HEADER_ROW + 1
    for i, (s, b) in enumerate(rows):
        r = first + i
        for col, value in enumerate([s, b, i18n.sector_name(s, lang), i18n.business_type_name(b, lang)], start=1):
            _text(biz.cell(r, col), value)
            biz.cell(r, col).fill = _LOCKED_FILL
        for j, c in enumerate(COUNT_COLUMNS, start=5):
            cell = biz.cell(r, j, values.get((s, b), {}).get(c))
            cell.protection, cell.fill = _UNLOCKED, _INPUT
    last = first + len(rows) - 1
    _counts_only(biz, f"E{first}:{get_column_letter(4 + len(COUNT_COLUMNS))}{last}", t)
    total_row, rate_row = last + 1, last + 2
    _text(biz.cell(total_row, 3), t("template.total"))
    _text(biz.cell(rate_row, 3), t("template.rate"))
    letter = {c: get_column_letter(j) for j, c in enumerate(COUNT_COLUMNS, start=5)}
    for c, col in letter.items():
        biz[f"{col}{total_row}"] = f"=SUM({col}{first}:{col}{last})"
        over = letter["point_of_sale" if c == "point_of_sale_informed" else "businesses"]
        if c != "businesses":
            biz[f"{col}{rate_row}"] = f'=IF({over}{total_row}=0,"",ROUND({col}{total_row}/{over}{total_row}*100,1))'
    for r in (total_row, rate_row):
        for j in range(3, 5 + len(COUNT_COLUMNS)):
            biz.cell(r, j).font = Font(bold=True)
    biz.column_dimensions["A"].hidden = biz.column_dimensions["B"].hidden = True
    biz.column_dimensions["C"].width, biz.column_dimensions["D"].width = 34, 18
    biz.freeze_panes = f"E{first}"

    act = book.create_sheet(SHEETS["activities"][lang])
    columns = COLUMNS["activities"]
    _heading(act, title, subtitle, t("template.fill_note"), [t(f"columns.{c}") for c in columns], columns)
    done = _values(previous, "activities", columns, [])
    for j, c in enumerate(columns, start=1):
        value = done.get((), {}).get(c)
        if c == "register_updated" and value is not None:
            value = t("template.yes") if value else t("template.no")
        cell = act.cell(first, j, value)
        cell.protection, cell.fill = _UNLOCKED, _INPUT
        if c == "register_updated":
            cell.data_type = "s" if value is not None else cell.data_type
            box = DataValidation(type="list", formula1=f'"{t("template.yes")},{t("template.no")}"', allow_blank=False)
        else:
            box = _whole(t)
        act.add_data_validation(box)
        box.add(cell.coordinate)

    meta = book.create_sheet(META)
    for r, (key, value) in enumerate({"template_version": TEMPLATE_VERSION, "unit_code": unit_code, "period": period,
                                      "lang": lang, "sheet_businesses": biz.title,
                                      "sheet_activities": act.title}.items(), start=1):
        _text(meta.cell(r, 1), key)
        _text(meta.cell(r, 2), value)
    meta.sheet_state = "veryHidden"
    for sheet in (biz, act):
        sheet.protection.sheet = True  # no password: the protection keeps the codes from slips, not from people
        sheet.protection.formatColumns = sheet.protection.formatRows = False
    book.active = 1
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _values(previous, kind, columns, keys) -> dict[tuple, dict]:
    frame = (previous or {}).get(kind)
    if frame is None or frame.empty:
        return {}
    out = {}
    for row in frame.to_dict("records"):
        out[tuple(row[k] for k in keys)] = {c: (None if pd.isna(row.get(c)) else
                                                bool(row[c]) if c == "register_updated" else int(row[c]))
                                            for c in columns if c in row}
    return out


def _heading(sheet, title, subtitle, note, labels, header, at: int = 1) -> None:
    """Title, subtitle and note from column `at` (the first one shown), then the labels and the
    header row of contract column names."""
    for r, (text, font) in enumerate([(title, Font(bold=True, size=14)), (subtitle, Font(bold=True)),
                                      (note, Font(italic=True))], start=1):
        _text(sheet.cell(r, at), text)
        sheet.cell(r, at).font = font
    for j, (label, name) in enumerate(zip(labels, header), start=1):
        _text(sheet.cell(4, j), label)
        sheet.cell(4, j).font = Font(bold=True)
        sheet.cell(4, j).alignment = Alignment(wrap_text=True, vertical="top")
        _text(sheet.cell(HEADER_ROW, j), name or None)
        sheet.cell(HEADER_ROW, j).font = Font(size=7, color="808080")
        if name and name not in KEYS:
            sheet.column_dimensions[get_column_letter(j)].width = 16
    sheet.row_dimensions[4].height = 75


def _whole(t) -> DataValidation:
    return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=False,
                          showErrorMessage=True, errorTitle=t("template.whole_title"), error=t("template.whole_error"))


def _counts_only(sheet, ref: str, t) -> None:
    box = _whole(t)
    sheet.add_data_validation(box)
    box.add(ref)


def _instructions(sheet, title, subtitle, lang) -> None:
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    lines = [(title, Font(bold=True, size=14)), (subtitle, Font(bold=True)), ("", None)]
    lines += [(t(f"template.step{i}"), None) for i in range(1, 6)] + [("", None), (t("template.columns"), Font(bold=True))]
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 40, 110
    for r, (text, font) in enumerate(lines, start=1):
        _text(sheet.cell(r, 1), text)
        if font:
            sheet.cell(r, 1).font = font
    r = len(lines) + 1
    for c in [*COUNT_COLUMNS, *COLUMNS["activities"]]:
        _text(sheet.cell(r, 1), f"{t(f'columns.{c}')} ({c})")
        _text(sheet.cell(r, 2), HELP[c][0 if lang == "vi" else 1])
        sheet.cell(r, 2).alignment = Alignment(wrap_text=True)
        r += 1
