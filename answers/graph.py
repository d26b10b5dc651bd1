"""Citation graph queries: nodes, typed edges, cites / cited-by and implementation chains.

The graph is built from the ``doc_references`` table: every corpus document is a node
(named by its canonical number when it has one, else by its ``doc_id``), every
referenced document is a node reconciled over its mentions, and each mention adds to
an edge citing → cited. Words such as "Kết luận 49-KL/TW … về tiếp tục thực hiện Chỉ
thị 11-CT/TW" add an edge between two outside documents (49-KL/TW → 11-CT/TW,
``continues``). Short forms are resolved across the corpus here, since a full id may
come from another document.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from index.errors import NotFound
from index.store import Store
from ingest.models import ParsedDocument, Reference
from ingest.references import (
    RELATIONS,
    edge_relation,
    id_parts,
    parse_id,
    reconcile,
    resolve_across,
)
from vntext.codes import is_national

# Relations that carry a directive down the chain (issue 4: "everything that
# implements Chỉ thị 11, transitively").
# Issue 20: only these arrows carry a directive down; "căn cứ" is a legal basis, not an act.
IMPLEMENTING = ("implements", "continues", "reviews")

RELATION_LABELS = {
    "implements": "thực hiện",
    "reviews": "tổng kết / sơ kết",
    "continues": "tiếp tục thực hiện",
    "based_on": "căn cứ",
    "approves": "phê duyệt",
    "replaces": "thay thế / bãi bỏ",
    "guided_by": "theo hướng dẫn",
    "mentions": "nhắc đến",
}


@dataclass(frozen=True)
class Mention:
    """Where a corpus document states an edge."""

    doc_id: str
    source: str
    passage_id: str | None
    char_start: int
    char_end: int
    surface: str
    relation: str = "mentions"
    cue: tuple[int, int, str] | None = None  # the deciding words: raw start, end, text


@dataclass(frozen=True)
class Node:
    """A document in the graph: in the corpus, or referenced by it."""

    id: str
    type: str | None
    issuer: str | None
    date: str | None
    title: str | None
    in_corpus: bool
    doc_id: str | None
    dates: tuple[str, ...] = ()  # every date the corpus gives, most frequent first
    mentions: int = 0

    @property
    def label(self) -> str:
        """Returns a short readable name: "Chỉ thị 11-CT/TW", or a corpus title."""
        if self.in_corpus and self.doc_id == self.id:
            head = f"{self.type} " if self.type else ""
            return head + (self.title or self.id)
        return f"{self.type} {self.id}" if self.type and self.type not in self.id else self.id

    def to_json(self) -> dict[str, Any]:
        """Returns the node as the API contract has it."""
        return {
            "id": self.id,
            "type": self.type,
            "issuer": self.issuer,
            "date": self.date,
            "title": self.title,
            "in_corpus": self.in_corpus,
            "doc_id": self.doc_id,
        }


@dataclass
class Edge:
    """Citing → cited, with the most specific relation its mentions give."""

    source: str
    target: str
    relations: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def relation(self) -> str:
        """Returns the edge's relation."""
        return edge_relation(self.relations)

    @property
    def count(self) -> int:
        """Returns the number of mentions."""
        return len(self.mentions)

    def evidence(self) -> Mention | None:
        """Returns the first mention whose cue gives the edge its relation."""
        rel = self.relation
        return next((m for m in self.mentions if m.relation == rel and m.cue), None)

    def cue_json(self) -> dict[str, Any] | None:
        """Returns the evidence of the edge's relation: the cue's span, text and document."""
        m = self.evidence()
        if m is None or m.cue is None:
            return None
        return {
            "char_start": m.cue[0],
            "char_end": m.cue[1],
            "text": m.cue[2],
            "doc_id": m.doc_id,
            "source": m.source,
        }

    def to_json(self) -> dict[str, Any]:
        """Returns the edge as the API contract has it."""
        return {
            "source": self.source,
            "target": self.target,
            "relation": self.relation,
            "count": self.count,
        }


@dataclass(frozen=True)
class ChainLink:
    """A document reached from the chain's root through implementing edges."""

    id: str
    depth: int
    relation: str
    via: str  # the document it implements
    cue: str | None = None  # the words that put it there ("Thực hiện", "tổng kết")


