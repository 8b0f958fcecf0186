"""The synthetic sample's Telegram Desktop export: public channels of every country, one account.

Written in the format Telegram Desktop's "Export Telegram data" (JSON, whole account) produces:
``{about, personal_information, chats: {about, list: [...]}, left_chats}``, each chat with
``name, type, id, messages``. What real exports do, it does:

- ``date`` is the exporting machine's local time without a zone (here UTC+05:00), beside
  ``date_unixtime`` (UTC, as a string);
- ``text`` is a string, or a list of strings and entities (bold, hashtags, mentions, text links);
- service messages (channel created, message pinned, members invited);
- forwards between channels, across borders and languages, some from channels not exported,
  some from people; replies, edits, photos and videos, reactions;
- one public group whose members are people (the clean pseudonymises them).

Posts tell the stories of the sample's other deliveries: some appear in a channel days before a
fact-checker rates them, and move on to other channels by forwards. Seeded (its own stream of
numpy's generator), so the other deliveries do not change, and bit-for-bit reproducible.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from milresearch.sample import content as base

FILE = "telegram_result.json"
CLOCK = pd.Timedelta(hours=5)
"""The exporting machine's clock: UTC+05:00 (Tashkent, Almaty)."""


@dataclass(frozen=True)
class Channel:
    """A synthetic public channel (or group) and what a codebook declares of it."""

    name: str
    username: str
    country: str
    langs: tuple[str, ...]
    chat_id: int
    kind: str = "public_channel"
    posts: int = 85


CHANNELS = (
    Channel("Aktual KZ (synthetic)", "aktual_kz_sample", "KAZ", ("ru",), 1700000001),
    Channel("Qazaq Habar (synthetic)", "qazaq_habar_sample", "KAZ", ("kk",), 1700000002),
    Channel("Bishkek Online (synthetic)", "bishkek_online_sample", "KGZ", ("ru",), 1700000003),
    Channel("Kabar Kg (synthetic)", "kabar_kg_sample", "KGZ", ("ky",), 1700000004),
    Channel(
        "Bishkek chat (synthetic)", "", "KGZ", ("ru", "ky"), 1700000005, "public_supergroup", 70
    ),
    Channel("Dushanbe Today (synthetic)", "dushanbe_today_sample", "TJK", ("tg",), 1700000006),
    Channel("Akhbor TJ (synthetic)", "akhbor_tj_sample", "TJK", ("ru",), 1700000007),
    Channel("Habarlar TM (synthetic)", "habarlar_tm_sample", "TKM", ("tk",), 1700000008),
    Channel("Ashgabat Info (synthetic)", "ashgabat_info_sample", "TKM", ("ru",), 1700000009),
    Channel("Tezkor Xabar (synthetic)", "tezkor_xabar_sample", "UZB", ("uz",), 1700000010),
    Channel("Тезкор Хабар (synthetic)", "tezkor_kiril_sample", "UZB", ("uz-Cyrl",), 1700000011),
    Channel("Toshkent RU (synthetic)", "toshkent_ru_sample", "UZB", ("ru",), 1700000012),
    Channel("Pak Updates (synthetic)", "pak_updates_sample", "PAK", ("en",), 1700000013),
    Channel("Khabar PK (synthetic)", "khabar_pk_sample", "PAK", ("ur",), 1700000014),
)
"""The exported chats: two or three per country, and one group of people in Kyrgyzstan."""
UNEXPORTED = ("Mir Novostei (synthetic)", "Region Digest (synthetic)")
"""Channels forwarded from but not in the export: their country stays unknown."""
PEOPLE = ("Aibek K.", "Nurlan S.", "Aigerim T.", "Timur B.", "Dilnoza R.", "Elena P.")
_TAGS = {
    "ru": "#новости",
    "kk": "#жаңалық",
    "ky": "#жаңылык",
    "tg": "#хабар",
    "tk": "#habar",
    "uz": "#yangilik",
    "uz-Cyrl": "#янгилик",
    "en": "#news",
    "ur": "#خبریں",
}
_REACTIONS = ("👍", "😱", "🔥", "👎")


def _unix(stamp: pd.Timestamp) -> str:
    return str(int(stamp.timestamp()))


def _local(stamp: pd.Timestamp) -> str:
    return (stamp.tz_convert("UTC").tz_localize(None) + CLOCK).isoformat(timespec="seconds")


def _entities(rng: np.random.Generator, text: str, lang: str, channel: Channel) -> object:
    """The text as Telegram writes it: a plain string, or a list of strings and entities."""
    kind = int(rng.integers(4))
    if kind == 0:
        return text
    head, _, rest = text.partition(" ")
    parts: list[object] = [{"type": "bold", "text": head}, " " + rest]
    if kind >= 2:
        parts += [" ", {"type": "hashtag", "text": _TAGS[lang]}]
    if kind == 3:
        other = base._pick(rng, [c for c in CHANNELS if c.username and c != channel])
        site = f"https://{channel.username.replace('_', '-')}.example/{int(rng.integers(10**4))}"
        parts += [
            " ",
            {"type": "mention", "text": f"@{other.username}"},
            " ",
            {"type": "text_link", "text": "→", "href": site},
        ]
    return parts


