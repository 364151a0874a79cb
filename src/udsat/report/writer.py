"""Renders the site's pages with the common frame (navigation, language, notices) into a
publication's stage."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from udsat import __version__
from udsat.publish import Stage
from udsat.report.bundle import ReportBundle
from udsat.report.messages import msg

NAV = (
    ("index.html", "nav_overview"),
    ("criteria.html", "nav_criteria"),
    ("goals.html", "nav_goals"),
    ("lists.html", "nav_lists"),
    ("method.html", "nav_method"),
    ("downloads.html", "nav_downloads"),
)


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("udsat.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class PageWriter:
    """Renders pages with the common frame (navigation, language, notices)."""

    def __init__(self, bundle: ReportBundle, stage: Stage, alternate: str | None = None) -> None:
        """`alternate`: the other language's site root relative to this one's (e.g. "en/"),
        when the two are published together: every page links to its translation."""
        self.bundle, self.stage, self.alternate = bundle, stage, alternate
        self.env = _environment()
        self.pages: list[str] = []
        dataset = bundle.manifest.get("dataset", {})
        lang = bundle.lang
        self.common = {
            "lang": lang,
            "t": lambda key, **v: msg(key, lang, **v),
            "site_title": msg("site_title", lang, city=dataset.get("municipality", "")),
            "synthetic": bool(dataset.get("synthetic")),
            "nav": NAV,
            "limit": bundle.limit,
            "version": __version__,
            "year": bundle.year,
        }

    def page(self, template: str, path: str, title: str, **context: Any) -> None:
        depth = path.count("/")
        values = {
            **self.common,
            "root": "../" * depth,
            "current": path,
            "page_title": title,
            "has_map": False,
            "has_charts": False,
            "alternate_href": f"{'../' * depth}{self.alternate}{path}" if self.alternate else "",
            "alternate_lang": "en" if self.bundle.lang == "da" else "da",
            **context,
        }
        self.stage.text(path, self.env.get_template(template).render(**values))
        self.pages.append(path)
