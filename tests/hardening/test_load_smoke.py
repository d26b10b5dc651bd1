"""A short run of benchmarks/load.py: 8 clients for a few seconds, zero errors."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from benchmarks import load


def test_eight_clients_for_a_few_seconds_get_no_error(corpus_index_dir: Path) -> None:
    port = load._free_port()
    server = load.start_server(corpus_index_dir, port)
    try:
        url = f"http://127.0.0.1:{port}"
        load.wait_ready(url)
        result = load.run_load(url, clients=8, seconds=4)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert result["errors"] == 0, result["error_samples"]
    assert result["requests"] >= 8
