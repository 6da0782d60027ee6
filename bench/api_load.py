"""Load test of the HTTP API: single-query POST /match against all shared lists, with a list reload midway.

    python bench/api_load.py [--seconds 30] [--concurrency 8] [--reload-at 8] [--workers 1] [--cpus 0,1]

Loopback only: it loads ../shared/data/lists into a temporary WATCHLIST_HOME, starts
`uvicorn` on 127.0.0.1 in a subprocess (pinned to `--cpus`), fires single-query /match
requests from an asyncio httpx client for `--seconds`, and at `--reload-at` seconds loads a
new snapshot of one list into the store and calls POST /admin/reload (the background
watcher would pick it up too). It prints requests/s, p50/p99 latency and failures, and
appends one row to bench/out/api-load.csv. The load generator shares the machine's cores
with the server, so the numbers are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

import httpx

from watchlist.api.keys import KeyStore
from watchlist.engine import Engine
from watchlist.errors import WatchlistError
from watchlist.model import Entity
from watchlist.settings import Settings
from watchlist.sources import load_paths
from watchlist.store import loading_order

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT.parent / "shared" / "data" / "lists"
OUT = ROOT / "bench" / "out" / "api-load.csv"
# Listed names in several scripts and spellings, and names that should not match.
NAMES = [
    ("Person", "Kim Jong Un"),
    ("Person", "Ким Чен Ын"),
    ("Person", "Vladimir Putin"),
    ("Person", "Bashar al-Assad"),
    ("Person", "Ali Khamenei"),
    ("Person", "Osama bin Laden"),
    ("Person", "Ri Pyong Chol"),
    ("Person", "Nicolas Maduro Moros"),
    ("Person", "Ramzan Kadyrov"),
    ("Person", "John Smith"),
    ("Person", "Maria Garcia Lopez"),
    ("Person", "Hans Peter Müller"),
    ("Person", "Wei Zhang"),
    ("Organization", "Korea Mining Development Trading Corporation"),
    ("Organization", "Hezbollah"),
    ("Company", "Rosneft"),
    ("Company", "Bank Melli Iran"),
    ("Company", "Acme Widgets GmbH"),
    ("Vessel", "Wise Honest"),
    ("Company", "Sberbank"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(home: Path) -> tuple[str, str, float]:
    """Load every shared list into a fresh store, build the index, make keys; returns (user, admin, seconds)."""
    started = time.perf_counter()
    settings = Settings(home=home)
    engine = Engine.open(settings)
    assert engine.store is not None
    parsed = []
    for folder in sorted(p for p in LISTS.iterdir() if p.is_dir()):
        try:
            parsed.extend(load_paths([folder]))
        except (WatchlistError, ImportError) as exc:  # a parser another engineer has not shipped yet
            print(f"skipping {folder.name}: {exc}", file=sys.stderr)
    for item in loading_order(parsed):
        result = engine.store.load(item)
        print(f"loaded {result.source}: {result.snapshot.entity_count} entities", file=sys.stderr)
    index = engine.reload()
    print(f"index: {len(index.entities)} entities, {len(index.names)} names", file=sys.stderr)
    engine.close()
    keys = KeyStore.open(settings.db_path)
    user = keys.create("bench")[1]
    admin = keys.create("bench-admin", role="admin")[1]
    keys.close()
    return user, admin, time.perf_counter() - started


def new_version(home: Path) -> str:
    """Load a changed UN list (every 50th entry delisted) as a new snapshot, as a scheduled update would."""
    engine = Engine.open(Settings(home=home))
    assert engine.store is not None
    for item in load_paths([LISTS / "un"]):
        changed = replace(item, files=(), entities=partial(_delist_some, item.entities))
        engine.store.load(changed)
    version = engine.store.version()
    engine.close()
    return version


def _delist_some(entities: Callable[[], Iterable[Entity]]) -> Iterator[Entity]:
    return (entity for i, entity in enumerate(entities()) if i % 50)


async def run_load(
    base: str, user: str, admin: str, home: Path, seconds: float, concurrency: int, reload_at: float
) -> dict[str, object]:
    latencies: list[float] = []
    failures: list[str] = []
    deadline = time.perf_counter() + seconds
    headers = {"Authorization": f"ApiKey {user}"}
    reload_info: dict[str, object] = {}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60, limits=limits) as client:

        async def worker(seed: int) -> None:
            rng = random.Random(seed)
            while time.perf_counter() < deadline:
                schema, name = rng.choice(NAMES)
                body = {"queries": {"q": {"schema": schema, "properties": {"name": [name]}}}}
                started = time.perf_counter()
                try:
                    resp = await client.post("/match/default", json=body)
                    if resp.status_code != 200:
                        failures.append(f"{resp.status_code} {resp.text[:200]}")
                except httpx.HTTPError as exc:
                    failures.append(f"{type(exc).__name__}: {exc}")
                latencies.append(time.perf_counter() - started)

        async def reloader() -> None:
            await asyncio.sleep(reload_at)
            started = time.perf_counter()
            version = await asyncio.to_thread(new_version, home)
            resp = await client.post("/admin/reload", headers={"Authorization": f"ApiKey {admin}"})
            reload_info.update(
                status=resp.status_code,
                body=resp.json(),
                store_version=version,
                seconds=round(time.perf_counter() - started, 2),
                at=reload_at,
            )

        started = time.perf_counter()
        await asyncio.gather(reloader(), *(worker(i) for i in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(q: float) -> float:
        return (
            round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 1) if latencies else 0.0
        )

    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 1),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "max_ms": pct(1.0),
        "failures": len(failures),
        "failure_samples": failures[:5],
        "reload": reload_info,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--reload-at", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--cpus", default="0,1", help="cores the server may use")
    args = parser.parse_args()
    cpus = {int(c) for c in args.cpus.split(",")} & os.sched_getaffinity(0)
    with tempfile.TemporaryDirectory(prefix="watchlist-bench-") as tmp:
        home = Path(tmp)
        user, admin, prep = prepare(home)
        port = free_port()
        env = {**os.environ, "WATCHLIST_HOME": str(home), "WATCHLIST_RELOAD_INTERVAL": "5"}
        cmd = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "watchlist.cli.serve:app_factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        log = (home / "server.log").open("wb")  # the structured access log, one JSON line per request
        server = subprocess.Popen(
            cmd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=lambda: os.sched_setaffinity(0, cpus),  # noqa: PLW1509 - no threads started yet
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
            else:
                raise SystemExit("the server did not become ready in 60 s")
            result = asyncio.run(
                run_load(base, user, admin, home, args.seconds, args.concurrency, args.reload_at)
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
            logged = (home / "server.log").read_text(encoding="utf-8", errors="replace").splitlines()
            print(
                f"server log: {len(logged)} lines; last: {logged[-1][:300] if logged else ''}",
                file=sys.stderr,
            )
    print(
        f"setup (parse + store + index): {prep:.1f}s; server cores: {sorted(cpus)}; workers: {args.workers}; "
        f"concurrency: {args.concurrency}"
    )
    print(
        f"{result['requests']} requests in {result['seconds']}s: {result['rps']} req/s, "
        f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms, "
        f"failures {result['failures']}"
    )
    print(f"reload at {args.reload_at}s: {result['reload']}")
    for sample in result["failure_samples"]:  # type: ignore[attr-defined]
        print("  failure:", sample)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    new = not OUT.exists()
    with OUT.open("a", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        if new:
            writer.writerow(
                [
                    "at",
                    "workers",
                    "concurrency",
                    "seconds",
                    "requests",
                    "rps",
                    "p50_ms",
                    "p99_ms",
                    "max_ms",
                    "failures",
                    "reload_seconds",
                ]
            )
        reload_info = result["reload"]
        writer.writerow(
            [
                time.strftime("%Y-%m-%dT%H:%M:%S"),
                args.workers,
                args.concurrency,
                result["seconds"],
                result["requests"],
                result["rps"],
                result["p50_ms"],
                result["p99_ms"],
                result["max_ms"],
                result["failures"],
                reload_info.get("seconds") if isinstance(reload_info, dict) else "",
            ]
        )
    if result["failures"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
