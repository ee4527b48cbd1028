"""The review queue, reporting a post, and moderating one post in context."""

from fastapi import APIRouter, Depends

from forum.core.csrf import verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])
