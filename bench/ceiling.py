"""The ceiling: the forum's server stack answering one constant page, with no database."""

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from forum.core.middleware import SiteMiddleware

PAGE = Path(os.environ.get("BENCH_CEILING_PAGE", "var/bench-ceiling.html")).read_bytes()

app = FastAPI()
app.add_middleware(SiteMiddleware)


@app.get("/ceiling")
async def ceiling() -> HTMLResponse:
    return HTMLResponse(PAGE)
