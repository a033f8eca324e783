"""Replaying HTTP session for the live-client tests (stands in for requests.Session inside cbsodata)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import requests

FIXTURES = Path(__file__).parent / "fixtures"
RECORDED = Path(__file__).parents[2].parent / "shared/reference/cbs/recorded"
RECORDED_V4 = RECORDED.parent / "recorded_v4"


class _Response:
    def __init__(self, url: str, text: str, status: int = 200) -> None:
        self.url, self.text, self.status_code, self.encoding = url, text, status, "utf-8"

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise requests.HTTPError(f"{self.status_code} for {self.url}")

    def json(self) -> object:
        return json.loads(self.text)


class ReplaySession:
    """Stands in for requests.Session inside cbsodata: answers from fixture files by entity and $skip."""

    log: ClassVar[list[str]] = []

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, prepared: requests.PreparedRequest, **kwargs: object) -> _Response:
        url = str(prepared.url)
        type(self).log.append(url)
        parts = urlsplit(url)
        entity = parts.path.rstrip("/").split("/")[-1]
        name = "_root" if entity.lower() == "81431ned" else entity
        skip = parse_qs(parts.query).get("$skip")
        if skip:
            name += f"__skip{skip[0]}"
        file = self.directory / f"{name}.json"
        if not file.exists():
            return _Response(url, "{}", 404)
        return _Response(url, file.read_text(encoding="utf-8"))
