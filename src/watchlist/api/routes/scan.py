"""POST /scan (text in JSON) and POST /scan/file (a document's bytes): listed parties, places, red flags."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from watchlist.api.auth import require_key
from watchlist.api.models import ErrorResponse, UnprocessableResponse
from watchlist.api.routes.common import get_engine
from watchlist.engine import Engine
from watchlist.scan import Scanner, ScanOptions, extract_bytes

router = APIRouter(tags=["Scanning"])
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid request"},
    401: {"model": ErrorResponse, "description": "No or bad API key"},
    413: {"model": ErrorResponse, "description": "Body too large"},
    422: {"model": UnprocessableResponse, "description": "Invalid fields, or an unreadable document"},
}
MAX_SCANNERS = 16  # cached scanners (one per distinct option set), each reused across requests
_lock = threading.Lock()


class ScanRequest(BaseModel):
    text: str = Field(
        ..., max_length=5_000_000, examples=["Payment to Korea Kwangson Banking Corp via Dandong."]
    )
    document: str = Field("document", max_length=300)
    threshold: float | None = Field(None, ge=0.0, le=1.0)
    datasets: list[str] = Field(default_factory=list, max_length=20)
    parties: bool = True


def _scanner(request: Request, engine: Engine, options: ScanOptions) -> Scanner:
    cache: dict[ScanOptions, Scanner] = request.app.state.scanners
    with _lock:
        scanner = cache.get(options)
        if scanner is None:
            if len(cache) >= MAX_SCANNERS:
                cache.pop(next(iter(cache)))
            scanner = cache[options] = Scanner(engine, options)
    return scanner


@router.post("/scan", responses=ERRORS, summary="Scan a text")
def scan(
    request: Request,
    body: ScanRequest,
    engine: Engine = Depends(get_engine),
    _key: object = Depends(require_key),
) -> dict[str, Any]:
    """Listed parties, sanctioned places and red flags in a text, each with its character span."""
    options = ScanOptions(threshold=body.threshold, datasets=tuple(body.datasets), parties=body.parties)
    report = _scanner(request, engine, options).scan(body.text, body.document)
    return report.to_dict()


@router.post("/scan/file", responses=ERRORS, summary="Scan a document (text, HTML, PDF, DOCX)")
async def scan_file(
    request: Request,
    name: str = Query(
        "document", max_length=300, description="File name; its extension helps pick the reader"
    ),
    engine: Engine = Depends(get_engine),
    _key: object = Depends(require_key),
) -> dict[str, Any]:
    """Send the document's bytes as the request body (any content type); the size limit is the API's body limit."""
    from starlette.concurrency import run_in_threadpool

    data = await request.body()
    scanner = _scanner(request, engine, ScanOptions())

    settings = request.app.state.settings
    budget = getattr(request.state, "budget", None)  # the request's deadline, cancelled if the client goes

    def run() -> dict[str, Any]:
        document = extract_bytes(data, name, settings.limits, budget)
        return scanner.scan(document.text, name).to_dict()

    return await run_in_threadpool(run)
