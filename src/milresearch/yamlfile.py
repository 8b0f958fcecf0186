"""YAML files a user writes (codebooks, settings): read strictly, refused with a clear message.

PyYAML alone keeps the last of two equal keys without a word, so ``98:`` written twice recodes
one missing reason as the other; and it expands anchors, so a 1 KB file of nested aliases (a
"billion laughs") can fill memory in whatever walks the result. Neither is ever needed in a
codebook, so both are refused, with the line and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from milresearch.errors import DataError

SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""PyYAML's safe loader on libyaml where it is built: it parses about ten times faster, and
the constructor (so any checks a subclass adds to it) stays Python."""


class _StrictLoader(SafeLoader):
    """A safe loader that refuses a key given twice and any anchor or alias."""

    def construct_object(self, node, deep=False):
        # The composer gives an alias the very node of its anchor, so a node met a second time
        # is an alias (a merge key ``<<: *base`` included).
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "anchors and aliases (&name, *name) are not accepted", node.start_mark
            )
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, found {node.id}", node.start_mark
            )
        mapping = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                taken = key in mapping
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    "a key must be a plain value, not a list or mapping",
                    key_node.start_mark,
                ) from None
            if taken:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} appears twice", key_node.start_mark
                )
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def parse_yaml(text: str, *, path: str | Path) -> Any:
    """Parse YAML text strictly; errors name ``path`` and the line.

    Raises:
        DataError: For invalid YAML, a key given twice, or an anchor or alias.
    """
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataError(
            f"not valid YAML: {problem}",
            path=path,
            where=where,
            hint="fix the YAML at that line; write each key once and values in full (no &anchors)",
        ) from None


def read_yaml(path: str | Path) -> Any:
    """Read a UTF-8 YAML file strictly.

    Raises:
        DataError: For a missing file, text that is not UTF-8, and everything ``parse_yaml``
            refuses.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError("file not found", path=path, hint="check the file name") from None
    except IsADirectoryError:
        raise DataError("is a folder, not a file", path=path, hint="give the YAML file") from None
    except OSError as exc:
        raise DataError(
            f"cannot be read ({exc.strerror})", path=path, hint="check the file's permissions"
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"not UTF-8 text (byte {exc.start} cannot be read)",
            path=path,
            hint="save the file as UTF-8 (most editors offer it under 'Save as')",
        ) from None
    if "\x00" in text:
        raise DataError(
            "contains NUL bytes, so it is not a text file",
            path=path,
            hint="save the file as plain UTF-8 text",
        ) from None
    return parse_yaml(text, path=path)
