"""Files other than Markdown pages that the generator writes next to them.

Each producer takes the checked corpus and a language and returns ``(path, text)`` pairs (an
iterable: a producer may make each file only when the writer asks for it, so that the files are
never all held at once; a large file's text may itself come as an iterable of pieces, written as
they are made), paths relative to that language's docs folder; MkDocs copies them into the site as they
are. Language-independent files (exports) are written for the default language only, so
they live once, at the site root.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.corpus import Corpus
from generator.figures import figure_files


@dataclass(frozen=True)
class Context:
    corpus: Corpus
    lang: str
    site_url: str  # absolute URL of the site root ("" when not configured), ending with "/"
    templates: Path | None = None  # the project's templates/ (catalogs: generator.resources)


Producer = Callable[[Context], Iterable[tuple[str, str | Iterable[str]]]]

#: Producers run in this order; register new ones here.
PRODUCERS: list[Producer] = []
PRODUCERS.append(figure_files)  # figures/*.svg (issue #10)


def extra_files(ctx: Context, skip: tuple[Producer, ...] = ()) -> list[tuple[str, str]]:
    """Every extra file of the context's language, each text whole (for tests and tools)."""
    files: list[tuple[str, str]] = []
    for produce in PRODUCERS:
        if produce not in skip:
            files += [(path, text if isinstance(text, str) else "".join(text)) for path, text in produce(ctx)]
    return files


# issue #5: exports + Atom feeds, and redirect pages for previous ids
from generator.exports import export_files  # noqa: E402
from generator.redirects import redirect_files  # noqa: E402

PRODUCERS += [export_files, redirect_files]
