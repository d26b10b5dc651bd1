"""The UI in a real headless Chromium: search, ask, open citations in the viewer, graph, lists.

A real ``uvicorn`` server serves ``create_app`` over the session's corpus index;
Selenium drives Debian's ``chromium`` through ``chromedriver`` (never a downloaded
browser). Screenshots go to ``test-artifacts/screenshots/`` at desktop and phone
width, for a person to look at.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from index.search import SearchIndex
from search_api.settings import Settings
from tests.browser import chromium, needs_chromium
from tests.conftest import ROOT
from tests.serving import running

SHOTS = ROOT / "test-artifacts" / "screenshots"
DESKTOP = (1400, 900)
PHONE = (390, 844)
WAIT = 90  # seconds; the first search loads the model

pytestmark = needs_chromium

# Words Gradio shows in English that must not reach a user of this Vietnamese UI.
ENGLISH = ("Submit", "Clear", "Loading", "Search", "Use via API", "Built with", "Settings", "Flag")


@contextmanager
def _serving(
    index_dir: Path, index: SearchIndex | None, api_key: str | None = None
) -> Iterator[str]:
    """Runs ``create_app`` in uvicorn on a free local port; yields the UI's address."""
    from search_api.app import create_app

    settings = Settings(index_dir=index_dir, corpus_dir=ROOT / "corpus", root=ROOT, api_key=api_key)
    with running(create_app(settings, index=index)) as address:
        yield address + "/"


@pytest.fixture(scope="module")
def server(corpus_index_dir: Path, corpus_index: SearchIndex) -> Iterator[str]:
    """Serves the app (API and UI) over the corpus index."""
    with _serving(corpus_index_dir, corpus_index) as url:
        yield url


def _driver(size: tuple[int, int]) -> Any:
    driver = chromium(["--lang=vi-VN", f"--window-size={size[0]},{size[1]}"])
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


def _scroll(driver: Any, selector: str, block: str = "start") -> None:
    """Scrolls the first displayed element matching ``selector`` into view, looked up in the
    page itself: a handle found earlier goes stale when Gradio re-renders the output."""
    script = (
        "const e = [...document.querySelectorAll(arguments[0])].find(x => x.offsetParent !== null"
        " || x instanceof SVGElement); if (e) e.scrollIntoView({block: arguments[1]}); return !!e;"
    )
    _wait(driver, lambda d: d.execute_script(script, selector, block))


def _css(selector: str) -> Callable[[Any], Any]:
    from selenium.webdriver.common.by import By

    def find(driver: Any) -> Any:
        found = [e for e in driver.find_elements(By.CSS_SELECTOR, selector) if e.is_displayed()]
        return found or False

    return find


def _click(driver: Any, selector: str, pick: Callable[[Any], bool] | None = None) -> Any:
    """Clicks the first displayed element matching ``selector`` (and ``pick``), looked up
    afresh on every try: Gradio may re-render it between the lookup and the click."""
    from selenium.common.exceptions import (
        ElementClickInterceptedException,
        ElementNotInteractableException,
        StaleElementReferenceException,
    )
    from selenium.webdriver.common.by import By

    def attempt(d: Any) -> Any:
        try:
            for e in d.find_elements(By.CSS_SELECTOR, selector):
                if e.is_displayed() and (pick is None or pick(e)):
                    href = e.get_attribute("href")
                    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", e)
                    e.click()
                    return href or True
        except (
            StaleElementReferenceException,
            ElementClickInterceptedException,
            ElementNotInteractableException,
        ):
            return False
        return False

    return _wait(driver, attempt)


def _type(driver: Any, selector: str, text: str) -> None:
    """Types into a text box, looked up afresh (see :func:`_click`)."""
    from selenium.common.exceptions import StaleElementReferenceException

    def attempt(d: Any) -> bool:
        try:
            box = _css(selector)(d)
            if not box:
                return False
            box[0].clear()
            box[0].send_keys(text)
            return True
        except StaleElementReferenceException:
            return False

    _wait(driver, attempt)


def _open(driver: Any, url: str) -> None:
    driver.get(url)
    _wait(driver, _css("#tracuu-query textarea"))


