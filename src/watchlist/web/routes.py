"""The analyst workbench: server-rendered pages over the engine and the case store.

Pages (all but the search page live under ``/wb/`` so they never collide with the JSON API):

- ``/``                       search as you type; results link to the entity
- ``/wb/entity/{id}``         every property, history across list versions, alerts on it
- ``/wb/alerts``              the queue: filters and keyset paging
- ``/wb/alerts/{id}``         review: record beside entity, decide (t / f / e, Ctrl+Enter)
- ``/wb/audit``, ``.csv``     decisions, logins, reloads and configuration changes
- ``/wb/lists``               loaded sources, versions and the diff of the last update

The router is thin: it reads request parameters, calls the engine or the case store, and
renders a template. Domain errors (`WatchlistError`) render as an error page with their status.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from watchlist.cases import (
    ALERT_SOURCES,
    ALERT_STATUSES,
    OPEN_STATUSES,
    OUTCOMES,
    SESSION_HOURS,
    AlertFilter,
    AlertIn,
    CaseStore,
    PageRequest,
    Session,
    export,
    open_case_store,
)
from watchlist.cases.raising import earlier_decision
from watchlist.engine import Engine
from watchlist.errors import NotFoundError, QueryError, WatchlistError
from watchlist.match.types import Query
from watchlist.model import Entity
from watchlist.settings import Settings
from watchlist.store import Event, canonical_json, entity_hash
from watchlist.web import auth
from watchlist.web.compare import compare_record
from watchlist.web.labels import property_label
from watchlist.web.parties import Paged, linked_records, party_alerts

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
STATIC_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".ico": "image/x-icon"}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
SEARCH_LIMIT = 20
SEARCH_MIN_SCORE = 0.2  # a lookup, not a screening decision: names this alike show, partial ones too
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class Workbench:
    """What the pages need: settings, the engine, the case store and the template environment."""

    settings: Settings
    engine: Engine
    cases: CaseStore
    templates: Environment
    base: str = ""

    def url(self, path: str, **params: Any) -> str:
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return f"{self.base}{path}" + (f"?{query}" if query else "")


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]))
    env.filters["pct"] = lambda value: f"{float(value) * 100:.0f}%"
    env.filters["label"] = property_label
    env.filters["http_url"] = lambda value: value if isinstance(value, str) and value.startswith(
        ("https://", "http://")) else None
    env.filters["tojson_pretty"] = lambda value: json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)
    return env


def create_workbench_router(
    settings: Settings, engine: Engine, cases: CaseStore | None = None, *, base: str = ""
) -> APIRouter:
    """The workbench pages as a router. Include it in the API app with `app.include_router(router)`.

    `cases` defaults to `open_case_store(settings)` (SQLite in WATCHLIST_HOME, or PostgreSQL at
    WATCHLIST_DATABASE_URL). `base` is a path prefix if the router is included with one.
    """
    wb = Workbench(settings, engine, cases or open_case_store(settings), _environment(), base.rstrip("/"))
    router = APIRouter(include_in_schema=False)
    login_url = wb.url("/wb/login")

    def page_session(request: Request) -> Session:
        return auth.require_session(request, wb.cases, login_url)

    async def post_session(request: Request) -> Session:
        session = auth.require_session(request, wb.cases, login_url)
        await auth.check_csrf(request, session)
        return session

    def render(request: Request, template: str, session: Session | None, status: int = 200,
               **context: Any) -> HTMLResponse:
        html = wb.templates.get_template(template).render(
            wb=wb, request=request, session=session, user=session.user if session else None,
            csrf=session.csrf_token if session else "", **context,
        )
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def error(request: Request, session: Session | None, exc: WatchlistError) -> HTMLResponse:
        return render(request, "error.html", session, status=exc.status, message=exc.message)

    def back_to(path: str) -> RedirectResponse:
        return RedirectResponse(path, status_code=303, headers=SECURITY_HEADERS)

    # -- static files and login ---------------------------------------------------------------

    @router.get("/wb/static/{name}")
    def static(name: str) -> Response:
        path = STATIC / name
        if "/" in name or name.startswith(".") or not path.is_file() or path.suffix not in STATIC_TYPES:
            raise HTTPException(404, "no such file")
        return Response(path.read_bytes(), media_type=STATIC_TYPES[path.suffix],
                        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})

    def login_page(request: Request, target: str, failed: bool, status: int = 200,
                   message: str = "") -> HTMLResponse:
        token = auth.new_login_token()
        response = render(request, "login.html", None, status=status, next=target, failed=failed,
                          message=message, csrf_login=token)
        auth.set_login_csrf(request, response, token)
        return response

    @router.get("/wb/login")
    def login_form(request: Request, next: str = "") -> HTMLResponse:
        return login_page(request, _safe_next(next, wb), failed=False)

    @router.post("/wb/login")
    async def login(request: Request) -> Response:
        form = await request.form()
        name, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
        target = _safe_next(str(form.get("next", "")), wb)
        if not auth.tokens_equal(request.cookies.get(auth.LOGIN_CSRF_COOKIE, ""), str(form.get("csrf_token", ""))):
            raise HTTPException(403, "missing or invalid CSRF token: reload the login page")
        try:
            user = wb.cases.login(name, password, _client(request))
        except WatchlistError as exc:  # an over-long name, or too many failures: say which
            return login_page(request, target, failed=True, status=exc.status, message=exc.message)
        if user is None:
            return login_page(request, target, failed=True, status=401)
        token, _ = wb.cases.create_session(user)
        response = back_to(target)
        auth.set_session_cookie(request, response, token, int(SESSION_HOURS * 3600))
        response.delete_cookie(auth.LOGIN_CSRF_COOKIE, path="/")
        return response

    @router.post("/wb/logout")
    def logout(request: Request, session: Session = Depends(post_session)) -> Response:
        wb.cases.end_session(auth.session_token(request))
        wb.cases.audit(session.user.name, "logout")
        response = back_to(login_url)
        auth.clear_session_cookie(request, response)
        return response

    # -- search ---------------------------------------------------------------------------------

    def run_search(q: str, birth_date: str, country: str, schema: str) -> tuple[list[Any], str | None]:
        if not q.strip():
            return [], None
        try:
            query = Query.build(q, schema=schema or None, birth_date=birth_date or None, country=country or None)
            hits = wb.engine.screen(query, limit=SEARCH_LIMIT)
        except WatchlistError as exc:
            return [], exc.message
        return [h for h in hits if h.features.get("name_match", h.score) >= SEARCH_MIN_SCORE], None

    @router.get("/")
    def search_page(request: Request, q: str = "", birth_date: str = "", country: str = "", schema: str = "",
                    session: Session = Depends(page_session)) -> HTMLResponse:
        hits, problem = run_search(q, birth_date, country, schema)
        return render(request, "search.html", session, q=q, birth_date=birth_date, country=country,
                      schema=schema, hits=hits, problem=problem, searched=bool(q.strip()))

    @router.get("/wb/search")
    def search_results(request: Request, q: str = "", birth_date: str = "", country: str = "",
                       schema: str = "", session: Session = Depends(page_session)) -> HTMLResponse:
        hits, problem = run_search(q, birth_date, country, schema)
        return render(request, "_results.html", session, q=q, birth_date=birth_date, country=country,
                      schema=schema, hits=hits, problem=problem, searched=bool(q.strip()))

    # -- entity -----------------------------------------------------------------------------------

    @router.get("/wb/entity/{entity_id:path}")
    def entity_page(request: Request, entity_id: str, session: Session = Depends(page_session)) -> HTMLResponse:
        try:
            entity = wb.engine.get(entity_id)
        except WatchlistError as exc:
            return error(request, session, exc)
        linked = linked_records(wb.engine, entity.id)
        referents = tuple(r.id for r in linked.records) if linked else (entity.id,)
        history = sorted((h for r in referents for h in _history(wb.engine, r)), key=lambda h: -h["snapshot"].id)
        alerts = party_alerts(wb.cases, referents)
        return render(request, "entity.html", session, entity=entity, history=history, alerts=alerts,
                      linked=linked)

    # -- alerts -------------------------------------------------------------------------------------

    @router.get("/wb/alerts")
    def alert_queue(request: Request, status: str = "active", min_score: str = "", dataset: str = "",
                    program: str = "", source: str = "", date_from: str = "", date_to: str = "",
                    order: str = "newest", after: str = "",
                    session: Session = Depends(page_session)) -> HTMLResponse:
        params = {"status": status, "min_score": min_score, "dataset": dataset, "program": program,
                  "source": source, "date_from": date_from, "date_to": date_to, "order": order}
        try:
            statuses = OPEN_STATUSES if status == "active" else (() if status == "all" else (status,))
            filters = AlertFilter(
                status=tuple(statuses), min_score=_score(min_score), dataset=dataset or None,
                program=program or None, source=source or None, created_from=date_from or None,
                created_to=date_to or None,
            )
            page = wb.cases.alerts(filters, PageRequest(limit=PAGE_SIZE, after=after or None,
                                                        order="score" if order == "score" else "newest"))
            total = wb.cases.count_alerts(filters)
        except WatchlistError as exc:
            return error(request, session, exc)
        next_url = wb.url("/wb/alerts", **params, after=page.next_cursor) if page.next_cursor else None
        return render(request, "alerts.html", session, page=page, total=total, params=params,
                      facets=wb.cases.alert_facets(), statuses=ALERT_STATUSES, sources=ALERT_SOURCES,
                      next_url=next_url, first_url=wb.url("/wb/alerts", **params) if after else None)

    @router.post("/wb/alerts/new")
    async def raise_alert(request: Request, session: Session = Depends(post_session)) -> Response:
        """An analyst raises a manual alert from a search hit (then reviews it like any other)."""
        form = await request.form()
        field = {k: str(form.get(k, "")).strip() for k in ("entity_id", "q", "birth_date", "country", "schema")}
        try:
            query = Query.build(field["q"], schema=field["schema"] or None, birth_date=field["birth_date"] or None,
                                country=field["country"] or None)
            entity = wb.engine.get(field["entity_id"])
            result = wb.engine.compare(query, entity)
            record = {"name": field["q"]}
            record.update({k: field[k] for k in ("birth_date", "country", "schema") if field[k]})
            party_key = "manual:" + " ".join(field["q"].casefold().split())
            (alert_id,) = wb.cases.add_alerts([AlertIn.from_result("manual", party_key, record, result)])
        except WatchlistError as exc:
            return error(request, session, exc)
        wb.cases.audit(session.user.name, "alert.raise", f"alert:{alert_id}",
                       {"entity_id": entity.id, "query": field["q"]})
        return back_to(wb.url(f"/wb/alerts/{alert_id}"))

    @router.get("/wb/alerts/{alert_id}")
    def review(request: Request, alert_id: int, session: Session = Depends(page_session)) -> HTMLResponse:
        try:
            alert = wb.cases.get_alert(alert_id)
        except WatchlistError as exc:
            return error(request, session, exc)
        entity, listed, changed = _alert_entity(wb.engine, alert.entity_id, alert.entity, alert.entity_hash)
        comparison = compare_record(alert.record, entity, wb.engine) if entity is not None else []
        decisions = wb.cases.decisions(alert_id)
        proposer = next((d.user for d in reversed(decisions) if d.action == "true_match"), None)
        return render(request, "review.html", session, alert=alert, entity=entity, listed=listed,
                      changed=changed, comparison=comparison, decisions=decisions, outcomes=OUTCOMES,
                      proposer=proposer, linked=linked_records(wb.engine, alert.entity_id) if listed else None,
                      earlier=earlier_decision(wb.cases, alert))

    @router.post("/wb/alerts/{alert_id}/{action}")
    async def decide(request: Request, alert_id: int, action: str,
                     session: Session = Depends(post_session)) -> Response:
        form = await request.form()
        comment = str(form.get("comment", ""))
        try:
            if action == "decide":
                wb.cases.decide(alert_id, str(form.get("outcome", "")), comment, session.user)
            elif action == "approve":
                wb.cases.approve(alert_id, comment, session.user)
            elif action == "reject":
                wb.cases.reject(alert_id, comment, session.user)
            else:
                raise NotFoundError(f"unknown action {action!r}: use decide, approve or reject")
        except WatchlistError as exc:
            return error(request, session, exc)
        return back_to(wb.url(f"/wb/alerts/{alert_id}", done=action))

    # -- audit -------------------------------------------------------------------------------------

    @router.get("/wb/audit")
    def audit_page(request: Request, actor: str = "", action: str = "", before: str = "",
                   session: Session = Depends(page_session)) -> HTMLResponse:
        try:
            before_id = int(before) if before else None
        except ValueError:
            return error(request, session, QueryError(f"before={before[:24]!r} is not an audit record id"))
        try:
            records = wb.cases.audit_log(limit=PAGE_SIZE, before=before_id, actor=actor or None,
                                         action=action or None)
        except WatchlistError as exc:
            return error(request, session, exc)
        next_url = (wb.url("/wb/audit", actor=actor, action=action, before=records[-1].id)
                    if len(records) == PAGE_SIZE else None)
        events = wb.engine.store.events(limit=20) if wb.engine.store is not None else []
        return render(request, "audit.html", session, records=records, events=events, actor=actor,
                      action=action, next_url=next_url)

    @router.get("/wb/audit.csv")
    def audit_csv(request: Request, session: Session = Depends(page_session)) -> StreamingResponse:
        wb.cases.audit(session.user.name, "audit.export")
        return StreamingResponse(
            export.audit_csv(wb.cases.audit_all(), _list_events(wb.engine)), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="watchlist-audit.csv"', "Cache-Control": "no-store"},
        )

    # -- lists ---------------------------------------------------------------------------------------

    @router.get("/wb/lists")
    def lists_page(request: Request, source: str = "", added: int = 1,
                   session: Session = Depends(page_session)) -> HTMLResponse:
        store = wb.engine.store
        sources = store.sources() if store is not None else []
        chosen = source or (sources[0].name if sources else "")
        diff = snapshots = None
        if store is not None and chosen:
            try:
                diff = store.diff(chosen)
                snapshots = store.snapshots(chosen)
            except WatchlistError as exc:
                return error(request, session, exc)
        additions = Paged.of(list(diff.added) if diff else [], added,
                             lambda n: wb.url("/wb/lists", source=chosen, added=n) + "#added")
        return render(request, "lists.html", session, sources=sources, chosen=chosen, diff=diff,
                      snapshots=snapshots, datasets=wb.engine.datasets, additions=additions)

    @router.post("/wb/lists/reload")
    def reload_lists(request: Request, session: Session = Depends(post_session)) -> Response:
        if not session.user.is_admin:
            return error(request, session, auth_forbidden("only an admin can reload the lists"))
        try:
            index = wb.engine.reload()
        except WatchlistError as exc:
            return error(request, session, exc)
        wb.cases.audit(session.user.name, "reload", "lists", {"version": index.version,
                                                              "entities": len(index.entities)})
        return back_to(wb.url("/wb/lists", reloaded=1))

    return router


def create_workbench_app(settings: Settings, engine: Engine, cases: CaseStore | None = None) -> FastAPI:
    """A standalone app serving only the workbench (`watchlist workbench`, tests)."""
    app = FastAPI(title="watchlist workbench", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(create_workbench_router(settings, engine, cases))
    return app


# -- helpers -------------------------------------------------------------------------------------


def auth_forbidden(message: str) -> WatchlistError:
    from watchlist.errors import ForbiddenError

    return ForbiddenError(message)


def _safe_next(target: str, wb: Workbench) -> str:
    """Only same-site paths: no open redirect via ?next=//evil.example."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return wb.url("/")


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def _score(value: str) -> float | None:
    if not value:
        return None
    try:
        score = float(value)
    except ValueError as exc:
        raise QueryError(f"minimum score {value!r} is not a number between 0 and 1") from exc
    return score / 100 if score > 1 else score


