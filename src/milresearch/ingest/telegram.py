"""Telegram Desktop's "Export chat history" (``result.json``), read as it really is, streaming.

The export is one JSON document: a single chat (``{name, type, id, messages: [...]}``) or a whole
account (``{chats: {list: [{name, type, id, messages}, ...]}}``, with ``left_chats`` beside it).
Exports of big channels run to hundreds of MB, so messages are read one at a time with ijson and
never held as a document. Each message becomes a row with the columns in :data:`COLUMNS`, which
a codebook maps like any other source columns (``data/raw/CODEBOOK.md``, "Telegram").

What the format does that a reader must undo:

- ``text`` is a string, or a list of strings and entities (``{"type": "bold", "text": ...}``,
  ``{"type": "text_link", "text": ..., "href": ...}``, mentions, hashtags): flattened to plain
  text, with the links, hashtags and mentions kept in their own columns.
- ``date`` is the exporting machine's local time, without a zone; ``date_unixtime`` is UTC. The
  UTC value is used, and the offset between the two is reported (the cleaning log shows it).
- Service messages (``type: service``: joins, pins, title changes) are not posts: skipped, counted.
- In groups ``from`` is a person: pseudonymised with a keyed hash (:func:`pseudonym`). A channel
  is a public author and keeps its name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from milresearch.errors import DataError

COLUMNS = (
    "post_id",
    "message_id",
    "chat_id",
    "chat_name",
    "chat_type",
    "date_utc",
    "date_local",
    "from",
    "from_id",
    "author_kind",
    "text",
    "links",
    "hashtags",
    "mentions",
    "forwarded_from",
    "forwarded_from_id",
    "reply_to_message_id",
    "edited_utc",
    "media_type",
    "reactions",
    "url",
    "country",
    "platform",
)
"""The source columns a Telegram export gives a codebook."""
CHANNEL_TYPES = ("public_channel", "private_channel", "channel")
"""Chat types whose posts are written by the channel itself (a public author)."""
SCALARS = ("string", "number", "integer", "double", "boolean")
PERSONAL_TYPES = ("personal_chat", "saved_messages", "bot_chat")
"""Chat types named after a person (the other side of a private chat): the name is pseudonymised."""
PERSON_PREFIX = "person-"
"""How every pseudonym begins: a reader of processed data can tell a person from a channel."""
KEY_ENV = "MILRESEARCH_PSEUDONYM_KEY"
KEY_FILE = "pseudonym.key"
_HINT = "export with Telegram Desktop: Settings > Advanced > Export Telegram data, format JSON"


def pseudonym(value: str, key: bytes) -> str:
    """A stable stand-in for a person: the same person, the same pseudonym; no way back."""
    return PERSON_PREFIX + hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:12]


def pseudonym_key(config_dir: Path) -> bytes:
    """The project's key for pseudonyms: ``$MILRESEARCH_PSEUDONYM_KEY``, else a file in config/.

    The file (git-ignored) is made once, readable by its owner only; it never reaches processed
    data or reports. Keep it to keep pseudonyms stable across runs; delete it to make new ones.
    """
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode("utf-8")
    path = Path(config_dir) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


def flatten_text(text: Any) -> tuple[str, list[str], list[str], list[str]]:
    """Plain text, links, hashtags and mentions of a message's ``text`` (string or entity list)."""
    if isinstance(text, str):
        return text, [], [], []
    parts, links, tags, mentions = [], [], [], []
    for piece in text or []:
        if isinstance(piece, str):
            parts.append(piece)
            continue
        if not isinstance(piece, dict):
            continue
        shown = str(piece.get("text", ""))
        parts.append(shown)
        kind = piece.get("type")
        if kind == "text_link" and piece.get("href"):
            links.append(str(piece["href"]))
        elif kind == "link":
            links.append(shown)
        elif kind == "hashtag":
            tags.append(shown)
        elif kind in ("mention", "mention_name"):
            mentions.append(shown)
    return "".join(parts), links, tags, mentions


