from .boards import Board
from .moderation import Report, Suspension
from .posts import Post, PostImage, PostRevision, Reaction
from .reading import ReadState, Subscription
from .topics import Topic

__all__ = [
    "Board",
    "Topic",
    "Post",
    "PostImage",
    "PostRevision",
    "Reaction",
    "Report",
    "Suspension",
    "ReadState",
    "Subscription",
]
