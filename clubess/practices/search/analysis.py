"""French text analysis: case, accents, elisions, stop words, Snowball stemming.

Documents and queries go through the same steps, so `réemploi`, `Reemploi` and `réemplois` meet.
Accents are removed before stemming: the stemmer then sees what people type without accents too.
"""

import re
from functools import lru_cache

import snowballstemmer
from unidecode import unidecode

ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
WORD = re.compile(r"[a-z0-9]+")

STOP_WORDS = frozenset(
    unidecode(w)
    for w in """
a ai aie aient ait al as au aucun aucune aupres aussi autre autres aux avaient avais avait avant avec avez avoir
avons ayant bien c ca car ce ceci cela celle celles celui cependant ces cet cette ceux chaque chez ci comme comment
d dans de des deja depuis dont du donc elle elles en encore entre est et etaient etais etait etant ete etre eu eux
fait faire fais font il ils j je jusqu l la le les leur leurs lui m ma mais me meme memes mes moi mon n ne ni nos
notre nous on ont ou par parce pas peu peut peuvent plus pour pourquoi qu quand que quel quelle quelles quels qui
quoi s sa sans se sera ses si sien son sont sous sur t ta te tes toi ton tous tout toute toutes tres tu un une
vers via voici voila vos votre vous y a-t-il ete etes suis sommes avons avez vais va vont fut faut doit doivent
cet ici la-bas beaucoup moins lors apres chez nos notre leurs selon ainsi alors donc tant toujours
""".split()
)

_stemmer = snowballstemmer.stemmer("french")


@lru_cache(maxsize=50000)
def stem(word: str) -> str:
    """Stem one lower-case, unaccented word (cached: vocabularies are small)."""
    if len(word) > 4 and word.endswith(("eux", "aux")) and not word.endswith("eaux"):
        word = word[:-1]  # lieux -> lieu, the stemmer leaves it alone
    elif word.endswith("eaux"):
        word = word[:-1]
    return _stemmer.stemWord(word)


def normalize(text: str) -> str:
    return unidecode(ELISION.sub(" ", text or "")).lower()


def words(text: str) -> list[str]:
    """Lower-case unaccented words without elisions, stop words kept (for phrases and highlighting)."""
    return WORD.findall(normalize(text))


def analyze(text: str) -> list[str]:
    """Stems of the meaningful words of a text, in order, repeats kept (term frequencies)."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one), stopping early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2 = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