def _tab(driver: Any, label: str) -> None:
    from selenium.webdriver.common.by import By

    def named(e: Any) -> bool:
        return bool(e.text.strip() == label)

    if any(
        named(b) and b.is_displayed()
        for b in driver.find_elements(By.CSS_SELECTOR, "button[role=tab]")
    ):
        _click(driver, "button[role=tab]", named)
        return
    # At phone width Gradio folds tabs that do not fit into a menu.
    _click(driver, ".overflow-menu > button, button.overflow-menu")
    _click(driver, "button", named)


def _text(element: Any) -> str:
    return str(element.get_property("textContent"))


def _raw(source: str) -> str:
    return (ROOT / source).read_text(encoding="utf-8")


def _search(driver: Any, query: str) -> list[Any]:
    """Searches and waits until the results are those of ``query``."""
    _type(driver, "#tracuu-query textarea", query)
    _click(driver, "#tracuu-go")
    _wait(
        driver,
        lambda d: (
            query in _text(d.find_element("css selector", "#tracuu-results"))
            and _css("#tracuu-results .tracuu-hit")(d)
        ),
    )
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
    href = _click(desktop, "#tracuu-results .tracuu-hit a.tracuu-open")
    quote = _check_viewer_span(desktop, href)
    assert len(quote) > 50
    assert "doc=" in desktop.current_url  # the address can be shared
    _shot(desktop, "desktop-2-viewer-from-search")


def test_exact_phrase_and_filters(server: str, desktop: Any) -> None:
    from selenium.webdriver.common.by import By

    _open(desktop, server)
    _click(desktop, "#tracuu-mode label", lambda e: "Cụm từ" in e.text)
    hits = _search(desktop, "xay dung xa hoi hoc tap")  # typed without accents
    summary = desktop.find_element(By.CSS_SELECTOR, "#tracuu-results .tracuu-summary").text
    assert "xuất hiện" in summary
    marks = hits[0].find_elements(By.CSS_SELECTOR, ".tracuu-text mark")
    assert any("xây dựng xã hội học tập" in _text(m).lower() for m in marks)
    _shot(desktop, "desktop-3-phrase")


def test_ask_then_open_each_citation_at_its_quote(server: str, desktop: Any) -> None:
    _open(desktop, server)
    _tab(desktop, "Hỏi đáp")
    _type(desktop, "#tracuu-ask-question textarea", "Hòa An đã cấp bao nhiêu xe lăn?")
    _click(desktop, "#tracuu-ask-go")
    answer = _wait(desktop, _css("#tracuu-ask-answer .tracuu-answer"))[0]
    assert "127" in answer.text
    # the figure asked for is highlighted in the answer
    figure = _wait(desktop, _css("#tracuu-ask-answer .tracuu-answer mark.tracuu-figure"))[0]
    assert "127" in _text(figure)
    quote = _text(_wait(desktop, _css("#tracuu-ask-answer .tracuu-cite .tracuu-quote"))[0])
    _no_english(desktop)
    _shot(desktop, "desktop-4-ask")
    href = _click(desktop, "#tracuu-ask-answer .tracuu-cite a.tracuu-open")
    assert _check_viewer_span(desktop, href) == quote
    _shot(desktop, "desktop-5-viewer-from-citation")


def test_ask_outside_the_corpus_says_not_found(server: str, desktop: Any) -> None:
    _open(desktop, server)
    _tab(desktop, "Hỏi đáp")
    _type(desktop, "#tracuu-ask-question textarea", "Thời tiết Hà Nội ngày mai có mưa không?")
    _click(desktop, "#tracuu-ask-go")
    empty = _wait(desktop, _css("#tracuu-ask-answer .tracuu-empty"))[0]
    assert "Không tìm thấy câu trả lời" in empty.text
    assert not desktop.find_elements("css selector", "#tracuu-ask-answer .tracuu-answer")
    _shot(desktop, "desktop-6-ask-not-found")