def _utc(unixtime: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(unixtime), dt.UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _reactions(value: Any) -> int:
    """All reactions of a message, summed (the export lists ``{type, count, emoji}``)."""
    if not isinstance(value, list):
        return 0
    return sum(int(r.get("count") or 0) for r in value if isinstance(r, dict))


def _media_type(message: dict) -> str:
    if message.get("media_type"):
        return str(message["media_type"])
    for key in ("photo", "file", "poll", "location_information", "contact_information"):
        if key in message:
            return {"location_information": "location", "contact_information": "contact"}.get(
                key, key
            )
    return ""


def _incomplete(path: Path, exc: Exception) -> DataError:
    return DataError(
        f"not a complete JSON export ({exc})",
        path=path,
        hint=_HINT + "; a cut-off download ends mid-file",
    )


def _single_chat(path: Path) -> dict | None:
    """The name, type and id of a single-chat export (read from its head), else None.

    Telegram writes them before ``messages``; an account export starts with other keys and
    has ``chats``. Only the head of the file is parsed.
    """
    import ijson

    chat: dict = {}
    with path.open("rb") as stream:
        try:
            for prefix, event, value in ijson.parse(stream, use_float=True):
                if prefix in ("name", "type", "id") and event in SCALARS:
                    chat[prefix] = value
                elif prefix == "messages" and event == "start_array":
                    return chat
                elif prefix in ("chats", "left_chats"):
                    return None
        except ijson.JSONError:
            return None  # the general path reports the error with the file's name
    return None


def _messages(path: Path) -> Iterator[tuple[dict, dict]]:
    """``(chat, message)`` pairs, streamed; ``chat`` holds the chat's name, type and id."""
    import ijson

    single = _single_chat(path)
    if single is not None:
        # One chat: ijson's C backend builds each message itself, three times as fast as
        # following the events in Python.
        with path.open("rb") as stream:
            try:
                for message in ijson.items(stream, "messages.item", use_float=True):
                    yield single, message
            except ijson.JSONError as exc:
                raise _incomplete(path, exc) from None
        return
    chat: dict = {}
    builder = None
    message_prefix = ""
    chats = ("chats.list.item", "left_chats.list.item")
    with path.open("rb") as stream:
        try:
            for prefix, event, value in ijson.parse(stream, use_float=True):
                if builder is not None:
                    builder.event(event, value)
                    if prefix == message_prefix and event == "end_map":
                        yield chat, builder.value
                        builder = None
                    continue
                head, _, key = prefix.rpartition(".")
                if prefix in chats and event == "start_map":
                    chat = {}  # the next chat of a whole-account export
                elif head in ("", *chats) and key in ("name", "type", "id") and event in SCALARS:
                    chat[key] = value
                elif prefix.endswith("messages.item") and event == "start_map":
                    message_prefix = prefix
                    builder = ijson.ObjectBuilder()
                    builder.event(event, value)
        except ijson.JSONError as exc:
            raise _incomplete(path, exc) from None


def read_export(
    path: Path, channels: dict[str, dict] | None = None, key: bytes = b""
) -> tuple[dict[str, list], Counter, Counter]:
    """Every post of a Telegram Desktop export, as a list of values per column of :data:`COLUMNS`.

    Args:
        path: ``result.json``.
        channels: What the codebook declares of each chat, by chat id or name: its public
            ``username`` (to rebuild post URLs ``t.me/<username>/<id>``; a chat without one
            gets none) and its ``country`` (the ``country`` column).
        key: The pseudonym key (:func:`pseudonym_key`); people in groups are replaced by it.

    Returns:
        The columns, service messages skipped per chat, and how often each UTC offset of the
        exporting machine's clock was seen (``+05:00``).

    Raises:
        DataError: For a file that is not a Telegram export.
    """
    declared = {str(k): dict(v or {}) for k, v in (channels or {}).items()}
    columns: dict[str, list] = {name: [] for name in COLUMNS}
    service: Counter = Counter()
    offsets: Counter = Counter()
    for chat, message in _messages(path):
        if message.get("type") == "service":
            service[str(chat.get("name", ""))] += 1
            continue
        utc = _utc(message.get("date_unixtime"))
        local = message.get("date")
        if utc is not None and local:
            try:
                shift = dt.datetime.fromisoformat(str(local)) - utc.replace(tzinfo=None)
                minutes = round(shift.total_seconds() / 60)
                sign = "+" if minutes >= 0 else "-"
                offsets[f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"] += 1
            except ValueError:
                pass
        text, links, tags, mentions = flatten_text(message.get("text"))
        chat_type = str(chat.get("type", ""))
        channel = chat_type in CHANNEL_TYPES
        author, author_id = message.get("from"), message.get("from_id")
        if not channel and (author or author_id):
            hidden = pseudonym(str(author_id or author), key)
            author, author_id = hidden, hidden
        forwarded, forwarded_id = message.get("forwarded_from"), message.get("forwarded_from_id")
        if forwarded_id and str(forwarded_id).startswith("user"):
            # Forwarded from a person, not a channel: a person is never named.
            forwarded = forwarded_id = pseudonym(str(forwarded_id), key)
        spec = (
            declared.get(str(chat.get("id", ""))) or declared.get(str(chat.get("name", ""))) or {}
        )
        chat_name = chat.get("name")
        if chat_type in PERSONAL_TYPES and chat_name:
            chat_name = pseudonym(str(chat.get("id") or chat_name), key)
        username = str(spec.get("username") or "").lstrip("@")
        edited = _utc(message.get("edited_unixtime"))
        row = {
            # Message ids count up within a chat: only chat and id together name a post.
            "post_id": f"{chat.get('id', '')}/{message.get('id')}",
            "message_id": message.get("id"),
            "chat_id": chat.get("id"),
            "chat_name": chat_name,
            "chat_type": chat_type,
            "date_utc": utc.isoformat() if utc else None,
            "date_local": local,
            "from": author,
            "from_id": author_id,
            "author_kind": "channel" if channel else "person",
            "text": text,
            "links": " ".join(links),
            "hashtags": " ".join(tags),
            "mentions": " ".join(mentions),
            "forwarded_from": forwarded,
            "forwarded_from_id": forwarded_id,
            "reply_to_message_id": message.get("reply_to_message_id"),
            "edited_utc": edited.isoformat() if edited else None,
            "media_type": _media_type(message),
            "reactions": _reactions(message.get("reactions")),
            "url": f"https://t.me/{username}/{message.get('id')}" if username else None,
            "country": spec.get("country"),
            "platform": "telegram",
        }
        # Column lists, not a list of row dicts: a million dicts would double the memory.
        for name in COLUMNS:
            columns[name].append(row[name])
    if not columns["post_id"] and not service:
        raise DataError(
            "no messages found",
            path=path,
            hint=_HINT + ", and point the codebook at its result.json",
        )
    return columns, service, offsets
