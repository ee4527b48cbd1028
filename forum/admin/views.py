"""Member administration, the audit log, watched words, trust rules and board settings."""

from fastapi import APIRouter, Depends

from forum.core.csrf import verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])
