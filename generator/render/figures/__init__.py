"""Static SVG figures drawn at build time from the data (issue #10).

- positions matrix (speakers × topics) on meeting and topic pages, embedded with
  ``<object>`` so its cells link (target ``_top``);
- timeline of meetings by counterpart on organization, person and home pages;
- who-met-whom network on person pages and the home page.

Each figure is also a file ``figures/*.svg`` in each language's docs folder, shown with its
data as a table beside it. See ``produce.py`` for the entry points.
"""

from generator.render.figures.produce import Figures, figure_files

__all__ = ["Figures", "figure_files"]
