"""Built reports opened in a real Chromium (Debian's, driven by Playwright), as a reader would."""

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from milresearch.build.pdf import CHROMIUM, chromium
from milresearch.ingest.countries import COUNTRY_CODES, load_countries

pytestmark = pytest.mark.slow
BUDGET = 3 * 1024 * 1024
SLUGS = [f"{lang}/{name}" for lang in ("en", "ru") for name in (*COUNTRY_CODES, "regional")]
CATALOGUE_KEY = re.compile(
    r"\b(?:section|table|note|method|media|trust|mil|disc|fc|content|quality|findings|footer|"
    r"channel|source|militem|group|report|banner|harm|regional|eval|model|class|verdict)"
    r"\.[a-z_]+\b"
)


@pytest.fixture(scope="module")
def reports(built_reports):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: run `make test`, which installs it")
    assert sorted(built_reports) == sorted(SLUGS)
    return built_reports


@pytest.fixture(scope="module")
def browser():
    with chromium() as opened:
        yield opened


def _open(browser, path):
    page = browser.new_page()
    seen = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, seen


@pytest.mark.parametrize("slug", SLUGS)
def test_report_loads_cleanly_and_self_contained(reports, browser, slug):
    page, seen = _open(browser, reports[slug])
    assert seen["errors"] == []
    outside = [u for u in seen["requests"] if not u.startswith(("file:", "data:"))]
    assert outside == []
    images = page.evaluate(
        "Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)"
    )
    assert images and all(images)
    assert page.locator(".jp-CodeCell .jp-InputArea").count() == 0
    assert page.locator("pre.highlight, .highlight pre").count() == 0
    links = page.evaluate(
        "Array.from(document.querySelectorAll('nav.mr-toc a')).map(a => a.hash.slice(1))"
    )
    assert len(links) >= 4
    assert all(page.locator(f"[id='{anchor}']").count() == 1 for anchor in links)
    assert reports[slug].stat().st_size <= BUDGET
    page.close()


def test_free_text_is_only_on_the_internal_qa_page_and_stays_text_there(reports, browser):
    qa_page = reports["en/KAZ"].parents[2] / "qa" / "KAZ.html"
    page, seen = _open(browser, qa_page)
    assert seen["dialogs"] == [] and seen["errors"] == []
    body = page.inner_text("body")
    assert "<script>alert('xss')</script> отличный опрос" in body
    assert '<img src=x onerror="alert(1)"> спасибо' in body
    assert page.evaluate("document.querySelectorAll('main img[src=\"x\"]').length") == 0
    page.close()
    index = reports["en/KAZ"].parents[1] / "index.html"
    listing = index.read_text(encoding="utf-8")
    assert "qa/" not in listing
    assert "SYNTHETIC DATA" in listing  # the sample is synthetic: the index says so on top
    for slug in ("en/KAZ", "ru/KAZ"):
        public = reports[slug].read_text(encoding="utf-8")
        assert "alert(" not in public and "qa/KAZ" not in public


@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_declares_its_language_and_a_title_that_names_the_country(
    reports, browser, slug
):
    lang, name = slug.split("/")
    page, _ = _open(browser, reports[slug])
    assert page.evaluate("document.documentElement.lang") == lang
    place = "Central Asia" if lang == "en" else "Центральной Азии"
    if name != "regional":
        place = load_countries()[name].name(lang)
    assert place in page.title()
    page.close()


