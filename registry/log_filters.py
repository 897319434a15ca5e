"""Logging filters named in settings.LOGGING: personal data and tracebacks kept out of
the process log."""

import logging
import re

# Wagtail writes the record's str() in double quotes as the first argument of its action
# lines ('Edited: "%s" pk=%d revision_id=%d', 'Published: ...', 'Unpublished: ...'). A
# client's str() is a name, so the quoted title is replaced by the record type.
_QUOTED_TITLE = re.compile(r'"%s"')
_REVISION_ID = re.compile(r"revision_id=%d")


class RecordTypeInsteadOfTitle(logging.Filter):
    """Rewrite Wagtail's action lines to name the record type and id, never its title.

    'Edited: "Amelia Adeyemi" pk=12 revision_id=40' becomes
    'Edited: client pk=12 revision_id=40'. The record type comes from the revision the line
    names; a line without one says "record". Never drops a line.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.msg
        if not isinstance(msg, str) or not _QUOTED_TITLE.search(msg):
            return True
        args = record.args if isinstance(record.args, tuple) else ()
        # The title is the argument that fills the quoted placeholder.
        position = _placeholders_before(msg, _QUOTED_TITLE.search(msg).start())
        if position >= len(args):
            return True
        # "pk=%d" prints a UUID key as a 39-digit integer; "%s" prints it as the admin does.
        record.msg = _QUOTED_TITLE.sub("%s", msg, count=1).replace("pk=%d", "pk=%s")
        args = list(args)
        args[position] = self._record_type(msg, args)
        record.args = tuple(args)
        return True

    @staticmethod
    def _record_type(msg: str, args: list) -> str:
        match = _REVISION_ID.search(msg)
        if not match:
            return "record"
        index = _placeholders_before(msg, match.start())
        try:
            from wagtail.models import Revision

            revision = Revision.objects.select_related("content_type").get(pk=args[index])
            return str(revision.content_type.model_class()._meta.verbose_name)
        except Exception:  # a log line must never fail the save it reports
            return "record"


def _placeholders_before(msg: str, end: int) -> int:
    """How many %-placeholders a format string has before ``end`` ("%%" is none)."""
    head = msg[:end]
    return head.count("%") - 2 * head.count("%%")


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
