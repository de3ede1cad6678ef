"""The output ends, above charts/ like a page: the review meeting's deck as plain data (content),
its .pptx and .pdf, the .xlsx tables a unit attaches to its report, and the Excel template a unit
fills in. Nothing that computes numbers or draws charts imports this package."""
