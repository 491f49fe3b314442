"""Moderators' corpus changes without Discord: proposals (validated, previewable) and their text."""
