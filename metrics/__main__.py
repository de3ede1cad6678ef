"""python -m metrics export --data STORE [--period P] --by unit|city|sector --out FILE
python -m metrics report --data STORE [--period P] --out FILE.pptx|FILE.pdf [--notes]|FILE.xlsx|FILE.docx [--unit CODE]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from loaders.reference import default_store
from loaders.remote import location
from loaders.store import load_store
from metrics.export import write_export


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m metrics", description="Bảng chỉ số (indicator tables)")
    sub = parser.add_subparsers(dest="command", required=True)
    e = sub.add_parser("export", help="xuất bảng chỉ số CSV/XLSX (export the indicator table)")
    e.add_argument("--data", type=location, default=None, help="thư mục kho dữ liệu (store folder); mặc định: dữ liệu mẫu")
    e.add_argument("--period", default=None, help="kỳ YYYY-H1|YYYY-H2; mặc định: mọi kỳ (every period)")
    e.add_argument("--by", choices=["unit", "city", "sector", "business_type"], required=True)
    e.add_argument("--out", type=Path, required=True, help="tệp .csv hoặc .xlsx (output file)")
    r = sub.add_parser("report", help="bộ trình chiếu .pptx, báo cáo in .pdf, bảng số liệu .xlsx hoặc báo cáo Word .docx "
                                      "của một kỳ (review deck, printable report, tables or the Word report of one period)")
    r.add_argument("--data", type=location, default=None, help="thư mục kho dữ liệu (store folder); mặc định: dữ liệu mẫu")
    r.add_argument("--period", default=None, help="kỳ YYYY-H1|YYYY-H2; mặc định: kỳ mới nhất (the latest period)")
    r.add_argument("--out", type=Path, required=True, help="tệp .pptx, .pdf, .xlsx hoặc .docx (output file)")
    r.add_argument("--notes", action="store_true", help="in ghi chú của người trình bày dưới mỗi trang (.pdf only; "
                                                         "the speaker notes under each slide)")
    r.add_argument("--unit", default=None, help="mã đơn vị: báo cáo Word của đơn vị so với toàn thành phố (.docx only)")
    r.add_argument("--lang", choices=["vi", "en"], default="vi", help="ngôn ngữ (language); mặc định: vi")
    r.add_argument("--sector", action="append", default=[], help="lọc nhóm ngành hàng, lặp lại được (sector filter)")
    r.add_argument("--business-type", action="append", default=[], help="lọc loại hình (business-type filter)")
    return parser


def _report(data, args) -> int:
    from loaders.reference import business_types, sectors, unit_codes
    from metrics.indicators import View
    from report.build import FORMATS, write_report
    from report.pdf import FontMissing
    from report.render import RenderError, stop

    if args.out.suffix.lower() not in FORMATS:
        print(f"{args.out}: chỉ hỗ trợ .pptx, .pdf, .xlsx hoặc .docx (only .pptx, .pdf, .xlsx or .docx)")
        return 2
    if args.unit is not None and args.out.suffix.lower() != ".docx":
        print("--unit: chỉ cho báo cáo Word .docx (only for the .docx report)")
        return 2
    if args.notes and args.out.suffix.lower() != ".pdf":
        print("--notes: chỉ cho báo cáo in .pdf (only for the .pdf)")
        return 2
    if args.unit is not None and args.unit not in unit_codes():
        print(f"Mã đơn vị không có trong danh mục (unknown unit code): {args.unit}")
        return 2
    unknown = [s for s in args.sector if s not in sectors()] + [b for b in args.business_type if b not in business_types()]
    if unknown:
        print(f"Mã không có trong danh mục (unknown code): {', '.join(unknown)}")
        return 2
    period = args.period or data.periods[-1]
    view = View(tuple(sorted(set(args.sector))), tuple(sorted(set(args.business_type))))
    try:
        write_report(data, period, args.out, view, args.lang, args.unit, args.notes)
    except (FontMissing, RenderError) as exc:
        print(str(exc))
        return 1
    finally:
        stop()  # close Chromium now, not while the interpreter shuts its threads down
    print(f"Kỳ {period} -> {args.out} (period {period})")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    store = args.data or default_store()
    if Path(store).exists() and not Path(store).is_dir():
        print(f"{store}: kho dữ liệu phải là một thư mục (the store must be a folder)")
        return 2
    if not Path(store).is_dir():
        print(f"{store}: không tìm thấy thư mục kho dữ liệu (store folder not found)")
        return 1
    data = load_store(store)
    for f in data.invalid:
        for p in f.problems:
            print(f"Bỏ qua tệp không hợp lệ (skipped invalid file): {p}", file=sys.stderr)
    if not data.periods:
        print(f"{store}: kho không có báo cáo hợp lệ nào (the store holds no valid snapshot)")
        return 1
    if args.period and args.period not in data.periods:
        print(f"Kỳ {args.period} không có trong kho; các kỳ có: {', '.join(data.periods)} "
              f"(period {args.period} is not in the store; periods held: {', '.join(data.periods)})")
        return 1
    if args.command == "report":
        return _report(data, args)
    if args.out.suffix.lower() not in (".csv", ".xlsx"):
        print(f"{args.out}: chỉ hỗ trợ .csv hoặc .xlsx (only .csv or .xlsx)")
        return 2
    rows = write_export(data, args.by, args.period, args.out)
    print(f"{rows} dòng -> {args.out} ({rows} rows)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as exc:  # never a traceback
        print(f"Lỗi không mong đợi (unexpected error): {type(exc).__name__}: {exc}")
        sys.exit(1)
