"""The reader's HTML report on the seed, as a person sees it: rendered in Chromium at 1280 px, offline,
with its language set and the Kamerstuk references linked; the screenshot is kept in tests/artifacts/."""

from __future__ import annotations

from pathlib import Path

from peloton.reader import read_document, to_html

from .reader_support import seed_text

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"  # git-ignored


def test_seed_report_renders_offline_with_links(chromium, tmp_path: Path) -> None:
    page_file = tmp_path / "seed.html"
    page_file.write_text(to_html(read_document(seed_text())), encoding="utf-8")
    with chromium(page_file) as seen:
        page = seen.page
        page.set_viewport_size({"width": 1280, "height": 900})
        assert page.evaluate("() => document.documentElement.lang") in ("en", "nl")
        links = page.evaluate(
            "() => Array.from(document.querySelectorAll('a[href*=\"officielebekendmakingen.nl/kst-\"]'))"
            ".map(a => a.href)"
        )
        assert len(links) >= 7, links  # the seed's seven Kamerstuk references, each a link
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "reader_seed_1280.png"
        page.screenshot(path=str(shot), full_page=True)
    assert not seen.errors
    assert seen.offline()
    assert shot.stat().st_size > 50_000
