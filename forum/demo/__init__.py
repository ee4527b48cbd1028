"""The demo community `make run` adds to an empty forum: every feature with something in it."""

from forum.demo.content import ADMIN
from forum.demo.seed import seed_demo

__all__ = ["ADMIN", "seed_demo"]
