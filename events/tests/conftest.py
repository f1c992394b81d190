"""Event fixtures: the club's members (club/tests/conftest.py) sign up for events."""

from club.tests.conftest import (  # noqa: F401 (shared fixtures)
    _messages_in_english,
    club_staff,
    make_member,
    member,
    verified,
)
