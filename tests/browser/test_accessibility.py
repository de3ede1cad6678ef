"""WCAG 2.1 A and AA on every page, as axe-core counts them: the npm package (package.json, `npm ci`)
injected into each page once it has been drawn. The server runs with TMDT_OPEN_SUBMIT=1, the role
that sees every page (the audit log too); the test only reads."""

from __future__ import annotations

import pytest

from browser_harness import ROOT, Server, app_env, open_page, registered_pages, wait_charts

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = registered_pages("open")
RUN_AXE = """async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations
    .map(v => ({rule: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))"""


@pytest.fixture(scope="module")
def app_open(request):
    if not AXE.exists():
        from conftest import _in_ci

        message = f"axe-core not found at {AXE} (npm ci)"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    with Server(env=app_env(TMDT_OPEN_SUBMIT="1"), log=ROOT / "test-artifacts" / "streamlit-accessibility.log") as server:
        yield server


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("entry", PAGES, ids=lambda p: p.name)
def test_no_wcag_aa_violation(app_open, page, entry, lang):
    open_page(page, f"{app_open.url}{entry.url_path}?lang={lang}")
    wait_charts(page)
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(RUN_AXE, TAGS) == []
