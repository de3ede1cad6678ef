"""Run every page of the dashboard through AppTest in this process and print what each showed, as
JSON: for tests/test_scope.py, which starts it with TMDT_PROVINCE set (the scope is read once per
process). Usage: python tests/scope_pages.py [PROVINCE] (chosen in the sidebar's province filter)"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from loaders.reference import ROOT, pages  # noqa: E402


def main(province: str | None) -> None:
    out = {}
    for entry in pages():
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        app.run()
        app.switch_page(entry["file"]).run()
        if province:
            app.sidebar.selectbox(key="province").select(province).run()
        figures = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
        out[entry["url"]] = {"exceptions": [e.value for e in app.exception], "titles": [t.value for t in app.title],
                             "captions": [c.value for c in app.caption], "errors": [e.value for e in app.error],
                             "traces": [[t.get("customdata") and len(t["customdata"]) for t in f["data"]] for f in figures],
                             "units": [o for s in app.sidebar.selectbox if s.key == "unit" for o in s.options],
                             "infos": [i.value for i in app.info],
                             "tables": [d.value.astype(str).to_dict("list") for d in app.dataframe]}
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
