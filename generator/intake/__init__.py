"""`factsheets new`: turn a saved article (plain text or HTML) into a draft source file.

The draft holds the source record (headline, dateline, paragraphs, furniture), one stub
meeting and one statement stub per quoted span, every guess marked with a ``review:`` note.
Modules: text (article parsing, furniture rules), html (extraction), names (people and
organizations), quotes, dates, skeleton (YAML, safe writes), report, pipeline (the whole
command).  See docs/intake.md.
"""