def test_documents_list_viewer_outline_and_references(server: str, desktop: Any) -> None:
    _open(desktop, server)
    _tab(desktop, "Văn bản")
    rows = _wait(desktop, _css("#tracuu-doclist tbody tr"))
    assert len(rows) == 5
    _click(
        desktop,
        "#tracuu-doclist tbody tr a.tracuu-open",
        lambda e: "298" in e.find_element("xpath", "./ancestor::tr").text,
    )
    outline = _wait(desktop, _css("#tracuu-viewer .tracuu-outline-list a"))
    assert len(outline) > 5
    refs = desktop.find_element("css selector", "#tracuu-viewer .tracuu-refbox").text
    assert "Văn bản này trích dẫn" in refs and "Được trích dẫn bởi" in refs
    target = outline[3].get_attribute("data-target")
    _click(desktop, f'#tracuu-viewer a[data-target="{target}"]')  # jumps within the text
    anchor = desktop.find_element("css selector", f"#{target}")
    _wait(desktop, lambda d: _in_view(d, anchor), timeout=10)
    _shot(desktop, "desktop-7-documents")


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
    assert hits
    href = _click(phone, "#tracuu-results .tracuu-hit a.tracuu-open")
    _check_viewer_span(phone, href)
    _fits(phone)
    _shot(phone, "phone-3-viewer")
    _tab(phone, "Hỏi đáp")
    _type(phone, "#tracuu-ask-question textarea", "Hòa An đã cấp bao nhiêu xe lăn?")
    _click(phone, "#tracuu-ask-go")
    _wait(phone, _css("#tracuu-ask-answer .tracuu-cite"))
    _fits(phone)
    _shot(phone, "phone-4-ask")
    _tab(phone, "Sơ đồ trích dẫn")
    _wait(phone, _css("#tracuu-graph svg"))
    _scroll(phone, "#tracuu-graph svg")
    _fits(phone)
    _shot(phone, "phone-5-graph")


def test_empty_index_says_how_to_add_documents(tmp_path: Path, desktop: Any) -> None:
    with _serving(tmp_path / "no-index", None) as url:
        _open(desktop, url)
        banner = _wait(desktop, _css(".tracuu-banner .tracuu-empty"))[0]
        assert "tracuu ingest" in banner.text
        _type(desktop, "#tracuu-query textarea", "khuyến học")
        _click(desktop, "#tracuu-go")
        _wait(
            desktop,
            lambda d: "tracuu ingest" in d.find_element("css selector", "#tracuu-results").text,
        )
        _no_english(desktop)
        _shot(desktop, "desktop-10-empty-index")


# --- tables, deadlines, graph, uploads, highlights (issue 16) ---------------------------

OPTIONS = "ul[role=listbox] li[role=option]"  # a Gradio dropdown's open list
FONT_OF = "return getComputedStyle(arguments[0]).fontFamily"


def _proportional(driver: Any, element: Any) -> None:
    family = str(driver.execute_script(FONT_OF, element)).lower()
    assert "mono" not in family and "courier" not in family, family
    assert "dejavu sans" in family or "noto sans" in family, family


def _requirements(driver: Any) -> list[Any]:
    _tab(driver, "Yêu cầu")
    return _wait(driver, _css("#tracuu-req-table table tbody tr"))  # type: ignore[no-any-return]


def _deadlines_in_order(driver: Any) -> list[str]:
    script = (
        "return [...document.querySelectorAll('#tracuu-req-table tbody tr')].map(tr => "
        "{const t = tr.querySelector('td[data-label=\"Thời hạn\"] time');"
        " return t ? t.getAttribute('datetime') : ''})"
    )
    return list(driver.execute_script(script))


