"""How reading a draft fails (its own module: the text and the Word readers both raise it)."""


class DraftError(ValueError):
    """The draft cannot be read; the message is meant for the person who uploaded it."""
