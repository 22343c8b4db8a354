"""The one error type of the Python tools: a message for the user, printed without a traceback."""


class ConversionError(Exception):
    """An input that cannot be converted: the message names the file, what was expected and what was found."""
