"""Indicators, targets and status: pure functions on DataFrames (no Streamlit)."""
