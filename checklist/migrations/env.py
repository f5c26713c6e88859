"""Alembic's entry point. ``checklist.database.upgrade`` runs it with the connection to use,
already in a transaction (``config.attributes["connection"]``): the app migrates its own
database when it opens it, so there is no alembic.ini and no other way in."""

from alembic import context

from checklist.database import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with checklist.database.upgrade(engine)")
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
