"""The figures of a corpus: which exist, where their files go, their SVG files (links relative
to the ``figures/`` folder), and the extras producer that writes the files.

Templates reach this through the ``figures`` Jinja global (the renderer's own :class:`Figures`);
the producer listed in ``generator/outputs/extras.py`` writes ``figures/*.svg`` into each language's docs
folder with the same object, handed to it in the extras' context (no registry: one Figures per
renderer, passed down).
"""

from __future__ import annotations

from pathlib import Path
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from generator import urls
from generator.core.corpus import Corpus
from generator.render.figures import data, matrix, network, timeline
from generator.render.figures import data as fdata  # for annotations: the method Figures.data shadows the module
from generator.render.figures.labels import Labels
from generator.i18n import load_catalogs
from generator.kinds import BY_NAME, FIGURES, HOME
from generator.publish.incremental import note_query
from generator.resources import TEMPLATES  # the catalogs used without a project's templates

#: figure kind -> subject kinds it is drawn for ("home": the home page, no subject id): generator.kinds
KINDS = FIGURES



class Figures:
    def __init__(self, corpus: Corpus, catalogs: dict[str, dict[str, str]] | None = None):
        self.corpus = corpus
        self._catalogs = catalogs
        self._data: dict[tuple[str, str, str | None], Any] = {}

    @property
    def catalogs(self) -> dict[str, dict[str, str]]:
        if self._catalogs is None:
            self._catalogs = load_catalogs(TEMPLATES, urls.LANGS)
        return self._catalogs

    def labels(self, lang: str) -> Labels:
        return Labels(self.corpus, lang, self.catalogs[lang])

    # --- data (None when a page has nothing to draw) --------------------------------------
    def data(self, figure: str, kind: str, ident: str | None = None) -> Any:
        key = (figure, kind, ident)
        note_query(("figure", *key))  # the dependency map asks it again of the next build's corpus
        if key not in self._data:
            c, i = getattr(self.corpus, "unrecorded", self.corpus), str(ident)  # the data's reads: one query, below
            builders: dict[tuple[str, str], Callable[[], Any]] = {
                ("matrix", "meeting"): lambda: data.meeting_matrix(c, i),
                ("matrix", "topic"): lambda: data.topic_matrix(c, i),
                ("timeline", "organization"): lambda: data.org_timeline(c, i),
                ("timeline", "person"): lambda: data.person_timeline(c, i),
                ("timeline", "home"): lambda: data.home_timeline(c),
                ("network", "person"): lambda: data.person_network(c, i),
                ("network", "home"): lambda: data.home_network(c),
            }
            self._data[key] = builders[(figure, kind)]()
        return self._data[key]

    def matrix(self, kind: str, ident: str) -> fdata.Matrix | None:
        return self.data("matrix", kind, ident)

    def timeline(self, kind: str, ident: str | None = None) -> fdata.Timeline | None:
        return self.data("timeline", kind, ident)

    def network(self, kind: str, ident: str | None = None) -> fdata.Network | None:
        return self.data("network", kind, ident)

    # --- files ------------------------------------------------------------------------------
    @staticmethod
    def path(figure: str, kind: str, ident: str | None = None) -> str:
        """Where the figure's file goes, relative to the language's docs folder."""
        if figure == "matrix":
            return urls.figure_file(f"{kind}-{ident}")
        if kind == "home":
            return urls.figure_file(f"home-{figure}")
        return urls.figure_file(f"{kind}-{ident}-{figure}")

    def title(self, figure: str, kind: str, ident: str | None, lang: str) -> str:
        L = self.labels(lang)
        if kind == "home":
            return L.t(f"fig_{figure}")
        return L.t(f"fig_{figure}_title", name=L.name(ident))

    def svg(self, figure: str, kind: str, ident: str | None, lang: str) -> str:
        """The figure's SVG file (``figures/<name>.svg``); its links are relative to that folder."""
        d = self.data(figure, kind, ident)
        if d is None:
            raise ValueError(f"no {figure} figure for {kind} {ident}")
        ident_attr = "fig-" + Path(self.path(figure, kind, ident)).stem
        renderers: dict[str, Callable[..., str]] = {"matrix": matrix.render, "timeline": timeline.render,
                                                     "network": network.render}
        draw = renderers[figure]
        return draw(d, self.labels(lang), ident=ident_attr, title=self.title(figure, kind, ident, lang),
                    prefix="../", standalone=True)

    def subjects(self) -> list[tuple[str, str, str | None]]:
        """Every (figure, kind, id) that has something to draw, in a stable order."""
        return [s for s in self.candidates() if self.data(*s) is not None]

    def candidates(self) -> list[tuple[str, str, str | None]]:
        """Every (figure, kind, id) that may have something to draw (:meth:`subjects` without
        working out their data), in the same order."""
        c = self.corpus
        ids: dict[str, Sequence[str | None]] = {name: sorted(getattr(c, BY_NAME[name].plural))
                                                 for name in {k for ks in FIGURES.values() for k in ks} - {HOME}}
        ids[HOME] = [None]
        return [(fig, kind, i) for fig, kinds in KINDS.items() for kind in kinds for i in ids[kind]]

    def files(self, lang: str) -> list[tuple[str, str]]:
        return [(self.path(f, k, i), self.svg(f, k, i, lang)) for f, k, i in self.subjects()]


def figure_files(ctx: Any) -> Iterator[tuple[str, str]]:
    """Extras producer: ``figures/*.svg`` for the context's language, one file at a time (each is
    written before the next is drawn), by the build's :class:`Figures` (``ctx.figures``: the one
    the renderer's pages used, so the data is worked out once), else by a new one on the
    context's catalogs."""
    figs = ctx.figures
    if figs is None or getattr(figs.corpus, "unrecorded", figs.corpus) is not ctx.corpus:
        figs = Figures(ctx.corpus, load_catalogs(ctx.templates, urls.LANGS))
    return ((figs.path(f, k, i), figs.svg(f, k, i, ctx.lang)) for f, k, i in figs.subjects())
