"""What the person importing decides about a sheet (SPEC 4.2.1, the mapping step), as plain data
that travels as JSON: in the pending upload, in the background job, in the organisation's mapping
profile. A column is named by its header (folded), so a profile fits the next upload with the
same headers even when the columns moved."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

PREFER_STATED, PREFER_COMPUTED = "stated", "computed"


@dataclass
class Decisions:
    sheet: str | None = None  # the sheet to read; None: the best-matching one
    columns: dict[str, str] = field(default_factory=dict)  # header -> key, "" to ignore it
    units: dict[str, str] = field(default_factory=dict)  # header -> minute/hour/…, or a period
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> {word: value}
    category: str = ""  # for tasks whose category is neither given nor inferred
    categories: dict[str, str] = field(default_factory=dict)  # department -> category
    department: str = ""  # for a sheet with no 部署 column and none above the table
    prefer: str = ""  # stated / computed: when the parts and the stated hours disagree
    prefer_rows: dict[str, str] = field(default_factory=dict)  # row number -> stated / computed
    merge: dict[str, str] = field(default_factory=dict)  # department -> the one it joins

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Decisions:
        """Tolerant of what an older profile or a hand-edited one holds: unknown names are
        dropped, wrong types give the default."""
        if not isinstance(data, dict):
            return cls()
        defaults = cls()
        values: dict[str, Any] = {}
        for name, default in dataclasses.asdict(defaults).items():
            given = data.get(name, default)
            if name == "sheet":
                values[name] = given if isinstance(given, str) else None
            elif isinstance(default, dict):
                values[name] = _string_dict(given, nested=name == "values")
            else:
                values[name] = given if isinstance(given, str) else default
        return cls(**values)

    def for_profile(self) -> Decisions:
        """What a later upload with the same headers can reuse: not this file's row decisions
        or its department."""
        return dataclasses.replace(self, prefer_rows={}, department="")


def _string_dict(value: Any, *, nested: bool) -> dict[str, Any]:
    if not isinstance(value, dict):
        return {}
    if nested:
        return {
            str(k): _string_dict(v, nested=False) for k, v in value.items() if isinstance(v, dict)
        }
    return {str(k): v for k, v in value.items() if isinstance(v, str)}
