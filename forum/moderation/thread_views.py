"""Thread tools for moderators, and posts' edit history."""

from fastapi import APIRouter, Depends

from forum.core.csrf import verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])
