"""Cutting text into what the index stores and what a query looks up.

Chinese, Japanese and Korean characters have no spaces between words, so every pair of
neighbouring characters is a term: 停车场收费 → 停车 车场 场收 收费. A query's pairs must all
be in a document for it to be a candidate, and the candidates are then checked for the
exact words, so 停车 finds 停车场收费调整 and never 停…车. Other scripts are cut into
lower-case words.
"""

import hashlib
import re

CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
RUNS = re.compile(rf"[{CJK}]+|[^\W_{CJK}]+")
LONGEST = 16


def grams(text):
    """The set of terms of `text`."""
    terms = set()
    for run in RUNS.findall(text.lower()):
        if re.match(rf"[{CJK}]", run):
            if len(run) == 1:
                terms.add(run)
            else:
                terms.update(run[i : i + 2] for i in range(len(run) - 1))
        else:
            terms.add(run[:LONGEST])
    return terms


def code(term):
    """The number the index stores for a term."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=7).digest(), "big")


def codes(text):
    return {code(term) for term in grams(text)}
