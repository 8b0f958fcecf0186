"""The synthetic sample content: fact-checks and social-media posts in four delivery formats.

Seeded and bit-for-bit reproducible. Built-in patterns to find: Telegram dominates in UZB and
TJK, Instagram in KAZ and KGZ, Facebook in PAK; TikTok items are more often false; health claims
peak in winter; some claims are reposted across countries and scripts.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from milresearch import storage
from milresearch.sample_survey import _pin_zip
from milresearch.text import transliterate

SEED = 2025
TOPICS = ("health", "elections", "prices", "energy", "migration", "scams", "deepfake")
_CLAIMS = {
    "ru": {
        "health": ["{who} утверждает, что {remedy} излечивает грипп за {n} дней",
                   "В {place} зафиксирована вспышка неизвестной болезни, заболели {n} человек"],
        "elections": ["{who} якобы отменил выборы в {place} на {n} лет",
                      "В {place} на участках раздают по {n} тысяч за голос"],
        "prices": ["С {month} хлеб в {place} подорожает в {n} раза",
                   "Правительство повысит тарифы на газ на {n} процентов с {month}"],
        "energy": ["В {place} отключат свет на {n} дней из-за аварии на ГЭС",
                   "Воду в {place} отключат до {month} из-за нехватки"],
        "migration": ["Россия закрывает въезд для мигрантов из {place} с {month}",
                      "Мигрантам обещают по {n} тысяч рублей за возвращение домой"],
        "scams": ["Банк раздаёт по {n} тысяч всем, кто перейдёт по ссылке",
                  "{who} дарит {n} телефонов подписчикам в {place}"],
        "deepfake": ["Видео, где {who} объявляет о бесплатном электричестве, оказалось настоящим",
                     "На видео {who} призывает закрыть школы в {place} на {n} недель"],
    },
    "kk": {
        "health": ["{who} {remedy} тұмауды {n} күнде емдейді деп мәлімдеді"],
        "elections": ["{place} сайлау {n} жылға шегерілді деген ақпарат тарады"],
        "prices": ["{month} бастап {place} нан бағасы {n} есе қымбаттайды"],
        "energy": ["{place} су тапшылығына байланысты жарық {n} күнге өшіріледі"],
        "migration": ["Ресей {month} бастап мигранттарға шекараны жабады"],
        "scams": ["Банк сілтемеге өткен әркімге {n} мың теңге береді"],
        "deepfake": ["Видеода {who} тегін электр жарығын жариялады"],
    },
    "ky": {
        "health": ["{who} {remedy} сасык тумоону {n} күндө айыктырат деп билдирди"],
        "elections": ["{place} шайлоо {n} жылга жылдырылды деген маалымат тарады"],
        "prices": ["{month} баштап {place} нандын баасы {n} эсе кымбаттайт"],
        "energy": ["{place} суу жетишсиздигинен жарык {n} күнгө өчүрүлөт"],
        "migration": ["Орусия {month} баштап мигранттарга чек араны жабат"],
        "scams": ["Банк шилтемеге өткөн ар бир адамга {n} миң сом берет"],
        "deepfake": ["Видеодо {who} акысыз электр жарыгын жарыялады"],
    },
    "uz": {
        "health": ["{who} {remedy} grippni {n} kunda davolaydi deb daʼvo qildi"],
        "elections": ["{place} saylovlar {n} yilga qoldirildi degan xabar tarqaldi"],
        "prices": ["{month}dan boshlab {place} non narxi {n} barobar oshadi"],
        "energy": ["{place} suv tanqisligi sababli elektr {n} kunga oʻchiriladi"],
        "migration": ["Rossiya {month}dan boshlab migrantlar uchun chegarani yopadi"],
        "scams": ["Bank havolaga oʻtgan har bir kishiga {n} ming soʻm beradi"],
        "deepfake": ["Videoda {who} bepul elektr energiyasini eʼlon qildi"],
    },
    "tg": {
        "health": ["{who} иддао кард, ки {remedy} зукомро дар {n} рӯз табобат мекунад"],
        "elections": ["Хабар паҳн шуд, ки интихобот дар {place} ба {n} сол мавқуф гузошта шуд"],
        "prices": ["Аз {month} нархи нон дар {place} {n} баробар қимат мешавад"],
        "energy": ["Дар {place} барқ ба муддати {n} рӯз қатъ карда мешавад"],
        "migration": ["Русия аз {month} сарҳадро барои муҳоҷирон мебандад"],
        "scams": ["Бонк ба ҳар касе, ки пайвандро пахш кунад, {n} ҳазор сомонӣ медиҳад"],
        "deepfake": ["Дар видео {who} барқи ройгонро эълон кард"],
    },
    "tk": {
        "health": ["{who} {remedy} dümewi {n} günde bejerýär diýip aýtdy"],
        "elections": ["{place} saýlawlar {n} ýyl yza süýşürildi diýen habar ýaýrady"],
        "prices": ["{month} aýyndan başlap {place} çöregiň bahasy {n} esse gymmatlar"],
        "energy": ["{place} elektrik {n} günläp öçüriler"],
        "migration": ["Russiýa {month} aýyndan migrantlar üçin serhedi ýapýar"],
        "scams": ["Bank salgyda geçen her kime {n} müň manat berýär"],
        "deepfake": ["Wideoda {who} mugt elektrik energiýasyny yglan etdi"],
    },
    "en": {
        "health": ["{who} claims {remedy} cures the flu in {n} days"],
        "elections": ["Elections in {place} postponed by {n} years, viral post says"],
        "prices": ["Flour prices in {place} will rise {n} times from {month}, message claims"],
        "energy": ["Power cuts of {n} days announced for {place}"],
        "migration": ["Gulf states to deport {n} thousand workers from {place} by {month}"],
        "scams": ["Bank gives {n} thousand rupees to everyone who clicks this link"],
        "deepfake": ["Video shows {who} announcing free electricity (AI-generated)"],
    },
    "ur": {
        "health": ["{who} کا دعویٰ ہے کہ {remedy} فلو کو {n} دن میں ٹھیک کرتا ہے"],
        "elections": ["{place} میں انتخابات {n} سال کے لیے ملتوی کر دیے گئے"],
        "prices": ["{month} سے {place} میں آٹے کی قیمت {n} گنا بڑھ جائے گی"],
        "energy": ["{place} میں {n} دن کے لیے بجلی بند رہے گی"],
        "migration": ["خلیجی ممالک {n} ہزار مزدوروں کو واپس بھیجیں گے"],
        "scams": ["بینک لنک پر کلک کرنے والے ہر شخص کو {n} ہزار روپے دے رہا ہے"],
        "deepfake": ["ویڈیو میں {who} مفت بجلی کا اعلان کر رہے ہیں"],
    },
}  # fmt: skip
_FRAMES = {  # openings and endings real messages carry, so that claims are not all alike
    "ru": (["Срочно!", "Внимание:", "Говорят, что", "Перешлите всем:", "Официально:", ""],
           ["Распространите!", "Источник: знакомый врач.", "#новости", "Это скрывают!", "", "Пишут в чатах."]),
    "kk": (["Шұғыл!", "Назар аударыңыз:", "Айтуларынша,", ""], ["Таратыңыз!", "#жаңалықтар", "", "Бұл жасырылып жатыр!"]),
    "ky": (["Шашылыш!", "Көңүл буруңуз:", "Айтышкандай,", ""], ["Таратыңыз!", "#жаңылыктар", "", "Бул жашырылууда!"]),
    "uz": (["Shoshilinch!", "Diqqat:", "Aytishlaricha,", ""], ["Tarqating!", "#yangiliklar", "", "Buni yashirishmoqda!"]),
    "tg": (["Фаврӣ!", "Диққат:", "Мегӯянд, ки", ""], ["Паҳн кунед!", "#хабарҳо", "", "Инро пинҳон мекунанд!"]),
    "tk": (["Gyssagly!", "Üns beriň:", "Aýtmaklaryna görä,", ""], ["Ýaýradyň!", "#habarlar", "", "Muny gizleýärler!"]),
    "en": (["BREAKING:", "Share this:", "Apparently", "Official:", ""], ["Share before deleted!", "#news", "", "They hide this!"]),
    "ur": (["فوری!", "توجہ:", ""], ["شیئر کریں!", "#خبریں", ""]),
}  # fmt: skip
_SLOTS = {
    "who": ["Минздрав", "Известный блогер", "Депутат", "Врач", "Министр", "Аким", "Vazir",
            "Shifokor", "Bloger", "The minister", "A doctor", "Президент"],
    "remedy": ["чеснок", "горячая вода с лимоном", "sarimsoq", "имбирь", "lemon water", "сода"],
    "month": ["января", "марта", "мая", "июля", "сентября", "ноября", "yanvar", "March"],
}  # fmt: skip
_PLACES = {
    "KAZ": ["Алматы", "Астане", "Шымкенте", "Караганде"], "KGZ": ["Бишкеке", "Оше", "Чуе"],
    "TJK": ["Душанбе", "Худжанде", "Хороге"], "TKM": ["Ашхабаде", "Мары", "Aşgabat"],
    "UZB": ["Toshkent", "Samarqand", "Fargʻona", "Ташкенте"], "PAK": ["Lahore", "Karachi", "Peshawar"],
}  # fmt: skip
_LANG_MIX = {
    "KAZ": {"ru": 0.6, "kk": 0.4}, "KGZ": {"ru": 0.5, "ky": 0.5}, "TJK": {"tg": 0.6, "ru": 0.4},
    "TKM": {"tk": 0.6, "ru": 0.4}, "UZB": {"uz": 0.55, "uz-Cyrl": 0.2, "ru": 0.25},
    "PAK": {"ur": 0.55, "en": 0.45},
}  # fmt: skip
_PLATFORMS = {
    "KAZ": {"instagram": 0.35, "telegram": 0.2, "whatsapp": 0.15, "tiktok": 0.12, "facebook": 0.08, "website": 0.1},
    "KGZ": {"instagram": 0.3, "whatsapp": 0.25, "facebook": 0.15, "telegram": 0.1, "odnoklassniki": 0.1, "website": 0.1},
    "TJK": {"telegram": 0.35, "facebook": 0.2, "imo": 0.15, "instagram": 0.1, "odnoklassniki": 0.1, "website": 0.1},
    "TKM": {"imo": 0.3, "instagram": 0.25, "telegram": 0.15, "odnoklassniki": 0.15, "website": 0.15},
    "UZB": {"telegram": 0.5, "instagram": 0.2, "facebook": 0.1, "tiktok": 0.1, "website": 0.1},
    "PAK": {"facebook": 0.35, "whatsapp": 0.25, "youtube": 0.15, "tiktok": 0.15, "x": 0.1},
}  # fmt: skip
_PLATFORM_SPELLINGS = {
    "telegram": ["Telegram", "t.me", "Телеграм", "TG", "telegram channel"],
    "instagram": ["Instagram", "insta", "Инстаграм", "instagram.com"],
    "tiktok": ["TikTok", "Тикток", "tik tok"], "facebook": ["Facebook", "FB", "Фейсбук"],
    "odnoklassniki": ["ok.ru", "Одноклассники", "OK"], "whatsapp": ["WhatsApp", "Ватсап"],
    "youtube": ["YouTube", "youtu.be", "Ютуб"], "imo": ["imo", "IMO"], "x": ["Twitter", "X"],
    "website": ["website", "сайт", "news site"],
}  # fmt: skip
_VERDICT_LABELS = {
    "false": {"ru": ["Фейк", "Ложь", "Неправда", "ФЕЙК", "Фейк."], "kk": ["Жалған", "өтірік"],
              "ky": ["Жалган"], "uz": ["Yolgʻon", "Soxta"], "uz-Cyrl": ["Ёлғон"], "tg": ["Дурӯғ"],
              "en": ["False", "Fake", "Mostly false"]},
    "misleading": {"ru": ["Манипуляция", "Вводит в заблуждение", "Манипуляцыя"],
                   "kk": ["Манипуляция"], "uz": ["Manipulyatsiya", "Chalgʻituvchi"],
                   "en": ["Misleading", "Missing context"], "tg": ["Гумроҳкунанда"]},
    "mixed": {"ru": ["Полуправда", "Частично правда", "правда и манипуляция"],
              "kk": ["Жартылай шындық"], "uz": ["Chala haqiqat"], "en": ["Half true", "Half-true"]},
    "unproven": {"ru": ["Без вердикта", "Не подтверждено"], "kk": ["Дәлелденбеген"],
                 "uz": ["Tasdiqlanmagan"], "en": ["Unproven", "No verdict"]},
    "true": {"ru": ["Правда"], "kk": ["Шындық"], "uz": ["Haqiqat"], "en": ["True", "Mostly true"]},
    "satire": {"ru": ["Сатира"], "en": ["Satire"]},
}  # fmt: skip
_UNMAPPABLE = ["Требует проверки", "см. комментарий", "Ish olib borilmoqda"]
_ORGS = {
    "KAZ": ("Factcheck.kz", "factcheck.kz"), "KGZ": ("Factcheck.kg", "factcheck.kg"),
    "TJK": ("Azda.tj fact-check", "azda.tj"), "UZB": ("Fakt-tekshiruv UZ", "faktcheck.uz"),
    "PAK": ("Soch Fact Check", "sochfactcheck.com"), "TKM": ("Azatlyk", "azathabar.com"),
}  # fmt: skip
_COUNTRY_SPELLINGS = {
    "KAZ": ["Казахстан", "Qazaqstan", "KZ", "Kazakhstan", "Қазақстан"],
    "KGZ": ["Кыргызстан", "Kirghizia", "KG", "Kyrgyzstan"],
    "TJK": ["Таджикистан", "Tojikiston", "TJ", "Tajikistan"],
    "TKM": ["Туркменистан", "Turkmenistan", "TM"], "UZB": ["Oʻzbekiston", "Узбекистан", "UZ"],
    "PAK": ["Pakistan", "PK"],
}  # fmt: skip
_URLS = {
    "telegram": "https://t.me/s/newschannel/{id}", "instagram": "https://www.instagram.com/p/C{id}/",
    "tiktok": "https://www.tiktok.com/video/{id}", "facebook": "https://www.facebook.com/posts/{id}",
    "odnoklassniki": "https://ok.ru/group/{id}", "whatsapp": "https://wa.me/message/{id}",
    "youtube": "https://www.youtube.com/watch?v={id}", "x": "https://x.com/i/status/{id}",
    "imo": "https://imo.im/{id}",
}  # fmt: skip
_ITEMS = {"KAZ": 2400, "KGZ": 2000, "TJK": 1600, "TKM": 1200, "UZB": 2600, "PAK": 2200}
_ZONES = {"KAZ": "+05:00", "KGZ": "+06:00", "TJK": "+05:00", "TKM": "+05:00", "UZB": "+05:00",
          "PAK": "+05:00"}  # fmt: skip


def _choice(rng, options):
    return options[int(rng.integers(len(options)))]


def _weighted(rng, table: dict):
    keys = list(table)
    return keys[int(rng.choice(len(keys), p=np.array(list(table.values())) / sum(table.values())))]


def _claim(rng, lang: str, topic: str, country: str) -> str:
    base_lang = "uz" if lang == "uz-Cyrl" else lang
    template = _choice(rng, _CLAIMS[base_lang][topic])
    claim = template.format(who=_choice(rng, _SLOTS["who"]), remedy=_choice(rng, _SLOTS["remedy"]),
                            month=_choice(rng, _SLOTS["month"]), place=_choice(rng, _PLACES[country]),
                            n=int(rng.integers(2, 500)))  # fmt: skip
    if "{n}" not in template:
        claim += f" ({int(rng.integers(2, 500))})"
    openings, endings = _FRAMES[base_lang]
    claim = " ".join(
        part for part in (_choice(rng, openings), claim, _choice(rng, endings)) if part
    )
    return transliterate(claim, "uz", "Cyrl") if lang == "uz-Cyrl" else claim


def _date(rng, topic: str) -> pd.Timestamp:
    start = pd.Timestamp("2023-01-01")
    day = int(rng.integers(0, 912))
    if topic == "health" and rng.random() < 0.5:  # a winter peak of health claims
        day = int(rng.choice([0, 365, 730])) + int(rng.integers(0, 75))
    return start + pd.Timedelta(days=day, minutes=int(rng.integers(0, 1440)))


def _format_date(rng, stamp: pd.Timestamp, country: str) -> str | int:
    style = int(rng.integers(0, 6))
    months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря"]  # fmt: skip
    if style == 0:
        return stamp.strftime("%Y-%m-%dT%H:%M:%S") + _ZONES[country]
    if style == 1:
        return (stamp - pd.Timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == 2:
        return stamp.strftime("%d.%m.%Y")
    if style == 3:
        return f"{stamp.day} {months[stamp.month - 1]} {stamp.year}"
    if style == 4:
        return stamp.strftime("%Y-%m-%d %H:%M")
    return stamp.strftime("%d.%m.%Y %H:%M")


def _verdict(rng, platform: str, lang: str) -> str:
    weights = {
        "false": 0.42,
        "misleading": 0.25,
        "mixed": 0.1,
        "unproven": 0.1,
        "true": 0.1,
        "satire": 0.03,
    }
    if platform == "tiktok":
        weights = {**weights, "false": 0.6, "true": 0.04}
    verdict = _weighted(rng, weights)
    labels = _VERDICT_LABELS[verdict]
    return _choice(rng, labels.get(lang) or labels.get("ru") or labels["en"])


def _items(rng, country: str) -> pd.DataFrame:
    org, domain = _ORGS[country]
    rows = []
    for i in range(_ITEMS[country]):
        lang = _weighted(rng, _LANG_MIX[country])
        topic = _choice(rng, TOPICS)
        platform = _weighted(rng, _PLATFORMS[country])
        fact_check = country != "TKM" and rng.random() < 0.45
        stamp = _date(rng, topic)
        item_id = f"{country}-{i:05d}"
        rows.append({
            "item_id": item_id, "country": country, "item_type": "fact_check" if fact_check else "post",
            "source_org": org if fact_check else f"user{int(rng.integers(1, 400))}",
            "url": f"https://{domain}/{'checks' if fact_check else 'posts'}/{i:05d}",
            "date": _format_date(rng, stamp, country), "claim_text": _claim(rng, lang, topic, country),
            "platform_raw": _choice(rng, _PLATFORM_SPELLINGS[platform]),
            "claim_url": _URLS.get(platform, "https://news.example.org/{id}").format(id=int(rng.integers(1e6))),
            "verdict_raw": _verdict(rng, platform, lang) if fact_check else None,
            "language": lang, "topic": topic,
        })  # fmt: skip
    df = pd.DataFrame(rows)
    n = len(df)
    # Duplicate URLs: the same item re-collected with tracking parameters, a mobile host or a slash.
    for k, j in enumerate(rng.choice(n, size=int(0.03 * n), replace=False)):
        src = df.iloc[int(rng.integers(n))]
        variants = [src["url"] + "?utm_source=tg", src["url"].replace("https://", "http://m.") + "/",
                    src["url"] + "#comments"]  # fmt: skip
        df.loc[j, ["url", "claim_text", "date", "verdict_raw"]] = [
            variants[k % 3], src["claim_text"], src["date"], src["verdict_raw"]]  # fmt: skip
    for j in rng.choice(n, size=6, replace=False):
        df.loc[j, "claim_text"] += _choice(rng, [" пишите на info.fake@mail.ru", " звоните +7 701 555 12 17",
                                                 " WhatsApp +92 300 1234567", " +998 90 123 45 67"])  # fmt: skip
    hostile = rng.choice(n, size=2, replace=False)
    df.loc[hostile[0], "claim_text"] = "<script>alert('xss')</script> Срочно! Все в банк"
    df.loc[hostile[1], "claim_text"] = '<img src=x onerror="alert(1)"> видео удалили'
    fact_rows = np.flatnonzero(df["item_type"] == "fact_check")
    if len(fact_rows) < len(_UNMAPPABLE):  # Turkmenistan has no fact-checker
        return df
    for j, label in zip(
        rng.choice(fact_rows, size=len(_UNMAPPABLE), replace=False), _UNMAPPABLE, strict=True
    ):
        df.loc[j, "verdict_raw"] = label
    return df


def _reposts(rng, items: dict[str, pd.DataFrame]) -> None:
    """Copy some claims into other countries, in the same words or the other Uzbek script."""
    for country, df in items.items():
        others = [c for c in items if c != country]
        for j in rng.choice(len(df), size=40, replace=False):
            src_df = items[_choice(rng, others)]
            src = src_df.iloc[int(rng.integers(len(src_df)))]
            text = src["claim_text"]
            if src["language"] == "uz":
                text = transliterate(text, "uz", "Cyrl")
            df.loc[j, ["claim_text", "topic"]] = [text, src["topic"]]


def _codebook(name: str, file: str, fmt: str, columns: dict[str, str], country: str | None = None,
              extra: dict | None = None) -> dict:  # fmt: skip
    types = {
        "item_id": "id",
        "country": "country",
        "date_published": "string",
        "claim_text": "text",
    }
    dataset = {"name": name, "kind": "content", "file": file, "format": fmt, "synthetic": True,
               "description": f"Synthetic sample content ({name}); not real data.",
               "producer": "milresearch sample generator (seed 2025)", **(extra or {})}  # fmt: skip
    if country:
        dataset["country"] = country
    variables = {k: {"source": v, "type": types.get(k, "string")} for k, v in columns.items()}
    return {"dataset": dataset, "variables": variables}


def write_sample_content(out_dir: str | Path, seed: int = SEED) -> list[Path]:
    """Write the synthetic content deliveries and their codebooks into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 99])
    items = {c: _items(rng, c) for c in _ITEMS}
    _reposts(rng, items)
    for country, df in items.items():
        spellings = _COUNTRY_SPELLINGS[country]
        df["country_raw"] = [_choice(rng, spellings) for _ in range(len(df))]
    everything = pd.concat(items.values(), ignore_index=True)
    facts = everything[everything["item_type"] == "fact_check"]
    posts = everything[everything["item_type"] == "post"]
    written: list[Path] = []

    def save(name: str, data: bytes, book: dict) -> None:
        storage.write_bytes(out_dir / name, data)
        header = "# Codebook of a SYNTHETIC sample content delivery, written by `milresearch sample-data`.\n"
        book_path = out_dir / f"{Path(name).stem}.codebook.yml"
        storage.write_text(
            book_path, header + yaml.safe_dump(book, allow_unicode=True, sort_keys=False)
        )
        written.extend([out_dir / name, book_path])

    # 1. A fact-check archive CSV for KAZ, KGZ and TJK, with Russian headers.
    csv_cols = {"item_id": "ID", "country": "Страна", "source_org": "Организация", "url": "Ссылка",
                "date_published": "Дата", "claim_text": "Утверждение", "claim_platform": "Платформа",
                "claim_url": "Источник", "verdict_raw": "Вердикт", "language": "Язык",
                "item_type": "Тип"}  # fmt: skip
    part = facts[facts["country"].isin(["KAZ", "KGZ", "TJK"])]
    table = pd.DataFrame({v: part[k if k not in ("country", "date_published", "claim_platform")
                                  else {"country": "country_raw", "date_published": "date",
                                        "claim_platform": "platform_raw"}[k]]
                          for k, v in csv_cols.items()})  # fmt: skip
    save("factchecks_central_asia.csv", table.to_csv(index=False).encode("utf-8"),
         _codebook("factchecks_central_asia", "factchecks_central_asia.csv", "csv", csv_cols,
                   extra={"encoding": "utf-8"}))  # fmt: skip

    # 2. A JSON Lines social-media export from all six countries (nested author and platform).
    lines = []
    for row in posts.itertuples(index=False):
        lines.append(json.dumps({"id": row.item_id, "country": row.country_raw, "url": row.url,
                                 "created": row.date, "text": row.claim_text,
                                 "platform": {"name": row.platform_raw}, "author": {"name": row.source_org},
                                 "lang": row.language, "type": row.item_type}, ensure_ascii=False))  # fmt: skip
    jsonl_cols = {"item_id": "id", "country": "country", "url": "url", "date_published": "created",
                  "claim_text": "text", "claim_platform": "platform.name", "claim_author": "author.name",
                  "language": "lang", "item_type": "type"}  # fmt: skip
    save(
        "posts_export.jsonl",
        ("\n".join(lines) + "\n").encode("utf-8"),
        _codebook("posts_export", "posts_export.jsonl", "jsonl", jsonl_cols),
    )

    # 3. An Excel file of Uzbek fact-checks.
    import openpyxl

    part = facts[facts["country"] == "UZB"]
    xlsx_cols = {"item_id": "ID", "url": "URL", "date_published": "Sana", "claim_text": "Daʼvo",
                 "claim_platform": "Platforma", "verdict_raw": "Xulosa", "source_org": "Tashkilot",
                 "language": "Til", "item_type": "Turi"}  # fmt: skip
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "factchecks"
    ws.append(list(xlsx_cols.values()))
    for row in part.itertuples(index=False):
        ws.append([row.item_id, row.url, row.date, row.claim_text, row.platform_raw, row.verdict_raw,
                   row.source_org, row.language, row.item_type])  # fmt: skip
    fixed = pd.Timestamp("2025-03-01").to_pydatetime()
    wb.properties.created = wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    save(
        "factchecks_uzb.xlsx",
        _pin_zip(buf.getvalue()),
        _codebook("factchecks_uzb", "factchecks_uzb.xlsx", "excel", xlsx_cols, country="UZB"),
    )

    # 4. ClaimReview JSON-LD from the Pakistani fact-checker.
    part = facts[facts["country"] == "PAK"]
    records = [{
        "@context": "https://schema.org", "@type": "ClaimReview", "url": row.url,
        "claimReviewed": row.claim_text, "datePublished": row.date,
        "inLanguage": row.language, "author": {"@type": "Organization", "name": row.source_org},
        "reviewRating": {"@type": "Rating", "alternateName": row.verdict_raw},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Social media users"},
                         "appearance": [{"@type": "CreativeWork", "url": row.claim_url}]},
    } for row in part.itertuples(index=False)]  # fmt: skip
    cr_cols = {c: c for c in ("item_id", "url", "claim_text", "verdict_raw", "claim_author", "claim_url",
                              "date_published", "language", "source_org")}  # fmt: skip
    save(
        "claimreview_pak.json",
        json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8"),
        _codebook(
            "claimreview_pak", "claimreview_pak.json", "claimreview", cr_cols, country="PAK"
        ),
    )
    return written
