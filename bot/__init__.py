"""How the bot talks to people: answers from hits, rendering, the Discord client, CLI and console."""
