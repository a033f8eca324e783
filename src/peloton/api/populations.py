"""Routes of uploaded populations: a CSV or Parquet file in (the raw body, or the multipart field
`file`), validated column by column as `peloton simulate --population` does, kept under its content
hash for simulations to name; described and deleted by id. The store is peloton.api.uploads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from peloton.api.computing import json_response
from peloton.api.models import problems
from peloton.api.multipart import form_file, is_multipart
from peloton.api.problems import Problem, input_error_problem
from peloton.api.uploads import MAX_UPLOAD_BYTES, Upload, UploadStore, UploadTooLarge
from peloton.errors import InputError

router = APIRouter(prefix="/populations", tags=["simulator"])
PATH = "/api/v1/populations"


class PopulationUploaded(Upload):
    """An uploaded population's description, with its URL."""

    url: str


def store(request: Request) -> UploadStore:
    uploads: UploadStore = request.app.state.uploads
    return uploads


def not_found(upload: str) -> Problem:
    return Problem(
        404,
        f"no uploaded population {upload[:40]!r}",
        [{"pointer": "", "parameter": "population_id", "in": "path", "detail": "unknown population id"}],
        detail_nl="onbekende populatie",
    )


async def _multipart_file(request: Request) -> tuple[AsyncIterator[bytes], str]:
    """The `file` field of a multipart form, read back in blocks."""
    upload = await form_file(request, "population")

    async def chunks() -> AsyncIterator[bytes]:
        while block := await upload.read(1 << 20):
            yield block

    return chunks(), str(upload.filename or "population")


@router.post(
    "",
    status_code=201,
    summary="Upload a population (CSV or Parquet), validated as the CLI does",
    responses={201: {"model": PopulationUploaded}, **problems(413, 422)},
)
async def upload(
    request: Request,
    format: Annotated[str | None, Query(pattern="^(csv|parquet)$", description="csv or parquet")] = None,
    name: Annotated[str, Query(max_length=200, description="A file name for messages")] = "population",
) -> Response:
    try:
        if is_multipart(request):
            chunks, name = await _multipart_file(request)
        else:
            chunks = request.stream()
        described = await store(request).receive(chunks, name, format)
    except UploadTooLarge:
        raise Problem(
            413,
            f"population larger than {MAX_UPLOAD_BYTES:,} bytes",
            [{"pointer": "", "detail": f"at most {MAX_UPLOAD_BYTES:,} bytes"}],
            detail_nl=f"populatie groter dan {MAX_UPLOAD_BYTES:,} bytes",
            headers={"Connection": "close"},
        ) from None
    except InputError as exc:
        raise input_error_problem(exc) from None
    url = f"{PATH}/{described.id}"
    payload = {**described.as_dict(), "url": url}
    response = json_response(payload, request, {"population": described.id}, 201)
    response.headers["Location"] = url
    return response


@router.get(
    "/{population_id}",
    summary="An uploaded population's description",
    responses={200: {"model": PopulationUploaded}, **problems(404)},
)
def describe(population_id: str, request: Request) -> Response:
    described = store(request).info(population_id)
    if described is None:
        raise not_found(population_id)
    return json_response({**described.as_dict(), "url": f"{PATH}/{described.id}"}, request)


@router.delete(
    "/{population_id}", status_code=204, summary="Delete an uploaded population", responses=problems(404)
)
def delete(population_id: str, request: Request) -> Response:
    if not store(request).delete(population_id):
        raise not_found(population_id)
    return Response(status_code=204)