@pytest.mark.parametrize("slug", [s for s in SLUGS if s.startswith("ru/")])
def test_russian_report_is_russian_in_headings_and_numbers(reports, browser, slug):
    page, _ = _open(browser, reports[slug])
    headings = page.evaluate(
        "Array.from(document.querySelectorAll('h1, h2')).map(h => h.innerText)"
    )
    assert headings and all(re.search("[А-Яа-яЁё]", h) for h in headings)
    assert CATALOGUE_KEY.findall(page.inner_text("body")) == []
    assert "СИНТЕТИЧЕСКИЕ ДАННЫЕ" in page.inner_text("body")
    # The footer quotes version numbers and hashes, which are not quantities.
    text = page.evaluate(
        "(() => { document.querySelectorAll('.mr-footer').forEach(f => f.remove());"
        " return document.body.innerText; })()"
    )
    text = re.sub(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", "", text)  # build stamps are ISO 8601
    assert re.findall(r".{0,20}\d\.\d.{0,10}", text) == []  # decimal point
    assert re.findall(r".{0,20}\b\d{1,3},\d{3}\b.{0,10}", text) == []  # comma grouping
    assert re.findall(r".{0,20}\d-\d.{0,10}|.{0,10}[\s(]-\d.{0,10}", text) == []  # hyphens
    page.close()


LATIN_WORD = re.compile(r"[A-Za-zÀ-ɏ][A-Za-zÀ-ɏʻ’']*")
ACRONYM = re.compile(r"[A-Z0-9][A-Z0-9-]*[A-Z0-9]")
NAMES = {
    "milresearch",
    "git",
    "imo",
    "ClaimReview",
    "JSON-LD",
    "Twitter",
    "Desktop",
}  # Telegram Desktop
"""Proper names a Russian report writes in Latin letters besides platforms and sources."""


@pytest.fixture(scope="module")
def proper_names(processed):
    """Words of proper names: platforms, indicator citations and the organisations in the data."""
    import pandas as pd

    from milresearch.reports.i18n import catalogue

    english = catalogue()["en"]
    texts = [v for k, v in english.items() if k.startswith(("channel.", "platform."))]
    texts += list(pd.read_parquet(processed / "indicators.parquet")["citation"].dropna().unique())
    content = pd.read_parquet(processed / "content.parquet")
    texts += list(content["source_org"].dropna().unique())
    return NAMES | {w for text in texts for w in LATIN_WORD.findall(str(text))}


@pytest.mark.parametrize("slug", [s for s in SLUGS if s.startswith("ru/")])
def test_a_russian_report_has_no_english_words_but_names_and_quoted_sources(
    reports, browser, proper_names, slug
):
    page, _ = _open(browser, reports[slug])
    # Left out: text quoted from the data in its own language (posts, topic terms), the link to
    # the English report (lang="en") and the build parameters (code).
    text = page.evaluate(
        "(() => { document.querySelectorAll('.mr-verbatim, code, body [lang]:not([lang=ru])')"
        ".forEach(e => e.remove()); return document.body.innerText; })()"
    )
    text = re.sub(r"\b[0-9a-f]{7,12}\b", "", text)  # the data version and the git commit
    # Single letters are symbols (n, d′, c), not words.
    english = sorted(
        {
            w
            for w in LATIN_WORD.findall(text)
            if len(w) > 1 and w not in proper_names and not ACRONYM.fullmatch(w)
        }
    )
    assert english == []
    page.close()


@pytest.mark.parametrize("slug", SLUGS)
def test_every_report_links_to_the_index_the_regional_report_and_its_other_language(
    reports, browser, slug
):
    lang, name = slug.split("/")
    page, _ = _open(browser, reports[slug])
    hrefs = page.evaluate(
        "Array.from(document.querySelectorAll('nav.mr-links a')).map(a => a.href)"
    )
    targets = {Path(unquote(urlparse(h).path)).resolve() for h in hrefs}
    html = reports[slug].resolve().parents[1]
    other = "ru" if lang == "en" else "en"
    expected = {html / "index.html", html / other / f"{name}.html"}
    if name != "regional":
        expected.add(html / lang / "regional.html")
    assert targets == expected and all(t.exists() for t in targets)
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("slug", ["en/KAZ", "ru/KAZ", "ru/regional"])
def test_the_page_does_not_overflow_and_wide_tables_scroll_in_their_box(
    reports, browser, slug, width
):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(reports[slug].as_uri())
    page.wait_for_load_state("load")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    # Every table is inside a scrolling box no wider than the page.
    loose = page.evaluate(
        "Array.from(document.querySelectorAll('table.mr-table'))"
        ".filter(t => !t.closest('.mr-scroll')).length"
    )
    assert loose == 0
    # Chart text stays legible: the smallest (MIN_FONT_PT at the PNG's dpi) is 9 px or more.
    from milresearch.reports.render import MIN_FONT_PT, pyplot

    natural_px = MIN_FONT_PT * pyplot().rcParams["savefig.dpi"] / 72
    scales = page.evaluate(
        "Array.from(document.querySelectorAll('figure.mr-figure img'))"
        ".map(i => i.getBoundingClientRect().width / i.naturalWidth)"
    )
    assert scales and min(scales) * natural_px >= 9, min(scales) * natural_px
    boxed = page.evaluate(
        "Array.from(document.querySelectorAll('figure.mr-figure img'))"
        ".every(i => i.parentElement.classList.contains('mr-scroll'))"
    )
    assert boxed
    # Tables behind a chart are folded, and their caption is not printed a second time.
    folded = page.locator("details.mr-details")
    assert folded.count() >= (1 if slug.endswith("regional") else 3)
    if not slug.endswith("regional"):
        assert folded.first.locator(".mr-caption").text_content().strip() in (
            "Download CSV",
            "Скачать CSV",
        )
    page.close()


@pytest.mark.parametrize("slug", ["ru/KAZ", "en/KGZ"])
def test_a_chart_wider_than_a_phone_shows_the_scroll_cue_at_its_edge(reports, browser, slug):
    import io

    from PIL import Image

    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(reports[slug].as_uri())
    page.wait_for_load_state("load")
    boxes = page.locator("figure.mr-figure .mr-scroll")
    wide = [
        k
        for k in range(boxes.count())
        if boxes.nth(k).evaluate("b => b.scrollWidth > b.clientWidth + 8")
    ]
    assert wide, "no chart overflows at 390 px: nothing to check"
    box = boxes.nth(wide[0])
    box.scroll_into_view_if_needed()
    shot = Image.open(io.BytesIO(box.screenshot())).convert("L")
    width, height = shot.size

    def column(x: int) -> float:
        return sum(shot.getpixel((x, y)) for y in range(height)) / height

    # Scrolled to the start: no shadow on the left, the shadow over the chart on the right.
    assert column(width - 2) < column(1) - 10, (column(1), column(width - 2))
    page.close()


@pytest.mark.parametrize(
    ("slug", "alt"), [("en/UZB", "Flow chart"), ("ru/KGZ", "Диаграмма потоков")]
)
def test_the_telegram_flow_chart_fits_a_phone_without_scrolling(reports, browser, slug, alt):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(reports[slug].as_uri())
    page.wait_for_load_state("load")
    box = page.locator(f'#sec-telegram ~ figure img[alt^="{alt}"]').first
    assert box.count() == 1
    client, scroll = box.evaluate(
        "i => [i.parentElement.clientWidth, i.parentElement.scrollWidth]"
    )
    assert scroll <= client, (scroll, client)
    page.close()


@pytest.fixture(scope="module")
def printed(reports, browser, tmp_path_factory):
    """en/KAZ and ru/KAZ printed as the build prints them, and their pages read by poppler."""
    import shutil

    from milresearch.build.pdf import write_pdf

    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils is not installed: run `make test`, which installs it")
    out = tmp_path_factory.mktemp("pdf")
    return {
        slug: write_pdf(reports[slug], out / f"{slug.replace('/', '_')}.pdf", browser)
        for slug in ("en/KAZ", "ru/KAZ")
    }


def _pdf_pages(path):
    import subprocess

    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    return text.split("\f")[:-1]


@pytest.mark.parametrize("slug", ["en/KAZ", "ru/KAZ"])
def test_the_pdf_has_a_title_page_numbers_the_banner_on_every_page_and_no_forced_breaks(
    printed, reports, browser, slug, tmp_path
):
    import subprocess

    info = subprocess.run(
        ["pdfinfo", str(printed[slug])], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    title = re.search(r"^Title:\s+(.*)$", info, re.MULTILINE).group(1)
    assert ("Kazakhstan" if slug.startswith("en") else "Казахстан") in title
    pages = _pdf_pages(printed[slug])
    warning = "SYNTHETIC DATA" if slug.startswith("en") else "СИНТЕТИЧЕСКИЕ ДАННЫЕ"
    for number, page in enumerate(pages, start=1):
        assert warning in page, number
        assert re.search(rf"\b{number} / {len(pages)}\b", page), number
    assert not any("Download CSV" in p or "Скачать CSV" in p for p in pages)
    # Sections flow on: some page holds the end of one section and the heading of the next.
    headings = ("Sample and method", "Trust", "MIL skills", "Headline discernment", "Provenance")
    if slug.startswith("ru"):
        headings = ("Выборка и метод", "Доверие", "Навыки МИГ", "Происхождение данных")
    starts = [next(i for i, p in enumerate(pages) if h in p) for h in headings]
    assert any(not pages[i].lstrip().startswith(tuple(headings)) for i in starts)
    # The same report with every section forced onto a new page takes more paper.
    from milresearch.build.pdf import write_pdf

    forced = tmp_path / "forced.html"
    page_break = "<style>h2.mr-section { break-before: page; }</style></head>"
    forced.write_text(reports[slug].read_text("utf-8").replace("</head>", page_break, 1), "utf-8")
    assert len(pages) < len(_pdf_pages(write_pdf(forced, tmp_path / "forced.pdf", browser)))


@pytest.mark.parametrize("slug", ["en/KAZ", "ru/KAZ"])
def test_nothing_on_a_pdf_page_runs_into_the_right_margin(printed, slug, tmp_path):
    import subprocess

    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(printed[slug]), str(tmp_path / "p")],
        timeout=120,
        check=True,
    )
    for image in sorted(tmp_path.glob("p-*.png")):
        page = Image.open(image).convert("L")
        # The right margin is 14 mm of 210: its outer 10 mm hold nothing but white.
        strip = page.crop((int(page.width * 200 / 210), 0, page.width, page.height))
        assert strip.getextrema()[0] > 240, image.name


def test_the_build_writes_the_observatory_pages_and_reports_link_them(reports, browser):
    html = reports["en/KAZ"].parents[1]
    page, seen = _open(browser, html / "index.html")
    assert seen["errors"] == []
    hrefs = page.evaluate(
        "Array.from(document.querySelectorAll('nav.mr-obs-links a')).map(a => a.getAttribute('href'))"
    )
    assert hrefs == ["catalog.html", "tracker.html", "evidence.html"]
    assert all((html / h).exists() for h in hrefs)
    page.close()
    page, _ = _open(browser, reports["ru/TKM"])
    body = page.inner_text("body")
    assert "Кто здесь работает" in body and "Охват скудный" in body  # few TKM entries
    assert "Выполнение рекомендаций" in body and "«Нет данных»" in body  # nothing assessed
    links = page.evaluate("Array.from(document.querySelectorAll('main a')).map(a => a.href)")
    catalog = [u for u in links if u.split("#")[0].endswith("/catalog.html")]
    assert catalog and all(Path(unquote(urlparse(u).path)).exists() for u in catalog)
    page.close()