def _reference(row: dict[str, Any]) -> Reference:
    return Reference(
        char_start=row["char_start"],
        char_end=row["char_end"],
        surface=row["surface"],
        target=row["target"],
        number=row["number"],
        doc_type=row["doc_type"],
        form=row["form"],
        resolved=bool(row["resolved"]),
        relation=row["relation"],
        subject=row["subject"],
        date=row["date"],
        issuer=row["issuer"],
        title=row["title"],
        cue_start=row.get("cue_start"),
        cue_end=row.get("cue_end"),
        cue_text=row.get("cue_text"),
    )


class CitationGraph:
    """The citation graph of an index, built once per index generation."""

    def __init__(self, documents: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
        """Builds the graph.

        Args:
            documents: rows of the documents table (doc_id, source, number, doc_type, …).
            rows: rows of the ``doc_references`` table.
        """
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str], Edge] = {}
        self._by_doc: dict[str, str] = {}
        self._province: dict[str, str | None] = {d["doc_id"]: d.get("province") for d in documents}
        sources = {d["doc_id"]: d["source"] for d in documents}
        for d in documents:
            node_id = (parse_id(d["number"]) if d.get("number") else None) or d["doc_id"]
            self._by_doc[d["doc_id"]] = node_id
            self.nodes[node_id] = Node(
                id=node_id,
                type=d.get("doc_type"),
                issuer=d.get("issuer"),
                date=d.get("date"),
                title=d.get("title"),
                in_corpus=True,
                doc_id=d["doc_id"],
                dates=(d["date"],) if d.get("date") else (),
            )
        per_doc: dict[str, list[tuple[dict[str, Any], Reference]]] = {}
        for row in rows:
            per_doc.setdefault(row["doc_id"], []).append((row, _reference(row)))
        province = {d["doc_id"]: d.get("province") for d in documents}
        # Which provinces' documents give each full id: a local body's "162-KH/TU" is one
        # document per province (issue 14), a national "89/QĐ-TTg" one for the country.
        known: dict[str, set[str | None]] = {}
        for doc_id, pairs in per_doc.items():
            for _, r in pairs:
                if r.resolved and r.form == "full":
                    known.setdefault(r.target, set()).add(province.get(doc_id))
        for d in documents:
            n = self._by_doc[d["doc_id"]]
            if parse_id(n) == n:
                known.setdefault(n, set()).add(d.get("province"))
        resolved: list[tuple[dict[str, Any], Reference]] = []
        for doc_id, pairs in per_doc.items():
            refs = resolve_across([r for _, r in pairs], known, province.get(doc_id))
            refs = [
                replace(r, target=self._local_key(r.target, province.get(doc_id), known))
                for r in refs
            ]
            resolved += [(row, r) for (row, _), r in zip(pairs, refs, strict=True)]
        registry = reconcile(r for _, r in resolved)
        for ref_id, info in registry.items():
            if ref_id in self.nodes:
                old = self.nodes[ref_id]
                self.nodes[ref_id] = Node(**{**old.__dict__, "mentions": info.mentions})
                continue
            self.nodes[ref_id] = Node(
                id=ref_id,
                type=info.doc_type,
                issuer=info.issuer,
                date=info.date,
                title=info.title,
                in_corpus=False,
                doc_id=None,
                dates=info.dates,
                mentions=info.mentions,
            )
        for row, r in resolved:
            citing = self._by_doc.get(row["doc_id"], row["doc_id"])
            cue = None
            if r.cue_start is not None and r.cue_end is not None and r.cue_text:
                cue = (r.cue_start, r.cue_end, r.cue_text)
            where = Mention(
                doc_id=row["doc_id"],
                source=sources.get(row["doc_id"], ""),
                passage_id=row["passage_id"],
                char_start=r.char_start,
                char_end=r.char_end,
                surface=r.surface,
                relation="mentions" if r.subject else r.relation,
                cue=None if r.subject else cue,
            )
            subject = r.subject
            if subject is not None:
                # The subject's id may have been resolved since it was stored.
                subject = next((x.target for _, x in resolved if x.target == subject), subject)
                said = Mention(**{**where.__dict__, "relation": r.relation, "cue": cue})
                self._add(subject, r.target, r.relation, said)
            self._add(citing, r.target, where.relation, where)

    def _local_key(
        self, target: str, province: str | None, known: dict[str, set[str | None]]
    ) -> str:
        """Keys a local body's id by province when documents of several provinces cite it.

        "162-KH/TU" cited from Sơn La and from Hà Tĩnh names two plans: they become
        "162-KH/TU (Sơn La)" and "162-KH/TU (Hà Tĩnh)"; a national id, or a local one only
        one province's documents give, keeps its canonical form. A corpus document keeps
        its own id in its own province.
        """
        parts = id_parts(target)
        if province is None or (parts is not None and is_national(parts.org)):
            return target
        provinces = {p for p in known.get(target, set()) if p}
        provinces.add(province)
        if len(provinces) < 2:
            return target
        own = next(
            (
                d
                for d, n in self._by_doc.items()
                if n == target and self._province.get(d) == province
            ),
            None,
        )
        return target if own is not None else f"{target} ({province})"

    @classmethod
    def from_parsed(cls, docs: Iterable[ParsedDocument]) -> CitationGraph:
        """Builds the graph straight from parsed documents (no index needed)."""
        documents: list[dict[str, Any]] = []
        rows: list[dict[str, Any]] = []
        for d in docs:
            documents.append({"doc_id": d.doc_id, "source": d.source, **d.meta.__dict__})
            for r in d.references:
                row = {k: v for k, v in r.__dict__.items() if k != "passage"}
                row |= {"doc_id": d.doc_id, "resolved": int(r.resolved)}
                row["passage_id"] = None if r.passage is None else f"{d.doc_id}:{r.passage:04d}"
                rows.append(row)
        return cls(documents, rows)

    def _add(self, source: str, target: str, relation: str, where: Mention) -> None:
        if source == target or source not in self.nodes or target not in self.nodes:
            return
        edge = self.edges.setdefault((source, target), Edge(source, target))
        edge.relations.append(relation)
        edge.mentions.append(where)

    # --- lookups ---------------------------------------------------------------
    def find(self, name: str) -> str:
        """Returns the node id ``name`` names: an id, a doc_id, or a number as written.

        Raises:
            NotFound: no node has that name.
        """
        name = (name or "").strip()
        if name in self.nodes:
            return name
        if name in self._by_doc:
            return self._by_doc[name]
        parsed = parse_id(name)
        if parsed and parsed in self.nodes:
            return parsed
        raise NotFound(
            f"no document {name!r} in the citation graph; give a canonical id such as "
            "11-CT/TW or 89/QĐ-TTg, or a doc_id (see GET /api/graph)"
        )

    def node(self, name: str) -> Node:
        """Returns the node ``name`` names (see :meth:`find`)."""
        return self.nodes[self.find(name)]

    def node_of_doc(self, doc_id: str) -> str:
        """Returns the node id of a corpus document.

        Raises:
            NotFound: no such document.
        """
        if doc_id not in self._by_doc:
            raise NotFound(f"no document with id {doc_id!r}")
        return self._by_doc[doc_id]

    def cites(self, node_id: str) -> list[Edge]:
        """Returns the edges from a node, most mentioned first."""
        out = [e for (s, _), e in self.edges.items() if s == node_id]
        return sorted(out, key=lambda e: (-e.count, e.target))

    def cited_by(self, node_id: str) -> list[Edge]:
        """Returns the edges into a node, most mentioned first."""
        out = [e for (_, t), e in self.edges.items() if t == node_id]
        return sorted(out, key=lambda e: (-e.count, e.source))

    def chain(self, node_id: str, relations: tuple[str, ...] = IMPLEMENTING) -> list[ChainLink]:
        """Returns every document that implements a node, transitively, nearest first.

        Args:
            node_id: the chain's root, e.g. "11-CT/TW".
            relations: edge relations that count as implementing.
        """
        seen = {node_id}
        out: list[ChainLink] = []
        queue = deque([(node_id, 0)])
        while queue:
            current, depth = queue.popleft()
            for e in self.cited_by(current):
                if e.relation in relations and e.source not in seen:
                    seen.add(e.source)
                    ev = e.evidence()
                    cue = ev.cue[2] if ev is not None and ev.cue is not None else None
                    out.append(ChainLink(e.source, depth + 1, e.relation, current, cue))
                    queue.append((e.source, depth + 1))
        return out

    def subgraph(self, ids: set[str]) -> tuple[list[Node], list[Edge]]:
        """Returns the nodes in ``ids`` and the edges among them."""
        nodes = [self.nodes[i] for i in sorted(ids) if i in self.nodes]
        edges = [e for (s, t), e in self.edges.items() if s in ids and t in ids]
        return nodes, edges

    def to_json(self) -> dict[str, Any]:
        """Returns ``{"nodes": [...], "edges": [...]}`` as the API contract has it."""
        nodes = sorted(self.nodes.values(), key=lambda n: (not n.in_corpus, n.id))
        edges = sorted(self.edges.values(), key=lambda e: (e.source, e.target))
        return {"nodes": [n.to_json() for n in nodes], "edges": [e.to_json() for e in edges]}

    def references_json(self, doc_id: str) -> dict[str, Any]:
        """Returns a corpus document's cites and cited-by as the API contract has it."""
        node_id = self.node_of_doc(doc_id)
        return {
            "doc_id": doc_id,
            "cites": [self._entry(e, e.target) for e in self.cites(node_id)],
            "cited_by": [self._entry(e, e.source) for e in self.cited_by(node_id)],
        }

    def _entry(self, edge: Edge, other: str, detail: bool = False) -> dict[str, Any]:
        node = self.nodes[other]
        mentions: list[dict[str, Any]] = []
        for m in edge.mentions:
            item: dict[str, Any] = {
                "passage_id": m.passage_id,
                "char_start": m.char_start,
                "char_end": m.char_end,
                "surface": m.surface,
                "relation": m.relation,
                "cue": None
                if m.cue is None
                else {"char_start": m.cue[0], "char_end": m.cue[1], "text": m.cue[2]},
            }
            if detail:
                item |= {"doc_id": m.doc_id, "source": m.source}
            mentions.append(item)
        return {
            "target": other,
            "relation": edge.relation,
            "cue": edge.cue_json(),
            "in_corpus": node.in_corpus,
            "target_doc_id": node.doc_id,
            "mentions": mentions,
        }

    def node_json(self, name: str) -> dict[str, Any]:
        """Returns a node with its dates, cites, cited-by and implementation chain."""
        node = self.node(name)
        return {
            "node": node.to_json() | {"label": node.label, "dates": list(node.dates)},
            "mentions": node.mentions,
            "cites": [self._entry(e, e.target, detail=True) for e in self.cites(node.id)],
            "cited_by": [self._entry(e, e.source, detail=True) for e in self.cited_by(node.id)],
            "chain": [link.__dict__ for link in self.chain(node.id)],
        }


def graph_for(store: Store) -> CitationGraph:
    """Returns the citation graph of an index, rebuilt when the index has changed."""

    def build() -> CitationGraph:
        rows = [dict(r) for r in store.conn.execute("SELECT * FROM doc_references ORDER BY id")]
        return CitationGraph(store.documents(), rows)

    return store.cached("graph", build)


def passages(store: Store, passage_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Returns passages by id with their document's source and title (for showing mentions)."""
    ids = [p for p in dict.fromkeys(passage_ids) if p]
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = store.conn.execute(
        "SELECT p.passage_id, p.doc_id, p.char_start, p.char_end, p.section, p.text, "
        f"d.source, d.title FROM passages p JOIN documents d ON d.doc_id = p.doc_id "
        f"WHERE p.passage_id IN ({marks})",
        ids,
    )
    return {r["passage_id"]: dict(r) for r in rows}


__all__ = [
    "IMPLEMENTING",
    "RELATIONS",
    "RELATION_LABELS",
    "ChainLink",
    "CitationGraph",
    "Edge",
    "Mention",
    "Node",
    "graph_for",
    "passages",
]
