"""Bản đồ tiến độ: the 114 units coloured by an indicator's value, status or gap to the trajectory.

Boundaries come from the file the user configures ([map].boundaries or TMDT_BOUNDARIES); without
one, or with one that cannot be read, the hexagon tile map is drawn. Clicking a unit opens its profile.
"""

import streamlit as st

import i18n
import ui
from charts.maps import table_view, unit_map
from loaders.boundaries import BoundaryError, boundaries_path, load_boundaries, missing_units, to_geojson
from loaders.reference import indicators, settings, units
from metrics.map import MODES, colour_range, map_indicators, map_table, reference_target, selected_unit
from metrics.review import with_review

# Width (px) the boundary map is fitted to, alone or one of two side by side: less than the map
# area keeps in the wide layout on a 1280 px screen with the sidebar open, so that no unit is cut
# off on smaller screens (zoom in for more).
FULL, HALF = 800, 460


@st.cache_resource(show_spinner=False, max_entries=4)
def boundaries(path: str, mtime: float) -> tuple[dict | None, list[str], str | None]:
    """(GeoJSON, codes of units without a shape, error message): read and simplified once per file version."""
    try:
        gdf = load_boundaries(path)
    except BoundaryError as e:
        return None, [], str(e)
    return to_geojson(gdf), missing_units(gdf), None


def style_name(style: str) -> str:
    """A base map's name in words, or its id when the translation table has none."""
    name = ui.t(f"map.styles.{style}")
    return style if name == f"map.styles.{style}" else name


with ui.page() as f:
    store, lg = f.store, f.lang
    c1, c2 = st.columns([2, 3])
    # The indicator, colouring and kind of map are in the URL too: a link opens this map as it is.
    indicator = c1.selectbox(ui.t("map.indicator"), map_indicators(), format_func=lambda i: i18n.indicator_name(i, lg),
                             **ui.linked("indicator", map_indicators(), map_indicators()[0]))
    colour_by = c2.radio(ui.t("map.colour_by"), MODES, horizontal=True, format_func=lambda m: i18n.t(f"map.mode.{m}", lg),
                         **ui.linked("colour", MODES, MODES[0]))

    geojson, path, mtime = None, boundaries_path(), 0.0
    if path is None:
        st.caption(ui.t("map.no_boundaries"))
    else:
        mtime = path.stat().st_mtime if path.exists() else 0.0
        geojson, missing, error = boundaries(str(path), mtime)
        if error:
            st.warning(ui.t("map.boundary_error", error=error), icon=":material/warning:")
        elif missing:
            names = dict(zip(units()["unit_code"], units()["name"]))
            st.warning(ui.t("map.units_without_boundary", n=len(missing), names=", ".join(names[c] for c in missing)))

    c3, c4, c5 = st.columns([2, 2, 2])
    style = settings()["map"]["style"]
    if geojson is not None:
        kind = c3.radio(ui.t("map.kind"), ["geo", "tiles"], format_func=lambda k: i18n.t(f"map.kind_{k}", lg),
                        **ui.linked("map", ["geo", "tiles"], "geo"))
        if kind == "tiles":
            geojson = None
        else:
            online = settings()["map"]["online_styles"]
            style = c4.selectbox(ui.t("map.style"), [*settings()["map"]["offline_styles"], *online], key="m_style",
                                 format_func=style_name)
            if style in online:
                st.warning(ui.t("map.style_online_warning"), icon=":material/public:")
    if geojson is None:
        st.caption(ui.t("map.tiles_note"))
    compare = c5.toggle(ui.t("map.compare"), key="m_compare", disabled=len(store.periods) < 2)

    target, basis = reference_target(indicator)
    if target is None:
        st.caption(ui.t("map.no_target_note"))
    elif basis == "city":
        st.caption(ui.t("map.city_reference_note", goal=i18n.goal_text(target, lg)))
    if colour_by == "gap":
        st.caption(ui.t("map.gap_note"))

    decisions = len(ui.audit_log())  # the reviews' version: a returned report is flagged on the map

    def table_of(period: str):
        return ui.memo(("map.values", indicator, period, f.view, decisions), lambda: with_review(
            map_table(ui.values(f.view)[0], period, indicator), ui.reviews(), period))


    shown = [table_of(f.period)]
    if compare:
        others = [p for p in store.periods if p != f.period]
        earlier = [p for p in others if p < f.period]  # by default the period before, to show the change since
        other = c5.selectbox(ui.t("map.compare_period"), others, key="m_period2",
                             index=others.index(earlier[-1]) if earlier else 0, format_func=lambda p: i18n.fmt_period(p, lg))
        shown.insert(0, table_of(other))
        st.caption(ui.t("map.compare_note"))

    zrange = colour_range(shown, colour_by)
    drawn_on = (str(path), mtime) if geojson is not None else None  # the boundary file's version, or the tile map
    columns = st.columns(len(shown))
    for i, (col, tb) in enumerate(zip(columns, shown)):
        period = tb["period"].iloc[0]
        # Side by side, the tile maps lose their labels and the height their square grid does not fill;
        # both keep the same room for their legends (up to three rows of statuses), so that they line up.
        size = (dict(width=HALF, labels=False, legend_rows=3, **({} if geojson else {"height": 460})) if compare
                else dict(width=FULL))
        fig = ui.memo(("map", indicator, period, f.view, colour_by, lg, style, drawn_on, zrange, compare, decisions),
                      lambda: unit_map(tb, geojson, colour_by, lg, style, zrange=zrange, **size))
        with col:
            event = ui.chart(fig, f"ban-do-{indicator}-{period}", key=f"map_{i}",
                             on_select="rerun", selection_mode="points")
        code = selected_unit(event.selection)
        if code:
            ui.open_unit(code)
    st.caption(ui.t("map.click_hint"))

    # The table is drawn on request: a data grid on the page would make the browser load and parse
    # its 1.2 MB of JavaScript before the map on every first visit.
    with_table = st.toggle(ui.t("map.show_table"), key="m_table")
    for tb in shown:
        period = tb["period"].iloc[0]
        key = (indicator, period, f.view, lg)
        if with_table or compare:  # which period the buttons download
            st.markdown(f"**{ui.t('map.table')} — {i18n.fmt_period(period, lg)}**")
        if with_table:
            st.dataframe(ui.memo(("map.table", *key), lambda: table_view(tb, lg, formatted=True)), hide_index=True,
                         width="stretch")
        ui.download_table(ui.memo(("map.download", *key), lambda: table_view(tb, lg)), f"ban-do-{indicator}-{period}",
                          key=f"map_table_{period}")

    st.caption(f"{i18n.indicator_name(indicator, lg)}: {indicators()[indicator][f'formula_{lg}']}")
