"""The review meeting's outputs: the deck as plain data (content), its .pptx and .pdf, and the
.xlsx tables a unit attaches to its report."""
