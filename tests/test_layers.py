"""The house's layers: each module imports only the layers before it (loaders, i18n, metrics,
charts, report, ui, pages, dashboard.py, then app.py: the server that serves it), and no modules import each other in a circle, lazy
imports inside functions included. Command-line `__main__` modules, benchmarks, scripts, the
sample generator and the tests may import anything."""

from __future__ import annotations

import ast

import pytest

from loaders.reference import ROOT

LAYERS = ["loaders", "i18n", "metrics", "charts", "report", "ui", "pages", "dashboard", "app"]


def modules() -> dict[str, set[str]]:
    """Every module of the layers (dotted name) and the project modules it imports."""
    found = {}
    for layer in LAYERS:
        paths = [ROOT / f"{layer}.py"] if layer in ("dashboard", "app") else sorted((ROOT / layer).rglob("*.py"))
        for path in paths:
            if path.name == "__main__.py":
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = imports(path, name)
    return found


def imports(path, name: str) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return {m for m in out if m.split(".")[0] in LAYERS}


def known(name: str, names) -> str | None:
    """The module an import names (`ui.data` for `from ui.data import memo`, or `ui` for `import ui`)."""
    while name and name not in names:
        name = name.rpartition(".")[0]
    return name or None


def test_each_layer_imports_only_the_layers_before_it():
    wrong = []
    for name, imported in modules().items():
        mine = LAYERS.index(name.split(".")[0])
        wrong += [(name, m) for m in imported if LAYERS.index(m.split(".")[0]) > mine]
    assert wrong == []


def test_no_modules_import_each_other_in_a_circle():
    found = modules()
    graph = {name: {known(m, found) for m in imported} - {None, name} for name, imported in found.items()}
    # a module importing its own package (its __init__) is not a circle
    graph = {name: {m for m in targets if not name.startswith(m + ".")} for name, targets in graph.items()}
    state: dict[str, int] = {}

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                pytest.fail(f"import circle: {' -> '.join([*path[path.index(nxt):], nxt])}")
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def test_the_checks_see_a_lazy_import_that_runs_back_up(tmp_path):
    lazy = tmp_path / "x.py"
    lazy.write_text("def f():\n    from charts.style import FONT\n    return FONT\n")
    assert imports(lazy, "metrics.x") == {"charts.style", "charts.style.FONT"}
