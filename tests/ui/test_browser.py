"""The UI in a real headless Chromium: search, ask, open citations in the viewer, graph, lists.

A real ``uvicorn`` server serves ``create_app`` over the session's corpus index;
Selenium drives Debian's ``chromium`` through ``chromedriver`` (never a downloaded
browser). Screenshots go to ``test-artifacts/screenshots/`` at desktop and phone
width, for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from index.search import SearchIndex
from search_api.settings import Settings
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SHOTS = ROOT / "test-artifacts" / "screenshots"
DESKTOP = (1280, 900)
PHONE = (390, 844)
WAIT = 90  # seconds; the first search loads the model

pytestmark = pytest.mark.skipif(
    not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)),
    reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver);"
    " scripts/dev.sh installs them",
)

# Words Gradio shows in English that must not reach a user of this Vietnamese UI.
ENGLISH = ("Submit", "Clear", "Loading", "Search", "Use via API", "Built with", "Settings", "Flag")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serving(index_dir: Path, index: SearchIndex | None) -> Iterator[str]:
    """Runs ``create_app`` in uvicorn on a free local port; yields the UI's address."""
    import uvicorn

    from search_api.app import create_app

    settings = Settings(index_dir=index_dir, corpus_dir=ROOT / "corpus", root=ROOT)
    app = create_app(settings, index=index)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(corpus_index_dir: Path, corpus_index: SearchIndex) -> Iterator[str]:
    """Serves the app (API and UI) over the corpus index."""
    with _serving(corpus_index_dir, corpus_index) as url:
        yield url


def _driver(size: tuple[int, int]) -> Any:
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not fetch anything
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--lang=vi-VN",
        f"--user-data-dir={tempfile.mkdtemp(prefix='tracuu-chromium-')}",
        f"--window-size={size[0]},{size[1]}",
    ):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    # Headless windows have a minimum width; emulate the viewport (and a phone's
    # mobile viewport) through the DevTools protocol instead.
    metrics = {"width": size[0], "height": size[1], "deviceScaleFactor": 1}
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", metrics | {"mobile": size[0] < 600}
    )
    return driver


@pytest.fixture(scope="module")
def desktop() -> Iterator[Any]:
    """A headless Chromium at desktop size."""
    driver = _driver(DESKTOP)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def phone() -> Iterator[Any]:
    """A headless Chromium at phone size (390×844)."""
    driver = _driver(PHONE)
    yield driver
    driver.quit()


def _shot(driver: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    time.sleep(0.3)  # let the last paint land
    driver.save_screenshot(str(path))
    return path


def _wait(driver: Any, find: Callable[[Any], Any], timeout: float = WAIT) -> Any:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # Gradio re-renders HTML outputs; an element found a moment ago may be replaced.
    wait = WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,))
    return wait.until(find)


def _css(selector: str) -> Callable[[Any], Any]:
    from selenium.webdriver.common.by import By

    def find(driver: Any) -> Any:
        found = [e for e in driver.find_elements(By.CSS_SELECTOR, selector) if e.is_displayed()]
        return found or False

    return find


def _open(driver: Any, url: str) -> None:
    driver.get(url)
    _wait(driver, _css("#tracuu-query textarea"))


def _tab(driver: Any, label: str) -> None:
    from selenium.webdriver.common.by import By

    for button in driver.find_elements(By.CSS_SELECTOR, "button[role=tab]"):
        if button.text.strip() == label and button.is_displayed():
            button.click()
            return
    # At phone width Gradio folds tabs that do not fit into a menu.
    _wait(driver, _css(".overflow-menu > button, button.overflow-menu"))[0].click()
    for button in driver.find_elements(By.CSS_SELECTOR, "button"):
        if button.text.strip() == label and button.is_displayed():
            button.click()
            return
    raise AssertionError(f"no tab {label!r}")


def _text(element: Any) -> str:
    return str(element.get_property("textContent"))


def _raw(source: str) -> str:
    return (ROOT / source).read_text(encoding="utf-8")


def _search(driver: Any, query: str) -> list[Any]:
    box = _wait(driver, _css("#tracuu-query textarea"))[0]
    box.clear()
    box.send_keys(query)
    _wait(driver, _css("#tracuu-go"))[0].click()
    return _wait(driver, _css("#tracuu-results .tracuu-hit"))  # type: ignore[no-any-return]


def _viewer_mark(driver: Any) -> Any:
    return _wait(driver, _css("#tracuu-viewer mark.tracuu-focus"))[0]


def _in_view(driver: Any, element: Any) -> bool:
    script = (
        "const r = arguments[0].getBoundingClientRect();"
        "return r.height > 0 && r.top < window.innerHeight && r.bottom > 0;"
    )
    return bool(driver.execute_script(script, element))


