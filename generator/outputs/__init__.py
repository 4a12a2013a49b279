"""Files besides pages: exports, feeds, redirects, briefings and snippets."""
