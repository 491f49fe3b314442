"""A fake Discord (gateway + REST) on 127.0.0.1 that the real discord.py client talks to."""
