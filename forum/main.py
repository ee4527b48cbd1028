"""The ASGI application uvicorn serves: `uvicorn forum.main:app`."""

from forum.app import create_app

app = create_app()
