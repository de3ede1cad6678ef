"""Bản đồ tiến độ: the 114 units coloured by an indicator's value, status or gap to the trajectory.

Boundaries come from the file the user configures ([map].boundaries or TMDT_BOUNDARIES); without
one, or with one that cannot be read, the hexagon tile map is drawn. Clicking a unit opens its profile.
"""

import streamlit as st

import i18n
import ui
from charts.maps import province_table_view, table_view, unit_map
from loaders.boundaries import configured
from loaders.reference import in_view, indicators, settings, units
from metrics.map import MODES, colour_range, map_indicators, map_table, province_table, reference_target, selected_unit
from metrics.review import with_review

# Width (px) a MapLibre map (under an online base map) is fitted to, alone or one of two side by
# side: less than the map area keeps in the wide layout on a 1280 px screen with the sidebar open,
# so that no unit is cut off on smaller screens. The SVG boundary map fits the width it is given.
FULL, HALF = 800, 460


def style_name(style: str) -> str:
    """A base map's name in words, or its id when the translation table has none."""
    name = ui.t(f"map.styles.{style}")
    return style if name == f"map.styles.{style}" else name


with ui.page() as f:
    store, lg = f.store, f.lang
    # The map's options are in a popover whose label says what the map shows: the map is the page,
    # and the browser draws it sooner on a first visit without their widgets around it (benchmarks:
    # a bare page with the map page's widgets took 1.23× the bare page's time, 1.11× with them folded).
    # The indicator, colouring and kind of map are in the URL too: a link opens this map as it is.
    by_indicator = ui.linked("indicator", map_indicators(), map_indicators()[0])
    by_colour = ui.linked("colour", MODES, MODES[0])
    options = st.popover(ui.t("map.options", indicator=i18n.indicator_name(st.session_state["indicator"], lg),
                              mode=i18n.t(f"map.mode.{st.session_state['colour']}", lg)), icon=":material/tune:",
                         key="m_options")  # one popover while its label follows the choice
    indicator = options.selectbox(ui.t("map.indicator"), map_indicators(), format_func=lambda i: i18n.indicator_name(i, lg),
                                  **by_indicator)
    colour_by = options.radio(ui.t("map.colour_by"), MODES, horizontal=True, format_func=lambda m: i18n.t(f"map.mode.{m}", lg),
                              **by_colour)

    if len(in_view()) > 1:  # a scope of several provinces: choose one, then its units are mapped
        st.info(ui.t("map.choose_province"))
        by_province = ui.memo(("map.provinces", indicator, f.period, f.view), lambda: province_table(
            ui.values(f.view)[0], f.period, indicator))
        ui.province_picker(province_table_view(by_province, indicator, lg), by_province["province_code"].tolist(),
                           key="map_provinces")
    else:
        drawn = configured()
        geojson = drawn.geojson
        if drawn.version is None:
            st.caption(ui.t("map.no_boundaries"))
        elif drawn.error:
            st.warning(ui.t("map.boundary_error", error=drawn.error), icon=":material/warning:")
        elif drawn.missing:
            names = dict(zip(units()["unit_code"], units()["name"]))
            st.warning(ui.t("map.units_without_boundary", n=len(drawn.missing), names=", ".join(names[c] for c in drawn.missing)))

        style, all_names = settings()["map"]["style"], False
        if geojson is not None:
            kind = options.radio(ui.t("map.kind"), ["geo", "tiles"], format_func=lambda k: i18n.t(f"map.kind_{k}", lg),
                                 **ui.linked("map", ["geo", "tiles"], "geo"))
            if kind == "tiles":
                geojson = None
            else:
                online = settings()["map"]["online_styles"]
                style = options.selectbox(ui.t("map.style"), [*settings()["map"]["offline_styles"], *online], key="m_style",
                                          format_func=style_name)
                if style in online:
                    st.warning(ui.t("map.style_online_warning"), icon=":material/public:")
                else:  # names are written in SVG; a MapLibre map would fetch their glyphs from the internet
                    all_names = options.toggle(ui.t("map.all_names"), key="m_names", help=ui.t("map.all_names_help"))
        if geojson is None:
            st.caption(ui.t("map.tiles_note"))
        compare = options.toggle(ui.t("map.compare"), key="m_compare", disabled=len(store.periods) < 2)

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
            other = options.selectbox(ui.t("map.compare_period"), others, key="m_period2",
                                      index=others.index(earlier[-1]) if earlier else 0, format_func=lambda p: i18n.fmt_period(p, lg))
            shown.insert(0, table_of(other))
            st.caption(ui.t("map.compare_note"))

        # The baseline is where every trajectory starts: it has no status. Compared in status colours,
        # it is drawn in values (on a scale of its own), and the page says why.
        baseline = settings()["periods"]["baseline"]
        modes = ["value" if colour_by == "status" and tb["period"].iloc[0] == baseline else colour_by for tb in shown]
        if compare and modes[0] != colour_by:
            st.info(ui.t("map.baseline_no_status", period=i18n.fmt_period(baseline, lg, mid_sentence=True)))
        drawn_on = drawn.version if geojson is not None else None  # the boundary file's version, or the tile map
        columns = st.columns(len(shown))
        for i, (col, tb, mode) in enumerate(zip(columns, shown, modes)):
            period = tb["period"].iloc[0]
            zrange = colour_range([t for t, m in zip(shown, modes) if m == mode], mode)
            # Side by side, the tile maps lose their labels and the height their square grid does not fill;
            # both keep the same room for their legends (up to three rows of statuses), so that they line up.
            size = (dict(width=HALF, labels=False, legend_rows=3, **({} if geojson else {"height": 460})) if compare
                    else dict(width=FULL))
            fig = ui.memo(("map", indicator, period, f.view, mode, lg, style, drawn_on, zrange, compare, all_names, decisions),
                          lambda: unit_map(tb, geojson, mode, lg, style, zrange=zrange, all_names=all_names, **size))
            with col:
                event = ui.chart(fig, f"ban-do-{indicator}-{period}", key=f"map_{i}",
                                 on_select="rerun", selection_mode="points")
            code = selected_unit(event.selection)
            if code:
                ui.open_unit(code)
        st.caption(ui.t("map.click_hint"))

        # The table is drawn on request: a data grid on the page would make the browser load and parse
        # its 1.2 MB of JavaScript before the map on every first visit. Its downloads are folded as the options are.
        figures = st.popover(ui.t("map.table_menu"), icon=":material/table:", key="m_figures")
        with_table = figures.toggle(ui.t("map.show_table"), key="m_table")
        for tb in shown:
            period = tb["period"].iloc[0]
            key = (indicator, period, f.view, lg)
            heading = f"**{ui.t('map.table')} — {i18n.fmt_period(period, lg)}**"
            if with_table:
                st.markdown(heading)
                st.dataframe(ui.memo(("map.table", *key), lambda: table_view(tb, lg, formatted=True)), hide_index=True,
                             width="stretch")
            with figures:
                if compare:  # which period the buttons download
                    st.markdown(heading)
                ui.download_table(ui.memo(("map.download", *key), lambda: table_view(tb, lg)), f"ban-do-{indicator}-{period}",
                                  key=f"map_table_{period}")

    st.caption(f"{i18n.indicator_name(indicator, lg)}: {indicators()[indicator][f'formula_{lg}']}")
