"""factsheets: bilingual (Arabic/English) fact sheets from annotated news articles.

The pipeline, one module per stage:

    loader     content/*.yaml  -> typed model objects (with file:line:col of every value)
    validate   the whole model -> Corpus (cross-references, dates, quotes) + diagnostics
    plan       Corpus          -> the list of pages to write, in both languages
    render     pages           -> Markdown text (Jinja templates, escaped data)
    write      Markdown        -> files under the output root (atomic, only when changed)
    site       Markdown        -> MkDocs builds, one process per language, then Pagefind
"""

__version__ = "0.1.0"
