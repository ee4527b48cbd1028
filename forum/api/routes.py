"""The one JSON API router: every feature's api.py routes under /api/v1, in matching order.

Each feature keeps its JSON routes beside its pages (forum/<feature>/api.py); create_app()
includes the pages' routers and this one.
"""

from fastapi import APIRouter

from forum.accounts.api import router as accounts_api
from forum.admin.api import router as admin_api
from forum.boards.api import router as boards_api
from forum.glossary.api import router as glossary_api
from forum.moderation.api import router as moderation_api
from forum.moderation.thread_api import router as thread_tools_api
from forum.notifications.api import router as notifications_api
from forum.site.api import router as site_api
from forum.threads.api import router as threads_api
from forum.wisdom.api import router as wisdom_api
from forum.wisdom.search_api import router as wisdom_search_api

router = APIRouter()
# Before the wisdom API, so /api/v1/wisdom/search isn't read as /api/v1/wisdom/{id}.
router.include_router(wisdom_search_api)
router.include_router(accounts_api)
router.include_router(boards_api)
router.include_router(threads_api)
router.include_router(moderation_api)
router.include_router(notifications_api)
router.include_router(thread_tools_api)
router.include_router(admin_api)
router.include_router(wisdom_api)
router.include_router(glossary_api)
router.include_router(site_api)
