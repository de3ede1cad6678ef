"""The progress map: the 114 units coloured by value, status or gap to the trajectory.

`unit_map(table, geojson, colour_by, lang)` draws a metrics.map.map_table:
- with a GeoJSON (loaders.boundaries.to_geojson): MapLibre choropleths on the "white-bg" style
  (no tiles, no network), centred and zoomed on the units' bbox, less the offshore units of
  [map] inset_units, which a framed inset in the lower right corner shows (drawn in SVG on plain
  axes: a second MapLibre map would cost the browser another WebGL context and ~0.2 s a draw);
- with geojson None: the hexagon tile map (loaders.boundaries.hex_cells), plain cartesian axes.
Every unit carries its unit_code as customdata (for click-to-open) and the same hover text:
name and type, numerator and denominator, value, target, expected value, gap, status in words.
Status is shown with its words in the legend, never by colour alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import get_colorscale, hex_to_rgb, sample_colorscale, unlabel_rgb

import i18n
from charts.style import FONT, separators, status_colour, status_colours, style
from charts.tables import RETURNED
from loaders.boundaries import bounds, fit, hex_cells, subset
from loaders.reference import indicators, settings, targets
from metrics.map import MAP_STATUSES, colour_range

OUTLINE = "#5f5f5f"
# plotly.js loads a world topology for any geo subplot, even one that draws no base layer
# (visible=False): the app serves this empty one itself (static/topojson/, server.enableStaticServing),
# so nothing is fetched from plotly's CDN. TOPOJSON_URL is relative to the page, so that it holds
# under a server.baseUrlPath too.
TOPOJSON_URL = "app/static/topojson/"
TOPOJSON_FILE = "world_110m.json"


def empty_topology() -> dict:
    """The topology plotly.js asks for (world_110m.json), with no shape in any of its layers."""
    layers = ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")
    return {"type": "Topology", "arcs": [], "objects": {k: {"type": "GeometryCollection", "geometries": []} for k in layers}}


def unit_map(table: pd.DataFrame, geojson: dict | None, colour_by: str, lang: str = "vi", style: str = "white-bg",
             *, zrange: tuple[float, float] | None = None, width: int = 600, height: int = 620,
             labels: bool = True, all_names: bool = False, legend_rows: int = 0) -> go.Figure:
    """The map of one metrics.map.map_table (one row per unit, one indicator and period).

    colour_by: "value" (continuous, colour-blind-safe scale), "status" (categorical, status
    colours and words) or "gap" (value − expected, diverging, centred on 0). geojson: the dict of
    loaders.boundaries.to_geojson, or None for the hexagon tile map. style: a MapLibre style
    ("white-bg" needs no network; tile styles need internet). zrange: a shared (min, max) colour
    range (metrics.map.colour_range) when maps are compared side by side; height is the figure's
    height and width the width (px) of the plot area the boundaries are fitted to, less the inset
    beside the map (the figure's width less about 100 px of colour bar; when exporting at a known
    size, pass it). labels: the tile map's unit labels (too small to read on half a page; the
    hover still names each unit); on the boundary map, the names of the units large enough to
    hold them at the city's scale, or of every unit with all_names. legend_rows: room kept under
    the map for that many legend rows,
    the legend anchored to the figure's bottom, so that maps side by side line up whatever their
    legends hold. Used by the progress map page and the slideshow."""
    groups = _groups(table, colour_by, lang, zrange or colour_range([table], colour_by))
    hover = hover_texts(table, lang)
    if geojson is None:
        fig = _hex_map(table, groups, hover, labels, width, height)
        fig.update_layout(height=height)
    else:
        inset = [c for c in settings()["map"]["inset_units"] if bounds(geojson, [c])]
        svg = style not in settings()["map"]["online_styles"]
        fig = _geo_map(table, groups, hover, geojson, inset, go.Choropleth if svg else go.Choroplethmap)
        domain = MAP_BESIDE_INSET if inset else {"x": [0, 1], "y": [0, 1]}
        mainland = bounds(geojson, [f["id"] for f in geojson["features"] if f["id"] not in inset]) or geojson["bbox"]
        if svg:  # the mainland's extent filling the plot area, at whatever width the page gives it
            # (plotly's fitbounds leaves a third of the area empty around the units)
            fig.update_layout(geo=dict(visible=False, projection_type="mercator", domain=domain, bgcolor="rgba(0,0,0,0)",
                                       lonaxis_range=mainland[0::2], lataxis_range=mainland[1::2]), height=height)
            if labels:
                _names(fig, table, groups, geojson, inset, all_names, height - 100)
        else:
            centre, zoom = fit(mainland, int(width * (domain["x"][1] - domain["x"][0])), height)
            fig.update_layout(map=dict(style=style, center=centre, zoom=zoom, domain=domain), height=height)
        if inset:
            _inset(fig, table, groups, hover, geojson, inset, lang)
    title = f"{i18n.indicator_name(table['indicator'].iloc[0], lang)} — {i18n.fmt_period(table['period'].iloc[0], lang)}"
    fig.update_layout(
        title=dict(text=title, x=0.01, font=dict(size=15)), font=FONT, separators=separators(lang),
        margin=dict(l=5, r=5, t=40, b=5),
        legend=dict(orientation="h", yanchor="top", y=-0.01, x=0), paper_bgcolor="white",
        clickmode="event+select", hoverlabel=dict(align="left"),
    )
    if legend_rows:
        fig.update_layout(legend=dict(yref="container", y=0, yanchor="bottom"), margin=dict(b=10 + 24 * legend_rows))
    return fig


def _groups(table: pd.DataFrame, colour_by: str, lang: str, zrange: tuple[float, float]) -> list[dict]:
    """The units as drawn: a continuous group (`scale` set) and fixed-colour groups with a legend label."""
    no_data = status_colours()["no_data"]
    if colour_by == "status":
        counts = table["status"].value_counts()
        return [{"mask": table["status"] == s, "label": f"{i18n.status_name(s, lang)} ({counts[s]})",
                 "colour": status_colour(s), "symbol": i18n.status_symbol(s)} for s in MAP_STATUSES if s in counts]
    column = "gap" if colour_by == "gap" else "value"
    scale = style()["scales"]["gap" if colour_by == "gap" else "value"]
    unit = indicators()[table["indicator"].iloc[0]]["unit"]
    title = i18n.t("map.gap_pp", lang, d="") if colour_by == "gap" and unit == "%" else unit
    has = table[column].notna()
    missing = i18n.t("map.no_gap", lang) if colour_by == "gap" else i18n.status_name("no_data", lang)
    return [{"mask": has, "column": column, "scale": scale, "zrange": zrange, "title": title.strip()},
            {"mask": ~has, "label": missing, "colour": no_data}]


def _colourbar(group: dict) -> dict:
    return dict(title=dict(text=group["title"]), thickness=14, len=0.75)


def _geo_map(table: pd.DataFrame, groups: list[dict], hover: list[str], geojson: dict, inset: list[str],
             trace=go.Choropleth) -> go.Figure:
    """A choropleth per colour group on the map, for the units not in `inset`: SVG paths on a geo
    subplot (go.Choropleth), or MapLibre (go.Choroplethmap) under an online base map."""
    fig = go.Figure()
    main = ~table["unit_code"].isin(inset)
    for rank, g in enumerate(groups):
        rows = table[g["mask"] & main]
        if rows.empty:
            continue
        codes = rows["unit_code"].tolist()
        common = dict(geojson=subset(geojson, codes), locations=codes, featureidkey="id", customdata=codes,
                      hovertext=[hover[i] for i in np.flatnonzero(g["mask"] & main)],
                      hovertemplate="%{hovertext}<extra></extra>",
                      marker=dict(line=dict(color=OUTLINE, width=0.6), opacity=0.9), legendrank=rank)
        if "scale" in g:
            lo, hi = g["zrange"]
            fig.add_trace(trace(z=rows[g["column"]].tolist(), colorscale=g["scale"], zmin=lo, zmax=hi,
                                colorbar=_colourbar(g), showlegend=False, **common))
        else:
            fig.add_trace(trace(z=[0] * len(codes), colorscale=[[0, g["colour"]], [1, g["colour"]]],
                                showscale=False, name=g["label"], showlegend=True, **common))
    return fig


NAME_PX = 10  # the names' font size on the map


def _names(fig: go.Figure, table: pd.DataFrame, groups: list[dict], geojson: dict, inset: list[str], every: bool,
           height: int) -> None:
    """Unit names written on the map at a point inside each unit, after their marks (_marks): all
    of them, or those that fit, largest unit first: a name fits when it is no wider than its unit
    and clear of the names already placed, on the mainland drawn [map] label_width_px wide at most
    (and `height` px high)."""
    features = {f["id"]: f for f in geojson["features"] if f["id"] not in inset}
    rows = table.assign(label=[m + n for m, n in zip(_marks(table, groups), table["name"])])
    rows = rows[rows["unit_code"].isin(features)]
    if not every:
        lon0, lat0, lon1, lat1 = bounds(geojson, list(features))
        y = lambda lat: np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))  # noqa: E731 (Mercator, in degrees)
        scale = min(settings()["map"]["label_width_px"] / (lon1 - lon0), height / (y(lat1) - y(lat0)))  # px a degree
        boxes = np.array([features[c]["bbox"] for c in rows["unit_code"]])
        order = np.argsort(-(boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]), kind="stable")
        placed, keep = [], []
        for i in order:
            lon, lat = features[rows["unit_code"].iloc[i]]["properties"]["label"]
            half_w, half_h = len(rows["label"].iloc[i]) * NAME_PX * 0.55 / 2, NAME_PX * 0.7
            x, yy = lon * scale, -y(lat) * scale
            box = (x - half_w, yy - half_h, x + half_w, yy + half_h)
            if 2 * half_w > (boxes[i, 2] - boxes[i, 0]) * scale:
                continue
            if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                continue
            placed.append(box)
            keep.append(i)
        rows = rows.iloc[sorted(keep)]
    points = [features[c]["properties"]["label"] for c in rows["unit_code"]]
    fig.add_trace(go.Scattergeo(lon=[p[0] for p in points], lat=[p[1] for p in points], text=rows["label"].tolist(),
                                mode="text", textfont=dict(size=NAME_PX, color="#1a1a1a", shadow="0 0 2px white"),
                                hoverinfo="skip", showlegend=False, name=""))

# The map beside the inset's box, as fractions of the plot area: the inset in the lower right corner,
# clear of the map (under the map's white background it would be hidden, and the map would take its hover).
MAP_BESIDE_INSET = {"x": [0, 0.8], "y": [0, 1]}
INSET = {"x": [0.82, 1.0], "y": [0.01, 0.25]}


def _inset(fig: go.Figure, table: pd.DataFrame, groups: list[dict], hover: list[str], geojson: dict,
           codes: list[str], lang: str) -> None:
    """The units of `codes` in the framed, captioned INSET box, on plain axes ("x2", "y2") fitted to
    their bbox (north up, degrees of longitude shortened by cos(latitude) as on the map): each unit a
    path shape in its colour, under an invisible marker at its centre that carries the hover text and
    the click as on the map; a colour group drawn only here gets its legend entry (or colour bar)."""
    (x0, x1), (y0, y1) = INSET["x"], INSET["y"]
    lon0, lat0, lon1, lat1 = bounds(geojson, codes)
    pad = 0.2 * max(lon1 - lon0, lat1 - lat0)
    fig.update_layout(
        plot_bgcolor="white",
        xaxis2=dict(domain=INSET["x"], range=[lon0 - pad, lon1 + pad], visible=False, fixedrange=True),
        yaxis2=dict(domain=INSET["y"], range=[lat0 - pad, lat1 + pad], visible=False, fixedrange=True,
                    scaleanchor="x2", scaleratio=1 / np.cos(np.radians((lat0 + lat1) / 2))),
    )
    fills = _fills(table, groups)
    features = {f["id"]: f["geometry"] for f in geojson["features"]}
    rows = np.flatnonzero(table["unit_code"].isin(codes))
    for i in rows:
        geometry = features[table["unit_code"].iloc[i]]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        fig.add_shape(type="path", path="".join(_path(ring) for polygon in polygons for ring in polygon), xref="x2",
                      yref="y2", fillcolor=fills[i], opacity=0.9, line=dict(color=OUTLINE, width=0.6), layer="below")
    main = ~table["unit_code"].isin(codes)
    only_here = [rank for rank, g in enumerate(groups) if g["mask"].any() and not (g["mask"] & main).any()]
    for rank in only_here:
        if "label" in groups[rank]:
            fig.add_trace(_legend_entry(groups[rank], rank, "square", xaxis="x2", yaxis="y2"))
    scaled = next((groups[rank] for rank in only_here if "scale" in groups[rank]), None)
    marker = dict(size=40, opacity=0)
    if scaled is not None:  # the colour bar, which no unit on the map carries
        lo, hi = scaled["zrange"]
        marker.update(color=table[scaled["column"]].iloc[rows].tolist(), colorscale=scaled["scale"], cmin=lo, cmax=hi,
                      showscale=True, colorbar=_colourbar(scaled))
    centres = [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in (bounds(geojson, [c]) for c in table["unit_code"].iloc[rows])]
    fig.add_trace(go.Scatter(
        x=[c[0] for c in centres], y=[c[1] for c in centres], xaxis="x2", yaxis="y2", mode="markers", marker=marker,
        customdata=table["unit_code"].iloc[rows].tolist(), hovertext=[hover[i] for i in rows],
        hovertemplate="%{hovertext}<extra></extra>", showlegend=False, name=""))
    names = ", ".join(table["name"].iloc[rows])
    fig.add_shape(type="rect", xref="paper", yref="paper", x0=x0, x1=x1, y0=y0, y1=y1,
                  line=dict(color=OUTLINE, width=1), layer="above")
    fig.add_annotation(text=i18n.t("map.inset", lang, names=names), xref="paper", yref="paper", x=(x0 + x1) / 2, y=y1,
                       yanchor="bottom", showarrow=False, font=dict(size=11), bgcolor="rgba(255,255,255,0.8)")


def _path(points) -> str:
    """A closed SVG path through (x, y) points (a ring's closing point repeats the first: harmless)."""
    return "M" + "L".join(f"{x},{y}" for x, y in points) + "Z"


def _legend_entry(group: dict, rank: int, symbol: str, **axes) -> go.Scatter:
    """A legend entry for a colour group whose units are drawn as shapes (which have none)."""
    return go.Scatter(x=[None], y=[None], mode="markers", name=group["label"], legendrank=rank, showlegend=True,
                      hoverinfo="skip", marker=dict(symbol=symbol, size=14, color=group["colour"],
                                                    line=dict(color=OUTLINE, width=1)), **axes)


def _fills(table: pd.DataFrame, groups: list[dict]) -> list[str]:
    """The fill colour of each unit (row order): sampled from the scale or its group's colour."""
    fills = [""] * len(table)
    for g in groups:
        idx = np.flatnonzero(g["mask"])
        if "scale" in g:
            lo, hi = g["zrange"]
            pos = np.clip((table[g["column"]].to_numpy()[idx] - lo) / (hi - lo), 0, 1)
            colours = sample_colorscale(get_colorscale(g["scale"]), list(pos)) if len(idx) else []
        else:
            colours = [g["colour"]] * len(idx)
        for i, c in zip(idx, colours):
            fills[i] = c
    return fills


def _marks(table: pd.DataFrame, groups: list[dict]) -> list[str]:
    """What each unit's label starts with (row order): in status colours its status's symbol (the
    status is not told by colour alone), and ↩ for a report the Department returned."""
    symbols = [""] * len(table)
    for g in (g for g in groups if "symbol" in g):
        for i in np.flatnonzero(g["mask"]):
            symbols[i] = g["symbol"] + " "
    if "review" in table:
        symbols = [f"{RETURNED}{s}" if r == "returned" else s for s, r in zip(symbols, table["review"])]
    return symbols


def _ink(colour: str) -> str:
    """Black or white text, whichever reads better on `colour`."""
    r, g, b = unlabel_rgb(colour) if colour.startswith("rgb") else hex_to_rgb(colour)
    return "#111111" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


# Room the tile map's title and legend take from the figure's height (px).
HEX_CHROME_PX = 130


def _hex_map(table: pd.DataFrame, groups: list[dict], hover: list[str], labels: bool, width: int,
             height: int) -> go.Figure:
    """Each unit's hexagon is a layout shape filled with its colour (one SVG path each: plotly.js
    redraws 114 shapes several times faster than 114 traces); one trace of invisible hexagon
    markers at the centres carries the labels, hover, click and colour bar; the legend's entries
    are empty traces, one per colour group that has units, in status order. A label is its
    unit's mark and short name where that fits inside the cell on a figure of width × height
    px, else the mark alone, so that no label runs over its neighbours."""
    cells = table[["unit_code"]].merge(hex_cells(), on="unit_code", how="left")
    fills = _fills(table, groups)
    shapes = [dict(type="path", path=_path(zip(c.xs[:-1], c.ys[:-1])), fillcolor=fill, line=dict(color=OUTLINE, width=1),
                   layer="below")
              for c, fill in zip(cells.itertuples(), fills)]
    fig = go.Figure(layout=dict(shapes=shapes))
    for rank, g in enumerate(groups):
        if "label" in g and g["mask"].any():
            fig.add_trace(_legend_entry(g, rank, "hexagon"))
    scaled = next((g for g in groups if "scale" in g), None)
    marker = dict(size=26, symbol="hexagon", opacity=0)
    if scaled is not None:
        lo, hi = scaled["zrange"]
        marker.update(color=table[scaled["column"]].tolist(), colorscale=scaled["scale"], cmin=lo, cmax=hi,
                      showscale=True, colorbar=_colourbar(scaled))
    codes = table["unit_code"].tolist()
    sizes = [10 if max(map(len, t.split("<br>"))) <= 6 else 9 for t in cells["label"]]
    # px of a cell's width (the distance between two centres) when the grid fills the figure
    cell_px = min(width / (np.ptp(cells["x"]) + 1), (height - HEX_CHROME_PX) / (np.ptp(cells["y"]) + 2 / np.sqrt(3)))
    text = [mark + label if (len(mark) + max(map(len, label.split("<br>")))) * size * 0.55 <= 0.9 * cell_px else mark.strip()
            for mark, label, size in zip(_marks(table, groups), cells["label"], sizes)]
    fig.add_trace(go.Scatter(
        x=cells["x"].tolist(), y=cells["y"].tolist(), mode="markers+text" if labels else "markers", text=text,
        textfont=dict(size=sizes, color=[_ink(f) for f in fills]), customdata=codes, hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>", marker=marker, showlegend=False, name=""))
    fig.update_layout(
        xaxis=dict(visible=False, fixedrange=False), yaxis=dict(visible=False, scaleanchor="x", scaleratio=1),
        plot_bgcolor="white", hovermode="closest", dragmode="pan",
        legend=dict(itemclick=False, itemdoubleclick=False),  # an entry stands for shapes it cannot hide
    )
    return fig


def hover_texts(table: pd.DataFrame, lang: str = "vi") -> list[str]:
    """One hover text per row: name, type and code; indicator and period; value; numerator and
    denominator; target (or "no target"); expected value and gap; status and reason in words."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    ind = table["indicator"].iloc[0]
    unit = indicators()[ind]["unit"]
    by_id = {x["id"]: x for x in targets()}
    out = []
    for r in table.itertuples():
        target = by_id.get(r.target) if isinstance(r.target, str) else None
        lines = [
            f"<b>{r.name}</b> ({i18n.unit_type_name(r.type, lang)}, {r.unit_code})",
            f"{i18n.indicator_name(ind, lang)} · {i18n.fmt_period(r.period, lang)}",
            f"{t('common.value')}: <b>{i18n.fmt_value(r.value, unit, lang)}</b>",
            f"{t('common.numerator')}: {i18n.fmt_number(r.numerator, lang)} · "
            f"{t('common.denominator')}: {i18n.fmt_number(r.denominator, lang)}",
        ]
        if target is None:
            lines.append(f"{t('common.target')}: {t('map.no_target')}")
        else:
            goal = i18n.goal_text(target, lang) + (f" ({t('map.city_reference')})" if r.basis == "city" else "")
            lines += [f"{t('common.target')}: {goal}",
                      f"{t('common.expected')}: {_fmt(r.expected, unit, lang)}",
                      f"{t('map.gap')}: {_fmt(r.gap, unit, lang, signed=True)}"]
        why = [i18n.reason_text(r.reason, lang)] if isinstance(r.reason, str) else []
        if r.exceeded:
            why.append(i18n.reason_text("exceeded", lang))
        lines.append(f"{t('common.status')}: <b>{i18n.status_name(r.status, lang)}</b>"
                     + (f" ({'; '.join(why)})" if why else ""))
        review = getattr(r, "review", None)
        if review:  # the Department's review of the unit's report (metrics.review.with_review)
            word = t(f"review.{review}")
            lines.append(f"{t('review.status')}: " + (f"<b>{RETURNED} {word}</b>" if review == "returned" else word))
        out.append("<br>".join(lines))
    return out


def _fmt(x, unit: str, lang: str, signed: bool = False) -> str:
    """Expected values and gaps with one decimal (a count's trajectory passes through halves)."""
    if x is None or x != x:
        return i18n.t("common.no_data", lang)
    text = ("+" if signed and x > 0 else "") + i18n.fmt_number(x, lang, 1)
    if unit != "%":
        return text
    return i18n.t("map.gap_pp", lang, d=text) if signed else text + "%"


def table_view(table: pd.DataFrame, lang: str = "vi", formatted: bool = False) -> pd.DataFrame:
    """The figures under the map with headers and statuses in `lang`; numbers stay numbers (for
    downloads) unless `formatted`, when they are written the i18n way (1.234,5)."""
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    unit = indicators()[table["indicator"].iloc[0]]["unit"]
    numbers = {
        "common.numerator": (table["numerator"], lambda x: i18n.fmt_number(x, lang)),
        "common.denominator": (table["denominator"], lambda x: i18n.fmt_number(x, lang)),
        "common.value": (table["value"], lambda x: i18n.fmt_value(x, unit, lang)),
        "common.expected": (table["expected"], lambda x: _fmt(x, unit, lang)),
        "map.gap": (table["gap"], lambda x: _fmt(x, unit, lang, signed=True)),
    }
    return pd.DataFrame({
        t("map.code"): table["unit_code"],
        t("common.unit"): table["name"],
        t("map.unit_type"): [i18n.unit_type_name(x, lang) for x in table["type"]],
        t("common.period"): [i18n.fmt_period(p, lang) for p in table["period"]] if formatted else table["period"],
        **{t(key): [show(x) for x in col] if formatted else col for key, (col, show) in numbers.items()},
        t("common.status"): [i18n.status_name(s, lang) for s in table["status"]],
        t("map.reason"): [i18n.reason_text(r, lang) if isinstance(r, str) else "" for r in table["reason"]],
    })


def province_table_view(table: pd.DataFrame, indicator: str, lang: str = "vi") -> pd.DataFrame:
    """metrics.map.province_table for people: the province, its value (the i18n way), Σ numerator
    / Σ denominator, and how many of its units reported."""
    unit = indicators()[indicator]["unit"]
    return pd.DataFrame({
        i18n.t("filters.province", lang): table["name"],
        i18n.t("common.value", lang): [i18n.fmt_value(x, unit, lang) for x in table["value"]],
        i18n.t("common.numerator", lang): [i18n.fmt_number(x, lang) for x in table["numerator"]],
        i18n.t("common.denominator", lang): [i18n.fmt_number(x, lang) for x in table["denominator"]],
        i18n.t("map.units_reporting", lang): [f"{i18n.fmt_number(n, lang)}/{i18n.fmt_number(m, lang)}"
                                              for n, m in zip(table["units_reporting"], table["units"])],
    })
