"""Web pages saved from provincial portals: the main content only, mapped to the raw HTML.

The page is parsed with the standard library's HTMLParser into a light tree whose
text remembers the raw offset of every character, so a passage's span indexes the
HTML file itself, like a text file's. Menus, headers, footers, sidebars, share
buttons and counters are dropped; the main content is the element that holds the
most paragraph text, scored the way Readability does (Arc90, 2010): each paragraph
of 25+ characters scores its parent in full and its grandparent by half.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import entities
from html.parser import HTMLParser
from pathlib import Path

from ingest import regexes as rx
from ingest.errors import IngestError
from ingest.models import Loaded
from vntext.normalize import MappedText, nfc_remapped


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


SKIP_TAGS = _tags(
    "script style noscript template svg canvas iframe object embed form button select "
    "textarea input nav aside footer head title meta link"
)
BLOCK_TAGS = _tags(
    "address article blockquote body dd div dl dt fieldset figcaption figure footer h1 h2 h3 "
    "h4 h5 h6 header hr li main ol p pre section table tbody thead tfoot tr td th ul br"
)
VOID_TAGS = _tags("area base br col embed hr img input link meta param source track wbr")
PARAGRAPH_TAGS = _tags("p li td pre blockquote h1 h2 h3 h4 h5 h6 dd")
MIN_PARAGRAPH = 25


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    parent: _Node | None = None
    children: list[_Node | MappedText] = field(default_factory=list)
    pos: int = 0  # raw offset of the start tag

    def hint(self) -> str:
        return f"{self.attrs.get('id', '')} {self.attrs.get('class', '')}".lower()


class _TreeBuilder(HTMLParser):
    """Builds a tree of elements whose text pieces map to raw offsets."""

    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=False)
        self.raw = raw
        self._line_starts = [0] + [m.end() for m in re.finditer(r"\n", raw)]
        self.root = _Node("#root", {})
        self.cur = self.root

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "li", "tr", "td", "th", "dt", "dd") and self.cur.tag == tag:
            self.cur = self.cur.parent or self.root  # an unclosed <p> ends at the next
        node = _Node(tag, {k: v or "" for k, v in attrs}, self.cur, pos=self._offset())
        self.cur.children.append(node)
        if tag not in VOID_TAGS:
            self.cur = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs}, self.cur, pos=self._offset())
        self.cur.children.append(node)

    def handle_endtag(self, tag: str) -> None:
        node: _Node | None = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.cur = node.parent

    def _text(self, text: str, start: int, end: int | None = None) -> None:
        if end is None:  # verbatim data: character i came from raw[start + i]
            n = len(text)
            piece = MappedText(
                text, tuple(range(start, start + n)), tuple(range(start + 1, start + n + 1))
            )
        else:  # a character reference: every character maps to the whole reference
            piece = MappedText(text, (start,) * len(text), (end,) * len(text))
        self.cur.children.append(piece)

    def handle_data(self, data: str) -> None:
        self._text(data, self._offset())

    def _ref(self, text: str | None) -> None:
        start = self._offset()
        end = self.raw.find(";", start, start + 40)
        if end < 0:
            m = re.match(r"&#?\w+", self.raw[start:])
            end = start + (m.end() if m else 1)
        else:
            end += 1
        self._text(text if text is not None else self.raw[start:end], start, end)

    def handle_entityref(self, name: str) -> None:
        self._ref(entities.html5.get(name + ";") or entities.html5.get(name))

    def handle_charref(self, name: str) -> None:
        try:
            code = int(name[1:], 16) if name[:1] in "xX" else int(name)
            self._ref(chr(code) if 0 < code < 0x110000 else None)
        except ValueError:
            self._ref(None)


def _boilerplate(node: _Node) -> bool:
    """Tells whether an element is site chrome by its tag, role, id or class."""
    if node.tag in SKIP_TAGS:
        return True
    if node.attrs.get("role") in ("navigation", "banner", "contentinfo", "complementary"):
        return True
    if node.tag == "header" and not _contains(node, "h1"):
        return True
    hint = node.hint()
    return bool(hint.strip()) and bool(rx.HTML_CHROME.search(hint)) and not _contains(node, "h1")


def _contains(node: _Node, tag: str) -> bool:
    return any(isinstance(c, _Node) and (c.tag == tag or _contains(c, tag)) for c in node.children)


def _text_of(node: _Node, links: bool = True) -> str:
    out: list[str] = []
    for c in node.children:
        if isinstance(c, MappedText):
            out.append(c.text)
        elif not _boilerplate(c) and (links or c.tag != "a"):
            out.append(_text_of(c, links))
    return "".join(out)


def _walk(node: _Node):  # type: ignore[no-untyped-def]
    for c in node.children:
        if isinstance(c, _Node) and not _boilerplate(c):
            yield c
            yield from _walk(c)


def _main_node(root: _Node) -> _Node:
    """Returns the element holding the main content (Readability's paragraph scoring)."""
    for node in _walk(root):
        if node.attrs.get("itemprop") == "articleBody":
            return node
    scores: dict[int, float] = {}
    nodes: dict[int, _Node] = {}
    for node in _walk(root):
        if node.tag not in PARAGRAPH_TAGS and not (
            node.tag == "div"
            and any(isinstance(c, MappedText) and c.text.strip() for c in node.children)
        ):
            continue
        text = " ".join(_text_of(node, links=False).split())
        if len(text) < MIN_PARAGRAPH:
            continue
        score = 1 + text.count(",") + min(len(text) // 100, 3)
        for weight, anc in ((1.0, node.parent), (0.5, node.parent.parent if node.parent else None)):
            if anc is None:
                continue
            nodes[id(anc)] = anc
            scores[id(anc)] = scores.get(id(anc), 0.0) + score * weight
    if not scores:
        return root
    for key, node in nodes.items():  # fewer links, more content (Readability's link density)
        text = _text_of(node)
        link_text = len(text) - len(_text_of(node, links=False))
        scores[key] *= 1 - link_text / max(1, len(text))
    best = nodes[max(scores, key=lambda k: scores[k])]
    # Content split over sibling blocks (e.g. lead and body) joins the best one.
    parent = best.parent
    if parent is not None:
        siblings = [c for c in parent.children if isinstance(c, _Node) and id(c) in scores]
        if any(scores[id(s)] >= 0.5 * scores[id(best)] for s in siblings if s is not best):
            return parent
    return best


def _emit(node: _Node, out: list[MappedText], skip_links_blocks: bool = True) -> None:
    """Appends the text of ``node`` with line breaks around blocks; chrome is left out."""
    for c in node.children:
        if isinstance(c, MappedText):
            out.append(c)
            continue
        if _boilerplate(c):
            continue
        if skip_links_blocks and c.tag in ("ul", "ol", "div", "p", "table"):
            text = _text_of(c)
            plain = _text_of(c, links=False)
            if text.strip() and len(plain.strip()) < 0.3 * len(text.strip()):
                continue  # a list of links: related articles, tags, share buttons
        block = c.tag in BLOCK_TAGS
        if block:
            out.append(MappedText("\n", (c.pos,), (c.pos,)))
        _emit(c, out, skip_links_blocks)
        if block:
            out.append(MappedText("\n", (c.pos,), (c.pos,)))


def _collapse(mt: MappedText) -> MappedText:
    """Collapses runs of whitespace to one space and strips the ends, keeping the map."""
    keep: list[int] = []
    text = mt.text
    for i, ch in enumerate(text):
        if ch.isspace() and (not keep or text[keep[-1]].isspace()):
            continue
        keep.append(i)
    while keep and text[keep[-1]].isspace():
        keep.pop()
    return MappedText(
        "".join(" " if text[i].isspace() else text[i] for i in keep),
        tuple(mt.starts[i] for i in keep),
        tuple(mt.ends[i] for i in keep),
    )


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decodes a page: UTF-8, else its declared charset, else a legacy Vietnamese encoding."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii", "ignore").lower()
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    from ingest.encodings import decode

    try:
        found = decode(data)
    except IngestError as exc:
        raise IngestError(f"{path}: {exc}") from exc
    return found.text, found.encoding


def main_content(raw: str) -> MappedText:
    """Returns the main content of an HTML page as text mapped to offsets of ``raw``.

    Blocks are separated by blank lines, so :func:`ingest.clean.clean` sees
    paragraphs; the headline (``h1``) is kept even when it sits outside the
    content element.
    """
    builder = _TreeBuilder(raw)
    builder.feed(raw)
    builder.close()
    main = _main_node(builder.root)
    out: list[MappedText] = []
    h1 = next((n for n in _walk(builder.root) if n.tag == "h1"), None)
    if h1 is not None and not _inside(h1, main):
        _emit(h1, out)
        out.append(MappedText("\n", (h1.pos,), (h1.pos,)))
    _emit(main, out)
    blocks = [_collapse(b) for b in _blocks(MappedText.join(out, ""))]
    # Blocks are separated by a blank line: a paragraph break for clean().
    return nfc_remapped(MappedText.join([b for b in blocks if b.text], "\n\n"))


def _blocks(mt: MappedText) -> list[MappedText]:
    parts: list[MappedText] = []
    start = 0
    for m in re.finditer(r"\n", mt.text):
        piece = mt.slice(start, m.start())
        if piece.text.strip():
            parts.append(piece)
        start = m.end()
    last = mt.slice(start, len(mt.text))
    if last.text.strip():
        parts.append(last)
    return parts


def _inside(node: _Node, ancestor: _Node) -> bool:
    cur: _Node | None = node
    while cur is not None:
        if cur is ancestor:
            return True
        cur = cur.parent
    return False


def load_html(data: bytes, path: Path) -> Loaded:
    """Reads a saved web page: its main content, mapped to offsets of the page's text.

    Raises:
        IngestError: the page cannot be decoded or has no readable content.
    """
    if b"\x00" in data[:4096]:
        raise IngestError(f"{path}: looks binary (contains NUL bytes), not a web page")
    raw, encoding = _decode(data, path)
    try:
        content = main_content(raw)
    except Exception as exc:  # the parser is lenient, but a page must never crash ingest
        raise IngestError(f"{path}: the page cannot be parsed ({type(exc).__name__})") from exc
    if not any(c.isalnum() for c in content.text):
        raise IngestError(f"{path}: no readable text in the page's content")
    extracted = encoding != "utf-8"
    warnings = (f"decoded from {encoding}",) if extracted else ()
    return Loaded(raw, "html", extracted=extracted, content=content, warnings=warnings)
