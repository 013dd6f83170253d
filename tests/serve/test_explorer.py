"""The web explorer in a real headless Chromium (Debian's ``chromium``, driven by Playwright
through its executable path: nothing is downloaded). If the browser cannot start, the test
fails: it does not skip. Screenshots go to ``build/screenshots/``."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kgfuse.serve import BackgroundServer

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def chromium_path() -> str:
    """The system Chromium, or a failure that says how to install it."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("no Chromium on PATH: run scripts/setup.sh (apt-get install chromium)")


@pytest.fixture(scope="module")
def page(api: BackgroundServer) -> Iterator[Any]:
    """A page of a headless Chromium at the explorer's URL (1366x800, a laptop screen)."""
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
        tab = browser.new_page(viewport={"width": 1366, "height": 800})
        tab.set_default_timeout(20_000)
        tab.on("pageerror", lambda err: errors.append(str(err)))
        tab.goto(api.url)
        tab.wait_for_selector("body[data-ready=true]")
        yield tab
        browser.close()
    assert errors == []  # no script error on the page


def test_search_card_neighbour_sentence_path_predict_ask(page: Any) -> None:
    # search with suggestions, chosen with the keyboard
    page.fill("#search", "einst")
    page.wait_for_selector("#suggestions button.suggestion[data-key=albert_einstein]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#card h2')?.textContent === 'Albert Einstein'")
    assert page.evaluate("cy.nodes().length") > 5  # the neighbourhood is drawn
    assert page.evaluate("cy.getElementById('albert_einstein').hasClass('focus')")
    page.screenshot(path=str(SCREENSHOTS / "1-card.png"))

    # expand a neighbour: its card opens and its neighbours join the graph
    before = page.evaluate("cy.nodes().length")
    page.click("#neighbours button.neighbour[data-key=marie_curie]")
    page.wait_for_function("document.querySelector('#card h2')?.textContent === 'Marie Curie'")
    page.wait_for_function(f"cy.nodes().length > {before}")
    assert page.evaluate("cy.getElementById('warsaw').length") == 1

    # a fact's supporting sentence, with subject and object highlighted, and its document
    page.click("#neighbours li:has(button[data-key=warsaw]) button.facts-button")
    page.wait_for_selector("#facts blockquote mark.object")
    assert page.inner_text("#facts blockquote mark.subject") in {"Marie Curie", "Curie"}
    assert page.inner_text("#facts blockquote mark.object") == "Warsaw"
    page.screenshot(path=str(SCREENSHOTS / "2-facts.png"))
    page.click("#facts a.doc-link")
    page.wait_for_selector("#document .text mark")
    assert "Warsaw" in page.inner_text("#document .text")

    # an edge of the graph opens its facts too
    page.evaluate("cy.getElementById('albert_einstein').connectedEdges()[0].emit('tap')")
    page.wait_for_function("document.querySelector('#facts h2 .subject') !== null")

    # path finder
    page.fill("#path-from", "Ulm")
    page.fill("#path-to", "Warsaw")
    page.click("#path-form button[type=submit]")
    page.wait_for_selector("#path-steps li")
    steps = page.inner_text("#path-steps")
    assert "born_in" in steps and "Warsaw" in steps
    assert page.evaluate("cy.edges('.path').length") >= 2

    # predict and ask forms (the server loaded a classifier and a QA model)
    page.fill("#predict-text", "Apple hired more people in Cupertino.")
    page.click("#predict-form button[type=submit]")
    page.wait_for_selector("#predicted-label")
    assert page.inner_text("#predicted-label") in {"science", "business"}
    page.fill("#ask-question", "what born in [Albert Einstein]")
    page.press("#ask-question", "Enter")  # forms submit from the keyboard
    page.wait_for_selector("#answers li")
    page.screenshot(path=str(SCREENSHOTS / "3-path-predict-ask.png"), full_page=True)


def test_errors_show_in_the_page(page: Any) -> None:
    page.fill("#path-from", "Ulm")
    page.fill("#path-to", "Zzyzx Qwerty")
    page.click("#path-form button[type=submit]")
    page.wait_for_function("document.querySelector('#error').textContent.includes('Zzyzx')")
