"""Files other than Markdown pages that the generator writes next to them.

Each producer takes the build's :class:`Context` (the checked corpus, a language, the site's
URL, the project's templates and the renderer's figures) and returns ``(path, text)`` pairs (an
iterable: a producer may make each file only when the writer asks for it, so that the files are
never all held at once; a large file's text may itself come as an iterable of pieces, written as
they are made), paths relative to that language's docs folder; MkDocs copies them into the site
as they are. Language-independent files (exports) are written for the default language only, so
they live once, at the site root.

A file given as an iterator (made only when the writer reads it) joins the dependency map (issue
22): its reads are recorded and it is made again only when one of them changed (a
:class:`~generator.outputs.pieces.RecordedFile` is made from the recorded view of the corpus and
records its own reads, as a page does; any other iterator is taken to read the corpus's whole
structure, so every structural edit makes it again); a file given as a text (already made) is
written on every build. A file that holds the whole archive is also given
in pieces, by the table :data:`PIECED` (generator/outputs/pieces.py): then only its pieces that
read a changed entity are made again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.core.corpus import Corpus
from generator.outputs.exports import export_files, pieced_exports
from generator.outputs.pieces import Pieced
from generator.render.figures import Figures, figure_files
from generator.outputs.redirects import redirect_files


@dataclass(frozen=True)
class Context:
    corpus: Corpus
    lang: str
    site_url: str  # absolute URL of the site root ("" when not configured), ending with "/"
    templates: Path | None = None  # the project's templates/ (catalogs: generator.resources)
    figures: Figures | None = None  # the renderer's figures (their data worked out once); None: a new one


Producer = Callable[[Context], Iterable[tuple[str, str | Iterable[str]]]]

#: Producers run in this order: figures/*.svg (issue #10), exports and Atom feeds (issue #5),
#: redirect pages for previous ids. A fixed table; a new producer is a new entry here.
PRODUCERS: tuple[Producer, ...] = (figure_files, export_files, redirect_files)


#: Producers of the same files (by path) in pieces, for the files that hold the whole archive.
PIECED: tuple[Callable[[Context], dict[str, Pieced]], ...] = (pieced_exports,)
