"""Three renderings of the same Answer: console text, JSON, Discord embeds."""