def _history(engine: Engine, entity_id: str) -> list[dict[str, Any]]:
    """The entity across kept list versions, newest first, with what changed at each step."""
    if engine.store is None:
        return []
    rows = engine.store.history(entity_id)
    out: list[dict[str, Any]] = []
    for position, (snapshot, entity) in enumerate(rows):
        older = next((e for s, e in rows[position + 1:] if s.source == snapshot.source), "none")
        if entity is None:
            change = "not listed"
        elif older == "none":
            change = "first seen"
        elif older is None:
            change = "listed (again)"
        elif isinstance(older, Entity) and older != entity:
            old_props, new_props = older.properties(), entity.properties()
            keys = sorted(k for k in set(old_props) | set(new_props) if old_props.get(k) != new_props.get(k))
            change = "changed: " + ", ".join(keys) if keys else "changed"
        else:
            change = "unchanged"
        out.append({"snapshot": snapshot, "entity": entity, "change": change, "record_id": entity_id})
    return out


def _alert_entity(engine: Engine, entity_id: str, stored: dict[str, Any] | None,
                  stored_hash: str) -> tuple[Entity | None, bool, bool]:
    """(entity to show, still listed?, changed since the alert?)."""
    try:
        current = engine.get(entity_id)
    except (NotFoundError, WatchlistError):
        current = None
    if current is not None:
        return current, True, entity_hash(canonical_json(current)) != stored_hash
    if stored is not None:
        return Entity.from_dict(stored), False, False
    return None, False, False


def _list_events(engine: Engine) -> Iterator[Event]:
    """The list store's events, oldest first (none without a store)."""
    if engine.store is not None:
        yield from reversed(engine.store.events(limit=100_000))