def _message(
    rng: np.random.Generator, channel: Channel, stamp: pd.Timestamp, text: str, lang: str
) -> dict:
    message: dict = {
        "id": 0,
        "type": "message",
        "date": _local(stamp),
        "date_unixtime": _unix(stamp),
    }
    if channel.kind == "public_supergroup":
        person = int(rng.integers(len(PEOPLE)))
        message.update({"from": PEOPLE[person], "from_id": f"user{9000 + person}"})
    else:
        message.update({"from": channel.name, "from_id": f"channel{channel.chat_id}"})
    message["text"] = _entities(rng, text, lang, channel)
    media = rng.random()
    if media < 0.15:
        message.update(
            photo="(File not included. Change data exporting settings to download.)",
            width=1280,
            height=720,
        )
    elif media < 0.22:
        message.update(
            file="(File not included. Change data exporting settings to download.)",
            media_type="video_file",
            mime_type="video/mp4",
        )
    if rng.random() < 0.5:
        counts = rng.integers(1, 60, size=int(rng.integers(1, 3)))
        message["reactions"] = [
            {"type": "emoji", "count": int(n), "emoji": _REACTIONS[j]}
            for j, n in enumerate(counts)
        ]
    return message


def _stories(rng: np.random.Generator, items: dict[str, list[dict]], channel: Channel) -> list:
    """(time, text, lang, checked later) of a channel's own posts: its country's stories, in its languages."""
    checked = [r for r in items[channel.country] if r["fact_check"] and r["lang"] in channel.langs]
    posts = []
    for _ in range(channel.posts):
        if checked and rng.random() < 0.35:
            # A claim a fact-checker rates later: posted here one to twenty days before.
            row = base._pick(rng, checked)
            stamp = row["stamp"] - pd.Timedelta(hours=int(rng.integers(24, 480)))
            posts.append((stamp, base._render(rng, row["story"], row["lang"]), row["lang"], True))
            continue
        stamp, topic = base._moment(rng, channel.country)
        lang = base._pick(rng, channel.langs)
        story = base._story(rng, lang, topic, channel.country)
        posts.append((stamp, base._render(rng, story, lang), lang, False))
    return posts


def _forward_targets(source: Channel, lang: str) -> list[Channel]:
    """Where a post of ``source`` in ``lang`` is forwarded.

    Any other channel of its country; abroad, Russian posts to channels that read Russian, and
    Uzbek posts between Uzbekistan and Tajikistan.
    """
    uzbek = lang in ("uz", "uz-Cyrl") and {"uz", "uz-Cyrl", "ru"}
    return [
        c
        for c in CHANNELS
        if c != source
        and (
            c.country == source.country
            or (lang == "ru" and "ru" in c.langs)
            or (uzbek and {source.country, c.country} <= {"UZB", "TJK"} and set(c.langs) & uzbek)
        )
    ]