def test_requirements_table_is_readable_sortable_filterable_and_exports(
    server: str, desktop: Any
) -> None:
    _open(desktop, server)
    rows = _requirements(desktop)
    assert len(rows) > 5
    # every column is on the screen at 1,400 px, in a proportional Vietnamese font
    heads = _wait(desktop, _css("#tracuu-req-table th"))
    assert [h.text for h in heads] == [
        "Chủ thể", "Việc phải làm", "Thời hạn", "Chỉ tiêu", "Văn bản", "Mục", "Nguồn"
    ]  # fmt: skip
    inner = desktop.execute_script("return window.innerWidth")
    for h in heads:
        right = desktop.execute_script("return arguments[0].getBoundingClientRect().right", h)
        assert 0 < right <= inner, f"column {h.text!r} ends at {right}px of {inner}px"
    _proportional(desktop, rows[0].find_element("css selector", "td"))
    _proportional(desktop, heads[0])
    _fits(desktop)
    _shot(desktop, "desktop-9-requirements")
    # sorted by deadline: dated rows first, in date order
    _click(desktop, "label", lambda e: e.text.strip() == "Thời hạn: sớm trước")
    _wait(desktop, lambda d: (_deadlines_in_order(d) or [""])[0] != "")
    dated = [x for x in _deadlines_in_order(desktop) if x]
    order = _deadlines_in_order(desktop)
    assert dated == sorted(dated) and order[: len(dated)] == dated
    # a deadline range keeps only the deadlines inside it
    lo, hi = dated[0], dated[len(dated) // 2]
    boxes = _css("input[placeholder='dd/mm/yyyy'], textarea[placeholder='dd/mm/yyyy']")
    first, second = _wait(desktop, boxes)[:2]
    first.send_keys(lo)
    second.send_keys(hi)
    _click(desktop, "#tracuu-req-go")
    _wait(desktop, lambda d: all(lo <= x <= hi for x in _deadlines_in_order(d)))
    kept = _deadlines_in_order(desktop)
    assert kept and all(x and lo <= x <= hi for x in kept)
    # exports: a CSV and an Excel workbook
    _wait(
        desktop,
        lambda d: all(
            d.find_elements("css selector", f'#tracuu-req-files [aria-label="{name}"]')
            for name in ("yeu-cau.csv", "yeu-cau.xlsx")
        ),
    )


def test_requirements_filter_by_actor_and_phone_cards(server: str, phone: Any) -> None:
    _open(phone, server)
    rows = _requirements(phone)
    # one card per row: cells stacked, each with its column name, nothing off screen
    cell = rows[0].find_element("css selector", "td")
    assert phone.execute_script("return getComputedStyle(arguments[0]).display", cell) == "block"
    assert cell.get_attribute("data-label") == "Chủ thể"
    _proportional(phone, cell)
    _fits(phone)
    _scroll(phone, "#tracuu-req-table table tbody tr")
    _shot(phone, "phone-6-requirements")
    _type(phone, "#tracuu-req-table ~ div textarea, textarea[placeholder^='Ví dụ: huyện ủy']",
          "huyện ủy")  # fmt: skip
    _click(phone, "#tracuu-req-go")
    actors_js = (
        "return [...document.querySelectorAll('#tracuu-req-table td[data-label=\"Chủ thể\"]')]"
        ".map(td => td.textContent.toLowerCase())"
    )
    _wait(phone, lambda d: (a := d.execute_script(actors_js)) and all("huyện ủy" in x for x in a))


def test_deadlines_view_groups_by_actor_and_opens_the_span(server: str, desktop: Any) -> None:
    _open(desktop, server)
    _tab(desktop, "Thời hạn")
    groups = _wait(desktop, _css("#tracuu-deadlines .tracuu-actor"))
    assert len(groups) >= 2
    whens = [_text(w) for w in desktop.find_elements("css selector", ".tracuu-when")]
    assert any("/" in w for w in whens)
    _proportional(desktop, groups[0])
    _shot(desktop, "desktop-11-deadlines")
    href = _click(desktop, "#tracuu-deadlines .tracuu-deadline a.tracuu-open")
    _check_viewer_span(desktop, href)


def _graph_nodes(driver: Any) -> dict[str, str]:
    script = (
        "return Object.fromEntries([...document.querySelectorAll("
        "'#tracuu-graph svg g.tracuu-gnode')].map(g => [g.dataset.id, g.textContent]))"
    )
    return dict(driver.execute_script(script))


def test_graph_is_laid_out_by_graphviz_and_opens_documents(
    server: str, desktop: Any, corpus_index: SearchIndex
) -> None:
    from answers.graph import graph_for
    from ui.graph_draw import view_ids

    graph = graph_for(corpus_index.store)
    _open(desktop, server)
    _tab(desktop, "Sơ đồ trích dẫn")
    chain = view_ids(graph, "chain")
    nodes = _wait(desktop, lambda d: _graph_nodes(d) or False)
    # one SVG node per document of the view, each labelled with its number or title
    assert set(nodes) == chain
    for nid, text in nodes.items():
        n = graph.nodes[nid]
        assert nid in text or (n.type or "") in text, (nid, text)
    _wait(desktop, _css("#tracuu-graph-detail .tracuu-node"))
    _scroll(desktop, "#tracuu-graph .tracuu-graph")
    _shot(desktop, "desktop-8-graph")
    # the whole corpus, grouped by level, and without the documents only mentioned
    _click(desktop, "label", lambda e: e.text.strip() == "Toàn bộ")
    _wait(desktop, lambda d: len(_graph_nodes(d)) == len(graph.nodes))
    _click(desktop, "button, span", lambda e: e.text.strip().startswith("Lọc và gom nhóm"))
    _click(desktop, "label", lambda e: e.text.strip() == "Gom theo cấp ban hành")
    _wait(desktop, _css("#tracuu-graph svg g.cluster"))
    _click(desktop, "label", lambda e: e.text.strip() == "Ẩn văn bản chỉ được nhắc đến")
    _wait(desktop, lambda d: 0 < len(_graph_nodes(d)) < len(graph.nodes))
    _scroll(desktop, "#tracuu-graph .tracuu-graph")
    _shot(desktop, "desktop-12-graph-all")
    # a corpus document's node opens it in the viewer
    doc = next(n for n in graph.nodes.values() if n.in_corpus and n.id in _graph_nodes(desktop))
    _click(desktop, f'#tracuu-graph g.tracuu-gnode[data-id="{doc.id}"] a')
    head = _wait(desktop, _css("#tracuu-viewer .tracuu-viewer-head h3"))[0]
    want = corpus_index.store.document(doc.doc_id or "")["title"]
    _wait(desktop, lambda d: head.text.strip() == (want or doc.doc_id))


def test_phone_graph_fits_and_opens_a_document(server: str, phone: Any) -> None:
    _open(phone, server)
    _tab(phone, "Sơ đồ trích dẫn")
    _wait(phone, lambda d: _graph_nodes(d) or False)
    _wait(phone, _css("#tracuu-graph svg"))
    # the picture keeps readable text and pans inside a box as wide as the screen; measured
    # in the page in one go, since a re-render between lookup and measurement is harmless
    right, width, size = _wait(
        phone,
        lambda d: d.execute_script(
            "const b = document.querySelector('#tracuu-graph .tracuu-graph');"
            "const t = document.querySelector('#tracuu-graph g.tracuu-gnode text');"
            "return b && t ? [b.getBoundingClientRect().right, window.innerWidth,"
            " t.getBoundingClientRect().height] : false;"
        ),
    )
    assert right <= width
    assert size >= 11, f"node labels are {size}px high"
    _fits(phone)
    _scroll(phone, "#tracuu-graph svg")
    _shot(phone, "phone-5-graph")
    _click(phone, "#tracuu-graph g.tracuu-gnode:not(.tracuu-outside) a")
    _wait(phone, _css("#tracuu-viewer .tracuu-viewer-head h3"))


def _marks(driver: Any) -> list[str]:
    script = (
        "return [...document.querySelectorAll('#tracuu-results .tracuu-text mark')]"
        ".filter(m => m.checkVisibility()).map(m => m.textContent)"
    )
    return list(driver.execute_script(script))


def test_accented_query_highlights_only_its_own_words(server: str, desktop: Any) -> None:
    import re

    from vntext.normalize import fold

    _open(desktop, server)
    query = "Hội khuyến học huyện có bao nhiêu hội viên"
    _search(desktop, query)
    marks = _marks(desktop)
    assert marks
    words = {w.lower() for w in re.findall(r"\w+", query)}
    for m in marks:
        for w in re.findall(r"\w+", m):
            assert w.lower() in words, f"{w!r} is highlighted for {query!r}"
            assert w.lower() not in {"có", "bao", "nhiêu"}, f"function word {w!r} highlighted"
    _shot(desktop, "desktop-1-search")
    # typed without accents, the words match whatever their accents
    _search(desktop, "hoi vien")
    folded = {fold(w) for m in _marks(desktop) for w in re.findall(r"\w+", m)}
    assert folded and folded <= {"hoi", "vien"}
    assert any(w != fold(w) for m in _marks(desktop) for w in re.findall(r"\w+", m))


@pytest.fixture()
def upload_server(writable_index: Path) -> Iterator[str]:
    """Serves a private copy of the corpus index that accepts uploads with a key."""
    with _serving(writable_index, None, api_key="khoa-thu") as url:
        yield url


NEW_DOC = """ỦY BAN NHÂN DÂN HUYỆN NAM TRỰC
Số: 77/KH-UBND
Nam Trực, ngày 05 tháng 3 năm 2025

KẾ HOẠCH
Phát triển quỹ khuyến học dòng họ Trần Lãm năm 2025

I. MỤC ĐÍCH
Vận động mỗi dòng họ lập quỹ khuyến học, khuyến tài; trao học bổng Trần Lãm cho học sinh
nghèo vượt khó.

II. NHIỆM VỤ
1. Phòng Giáo dục và Đào tạo báo cáo kết quả trước ngày 15/12/2025.
"""


def test_upload_through_the_ui_is_searchable_and_listed(
    upload_server: str, desktop: Any, tmp_path: Path
) -> None:
    path = tmp_path / "kh-77-nam-truc-2025.txt"
    path.write_text(NEW_DOC, encoding="utf-8")
    _open(desktop, upload_server)
    _tab(desktop, "Thêm văn bản")
    # a wrong key is refused in one line
    _wait(desktop, lambda d: d.find_elements("css selector", "#tracuu-up-file input[type=file]"))
    desktop.find_element("css selector", "#tracuu-up-file input[type=file]").send_keys(str(path))
    _wait(desktop, _css(f'#tracuu-up-file [aria-label="{path.name}"]'))
    _type(desktop, "#tracuu-up-key input", "sai")
    _click(desktop, "#tracuu-up-go")
    refused = _wait(desktop, _css("#tracuu-up-result .tracuu-error"))[0]
    assert "Khóa API không đúng" in refused.text
    _type(desktop, "#tracuu-up-key input", "khoa-thu")
    _click(desktop, "#tracuu-up-go")
    done = _wait(desktop, _css("#tracuu-up-result .tracuu-done"))[0]
    assert "Đã thêm" in done.text and path.name in done.text
    _shot(desktop, "desktop-13-upload")
    # listed in the document list and in the requirements' document dropdown
    _tab(desktop, "Văn bản")
    _wait(desktop, lambda d: "Trần Lãm" in d.find_element("css selector", "#tracuu-doclist").text)
    _tab(desktop, "Yêu cầu")
    _click(desktop, "#tracuu-req-doc input")
    _wait(
        desktop,
        lambda d: any(
            "77/KH-UBND" in (o.text or "") for o in d.find_elements("css selector", OPTIONS)
        ),
    )
    _click(desktop, OPTIONS, lambda e: "77/KH-UBND" in (e.text or ""))
    _wait(
        desktop,
        lambda d: "Phòng Giáo dục" in _text(d.find_element("css selector", "#tracuu-req-table")),
    )
    # and searchable
    _tab(desktop, "Tìm kiếm")
    hits = _search(desktop, "học bổng Trần Lãm dòng họ")
    assert "Trần Lãm" in hits[0].text


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_duplicates_deadlines_and_upload_views_read_well(
    server: str, width: str, request: pytest.FixtureRequest
) -> None:
    driver = request.getfixturevalue(width)
    _open(driver, server)
    # the duplicates view: quotes in the proportional font, so "số 11-CT/TW" keeps its marks
    _tab(driver, "Tìm câu chữ tương tự")
    _click(driver, "label", lambda e: e.text.strip() == "Câu chữ trùng lặp giữa các văn bản")
    _click(driver, "button", lambda e: e.text.strip() == "Tìm")
    quote = _wait(driver, _css("#tracuu-precedent .tracuu-cite .tracuu-quote"))[0]
    _proportional(driver, quote)
    _fits(driver)
    _scroll(driver, "#tracuu-precedent .tracuu-cite .tracuu-quote", "center")
    _shot(driver, f"{width}-14-duplicates")
    _tab(driver, "Thời hạn")
    group = _wait(driver, _css("#tracuu-deadlines .tracuu-actor"))[0]
    _proportional(driver, group)
    _fits(driver)
    if width == "phone":
        _scroll(driver, "#tracuu-deadlines .tracuu-actor")
        _shot(driver, "phone-7-deadlines")
    _tab(driver, "Thêm văn bản")
    _wait(driver, _css("#tracuu-up-go"))
    _fits(driver)
    _no_english(driver)
    if width == "phone":
        _shot(driver, "phone-8-upload")
