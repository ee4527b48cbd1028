"""The schema comes only from migrations, and they agree with the models."""

from alembic import command
from support import migrated_database

from forum.cli import alembic_config


def test_models_and_migrations_agree(database_url):
    config = alembic_config(database_url)
    config.attributes["configure_logging"] = False
    command.check(config)  # raises if autogenerate would add anything


def test_migrations_downgrade_to_nothing_and_back(worker):
    url = migrated_database(f"forum_migrations_{worker}")
    config = alembic_config(url)
    config.attributes["configure_logging"] = False
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    command.check(config)
