"""Logging filters named in settings.LOGGING."""

import logging


class WithoutTraceback(logging.Filter):
    """Keep the record's message, drop its traceback.

    Django logs every request with an unknown Host header at ERROR with the exception
    attached: on a server that bots probe by IP address that is dozens of lines per hit
    for something the message alone says ("Invalid HTTP_HOST header: ...").
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
