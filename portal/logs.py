"""A refused request (403, 404: someone's link to a page they may not see) is one line in the
log; Django logs a 403 with the exception's traceback, which is for errors (500)."""

import logging


class QuietRefusals(logging.Filter):
    def filter(self, record):
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = record.exc_text = None
        return True
