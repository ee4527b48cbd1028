"""The JSON API for admin."""

from fastapi import APIRouter, Depends

from forum.core.csrf import verify_csrf

router = APIRouter(prefix="/api/v1", tags=["admin"], dependencies=[Depends(verify_csrf)])
