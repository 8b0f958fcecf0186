"""Reading the catalog of MIL initiatives: the sources ``data/raw/catalog/catalog.yml`` declares.

A source is a folder and a format. A reader (one per format, in :data:`READERS`) turns each
file into raw records: plain dicts keyed by catalog column, plus the repairs it made, which the
cleaning step logs. Nothing here maps vocabularies or removes duplicates (see
:mod:`milresearch.clean.catalog`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from milresearch.errors import DataError
from milresearch.yamlfile import SafeLoader, parse_yaml, read_yaml

DECLARATION = "catalog.yml"
ENTRY_KEYS = (
    "organisation",
    "name",
    "countries",
    "type",
    "category",
    "mil_components",
    "target_groups",
    "languages",
    "donor",
    "date_start",
    "date_end",
    "url",
    "licence",
    "description",
)
"""The keys of a user's own entry (``data/raw/catalog/README.md``)."""
LIST_KEYS = ("countries", "mil_components", "target_groups", "languages")


@dataclass(frozen=True)
class CatalogSource:
    """One declared source of catalog records."""

    key: str
    folder: Path
    format: str
    name: str
    citation: str = ""
    url: str = ""
    licence: str = ""
    licence_file: str = ""
    skip: tuple[str, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class RawRecord:
    """What a reader found in one record, before cleaning."""

    source: str
    file: str
    values: dict[str, Any]
    repairs: list[tuple[str, str]] = field(default_factory=list)
    """(rule, detail) pairs: what had to be fixed to read it."""


def load_sources(catalog_dir: Path) -> list[CatalogSource]:
    """The sources declared in ``catalog_dir/catalog.yml``; none when there is no catalog.

    Raises:
        DataError: For a declaration that lacks a key, or names an unknown format or folder.
    """
    path = Path(catalog_dir) / DECLARATION
    if not path.exists():
        return []
    declared = read_yaml(path) or {}
    sources = []
    for key, spec in (declared.get("sources") or {}).items():
        where = f"sources.{key}"
        if not isinstance(spec, dict) or "folder" not in spec or "format" not in spec:
            raise DataError(
                "a source needs a folder and a format",
                path=path,
                where=where,
                hint="give folder: <folder below data/raw/catalog> and format: "
                f"{' or '.join(READERS)}",
            )
        if spec["format"] not in READERS:
            raise DataError(
                f"unknown format {spec['format']!r}",
                path=path,
                where=f"{where}.format",
                hint=f"use one of: {', '.join(READERS)}",
            )
        folder = path.parent / str(spec["folder"])
        if not folder.is_dir():
            raise DataError(
                f"folder {spec['folder']!r} not found",
                path=path,
                where=f"{where}.folder",
                hint="create it, or remove the source",
            )
        known = {
            "folder",
            "format",
            "name",
            "citation",
            "url",
            "licence",
            "licence_file",
            "skip",
            "fields",
        }
        unknown = sorted(set(spec) - known)
        if unknown:
            raise DataError(
                f"unknown key(s) {', '.join(unknown)}",
                path=path,
                where=where,
                hint=f"use only: {', '.join(sorted(known))}",
            )
        sources.append(
            CatalogSource(
                key=str(key),
                folder=folder,
                format=str(spec["format"]),
                name=str(spec.get("name") or key),
                citation=str(spec.get("citation") or ""),
                url=str(spec.get("url") or ""),
                licence=str(spec.get("licence") or ""),
                licence_file=str(spec.get("licence_file") or ""),
                skip=tuple(spec.get("skip") or ()),
                fields={str(k): str(v) for k, v in (spec.get("fields") or {}).items()},
            )
        )
    return sources


def read_sources(catalog_dir: Path) -> tuple[list[CatalogSource], list[RawRecord]]:
    """Every declared source and the raw records its files hold."""
    sources = load_sources(catalog_dir)
    records = []
    for source in sources:
        records += READERS[source.format](source)
    return sources, records


# --- markdown: one record per file, YAML front matter between --- lines ----------------------

_ESCAPED = re.compile(r"\\([-\[\]\"'_*#()`!.])")
_KEY = re.compile(r"^[A-Za-z_][\w-]*:")
_LINK = re.compile(r"\[([^\]]*)\]\s*\((https?://[^)\s]+)\)")


class _FirstKeyLoader(SafeLoader):
    """A safe loader that keeps the first of two equal keys and notes the others."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.repeated: list[str] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        mapping: dict = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in mapping:
                self.repeated.append(str(key))
                continue
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def unescape_markdown(text: str) -> str:
    r"""Undo an editor's Markdown escaping: ``\-\--\`` back to ``---``, ``\[\"`` to ``["``.

    Some records were saved from a rich-text editor, which escapes every bracket, quote and
    dash and ends each line with a backslash (a hard break).
    """
    lines = [line.removesuffix("\\") for line in text.split("\n")]
    return _ESCAPED.sub(r"\1", "\n".join(lines))


def split_front_matter(text: str) -> tuple[str, str] | None:
    """The front matter and body of a Markdown file, or None when it has none."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :])
    return None


def _indent_continuations(front: str) -> str:
    """Indent lines that continue a key's value, as YAML needs, when an editor lost the indent."""
    out = []
    for line in front.split("\n"):
        out.append(
            line if not line.strip() or _KEY.match(line) or line[:1] in " \t-#" else "  " + line
        )
    return "\n".join(out)


def parse_front_matter(front: str, path: Path) -> tuple[dict, list[str]]:
    """Front matter as a dict, and the keys given twice (the first value is kept)."""
    loader = _FirstKeyLoader(front)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError:
        loader.dispose()
        loader = _FirstKeyLoader(_indent_continuations(front))
        try:
            data = loader.get_single_data()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise DataError(
                f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}",
                path=path,
                where=f"front matter line {mark.line + 1}" if mark else None,
                hint="fix the file's front matter, or add its name to the source's skip: list",
            ) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise DataError(
            "front matter is not a mapping of keys",
            path=path,
            hint="write key: value lines between the --- lines",
        )
    return data, list(loader.repeated)


