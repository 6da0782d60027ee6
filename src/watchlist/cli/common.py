"""What the commands share: counts with the right plural ("1 mention", "2 mentions"), input checks."""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Iterable
from pathlib import Path

from watchlist.errors import ConfigError, NotFoundError

_IRREGULAR = {"entity": "entities", "party": "parties", "match": "matches", "alias": "aliases"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 row', '1,204 rows'; `many` for a plural the rules below do not know."""
    if count == 1:
        return f"1 {word}"
    return f"{count:,} {many or plural_form(word)}"


def plural_form(word: str) -> str:
    """The plural of an English noun as our messages use them ('finding' -> 'findings')."""
    head, _, last = word.rpartition(" ")
    plural_last = _IRREGULAR.get(last) or (last + "es" if last.endswith(("s", "x", "ch", "sh")) else last + "s")
    return f"{head} {plural_last}" if head else plural_last


WORKERS_PER_CORE = 4  # more worker processes than this only share the cores, each with its own memory


def check_workers(workers: int) -> None:
    """`--workers`: 0 (every core) to WORKERS_PER_CORE a core; more would exhaust memory for no speed (10,000
    forked about 890 processes and 24 GB before a first row was written)."""
    most = WORKERS_PER_CORE * (os.cpu_count() or 1)
    if workers < 0:
        raise ConfigError("--workers must be 0 (every core) or more")
    if workers > most:
        raise ConfigError(f"--workers {workers} is more than {WORKERS_PER_CORE} a core: at most {most} on this machine")


def check_output(output: Path, *inputs: Path) -> None:
    """A results file that is a folder or one of the inputs is refused before either is opened."""
    if output.is_dir():
        raise ConfigError(f"the output {output} is a folder: name a file, e.g. {output / 'results.jsonl'}")
    refuse_overwriting(output, inputs, "input file")


def refuse_overwriting(output: Path, inputs: Iterable[Path], what: str) -> None:
    """An output that is one of the inputs (`what`: 'input file', 'document') is refused: writing it
    would destroy the input being read."""
    for source in inputs:
        if output.exists() and source.exists() and output.samefile(source):
            raise ConfigError(f"the output {output} is the {what} {source}: name another output file")


def require_file(path: Path, what: str = "file") -> None:
    """A missing input is one clear line (NotFoundError), not a traceback from deep in a reader."""
    if str(path) == "-":
        return
    if not path.exists():
        raise NotFoundError(f"{what} {path} does not exist")
    if path.is_dir():
        raise NotFoundError(f"{what} {path} is a folder, not a file")


def check_port_free(host: str, port: int) -> None:
    """A port already in use is one clear line (ConfigError), not the server's traceback."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError(f"port {port} is in use on {host}: pick another with --port N") from exc
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
