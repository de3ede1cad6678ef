"""Figure builders: DataFrame in, plotly Figure out. No Streamlit, no arithmetic."""
