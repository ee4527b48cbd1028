"""The JSON API for thread_tools."""

from fastapi import APIRouter, Depends

from forum.core.csrf import verify_csrf

router = APIRouter(prefix="/api/v1", tags=["thread_tools"], dependencies=[Depends(verify_csrf)])
