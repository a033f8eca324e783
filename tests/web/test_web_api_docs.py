"""The API's interactive documentation in a real browser: Swagger UI from the bundled assets renders
every operation of the OpenAPI document, with the network outside loopback blocked."""

from __future__ import annotations

from typing import Any


def test_swagger_ui_renders_offline(visit: Any) -> None:
    visit.goto("/api/v1/docs")
    operations = visit.page.locator(".opblock")
    operations.first.wait_for(timeout=30_000)
    assert operations.count() >= 20
    assert visit.page.locator("#routes").is_hidden()  # the no-JavaScript list gives way to the UI
    assert visit.external == [] and visit.console_errors == []
    visit.screenshot("api-docs")
