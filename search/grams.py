"""Cutting text into what the index stores and what a query looks up.

Chinese, Japanese and Korean characters have no spaces between words, so every pair of
neighbouring characters is a term: 停车场收费 → 停车 车场 场收 收费. Other scripts are cut
into lower-case words, and words into their runs of three letters, so part of a word finds
the whole (park → parking). A document is a candidate when it has every term of the query;
candidates are then checked for the exact words, so 停车 finds 停车场收费调整 and never 停…车.
A query too short to have terms (one Chinese character, two letters) is checked on every
document instead.
"""

import hashlib
import re

CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
RUNS = re.compile(rf"[{CJK}]+|[^\W_{CJK}]+")
IS_CJK = re.compile(rf"[{CJK}]")


def _terms(text, whole_short_words):
    terms = set()
    for run in RUNS.findall(text.lower()):
        size = 2 if IS_CJK.match(run) else 3
        if len(run) >= size:
            terms.update(run[i : i + size] for i in range(len(run) - size + 1))
        elif whole_short_words:
            terms.add(run)
    return terms


def grams(text):
    """The terms a document is indexed by (short runs too, so they count as present)."""
    return _terms(text, whole_short_words=True)


def query_grams(query):
    """The terms a query can be looked up by: a short run at a query's edge may be part of a
    longer one in the document, so only runs long enough to cut are used."""
    return _terms(query, whole_short_words=False)


def code(term):
    """The number the index stores for a term."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=7).digest(), "big")


def codes(text):
    return {code(term) for term in grams(text)}


def query_codes(query):
    return {code(term) for term in query_grams(query)}
