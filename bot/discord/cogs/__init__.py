"""Discord cogs, one feature each; loaded by QuoteBot.setup_hook."""
