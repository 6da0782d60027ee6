"""Downloads of the official list files: the only network code in watchlist.

`fetch(sources, dest)` downloads every file of each source (OFAC publishes a list as
several CSV files, see `SOURCE_FILES`), with timeouts, retries with exponential backoff,
streaming to a temporary file and sanity checks (non-empty, Content-Length matched, size
under a limit after any HTTP decompression, a list format `detect.sniff` recognises, and for
a workbook, members whose declared decompressed sizes are within `Limits`). A source's files replace the
previous download in `dest/<source>/` only once all of them passed. Parsing and loading is
the caller's job: `load_paths(fetch(...))`, then `Store.load` for each list.

Where files come from, first match wins:
1. `urls[source]`: a URL ending in '/' is a folder holding the source's files by their
   mirror names (below); any other URL is the one file of that source.
2. `base_url` or the env var `WATCHLIST_SOURCE_BASE_URL`: a mirror laid out as
   `<base>/<source>/<file name>`, e.g. `http://mirror/ofac-sdn/add.csv`.
3. The official URLs (`SOURCE_FILES`, else `SOURCE_URLS`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from watchlist.bounded import check_declared_sizes
from watchlist.errors import FetchError, LimitError, SourceError
from watchlist.limits import DEFAULT_LIMITS, Limits
from watchlist.sources.base import DEFAULT_RETRIES, DEFAULT_TIMEOUT
from watchlist.sources.urls import SOURCE_URLS

try:  # the multi-file registry (OFAC CSV sets)
    from watchlist.sources.urls import SOURCE_FILES
except ImportError:  # pragma: no cover - older registry without it
    SOURCE_FILES = {}

BASE_URL_ENV = "WATCHLIST_SOURCE_BASE_URL"
DEFAULT_BACKOFF = 1.0  # seconds before the first retry, doubled each time
MAX_BYTES = DEFAULT_LIMITS.max_download_bytes  # 1 GiB per file: far above any official list (sdn_advanced.xml ~120 MB)
USER_AGENT = "watchlist (sanctions list fetch; +https://github.com/watchlist)"
_CHUNK = 1 << 16
_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
_sleep: Callable[[float], None] = time.sleep  # tests replace it
_HINT = "no network? Load local files with `watchlist fetch --from PATH`"


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """One file of a published list."""

    source: str
    name: str  # local (and mirror) file name, e.g. 'sdn.csv'
    url: str


def file_name(source: str, url: str) -> str:
    """The file name a URL is saved under: its last path segment, or '<source>.<ext>' when that
    has no suffix (the EU URL ends in '/content?token=...')."""
    last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    if "." in last:
        return last
    lowered = url.lower()
    ext = "xml" if "xml" in lowered else "csv" if "csv" in lowered else "dat"
    return f"{source}.{ext}"


def remote_files(
    source: str, urls: dict[str, str] | None = None, base_url: str | None = None
) -> list[RemoteFile]:
    """The files to download for `source`, after overrides (see the module docstring)."""
    official = SOURCE_FILES.get(source) or ((SOURCE_URLS[source],) if source in SOURCE_URLS else ())
    names = [file_name(source, u) for u in official]
    override = (urls or {}).get(source)
    if override:
        if override.endswith("/"):
            if not names:
                raise FetchError(f"{source}: a folder URL needs a known source; give the file URL instead")
            return [RemoteFile(source, n, override + n) for n in names]
        return [RemoteFile(source, file_name(source, override), override)]
    if not official:
        known = ", ".join(sorted(SOURCE_URLS))
        raise FetchError(
            f"unknown source {source!r}: no official URL (known: {known}); give --url {source}=URL"
        )
    base = base_url if base_url is not None else os.environ.get(BASE_URL_ENV) or None
    if base:
        base = base.rstrip("/")
        return [RemoteFile(source, n, f"{base}/{source}/{n}") for n in names]
    return [RemoteFile(source, n, u) for n, u in zip(names, official)]


def fetch(
    sources: list[str],
    dest: Path,
    urls: dict[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    *,
    base_url: str | None = None,
    backoff: float = DEFAULT_BACKOFF,
    max_bytes: int = MAX_BYTES,
    client: httpx.Client | None = None,
    limits: Limits | None = None,
) -> list[Path]:
    """Download every file of `sources` into `dest/<source>/`; returns the file paths.

    Raises FetchError (naming the URL and what to do) on the first source that fails; the
    files of sources fetched earlier stay in place.
    """
    out: list[Path] = []
    with _client(timeout, client) as http:
        for source in sources:
            out.extend(
                fetch_source(
                    source, dest, urls, timeout, retries,
                    base_url=base_url, backoff=backoff, max_bytes=max_bytes, client=http, limits=limits,
                )
            )  # fmt: skip
    return out


def fetch_source(
    source: str,
    dest: Path,
    urls: dict[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    *,
    base_url: str | None = None,
    backoff: float = DEFAULT_BACKOFF,
    max_bytes: int = MAX_BYTES,
    client: httpx.Client | None = None,
    limits: Limits | None = None,
) -> list[Path]:
    """Download all files of one source; they replace `dest/<source>/` only if every one passed.

    `limits` (default: the WATCHLIST_* settings) caps what a downloaded workbook may expand to."""
    limits = limits or Limits.from_env()
    files = remote_files(source, urls, base_url)
    target = Path(dest) / source
    Path(dest).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{source}-", dir=dest))
    try:
        with _client(timeout, client) as http:
            for remote in files:
                _download(http, remote, staging / remote.name, retries, backoff, max_bytes, limits)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [target / remote.name for remote in files]


class _client:
    """Use the caller's client, or open (and close) one."""

    def __init__(self, timeout: float, client: httpx.Client | None) -> None:
        self._given = client
        self._own: httpx.Client | None = None
        self._timeout = timeout

    def __enter__(self) -> httpx.Client:
        if self._given is not None:
            return self._given
        self._own = httpx.Client(
            timeout=httpx.Timeout(self._timeout, connect=min(self._timeout, 15.0)),
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
        )
        return self._own

    def __exit__(self, *exc: object) -> None:
        if self._own is not None:
            self._own.close()


