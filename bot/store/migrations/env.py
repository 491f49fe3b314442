"""Alembic environment: the bot runs the migrations itself (``bot.store.migrate``) on the
connection it passes in ``config.attributes["connection"]``; no alembic.ini is needed."""
from alembic import context

from bot.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # the alembic command line: build an engine from sqlalchemy.url
    import sqlalchemy as sa

    connection = sa.create_engine(context.config.get_main_option("sqlalchemy.url")).connect()

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
