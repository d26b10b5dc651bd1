"""Small generated documents, so the hardening tests ingest in seconds."""

from __future__ import annotations

from pathlib import Path


def write_doc(folder: Path, n: int, marker: str = "") -> Path:
    """Writes a short Vietnamese report number ``n``; ``marker`` is a word only it holds."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bao-cao-{n:03d}.txt"
    body = "\n\n".join(
        f"{i}. Hội khuyến học xã số {n} báo cáo kết quả năm {2020 + i}: vận động "
        f"{100 * i + n} hội viên, trao {10 + i} suất học bổng, xây dựng gia đình học tập. "
        f"{marker}"
        for i in range(1, 6)
    )
    path.write_text(
        f"ỦY BAN NHÂN DÂN XÃ SỐ {n}\n\nSố: {n}/BC-UBND\n\nBÁO CÁO\n"
        f"Kết quả công tác khuyến học, khuyến tài năm {2020 + n % 5}\n\n{body}\n",
        encoding="utf-8",
    )
    return path