def _chats(rng: np.random.Generator, items: dict[str, list[dict]]) -> tuple[list[dict], dict]:
    """Every exported chat with its messages, and counts for the README."""
    own = {c.name: _stories(rng, items, c) for c in CHANNELS}
    inbox: dict[str, list[dict]] = {c.name: [] for c in CHANNELS}
    counts = {"forwards": 0, "cross_border": 0}
    for source in CHANNELS:
        for stamp, text, lang, checked in own[source.name]:
            targets = _forward_targets(source, lang)
            # Claims that travel are the ones fact-checkers pick up: forwarded more often.
            if (
                not targets
                or source.kind != "public_channel"
                or rng.random() > (0.45 if checked else 0.15)
            ):
                continue
            for target in rng.choice(
                len(targets), size=min(len(targets), int(rng.integers(1, 3))), replace=False
            ):
                to = targets[int(target)]
                later = stamp + pd.Timedelta(minutes=int(rng.integers(10, 4320)))
                inbox[to.name].append(
                    {
                        "stamp": later,
                        "text": text,
                        "lang": lang,
                        "forwarded_from": source.name,
                        "forwarded_from_id": f"channel{source.chat_id}",
                    }
                )
                counts["forwards"] += 1
                counts["cross_border"] += to.country != source.country
    chats = []
    for channel in CHANNELS:
        extra = []
        for _ in range(channel.posts // 12):  # forwards from channels and people not exported
            stamp, topic = base._moment(rng, channel.country)
            lang = base._pick(rng, channel.langs)
            text = base._render(rng, base._story(rng, lang, topic, channel.country), lang)
            people = channel.kind == "public_supergroup"
            origin = base._pick(rng, PEOPLE if people else UNEXPORTED)
            extra.append(
                {
                    "stamp": stamp,
                    "text": text,
                    "lang": lang,
                    "forwarded_from": origin,
                    "forwarded_from_id": f"user{8000 + PEOPLE.index(origin)}"
                    if people
                    else f"channel{1800000000 + UNEXPORTED.index(origin)}",
                }
            )
        posts = [{"stamp": s, "text": t, "lang": g} for s, t, g, _ in own[channel.name]]
        posts += inbox[channel.name] + extra
        posts.sort(key=lambda p: (p["stamp"], p["text"]))
        chats.append(_chat(rng, channel, posts))
    counts["messages"] = sum(len(c["messages"]) for c in chats)
    counts["service"] = sum(m["type"] == "service" for c in chats for m in c["messages"])
    return chats, counts


def _chat(rng: np.random.Generator, channel: Channel, posts: list[dict]) -> dict:
    """One chat of the export: a service message first, then the posts, ids counting up."""
    first = posts[0]["stamp"] - pd.Timedelta(days=3)
    group = channel.kind == "public_supergroup"
    opened = {
        "id": 1,
        "type": "service",
        "date": _local(first),
        "date_unixtime": _unix(first),
        "actor": channel.name if not group else PEOPLE[0],
        "actor_id": f"channel{channel.chat_id}" if not group else "user9000",
        "action": "create_channel" if not group else "invite_members",
        "text": "",
    }
    if group:
        opened["members"] = list(PEOPLE[1:])
    messages = [opened]
    for post in posts:
        message = _message(rng, channel, post["stamp"], post["text"], post["lang"])
        message["id"] = len(messages) + 1
        if "forwarded_from" in post:
            message["forwarded_from"] = post["forwarded_from"]
            message["forwarded_from_id"] = post["forwarded_from_id"]
        if group and len(messages) > 2 and rng.random() < 0.2:
            message["reply_to_message_id"] = int(rng.integers(2, len(messages)))
        if rng.random() < 0.05:
            edited = post["stamp"] + pd.Timedelta(minutes=int(rng.integers(1, 90)))
            message.update(edited=_local(edited), edited_unixtime=_unix(edited))
        messages.append(message)
        if rng.random() < 0.02:
            messages.append(
                {
                    "id": len(messages) + 1,
                    "type": "service",
                    "date": message["date"],
                    "date_unixtime": message["date_unixtime"],
                    "actor": message["from"],
                    "actor_id": message["from_id"],
                    "action": "pin_message",
                    "message_id": message["id"],
                    "text": "",
                }
            )
    return {
        "name": channel.name,
        "type": channel.kind,
        "id": channel.chat_id,
        "messages": messages,
    }


COLUMNS = {
    "item_id": "post_id",
    "country": "country",
    "url": "url",
    "date_published": "date_utc",
    "claim_text": "text",
    "claim_author": "from",
    "source_type": "author_kind",
    "channel": "chat_name",
    "forwarded_from": "forwarded_from",
    "claim_platform": "platform",
    "format": "media_type",
    "reply_to": "reply_to_message_id",
    "reactions": "reactions",
    "hashtags": "hashtags",
    "links": "links",
}
"""The codebook's variables: canonical name to the reader's column (CODEBOOK.md, "Telegram")."""


def codebook(seed: int) -> dict:
    """The export's codebook, with every exported chat's username and country declared."""
    book = base._codebook(
        "telegram_result",
        FILE,
        "telegram",
        {
            "en": "Synthetic Telegram Desktop export: public channels of all six countries.",
            "ru": "Синтетическая выгрузка Telegram Desktop: публичные каналы всех шести стран.",
        },
        COLUMNS,
        seed,
    )
    book["dataset"]["channels"] = {
        c.name: {"username": c.username, "country": c.country}
        if c.username
        else {"country": c.country}
        for c in CHANNELS
    }
    variables = book["variables"]
    variables["reactions"]["type"] = "integer"
    for public in ("channel", "forwarded_from"):  # channels are public authors
        variables[public]["public"] = True
    return book


def export(seed: int, items: dict[str, list[dict]]) -> tuple[bytes, dict]:
    """The whole-account ``result.json`` and counts for the README."""
    rng = np.random.default_rng([seed, 20])
    chats, counts = _chats(rng, items)
    document = {
        "about": "Here is the data you requested. This export is SYNTHETIC (milresearch sample).",
        "personal_information": {
            "user_id": 1,
            "first_name": "Sample",
            "last_name": "Researcher",
            "phone_number": "",
            "bio": "synthetic",
        },
        "chats": {"about": "This page lists all chats from this export.", "list": chats},
        "left_chats": {
            "about": "This page lists all supergroups and channels you left.",
            "list": [],
        },
    }
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8"), counts
