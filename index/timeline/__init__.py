"""Timeline search: entries by date or by words."""
