"""Registers the mailing task with the worker: it is defined beside the rules that queue it."""

from publications.mailing import send_mailing

__all__ = ["send_mailing"]
