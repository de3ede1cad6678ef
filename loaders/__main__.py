"""python -m loaders validate PATH... | ingest PATH... --data STORE [--submitted-at ISO]
| template --unit CODE --period P [--lang vi|en] [--prefill --data STORE] --out FILE.xlsx
| audit --data STORE [--out FILE.csv] | convert PATH... --out FOLDER (reports of the units before 1 July 2025)"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from loaders import audit, periods
from loaders.periods import PERIOD_RE
from loaders.reference import default_store, unit_codes
from loaders.remote import location
from loaders.spreadsheet import safe_cells
from loaders.store import check_inputs, find_inputs, ingest, load_store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders", description="Kiểm tra và nạp báo cáo (validate and ingest snapshots)")
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="kiểm tra tệp .parquet, .xlsx (validate files)")
    v.add_argument("paths", nargs="+", type=Path)
    i = sub.add_parser("ingest", help="kiểm tra rồi nạp vào kho (validate, then copy into the store)")
    i.add_argument("paths", nargs="+", type=Path)
    i.add_argument("--data", type=location, default=None,
                   help="kho dữ liệu, bắt buộc: thư mục hoặc s3://bucket/prefix (store folder or s3://…; or TMDT_DATA)")
    i.add_argument("--submitted-at", default=None, help="thời điểm nộp của tệp Excel, ISO 8601 (for back-filling)")
    t = sub.add_parser("template", help="tạo mẫu Excel cho một đơn vị và kỳ (the Excel template of a unit and period)")
    t.add_argument("--unit", required=True)
    t.add_argument("--period", required=True)
    t.add_argument("--lang", choices=["vi", "en"], default="vi")
    t.add_argument("--prefill", action="store_true", help="điền sẵn báo cáo gần nhất (the unit's latest report)")
    t.add_argument("--data", type=location, default=None, help="kho để điền sẵn (store for --prefill)")
    t.add_argument("--out", type=Path, required=True)
    c = sub.add_parser("convert", help="chuyển báo cáo của đơn vị trước 1/7/2025 sang đơn vị hiện hành "
                                       "(reports of the old units, converted to the current units)")
    c.add_argument("paths", nargs="+", type=Path)
    c.add_argument("--out", type=Path, required=True, help="thư mục ghi báo cáo đã chuyển (folder for the converted files)")
    a = sub.add_parser("audit", help="nhật ký thao tác ra CSV (the audit log as CSV)")
    a.add_argument("--data", type=location, default=None, help="thư mục kho dữ liệu (store folder; or TMDT_DATA)")
    a.add_argument("--out", type=Path, default=None, help="tệp CSV; mặc định: màn hình (standard output)")
    return parser


def _store(given: Path | None, required: bool) -> Path | None:
    """The store folder: --data, else TMDT_DATA, else (when not required) the bundled sample;
    None after printing why when there is none or it is a file."""
    store = given or (location(os.environ["TMDT_DATA"]) if os.environ.get("TMDT_DATA") else None)
    if store is None and required:
        print("Cần --data (hoặc biến TMDT_DATA): thư mục kho để nạp vào; không nạp vào dữ liệu mẫu "
              "(--data or TMDT_DATA is required: the store to ingest into; never the sample)")
        return None
    store = store or default_store()
    if store.exists() and not store.is_dir():
        print(f"{store}: kho dữ liệu phải là một thư mục (the store must be a folder)")
        return None
    return store


def _missing(paths: list[Path]) -> bool:
    """Say which of the paths do not exist; True when any."""
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        print(f"{p}: không tìm thấy tệp hoặc thư mục (file or folder not found)")
    return bool(missing)


def _validate_or_ingest(args) -> int:
    if _missing(args.paths):
        return 2
    unreadable: list[OSError] = []
    files = find_inputs(args.paths, unreadable)
    if not files and not unreadable:
        print("Không có tệp *.parquet hoặc *.xlsx nào để kiểm tra (no *.parquet or *.xlsx file to check)")
        return 2
    if args.command == "validate":
        problems = check_inputs(args.paths).problems
        for p in problems:
            print(p)
        bad = len({p.file for p in problems} & {str(f) for f in files})
        print(f"{len(files) - bad}/{len(files)} tệp hợp lệ ({len(files) - bad} of {len(files)} files valid)")
        return 1 if problems else 0
    store = _store(args.data, required=True)
    if store is None:
        return 2
    at = None
    if args.submitted_at:
        try:
            at = pd.Timestamp(args.submitted_at)
        except ValueError:
            print(f"--submitted-at {args.submitted_at}: không phải thời điểm ISO 8601, ví dụ 2026-06-25T10:00 "
                  "(not an ISO 8601 time)")
            return 2
        at = at.tz_localize(periods.timezone()) if at.tzinfo is None else at
    result = ingest(args.paths, store, submitted_at=at)
    for p in result.problems:
        print(p)
    if not result.ok:
        print("Không nạp tệp nào vì có tệp không hợp lệ (nothing ingested: some files are invalid)")
        return 1
    for path in result.added:
        print(f"+ {store / path}")
    print(f"Đã nạp {len(result.added)} tệp, {len(result.already_there)} tệp đã có sẵn "
          f"(ingested {len(result.added)} files; {len(result.already_there)} were already in the store)")
    return 0


def _template(args) -> int:
    from report.template import make_template

    if args.unit not in unit_codes():
        print(f"{args.unit}: không có trong danh mục đơn vị (not in the unit list)")
        return 2
    if not PERIOD_RE.fullmatch(args.period):
        print(f"{args.period}: kỳ phải có dạng YYYY-H1 hoặc YYYY-H2 (period must be YYYY-H1 or YYYY-H2)")
        return 2
    previous = None
    if args.prefill:
        store = _store(args.data, required=False)
        if store is None:
            return 2
        data = load_store(store)
        done = [p for p in data.periods if p <= args.period and not data.report(args.unit, p)[0].empty]
        if done:
            biz, act = data.report(args.unit, done[-1])
            previous = {"businesses": biz, "activities": act}
    args.out.write_bytes(make_template(args.unit, args.period, args.lang, previous))
    print(f"{args.unit} {args.period} -> {args.out}")
    return 0


def _convert(args) -> int:
    from loaders.legacy import convert

    if _missing(args.paths):
        return 2
    result = convert(args.paths, args.out)
    for p in result.problems:
        print(p)
    if not result.ok:
        print("Không chuyển tệp nào vì có tệp không hợp lệ (nothing converted: some files are invalid)")
        return 1
    for path in result.written:
        print(f"+ {path}")
    for unit in result.estimated:
        print(f"{unit}: ước tính, có đơn vị cũ bị chia tách cho nhiều đơn vị mới "
              "(an estimate: an old unit in it was split between several current units)")
    print(f"Đã ghi {len(result.written)} tệp; nạp chúng bằng lệnh ingest "
          f"(wrote {len(result.written)} files; put them in the store with ingest)")
    return 0


def _audit(args) -> int:
    store = _store(args.data, required=False)
    if store is None:
        return 2
    log = safe_cells(audit.read(store))
    text = log.to_csv(index=False)
    if args.out:
        args.out.write_text(text, encoding="utf-8-sig")
        print(f"{len(log)} dòng -> {args.out} ({len(log)} rows)")
    else:
        sys.stdout.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"validate": _validate_or_ingest, "ingest": _validate_or_ingest, "template": _template, "audit": _audit,
                "convert": _convert}
    return commands[args.command](args)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # never a traceback, whatever the bytes
        print(f"Lỗi không mong đợi (unexpected error): {type(exc).__name__}: {exc}")
        sys.exit(1)
