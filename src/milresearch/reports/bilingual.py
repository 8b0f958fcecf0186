"""Words for the bilingual observatory pages: every text in both page languages at once.

A page carries English and Russian side by side and a switch shows one, so each helper here
returns ``{"en": …, "ru": …}``.
"""

from __future__ import annotations

from milresearch import __version__
from milresearch.clean.catalog import load_vocabulary
from milresearch.ingest.countries import load_countries
from milresearch.reports import HERE, PAGES, Page
from milresearch.reports.i18n import t
from milresearch.reports.render import HTML

LANGS = ("en", "ru")


def both(key: str, **values: object) -> dict[str, str]:
    """A message in every page language: ``{"en": …, "ru": …}``."""
    return {lang: t(key, lang, **values) for lang in LANGS}


def joined_words(parts: list[dict[str, str]], sep: str = ", ") -> dict[str, str]:
    """Texts in every page language joined with ``sep``, language by language."""
    return {lang: sep.join(p[lang] for p in parts) for lang in LANGS}


def country_names(code: str) -> dict[str, str]:
    """A country's name in every page language (the code itself when it is not one we know)."""
    countries = load_countries()
    return (
        {lang: countries[code].name(lang) for lang in LANGS}
        if code in countries
        else {lang: code for lang in LANGS}
    )


def language_names(code: str) -> dict[str, str]:
    """A language's name (ISO 639 code) in every page language, as Babel spells it."""
    import babel

    names = {}
    for lang in LANGS:
        name = babel.Locale.parse(lang).languages.get(code, code)
        names[lang] = name[:1].upper() + name[1:]
    return names


def vocabulary_label(kind: str, key: str) -> dict[str, str]:
    """A catalog category's or type's name in every page language, or the key as written.

    Args:
        kind: ``categories`` or ``types``.
        key: The vocabulary key.
    """
    spec = load_vocabulary()[kind].get(key)
    return {lang: spec[lang] for lang in LANGS} if spec else {lang: key for lang in LANGS}


def safe_href(url: str) -> str | None:
    """A link target only for http(s) addresses: a ``javascript:`` URL in a record is text."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else None


def page_values(page: Page, written: str) -> dict:
    """What every observatory page template needs: styles, title, header and the page links."""
    css = (HERE / "report.css").read_text(encoding="utf-8")
    css += (HERE / "observatory.css").read_text(encoding="utf-8")
    return {
        "css": HTML(css),
        "title": both(f"{page.name}.title"),
        "meta": both("obs.meta", version=__version__, written=written),
        "links": [{"href": p.file, "label": both(p.title), "current": p is page} for p in PAGES],
        "t": {
            "index": both("nav.index"),
            "nav_label": both("obs.nav.label"),
            "lang_label": both("obs.lang.label"),
        },
    }


def messages(prefix: str, *keys: str) -> dict[str, dict[str, str]]:
    """Messages ``prefix.key`` for each key, in every page language."""
    return {key: both(f"{prefix}.{key}") for key in keys}
