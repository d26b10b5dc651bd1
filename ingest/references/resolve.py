"""Resolving short and yearless mentions to full ids: in the document, then across the corpus;
reconciling what every mention says of one referenced document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace

from ingest.models import Reference, ReferencedDocument
from ingest.references.canonical import id_parts, type_of
from ingest.references.find import Mention
from vntext import codes
from vntext.garbled import has_hooks
from vntext.normalize import fold


def resolve_short(
    type_name: str | None,
    number: str,
    full_ids: Sequence[str],
    form: str = "short",
    bodies: frozenset[str] | None = None,
) -> str | None:
    """Returns the full id a short or yearless mention names, if one fits; never by number alone.

    Args:
        type_name: the type word of the mention ("Đề án").
        number: its number ("89").
        full_ids: full ids to choose from, the most likely first (e.g. nearest before).
        form: "short" for "Thông tư 44", "yearless" for "44/TT-BGDĐT".
        bodies: the body codes of the issuer the mention names ("của Huyện ủy" → HU), if any.

    Returns:
        The first candidate with the same number whose type code fits the type word and,
        when the mention names its issuer, whose body is that issuer's; a candidate of
        another type only when the named issuer is its body ("Kế hoạch 2547 của UBND
        tỉnh" → "2547/QĐ-UBND", the decision that issued the plan).
    """
    cands = []
    for fid in full_ids:
        parts = id_parts(fid)
        if parts is not None and int(parts.number) == int(number) and fid not in cands:
            cands.append(fid)
    if form == "yearless":
        return cands[0] if len(cands) == 1 else None
    codes_ok = codes.TYPE_WORD_CODES.get(type_name or "", set())

    def body_ok(fid: str) -> bool:
        p = id_parts(fid)
        return bodies is None or (p is not None and bool(set(p.org.split("-")) & bodies))

    fitting = [c for c in cands if (p := id_parts(c)) is not None and p.code in codes_ok]
    fitting = [c for c in fitting if body_ok(c)]
    if fitting:
        return fitting[0]
    if bodies is not None:
        named = [c for c in cands if body_ok(c)]
        return named[0] if len(named) == 1 else None
    return None


def _yearless_key(ref_id: str) -> tuple[int, str, str] | None:
    parts = id_parts(ref_id)
    if parts is None or parts.party:
        return None
    return int(parts.number), parts.code, parts.org


def resolve_mentions(mentions: list[Mention], known: Sequence[str]) -> list[Mention]:
    """Resolves short and yearless mentions against full ids in ``mentions`` and ``known``."""
    full = [m.target for m in mentions if m.form == "full"]
    yeared: dict[tuple[int, str, str], set[str]] = {}
    for fid in [*full, *known]:
        parts = id_parts(fid)
        key = _yearless_key(fid)
        if parts is not None and parts.year and key is not None:
            yeared.setdefault(key, set()).add(fid)
    out = []
    for i, m in enumerate(mentions):
        if m.form == "full":
            parts = id_parts(m.target)
            key = _yearless_key(m.target)
            if parts is not None and not parts.year and key in yeared and len(yeared[key]) == 1:
                # "Thông tư số 44/TT-BGD&ĐT" names 44/2014/TT-BGDĐT when that is given too.
                m = replace(m, target=next(iter(yeared[key])))
            out.append(m)
            continue
        before = [x.target for x in reversed(mentions[:i]) if x.form == "full"]
        after = [x.target for x in mentions[i + 1 :] if x.form == "full"]
        bodies = m.bodies
        hit = resolve_short(m.doc_type, m.number, [*before, *after], bodies=bodies)
        if hit is None:
            hit = resolve_short(m.doc_type, m.number, list(known), bodies=bodies)
        out.append(replace(m, target=hit, form="short") if hit else m)
    return out


def resolve_across(
    refs: Sequence[Reference],
    known: Iterable[str] | Mapping[str, Collection[str | None]],
    province: str | None = None,
) -> list[Reference]:
    """Resolves short and yearless references of one document with ids other documents give.

    "Thong tu 22" in one report names 22/2020/TT-BGDĐT when another gives that id. A local
    body's number ("162-KH/TU", "12/QĐ-UBND") recurs in every province, so it is taken only
    from documents of the citing document's province (or of unknown province).

    Args:
        refs: one document's references.
        known: full ids other documents give, or a map of them to the provinces of the
            documents that give them (``None`` for a document of unknown province).
        province: the citing document's province, if known.
    """
    where: dict[str, set[str | None]] = {}
    if isinstance(known, Mapping):
        for k, provs in known.items():
            where[k] = set(provs) or {None}
    else:
        for k in known:
            where[k] = {None}

    def fits(fid: str) -> bool:
        parts = id_parts(fid)
        if parts is None:
            return False
        if codes.is_national(parts.org) or province is None:
            return True
        provs = where.get(fid, {None})
        return province in provs or provs == {None}

    usable = sorted(k for k in where if fits(k))
    out = []
    for r in refs:
        target = r.target
        if r.form == "short" and not r.resolved:
            bodies = codes.bodies_of_issuer(r.issuer) if r.issuer else None
            target = resolve_short(r.doc_type, r.number, usable, bodies=bodies) or target
        else:
            key = _yearless_key(target)
            parts = id_parts(target)
            if key is not None and parts is not None and not parts.year:
                yeared = {k for k in usable if _yearless_key(k) == key and id_parts(k).year}  # type: ignore[union-attr]
                if len(yeared) == 1:
                    target = next(iter(yeared))
        out.append(replace(r, target=target, resolved=id_parts(target) is not None))
    return out


def _vote(values: Iterable[str | None]) -> str | None:
    vals = [v for v in values if v]
    if any(has_hooks(v) for v in vals):
        vals = [v for v in vals if has_hooks(v)]
    if not vals:
        return None
    counts = Counter(fold(v) for v in vals)
    # Most frequent; on a tie the first stated (its fullest statement comes first).
    best = max(counts, key=lambda k: counts[k])
    return next(v for v in vals if counts[fold(v)] == counts[best])


def reconcile(refs: Iterable[Reference]) -> dict[str, ReferencedDocument]:
    """Builds the registry of referenced documents from all their mentions.

    Type, issuer and title are the majority over mentions, mentions with Vietnamese
    letters before OCR'd ones; every date given is kept, most frequent first, so a
    Chỉ thị given as both 22/5/2021 and 25/5/2021 shows both.
    """
    groups: dict[str, list[Reference]] = {}
    for r in refs:
        groups.setdefault(r.target, []).append(r)
    out = {}
    for target, rs in groups.items():
        full = [r for r in rs if r.form == "full"] or rs
        # "Đề án 89" is the Đề án QĐ 89 approves: the document is the Quyết định.
        types = [r.doc_type for r in full if r.doc_type != "Đề án"]
        doc_type = _vote(types) or type_of(target)
        dates = Counter(r.date for r in rs if r.date)
        order = {d: i for i, d in reversed(list(enumerate(r.date for r in rs if r.date)))}
        ranked = sorted(dates, key=lambda d: (-dates[d], order[d]))
        out[target] = ReferencedDocument(
            id=target,
            doc_type=doc_type,
            issuer=_vote(r.issuer for r in rs),
            date=ranked[0] if ranked else None,
            dates=tuple(ranked),
            title=_vote(r.title for r in rs),
            mentions=len(rs),
        )
    return out