def _check_viewer_span(driver: Any, href: str) -> str:
    """Checks the viewer highlights exactly raw[start:end] of the linked document."""
    from urllib.parse import parse_qs, urlparse

    q = parse_qs(urlparse(href).query)
    start, end = int(q["start"][0]), int(q["end"][0])
    mark = _viewer_mark(driver)
    _wait(driver, lambda d: _in_view(d, mark), timeout=10)
    viewer = driver.find_element("css selector", "#tracuu-viewer")
    source = viewer.find_element("css selector", ".tracuu-facts").text
    path = next(line for line in source.splitlines() if line.startswith("corpus/"))
    assert _text(mark) == _raw(path)[start:end]
    return _text(mark)


# The text a person sees: rendered text nodes, without Gradio's screen-reader-only status
# line (its "Loading" is Gradio's own and cannot be translated from here).
VISIBLE_TEXT = """
const out = [];
const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walk.nextNode()) {
  const p = walk.currentNode.parentElement;
  if (!p || p.closest('.sr-only') || p.closest('style, script')) continue;
  if (!p.offsetParent && getComputedStyle(p).position !== 'fixed') continue;
  out.push(walk.currentNode.textContent);
}
return out.join(' ');
"""


def _no_english(driver: Any) -> None:
    body = driver.execute_script(VISIBLE_TEXT)
    leftovers = [w for w in ENGLISH if w in body]
    assert not leftovers, f"English words on the page: {leftovers}"


def _fits(driver: Any) -> None:
    width = driver.execute_script("return document.documentElement.scrollWidth")
    inner = driver.execute_script("return window.innerWidth")
    assert width <= inner + 1, f"page is {width}px wide in a {inner}px window"


def test_search_then_open_the_viewer_at_the_hit(server: str, desktop: Any) -> None:
    _open(desktop, server)
    hits = _search(desktop, "Hội khuyến học huyện có bao nhiêu hội viên")
    assert len(hits) >= 3
    first = hits[0]
    assert first.find_elements("css selector", ".tracuu-text mark"), "no highlighted words"
    assert "Mục:" in first.text
    _no_english(desktop)
    _shot(desktop, "desktop-1-search")
    link = first.find_element("css selector", "a.tracuu-open")
    href = link.get_attribute("href")
    link.click()
    quote = _check_viewer_span(desktop, href)
    assert len(quote) > 50
    assert "doc=" in desktop.current_url  # the address can be shared
    _shot(desktop, "desktop-2-viewer-from-search")


def test_exact_phrase_and_filters(server: str, desktop: Any) -> None:
    from selenium.webdriver.common.by import By

    _open(desktop, server)
    phrase = next(
        e
        for e in desktop.find_elements(By.CSS_SELECTOR, "#tracuu-mode label")
        if "Cụm từ" in e.text
    )
    phrase.click()
    hits = _search(desktop, "xay dung xa hoi hoc tap")  # typed without accents
    summary = desktop.find_element(By.CSS_SELECTOR, "#tracuu-results .tracuu-summary").text
    assert "xuất hiện" in summary
    marks = hits[0].find_elements(By.CSS_SELECTOR, ".tracuu-text mark")
    assert any("xây dựng xã hội học tập" in _text(m).lower() for m in marks)
    _shot(desktop, "desktop-3-phrase")


def test_ask_then_open_each_citation_at_its_quote(server: str, desktop: Any) -> None:
    _open(desktop, server)
    _tab(desktop, "Hỏi đáp")
    box = _wait(desktop, _css("#tracuu-ask-question textarea"))[0]
    box.send_keys("Hòa An đã cấp bao nhiêu xe lăn?")
    _wait(desktop, _css("#tracuu-ask-go"))[0].click()
    answer = _wait(desktop, _css("#tracuu-ask-answer .tracuu-answer"))[0]
    assert "127" in answer.text
    cites = _wait(desktop, _css("#tracuu-ask-answer .tracuu-cite"))
    quote = _text(cites[0].find_element("css selector", ".tracuu-quote"))
    _no_english(desktop)
    _shot(desktop, "desktop-4-ask")
    link = cites[0].find_element("css selector", "a.tracuu-open")
    href = link.get_attribute("href")
    link.click()
    assert _check_viewer_span(desktop, href) == quote
    _shot(desktop, "desktop-5-viewer-from-citation")