def read_markdown_file(path: Path, source: CatalogSource) -> RawRecord | None:
    """One record from a Markdown file with front matter; None for a file without any."""
    raw = path.read_bytes()
    repairs = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        repairs.append(("bom_removed", "UTF-8 byte-order mark"))
    try:
        text = raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"not UTF-8 (byte {exc.start})", path=path, hint="save the file as UTF-8"
        ) from None
    if text.lstrip().startswith("\\-\\-"):
        text = unescape_markdown(text.lstrip())
        repairs.append(("escaped_front_matter", "backslash escapes removed"))
    parts = split_front_matter(text)
    if parts is None:
        return None
    front, body = parts
    data, repeated = parse_front_matter(front, path)
    repairs += [("duplicate_key", f"{k!r} given twice; the first kept") for k in repeated]
    fields = source.fields or {}
    values = {column: data.get(key) for column, key in fields.items()}
    link = _LINK.search(body)
    values["url"] = link.group(2) if link else None
    values["body"] = body.strip()
    return RawRecord(source.key, f"{source.folder.name}/{path.name}", values, repairs)


def read_markdown(source: CatalogSource) -> list[RawRecord]:
    """Every ``*.md`` record in the source's folder (files in ``skip`` left out)."""
    records = []
    for path in sorted(source.folder.glob("*.md")):
        if path.name in source.skip:
            continue
        record = read_markdown_file(path, source)
        if record is not None:
            records.append(record)
    return records


# --- entries: users' own YAML lists ------------------------------------------------------------


def read_entries(source: CatalogSource) -> list[RawRecord]:
    """Users' own entries: every ``*.yml`` file in the folder, each a list under ``entries:``.

    Raises:
        DataError: Naming the file, the entry and the key, for an unknown or missing key.
    """
    records = []
    for path in sorted(source.folder.glob("*.yml")):
        data = parse_yaml(path.read_text(encoding="utf-8-sig"), path=path) or {}
        entries = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise DataError(
                "no list of entries",
                path=path,
                where="entries",
                hint="write entries: followed by one '- organisation: …' per project",
            )
        for i, entry in enumerate(entries, start=1):
            where = f"entries[{i}]"
            if not isinstance(entry, dict):
                raise DataError(
                    "an entry must be a mapping of keys",
                    path=path,
                    where=where,
                    hint="begin each entry with '- organisation: …'",
                )
            unknown = sorted(set(map(str, entry)) - set(ENTRY_KEYS))
            if unknown:
                raise DataError(
                    f"unknown key(s) {', '.join(unknown)}",
                    path=path,
                    where=where,
                    hint=f"use only: {', '.join(ENTRY_KEYS)}",
                )
            for key in ("organisation", "countries"):
                if not entry.get(key):
                    raise DataError(
                        f"the entry has no {key}",
                        path=path,
                        where=f"{where}.{key}",
                        hint="see data/raw/catalog/README.md for the schema",
                    )
            values = {k: entry.get(k) for k in ENTRY_KEYS}
            values["name"] = values["name"] or values["organisation"]
            values["categories"] = values.pop("category")
            values["types"] = values.pop("type")
            values["where"] = where
            records.append(RawRecord(source.key, f"{source.folder.name}/{path.name}", values))
    return records


READERS: dict[str, Callable[[CatalogSource], list[RawRecord]]] = {
    "markdown": read_markdown,
    "entries": read_entries,
}
"""Format name (``format:`` in the declaration) to its reader."""
