"""The site: builders (MkDocs …), search, the swap, preview, deploy, Markdown extensions."""
