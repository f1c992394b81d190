"""Cutting text into what the index stores and what a query looks up.

Chinese, Japanese and Korean characters have no spaces between words, so every pair of
neighbouring characters is a term: 停车场收费 → 停车 车场 场收 收费. Other scripts are cut
into lower-case words, and words into their runs of three letters, so part of a word finds
the whole (park → parking). Where a number or word meets Chinese, the two characters at the
seam are a term too (5栋 → 5栋), so a short address is looked up like a Chinese word. A
document is a candidate when it has every term of the query; candidates are then checked for the exact words, so 停车 finds 停车场收费调整 and never 停…车.
A query too short to have terms (one Chinese character, two letters) is checked on the newest
documents' text instead (each source bounds how many). Documents and queries are folded first (search.folding): 停車 finds 停车,
３号楼 and 3 号楼 find 3号楼.
"""

import re
from itertools import pairwise

from search.coding import code
from search.folding import CJK, fold, terms
from search.words import alternatives

RUNS = re.compile(rf"[{CJK}]+|[^\W_{CJK}]+")
IS_CJK = re.compile(rf"[{CJK}]")


def _terms(text, whole_short_words):
    terms, text, end = set(), fold(text), None
    for found in RUNS.finditer(text):
        run = found[0]
        size = 2 if IS_CJK.match(run) else 3
        if len(run) >= size:
            terms.update(run[i : i + size] for i in range(len(run) - size + 1))
        elif whole_short_words:
            terms.add(run)
        if found.start() == end:  # a number or word right beside Chinese: 5栋, 3号楼, A座
            terms.add(text[end - 1 : end + 1])
        end = found.end()
    return terms


def grams(text):
    """The terms a document is indexed by (short runs too, so they count as present)."""
    return _terms(text, whole_short_words=True)


def query_grams(query):
    """The terms a query can be looked up by: a short run at a query's edge may be part of a
    longer one in the document, so only runs long enough to cut are used."""
    return _terms(query, whole_short_words=False)


def codes(text):
    return {code(term) for term in grams(text)}


def query_groups(query):
    """What a document must have to hold every term of `query` (search.folding.terms), as
    groups of codes of which it must have at least one each: one group per pair or run of a
    term, or for a term with synonyms one group with a code of each of its words (the exact
    words are checked afterwards). A term too short to have codes adds nothing."""
    groups = []
    for term in terms(query):
        words = alternatives(term)
        if len(words) == 1:
            groups += [frozenset([code(gram)]) for gram in sorted(query_grams(term))]
            continue
        firsts = [min(query_grams(word), default=None) for word in words]
        if None not in firsts:
            groups.append(frozenset(code(gram) for gram in firsts))
    return groups


def seams(query):
    """The codes of the pairs that join a query's terms where they meet as typed (电梯 维修 →
    梯维): a document with them likely has the terms side by side, as a phrase. Latin words
    meet across a space and have none."""
    words = terms(query)
    joins = set()
    for before, after in pairwise(words):
        if IS_CJK.match(before[-1]) or IS_CJK.match(after[0]):
            joins |= query_grams(before + after) - query_grams(before) - query_grams(after)
    return sorted(code(join) for join in joins)
