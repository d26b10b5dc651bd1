"""/docs (Swagger UI) and /redoc work with no network: a real Chromium opens them from
a real uvicorn server, every request the page makes is recorded (DevTools network
log), and none may leave 127.0.0.1 (issue 15). The assets come from the
fastapi-offline package, not from a CDN."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from search_api.settings import Settings
from tests.browser import chromium, needs_chromium
from tests.serving import running

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The API (no index needed to serve its docs) in uvicorn on a free local port."""
    from search_api.app import create_app

    index_dir = tmp_path_factory.mktemp("docs") / "index"
    app = create_app(
        Settings(index_dir=index_dir, corpus_dir=ROOT / "corpus", root=ROOT), with_ui=False
    )
    with running(app) as address:
        yield address


@pytest.fixture()
def driver() -> Iterator[Any]:
    d = chromium(capabilities={"goog:loggingPrefs": {"performance": "ALL"}})
    try:
        yield d
    finally:
        d.quit()


def _requests(driver: Any) -> tuple[list[str], list[str]]:
    """The URLs the page asked for, and those the browser blocked before sending."""
    asked: dict[str, str] = {}
    blocked: set[str] = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message["params"]
        if message["method"] == "Network.requestWillBeSent":
            asked[params["requestId"]] = params["request"]["url"]
        elif message["method"] == "Network.loadingFailed" and params.get("blockedReason"):
            blocked.add(params["requestId"])
    sent = [u for i, u in asked.items() if i not in blocked]
    return sent, [asked[i] for i in blocked if i in asked]


def _wait_for(driver: Any, css: str) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, css))
    )


@pytest.mark.parametrize(
    ("page", "ready"),
    [
        # Swagger UI drew the operations and the Authorize button of the Bearer scheme.
        ("/docs", ".swagger-ui .opblock-summary-path[data-path='/api/v1/search']"),
        ("/redoc", "[data-section-id='tag/search']"),
    ],
)
def test_docs_render_with_no_request_leaving_the_machine(
    base: str, driver: Any, page: str, ready: str
) -> None:
    driver.get(base + page)
    _wait_for(driver, ready)
    if page == "/docs":
        assert _wait_for(driver, ".swagger-ui .btn.authorize").is_displayed()
    else:
        assert "tracuu" in driver.title
    time.sleep(1)  # late requests (images, workers) are logged too
    urls, blocked = _requests(driver)
    assert any(u.endswith(".js") for u in urls), urls  # the assets were loaded …
    network = [u for u in urls if u.split(":", 1)[0] in ("http", "https", "ws", "wss")]
    outside = [u for u in network if not u.startswith(base + "/")]
    assert outside == [], outside  # … and every one from this server
    # What the bundles would fetch from outside (ReDoc's credit logo) the page's policy
    # stops in the browser.
    assert all(not u.startswith(base) for u in blocked), blocked
