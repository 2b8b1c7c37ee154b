"""Master data for kiosks: the manifest (ETag = version) and the files of a published set."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from server_sync.intake import store
from server_sync.intake.bodies import Manifest
from server_sync.intake.context import context_of
from server_sync.intake.deps import verified_kiosk
from server_sync.intake.errors import NotFoundError
from server_sync.intake.openapi import error_responses, kiosk_auth_parameters

router = APIRouter(prefix="/api/v1/master", tags=["master"], dependencies=[Depends(verified_kiosk)])


def etag_for(version: str) -> str:
    """The strong ETag of a master version."""
    return f'"{version}"'


def etag_matches(header: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names ``etag`` (or is ``*``)."""
    if header is None:
        return False
    candidates = [part.strip().removeprefix("W/") for part in header.split(",")]
    return "*" in candidates or etag in candidates


@router.get(
    "/manifest",
    summary="The current master-data set",
    response_model=Manifest,
    responses={304: {"description": "not modified"}, **error_responses(400, 401, 403, 404)},
    openapi_extra={"parameters": kiosk_auth_parameters()},
)
async def manifest(request: Request) -> Response:
    """The newest published set; 304 when If-None-Match names its version."""
    ctx = context_of(request)
    current = await run_in_threadpool(store.current_master, ctx.engine)
    if current is None:
        raise NotFoundError("no master set has been published yet")
    etag = etag_for(current.version)
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers={"ETag": etag})
    body = {
        "version": current.version,
        "published_at": current.published_at,
        "files": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in current.files],
    }
    return JSONResponse(body, headers={"ETag": etag, "Cache-Control": "no-cache"})


@router.get(
    "/files/{name:path}",
    summary="One file of the current (or a given) master set",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": {}}},
        **error_responses(400, 401, 403, 404),
    },
    openapi_extra={"parameters": kiosk_auth_parameters()},
)
async def master_file(
    request: Request,
    name: str,
    version: str | None = None,
) -> Response:
    """The bytes of ``name``; ``?version=`` pins the set a kiosk is downloading."""
    ctx = context_of(request)
    if version is None:
        current = await run_in_threadpool(store.current_master, ctx.engine)
        if current is None:
            raise NotFoundError("no master set has been published yet")
        version = current.version
    content = await run_in_threadpool(store.master_file, ctx.engine, version, name)
    if content is None:
        raise NotFoundError("no such master file")
    return Response(
        content,
        media_type="application/octet-stream",
        headers={"ETag": etag_for(version), "X-Master-Version": version},
    )
