"""python -m loaders validate PATH... | ingest PATH... --data STORE"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from loaders.reference import default_store
from loaders.store import find_files, ingest, validate_paths


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders", description="Kiểm tra và nạp báo cáo (validate and ingest snapshots)")
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="kiểm tra tệp (validate files)")
    v.add_argument("paths", nargs="+", type=Path)
    i = sub.add_parser("ingest", help="kiểm tra rồi nạp vào kho (validate, then copy into the store)")
    i.add_argument("paths", nargs="+", type=Path)
    i.add_argument("--data", type=Path, default=None, help="thư mục kho dữ liệu (store folder)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    missing = [p for p in args.paths if not p.exists()]
    for p in missing:
        print(f"{p}: không tìm thấy tệp hoặc thư mục (file or folder not found)")
    if missing:
        return 2
    if not any(find_files(p) for p in args.paths):
        print("Không có tệp *.parquet nào để kiểm tra (no *.parquet file to check)")
        return 2
    if args.command == "validate":
        files, problems = validate_paths(args.paths)
        for p in problems:
            print(p)
        bad = len({p.file for p in problems})
        print(f"{len(files) - bad}/{len(files)} tệp hợp lệ ({len(files) - bad} of {len(files)} files valid)")
        return 1 if problems else 0
    store = args.data or default_store()
    if store.exists() and not store.is_dir():
        print(f"{store}: kho dữ liệu phải là một thư mục (the store must be a folder)")
        return 2
    result = ingest(args.paths, store)
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


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # never a traceback, whatever the bytes
        print(f"Lỗi không mong đợi (unexpected error): {type(exc).__name__}: {exc}")
        sys.exit(1)
