"""Records a fixed set of API responses over an index, or compares them with a recording.

A reorganisation of the code must not change what the API says. This script sends the same
requests every time (search in every mode and with filters, ask, requirements, documents,
references, the graph, phrase, similar, duplicates, and bad input) through the real app and
writes the responses, with what differs from run to run (request ids, timings) taken out.

    python -m eval.api_snapshot --index /tmp/ix --out /tmp/before.json
    python -m eval.api_snapshot --index /tmp/ix --compare /tmp/before.json

``--index`` is built from ``corpus/`` when it holds no index yet. ``--compare`` prints each
request whose response differs, with the first differing path, and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Fields that differ between two runs of the same code on the same index.
VOLATILE = {"request_id", "took_ms", "elapsed_ms", "timing", "timings"}


def requests_to_send() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, params or body) for every request recorded, in order."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    queries = [
        json.loads(line)["query"]
        for line in (ROOT / "eval" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for i, q in enumerate(queries[:24]):
        for mode in ("hybrid", "lexical", "dense") if i < 8 else ("hybrid",):
            out.append(("GET", "/api/search", {"q": q, "k": 5, "mode": mode}))
    out += [
        ("GET", "/api/search", {"q": "khuyen hoc", "k": 3, "offset": 2}),
        ("GET", "/api/search", {"q": "xã hội học tập", "doc_type": "Báo cáo", "k": 3}),
        ("GET", "/api/search", {"q": "khuyến tài", "year_from": 2021, "year_to": 2024}),
        ("GET", "/api/search", {"q": "gia đình học tập", "issuer": "Đam Rông"}),
        ("GET", "/api/search", {"q": "", "k": 3}),
        ("GET", "/api/search", {"q": "x", "k": 0}),
    ]
    questions = [
        json.loads(line)["question"]
        for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for q in questions[:30]:
        out.append(("POST", "/api/ask", {"question": q}))
    out.append(("POST", "/api/ask", {"question": ""}))
    out += [
        ("GET", "/api/requirements", {}),
        ("GET", "/api/requirements", {"actor": "huyện ủy"}),
        ("GET", "/api/requirements", {"q": "báo cáo"}),
        ("GET", "/api/documents", {}),
        ("GET", "/api/graph", {}),
        ("GET", "/api/graph/node", {"id": "11-CT/TW"}),
        ("GET", "/api/graph/node", {"id": "49-KL/TW"}),
        ("GET", "/api/graph/node", {"id": "no-such"}),
        ("GET", "/api/phrase", {"q": "xã hội học tập"}),
        ("GET", "/api/phrase", {"q": "khuyen hoc khuyen tai", "limit": 5}),
        (
            "POST",
            "/api/similar",
            {"text": "Đẩy mạnh công tác khuyến học, khuyến tài, xây dựng xã hội học tập"},
        ),
        ("GET", "/api/duplicates", {}),
        ("GET", "/api/duplicates", {"min_similarity": 0.9, "min_words": 8}),
        ("GET", "/api/documents/no-such", {}),
        ("GET", "/healthz", {}),
    ]
    return out


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in sorted(value.items()) if k not in VOLATILE}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    return value


def record(index_dir: Path) -> list[dict[str, Any]]:
    """Sends every request to an app over ``index_dir``; returns request and response."""
    from fastapi.testclient import TestClient

    from index.build import ingest_paths
    from search_api.app import create_app
    from search_api.settings import Settings

    if not (index_dir / "tracuu.sqlite").exists():
        index_dir.mkdir(parents=True, exist_ok=True)
        ingest_paths([ROOT / "corpus"], index_dir, ROOT)
    settings = Settings(index_dir=index_dir, corpus_dir=ROOT / "corpus", root=ROOT, rate_limit=0)
    client = TestClient(create_app(settings, with_ui=False))
    sent = requests_to_send()
    docs = client.get("/api/documents").json()
    for doc in docs if isinstance(docs, list) else []:
        sent.append(("GET", f"/api/documents/{doc['doc_id']}", {}))
        sent.append(("GET", f"/api/documents/{doc['doc_id']}/references", {}))
    out = []
    for method, path, args in sent:
        if method == "GET":
            response = client.get(path, params=args)
        else:
            response = client.post(path, json=args)
        try:
            body = response.json()
        except ValueError:
            body = response.text
        out.append(
            {
                "request": [method, path, args],
                "status": response.status_code,
                "body": _clean(body),
            }
        )
    return out


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """The first path at which ``a`` and ``b`` differ, or None."""
    if type(a) is not type(b):
        return f"{path or '/'}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}/{key}: only in {'new' if key in b else 'old'}"
            found = first_difference(a[key], b[key], f"{path}/{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            found = first_difference(x, y, f"{path}/{i}")
            if found:
                return found
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        return None
    if a == b:
        return None
    if isinstance(a, str):
        at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
        at = min(len(a), len(b)) if at is None else at
        a, b = a[max(0, at - 30) : at + 30], b[max(0, at - 30) : at + 30]
    return f"{path or '/'}: {str(a)[:80]!r} vs {str(b)[:80]!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="index folder (built if empty)")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="write the recording here")
    group.add_argument("--compare", type=Path, help="compare with this recording")
    args = parser.parse_args(argv)
    rows = record(args.index)
    if args.out:
        args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"{len(rows)} responses written to {args.out}")
        return 0
    old = json.loads(args.compare.read_text(encoding="utf-8"))
    differ = 0
    for before, now in zip(old, rows, strict=False):
        found = first_difference(before, now)
        if found:
            differ += 1
            print(f"{' '.join(map(str, before['request'][:2]))} {before['request'][2]}: {found}")
    if len(old) != len(rows):
        differ += 1
        print(f"{len(old)} responses recorded, {len(rows)} now")
    print(f"{len(rows) - differ} of {len(rows)} responses unchanged")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
