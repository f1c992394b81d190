from publications.tests.conftest import (  # noqa: F401 (shared fixtures)
    magazine,
    make_issue,
    make_news,
    news,
)
