from publications.tests.conftest import (  # noqa: F401 (shared fixtures)
    home_page,
    magazine,
    make_issue,
    make_news,
    news,
)
