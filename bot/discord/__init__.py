"""The Discord front end: the client, its cogs and views."""
