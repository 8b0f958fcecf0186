"""The synthetic sample content: fact-checks and social-media posts in four delivery formats.

Seeded and bit-for-bit reproducible (numpy's ``default_rng`` only, no clock, fixed order, Excel
with pinned metadata). Built-in patterns to find: Telegram dominates in UZB and TJK, Instagram in
KAZ and KGZ, Facebook in PAK; TikTok items are more often false; health claims peak in winter,
election claims in the two months before each country's (fictional) election day, energy claims
in winter (Central Asia) or summer (Pakistan); some claims are reposted across countries and
scripts. Defects to clean are listed in
:data:`milresearch.sample.content_files.README`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from milresearch.clean.scripts import transliterate
from milresearch.sample import read_tables

SEED = 2025
TOPICS = ("health", "elections", "prices", "energy", "migration", "scams", "deepfake")
PHRASES_FILE = Path(__file__).with_name("content_phrases.yml")
"""The phrase banks: claim templates, speakers, places, labels and spellings, as data."""


_PHRASES = read_tables(PHRASES_FILE)
_CLAIMS = _PHRASES["claims"]
_WHO = _PHRASES["who"]
_FRAMES = _PHRASES["frames"]
_PLACES = _PHRASES["places"]
_PLATFORM_SPELLINGS = _PHRASES["platform_spellings"]
_POST_URLS = _PHRASES["post_urls"]
_CHANNELS = _PHRASES["channels"]
_VERDICT_LABELS = _PHRASES["verdict_labels"]
_TYPOS = _PHRASES["typos"]
_COMPOUNDS = _PHRASES["compounds"]
_UNMAPPABLE = _PHRASES["unmappable"]
_ORGS = _PHRASES["orgs"]
_COUNTRY_SPELLINGS = _PHRASES["country_spellings"]
_RU_MONTHS = _PHRASES["ru_months"]
_EN_MONTHS = _PHRASES["en_months"]
_BROKEN_DATES = _PHRASES["broken_dates"]
_CONTACTS = _PHRASES["contacts"]
_HOSTILE = _PHRASES["hostile"]
_COUNTS = tuple(
    n for n in range(5, 1000) if n % 10 in (0, 5, 6, 7, 8, 9) or n % 100 in range(11, 15)
)
_NUMBERS = {
    "d": (*range(5, 21), *range(25, 31)),
    "h": tuple(range(5, 21)),
    "p": (*range(5, 21), 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 150, 200),
    "n": _COUNTS,
}
"""Values of the number slots; all take the genitive plural in Russian (5 дней, 30 тысяч)."""
_LANG_MIX = {
    "KAZ": {"ru": 0.55, "kk": 0.45},
    "KGZ": {"ru": 0.5, "ky": 0.5},
    "TJK": {"tg": 0.65, "ru": 0.35},
    "TKM": {"tk": 0.55, "ru": 0.45},
    "UZB": {"uz": 0.5, "uz-Cyrl": 0.2, "ru": 0.3},
    "PAK": {"en": 0.5, "ur": 0.5},
}
_PLATFORMS = {
    "KAZ": {
        "instagram": 0.34,
        "telegram": 0.16,
        "whatsapp": 0.14,
        "tiktok": 0.14,
        "facebook": 0.06,
        "youtube": 0.06,
        "website": 0.1,
    },
    "KGZ": {
        "instagram": 0.3,
        "whatsapp": 0.2,
        "facebook": 0.14,
        "tiktok": 0.12,
        "telegram": 0.08,
        "odnoklassniki": 0.08,
        "website": 0.08,
    },
    "TJK": {
        "telegram": 0.36,
        "facebook": 0.16,
        "imo": 0.14,
        "instagram": 0.1,
        "tiktok": 0.08,
        "odnoklassniki": 0.08,
        "website": 0.08,
    },
    "TKM": {
        "imo": 0.26,
        "instagram": 0.22,
        "tiktok": 0.12,
        "telegram": 0.12,
        "odnoklassniki": 0.14,
        "website": 0.14,
    },
    "UZB": {
        "telegram": 0.48,
        "instagram": 0.16,
        "tiktok": 0.12,
        "facebook": 0.08,
        "youtube": 0.06,
        "website": 0.1,
    },
    "PAK": {
        "facebook": 0.34,
        "whatsapp": 0.2,
        "youtube": 0.14,
        "tiktok": 0.16,
        "x": 0.1,
        "website": 0.06,
    },
}
_VERDICT_WEIGHTS = {
    "false": 0.42,
    "misleading": 0.24,
    "mixed": 0.1,
    "unproven": 0.1,
    "true": 0.1,
    "satire": 0.04,
}
_ITEMS = {"KAZ": 2400, "KGZ": 2100, "TJK": 2000, "TKM": 2000, "UZB": 2600, "PAK": 2300}
_FACT_CHECK_SHARE = {"KAZ": 0.42, "KGZ": 0.42, "TJK": 0.4, "TKM": 0.3, "UZB": 0.42, "PAK": 0.45}
_ZONES = {
    "KAZ": "Asia/Almaty",
    "KGZ": "Asia/Bishkek",
    "TJK": "Asia/Dushanbe",
    "TKM": "Asia/Ashgabat",
    "UZB": "Asia/Tashkent",
    "PAK": "Asia/Karachi",
}
_ELECTION_DAY = {
    "KAZ": "2023-03-19",
    "KGZ": "2024-11-17",
    "TJK": "2025-03-02",
    "TKM": "2023-03-26",
    "UZB": "2024-10-27",
    "PAK": "2024-02-08",
}
_START, _DAYS = pd.Timestamp("2023-01-01", tz="UTC"), 912  # to 2025-06-30


def _pick(rng: np.random.Generator, options):
    return options[int(rng.integers(len(options)))]


def _weighted(rng: np.random.Generator, table: dict[str, float]) -> str:
    keys = list(table)
    weights = np.array(list(table.values()), dtype=float)
    return keys[int(rng.choice(len(keys), p=weights / weights.sum()))]


def _story(rng: np.random.Generator, lang: str, topic: str, country: str) -> dict:
    """One claim: its template, speaker, numbers and place, renderable in any language."""
    base = "uz" if lang == "uz-Cyrl" else lang
    numbers = {kind: _pick(rng, values) for kind, values in _NUMBERS.items()}
    return {
        "topic": topic,
        "k": int(rng.integers(len(_CLAIMS[base][topic]))),
        "who": int(rng.integers(6)),
        "numbers": numbers,
        "country": country,
        "place": int(rng.integers(8)),
    }


def _render(rng: np.random.Generator, story: dict, lang: str) -> str:
    """The story in ``lang`` with a random opening and ending, as a chain message carries it."""
    base = "uz" if lang == "uz-Cyrl" else lang
    templates = _CLAIMS[base][story["topic"]]
    template = templates[story["k"] % len(templates)]
    claim = template.format(who=_WHO[base][story["who"]], **story["numbers"])
    places = _PLACES[story["country"]]
    place = places.get(base, places.get("ru") or places["en"])[story["place"]]
    claim = f"{claim[:1].upper()}{claim[1:]} ({place})"
    openings, endings = _FRAMES[base]
    text = " ".join(p for p in (_pick(rng, openings), claim, _pick(rng, endings)) if p)
    return transliterate(text, "uz", "Cyrl") if lang == "uz-Cyrl" else text


def _moment(rng: np.random.Generator, country: str) -> tuple[pd.Timestamp, str]:
    """A publication time and the topic it is about; topics follow the seasons."""
    stamp = _START + pd.Timedelta(seconds=int(rng.integers(_DAYS * 86400)))
    month = stamp.month
    weights = dict.fromkeys(TOPICS, 1.0)
    if month in (12, 1, 2):
        weights["health"] = 3.5
    winter = month in (11, 12, 1, 2)
    summer = month in (6, 7, 8)
    if (country != "PAK" and winter) or (country == "PAK" and summer):
        weights["energy"] = 2.5
    days_before = (pd.Timestamp(_ELECTION_DAY[country], tz="UTC") - stamp).days
    if 0 <= days_before <= 60:
        weights["elections"] = 6.0
    return stamp, _weighted(rng, weights)


def _verdict(rng: np.random.Generator, platform: str, lang: str) -> str:
    weights = dict(_VERDICT_WEIGHTS)
    if platform == "tiktok":
        weights.update(false=0.6, true=0.04)
    labels = _VERDICT_LABELS[_weighted(rng, weights)]
    return _pick(rng, labels.get(lang) or labels.get("ru") or labels["en"])


def _items(rng: np.random.Generator, country: str) -> list[dict]:
    """The items of one country, before deliveries give them their shape."""
    rows = []
    for i in range(_ITEMS[country]):
        stamp, topic = _moment(rng, country)
        lang = _weighted(rng, _LANG_MIX[country])
        platforms = dict(_PLATFORMS[country])
        if topic == "deepfake":  # videos travel on video platforms
            for name in ("tiktok", "youtube"):
                platforms[name] = platforms.get(name, 0.02) * 3
        platform = _weighted(rng, platforms)
        fact_check = bool(rng.random() < _FACT_CHECK_SHARE[country])
        story = _story(rng, lang, topic, country)
        video = platform in ("tiktok", "youtube") or topic == "deepfake"
        rows.append(
            {
                "country": country,
                "i": i,
                "stamp": stamp,
                "topic": topic,
                "lang": lang,
                "platform": platform,
                "fact_check": fact_check,
                "story": story,
                "text": _render(rng, story, lang),
                "format": "video" if video else _pick(rng, ["text", "text", "image", "audio"]),
                "verdict": _verdict(rng, platform, lang) if fact_check else None,
                "channel": _pick(rng, _CHANNELS),
                "post_id": int(rng.integers(10**5, 10**6)),
            }
        )
    return rows


def _plant(rng: np.random.Generator, items: dict[str, list[dict]]) -> int:
    """Reposts across countries and scripts, contacts, hostile markup and odd verdicts."""
    reposted = 0
    for country, rows in items.items():
        for row in rows:
            if row["lang"] == "ru" and rng.random() < 0.03:  # the same Russian claim elsewhere
                others = [c for c in ("KAZ", "KGZ", "TJK", "TKM", "UZB") if c != country]
                for other in rng.choice(others, size=int(rng.integers(1, 4)), replace=False):
                    target = _pick(rng, [r for r in items[str(other)] if r["lang"] == "ru"])
                    target.update(
                        story=row["story"],
                        topic=row["story"]["topic"],
                        text=_render(rng, row["story"], "ru"),
                    )
                reposted += 1
            elif row["lang"] == "uz" and rng.random() < 0.04:  # the Uzbek claim in Cyrillic
                for other in ("UZB", "TJK"):
                    pool = [r for r in items[other] if r["lang"] in ("uz-Cyrl", "ru")]
                    target = _pick(rng, pool)
                    target.update(
                        story=row["story"],
                        topic=row["story"]["topic"],
                        lang="uz-Cyrl",
                        text=_render(rng, row["story"], "uz-Cyrl"),
                    )
                reposted += 1
    every = [r for c in items for r in items[c]]
    for contact in _CONTACTS:
        for j in rng.choice(len(every), size=3, replace=False):
            every[j]["text"] = f"{every[j]['text']} {contact}"
    for text, j in zip(_HOSTILE, rng.choice(len(every), size=2, replace=False), strict=True):
        every[j].update(text=text, lang="ru")
    checks = [r for r in every if r["fact_check"] and r["country"] in ("KAZ", "KGZ", "UZB", "TJK")]
    odd = [
        *(v for vs in _TYPOS.values() for v in vs),
        *(v for vs in _COMPOUNDS.values() for v in vs),
    ]
    labels = odd + list(_UNMAPPABLE) * 2
    for label, j in zip(
        labels, rng.choice(len(checks), size=len(labels), replace=False), strict=True
    ):
        checks[j]["verdict"] = label
    return reposted


def _url_variant(rng: np.random.Generator, url: str) -> str:
    """The same address as a second crawl records it."""
    kind = int(rng.integers(5))
    if kind == 0:
        return url + "?utm_source=telegram&utm_medium=social"
    if kind == 1:
        return url.replace("https://www.", "https://").replace("https://", "http://m.")
    if kind == 2:
        return url.rstrip("/") + "/"
    if kind == 3:
        return url + "#comments"
    return url + ("&" if "?" in url else "?") + "fbclid=IwAR0" + str(int(rng.integers(10**6)))


def _with_duplicates(rng: np.random.Generator, rows: list[dict]) -> list[dict]:
    """About 2.5 % of rows collected a second time, a little later, under a variant URL."""
    copies = []
    for j in sorted(rng.choice(len(rows), size=max(1, len(rows) // 40), replace=False)):
        copy = dict(rows[j])
        copy.update(
            url=_url_variant(rng, rows[j]["url"]),
            id=rows[j]["id"] + "-2",
            stamp=rows[j]["stamp"] + pd.Timedelta(minutes=int(rng.integers(5, 600))),
        )
        copies.append(copy)
    out = rows + copies
    return sorted(out, key=lambda r: (r["stamp"], r["id"]))


def _codebook(
    name: str, file: str, fmt: str, description: dict[str, str], columns: dict[str, str], seed: int
) -> dict:
    types = {"item_id": "id", "country": "country", "date_published": "date", "claim_text": "text"}
    dataset = {
        "name": name,
        "kind": "content",
        "file": file,
        "format": fmt,
        "synthetic": True,
        "description": description,
        "producer": {
            "en": f"milresearch sample generator (seed {seed})",
            "ru": f"генератор синтетической выборки milresearch (начальное число {seed})",
        },
    }
    if fmt == "csv":
        dataset["encoding"] = "utf-8"
    variables = {}
    for canonical, source in columns.items():
        spec: dict[str, object] = {"source": source, "type": types.get(canonical, "string")}
        if canonical in ("claim_text", "claim_author"):
            spec["pii"] = True
        variables[canonical] = spec
    return {"dataset": dataset, "variables": variables}


def _fact_check_url(country: str, row: dict, lang: str) -> str:
    return f"https://www.{_ORGS[country][1]}/{lang[:2]}/checks/{row['i']:05d}-{row['topic']}"


def _prepare(rng: np.random.Generator, items: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Give every item its ids, URLs, authors and spellings; split into the four deliveries."""
    parts: dict[str, list[dict]] = {"csv": [], "jsonl": [], "excel": [], "claimreview": []}
    for country, rows in items.items():
        for row in rows:
            platform_url = _POST_URLS[row["platform"]].format(
                channel=row["channel"], id=row["post_id"]
            )
            handle = f"@{row['channel']}"
            row.update(
                country_raw=_pick(rng, _COUNTRY_SPELLINGS[country]),
                platform_raw=_pick(rng, _PLATFORM_SPELLINGS[row["platform"]]),
                claim_url=platform_url,
                author=handle if rng.random() < 0.5 else row["channel"].replace("_", " ").title(),
            )
            if not row["fact_check"]:
                row.update(id=f"post_{country}_{row['i']:05d}", url=platform_url)
                parts["jsonl"].append(row)
                continue
            row.update(
                url=_fact_check_url(country, row, row["lang"]), id=f"{country}-FC-{row['i']:05d}"
            )
            if country in ("KAZ", "KGZ"):
                parts["csv"].append(row)
            elif country in ("UZB", "TJK"):
                parts["excel"].append(row)
            else:
                parts["claimreview"].append(row)
    return {name: _with_duplicates(rng, rows) for name, rows in parts.items()}
