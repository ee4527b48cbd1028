"""The JSON API for moderation."""

from fastapi import APIRouter, Depends

from forum.core.csrf import verify_csrf

router = APIRouter(prefix="/api/v1", tags=["moderation"], dependencies=[Depends(verify_csrf)])