def test_ask_outside_the_corpus_says_not_found(server: str, desktop: Any) -> None:
    _open(desktop, server)
    _tab(desktop, "Hỏi đáp")
    box = _wait(desktop, _css("#tracuu-ask-question textarea"))[0]
    box.send_keys("Thời tiết Hà Nội ngày mai có mưa không?")
    _wait(desktop, _css("#tracuu-ask-go"))[0].click()
    empty = _wait(desktop, _css("#tracuu-ask-answer .tracuu-empty"))[0]
    assert "Không tìm thấy câu trả lời" in empty.text
    assert not desktop.find_elements("css selector", "#tracuu-ask-answer .tracuu-answer")
    _shot(desktop, "desktop-6-ask-not-found")


def test_documents_list_viewer_outline_and_references(server: str, desktop: Any) -> None:
    _open(desktop, server)
    _tab(desktop, "Văn bản")
    rows = _wait(desktop, _css("#tracuu-doclist tbody tr"))
    assert len(rows) == 5
    report = next(r for r in rows if "298" in r.text)
    report.find_element("css selector", "a.tracuu-open").click()
    outline = _wait(desktop, _css("#tracuu-viewer .tracuu-outline-list a"))
    assert len(outline) > 5
    refs = desktop.find_element("css selector", "#tracuu-viewer .tracuu-refbox").text
    assert "Văn bản này trích dẫn" in refs and "Được trích dẫn bởi" in refs
    outline[3].click()  # jumps within the text
    anchor = desktop.find_element("css selector", f"#{outline[3].get_attribute('data-target')}")
    _wait(desktop, lambda d: _in_view(d, anchor), timeout=10)
    _shot(desktop, "desktop-7-documents")


def test_graph_tab_draws_the_citation_graph(server: str, desktop: Any) -> None:
    _open(desktop, server)
    _tab(desktop, "Sơ đồ trích dẫn")
    script = (
        "return [...document.querySelectorAll('#tracuu-graph svg g[data-id]')]"
        ".map(g => g.dataset.id)"
    )
    ids = _wait(desktop, lambda d: set(d.execute_script(script)) or False)
    assert {"11-CT/TW", "49-KL/TW"} <= ids
    _wait(desktop, _css("#tracuu-graph-detail .tracuu-node"))
    _shot(desktop, "desktop-8-graph")


def test_requirements_tab_lists_requirements(server: str, desktop: Any) -> None:
    _open(desktop, server)
    _tab(desktop, "Yêu cầu")
    _wait(desktop, lambda d: "yêu cầu" in d.find_element("css selector", "body").text)
    _wait(desktop, _css("table tbody tr"))
    _shot(desktop, "desktop-9-requirements")


def test_deep_link_opens_the_viewer_at_the_span(
    server: str, desktop: Any, corpus_index: SearchIndex
) -> None:
    hit = corpus_index.search("Thắp sáng ước mơ", k=1).hits[0]
    href = f"{server}?doc={hit.doc_id}&start={hit.char_start}&end={hit.char_end}"
    desktop.get(href)
    _check_viewer_span(desktop, href)


def test_phone_width_search_viewer_and_ask(server: str, phone: Any) -> None:
    _open(phone, server)
    _fits(phone)
    _shot(phone, "phone-1-start")
    hits = _search(phone, "quỹ khuyến học")
    _fits(phone)
    _shot(phone, "phone-2-search")
    link = hits[0].find_element("css selector", "a.tracuu-open")
    href = link.get_attribute("href")
    phone.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    _check_viewer_span(phone, href)
    _fits(phone)
    _shot(phone, "phone-3-viewer")
    _tab(phone, "Hỏi đáp")
    box = _wait(phone, _css("#tracuu-ask-question textarea"))[0]
    box.send_keys("Hòa An đã cấp bao nhiêu xe lăn?")
    _wait(phone, _css("#tracuu-ask-go"))[0].click()
    _wait(phone, _css("#tracuu-ask-answer .tracuu-cite"))
    _fits(phone)
    _shot(phone, "phone-4-ask")
    _tab(phone, "Sơ đồ trích dẫn")
    svg = _wait(phone, _css("#tracuu-graph svg"))[0]
    phone.execute_script("arguments[0].scrollIntoView({block: 'start'})", svg)
    _fits(phone)
    _shot(phone, "phone-5-graph")


def test_empty_index_says_how_to_add_documents(tmp_path: Path, desktop: Any) -> None:
    with _serving(tmp_path / "no-index", None) as url:
        _open(desktop, url)
        banner = _wait(desktop, _css(".tracuu-banner .tracuu-empty"))[0]
        assert "tracuu ingest" in banner.text
        box = _wait(desktop, _css("#tracuu-query textarea"))[0]
        box.send_keys("khuyến học")
        _wait(desktop, _css("#tracuu-go"))[0].click()
        _wait(
            desktop,
            lambda d: "tracuu ingest" in d.find_element("css selector", "#tracuu-results").text,
        )
        _no_english(desktop)
        _shot(desktop, "desktop-10-empty-index")