def _download(
    http: httpx.Client,
    remote: RemoteFile,
    path: Path,
    retries: int,
    backoff: float,
    max_bytes: int,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    url = remote.url
    last: FetchError | None = None
    for attempt in range(retries + 1):
        if attempt:
            _sleep(backoff * 2 ** (attempt - 1))
        try:
            _download_once(http, url, path, max_bytes)
        except _Retry as exc:
            last = exc.error
            continue
        _check_format(remote, path, limits)
        return
    assert last is not None
    tries = retries + 1
    raise FetchError(f"{last.message} (after {tries} {'try' if tries == 1 else 'tries'})")


class _Retry(Exception):
    def __init__(self, error: FetchError) -> None:
        super().__init__(error.message)
        self.error = error


def _download_once(http: httpx.Client, url: str, path: Path, max_bytes: int) -> None:
    try:
        with http.stream("GET", url) as response:
            status = response.status_code
            if status in _RETRY_STATUS:
                raise _Retry(FetchError(f"{url}: the server answered HTTP {status}"))
            if status >= 400:
                raise FetchError(
                    f"{url}: the server answered HTTP {status}; check the URL (--url SOURCE=URL)"
                )
            expected = _content_length(response)
            if expected is not None and expected > max_bytes:
                raise FetchError(f"{url}: {expected:,} bytes is over the {max_bytes:,} byte limit")
            written = 0
            with open(path, "wb") as fh:
                for chunk in (
                    response.iter_raw(_CHUNK) if _is_identity(response) else response.iter_bytes(_CHUNK)
                ):
                    written += len(chunk)
                    if written > max_bytes:
                        raise FetchError(f"{url}: more than {max_bytes:,} bytes; not a list file?")
                    fh.write(chunk)
            if expected is not None and _is_identity(response) and written != expected:
                raise _Retry(FetchError(f"{url}: download truncated, got {written:,} of {expected:,} bytes"))
            if written == 0:
                raise FetchError(f"{url}: the server sent an empty file; the list was not changed")
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        raise _Retry(FetchError(f"cannot reach {url}: {_reason(exc)}; {_HINT}")) from exc
    except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
        raise _Retry(
            FetchError(f"{url}: download truncated, the connection was closed ({_reason(exc)})")
        ) from exc
    except httpx.TimeoutException as exc:
        raise _Retry(FetchError(f"{url}: timed out ({_reason(exc)}); {_HINT}")) from exc
    except httpx.HTTPError as exc:
        raise _Retry(FetchError(f"{url}: {_reason(exc)}; {_HINT}")) from exc
    except OSError as exc:
        raise FetchError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _is_identity(response: httpx.Response) -> bool:
    return response.headers.get("content-encoding", "identity").lower() in ("", "identity")


def _content_length(response: httpx.Response) -> int | None:
    raw = response.headers.get("content-length")
    if raw is None or not _is_identity(response):
        return None
    try:
        return int(raw)
    except ValueError:
        return None


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _check_format(remote: RemoteFile, path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """The file must be a list format the parsers recognise (not an HTML error page, not garbage)."""
    from watchlist.sources.detect import sniff

    try:
        sniff(path)
    except SourceError as exc:
        raise FetchError(f"{remote.url}: the downloaded file is not a list file: {exc.message}") from exc
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                check_declared_sizes(archive, remote.name, limits)
        except LimitError as exc:
            raise FetchError(f"{remote.url}: {exc.message}") from exc
        except (zipfile.BadZipFile, OSError) as exc:
            raise FetchError(f"{remote.url}: a damaged workbook ({exc})") from exc
