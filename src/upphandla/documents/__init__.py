"""Documents: templates give markup, markup gives blocks, blocks give .docx or .md."""
