"""Synthetic articles for the story benchmark (benchmarks/stories.py): French- and
Arabic-like bodies whose words recur with Zipf-like frequencies, and the edits that
make a wire copy or a follow-up of a stored article."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from crawler.text import fold

VOCABULARY = 20_000  # generated words per language
ZIPF = 1.0  # frequency of the word of rank r ~ 1 / r**ZIPF, as in running text
BODY_WORDS = (300, 600)
PARAGRAPH_WORDS = (40, 90)
TITLE_WORDS = (6, 11)
COMMON_RANKS = 60  # the most frequent words (function words): never title words
_STEPS = 1 << 22

SOURCES = tuple(f"site{number:02d}" for number in range(40))
LANGUAGES = ("ar", "fr")

# Function words head the ranks: real text repeats them, and so should the shingles.
_COMMON = {
    "fr": ("de la le et les des en du un une à au pour dans que qui sur par est a il elle "
           "avec se ce ne pas plus son sa ses aux ont été cette entre selon lors après "
           "contre nous leur leurs mais comme où sont était sera deux ministre Maroc "
           "gouvernement pays cours ainsi depuis").split(),
    "ar": ("في من على إلى أن عن مع التي الذي هذا هذه بين كما قد لا ما وقد حيث وفي كان "
           "خلال بعد أو ذلك عبر لدى ضد المغرب الوزير الحكومة وزارة المملكة أجل إطار "
           "وذلك عند كل غير منذ تم حول أمام").split(),
}
_FR_SYLLABLES = ("ba bé ca ce ci co con da de dé di do du é è fa fi fo ge gi la le li lo lu "
                 "ma me mi mo mu na ne ni no pa pe pi po pré pro ra re ré ri ro sa se si "
                 "so ta te ti to tra tre tion ment que qua ver vi vo çon ai eu ou an en in "
                 "on ar er ir or al el il ol es is us eur ien ance ête").split()
_AR_LETTERS = list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")

DATELINES = {
    "fr": ("Rabat (MAP) – ", "Casablanca (MAP) – ", "Tanger – ", "PARIS (AFP) – "),
    "ar": ("الرباط (و م ع) – ", "الدار البيضاء (و م ع) – ", "طنجة – "),
}
KICKERS = {"fr": ("Urgent: ", "Maroc: ", "En bref: "), "ar": ("عاجل.. ", "بالتفاصيل: ")}


@dataclass(frozen=True)
class Article:
    language: str
    title: str
    text: str  # paragraphs separated by "\n"
    folded_title: str  # crawler.text.fold of each: what the full-text index stores ("" when
    folded_text: str  # not asked for)
    words: int


class Language:
    """One language's vocabulary, most frequent first, and its Zipf sampler."""

    def __init__(self, name: str, rng: np.random.Generator) -> None:
        self.name = name
        generated: dict[str, None] = {}
        while len(generated) < VOCABULARY:
            word = _fr_word(rng) if name == "fr" else _ar_word(rng)
            generated.setdefault(word)
        common = _COMMON[name]
        words = [*common, *(w for w in generated if w not in common)][:VOCABULARY]
        # Figures and dates among the mid ranks: leads carry them, and story verdicts
        # compare a lead's figures.
        for number in rng.choice(5000, size=300, replace=False).tolist():
            words.insert(int(rng.integers(200, 6000)), str(number))
        self.words = np.array(words, dtype=object)
        self.folded = np.array([fold(w) for w in words], dtype=object)
        weights = 1.0 / np.arange(1, len(words) + 1) ** ZIPF
        cdf = np.cumsum(weights / weights.sum())
        # Ranks by quantile: drawing is then one gather, not a search per word. 2**22
        # steps resolve the rarest word (p ~ 5e-6) to within a few per cent.
        self.table = np.minimum(np.searchsorted(cdf, (np.arange(_STEPS) + 0.5) / _STEPS),
                                len(words) - 1)

    def draw(self, rng: np.random.Generator, count: int) -> np.ndarray:
        """Word ranks, Zipf-distributed."""
        return self.table[rng.integers(0, _STEPS, size=count)]

    def articles(self, rng: np.random.Generator, count: int, words: int | None = None,
                 folded: bool = False) -> list[Article]:
        """`count` articles, drawn together: one gather of all their words. With `folded`,
        their folded title and text too (else left empty: joining them costs as much)."""
        if count == 0:
            return []
        lengths = (np.full(count, words) if words else
                   rng.integers(BODY_WORDS[0], BODY_WORDS[1] + 1, size=count))
        ranks = self.draw(rng, int(lengths.sum()))
        raw = self.words[ranks].tolist()
        folds = self.folded[ranks].tolist() if folded else []
        paragraphs = rng.integers(PARAGRAPH_WORDS[0], PARAGRAPH_WORDS[1] + 1,
                                  size=(count, int(lengths.max()) // PARAGRAPH_WORDS[0] + 1))
        titles = rng.integers(TITLE_WORDS[0], TITLE_WORDS[1] + 1, size=count)
        picks = rng.random((count, TITLE_WORDS[1]))
        out, at = [], 0
        for number, length in enumerate(lengths.tolist()):
            cuts = [0, *(c for c in np.cumsum(paragraphs[number]).tolist() if c < length),
                    length]
            lead = ranks[at: at + cuts[1]]
            # A title takes its words from the lead, as headlines do.
            content = lead[lead >= COMMON_RANKS]
            content = content if len(content) else lead
            title = content[(picks[number, :titles[number]] * len(content)).astype(int)]
            out.append(Article(
                language=self.name,
                title=_capitalised(" ".join(self.words[title].tolist())),
                text="\n".join(" ".join(raw[at + a: at + b]) for a, b in pairwise(cuts)),
                folded_title=" ".join(self.folded[title].tolist()) if folded else "",
                folded_text="\n".join(" ".join(folds[at + a: at + b])
                                      for a, b in pairwise(cuts)) if folded else "",
                words=length,
            ))
            at += length
        return out

    def article(self, rng: np.random.Generator, words: int | None = None) -> Article:
        return self.articles(rng, 1, words)[0]

    def sized(self, rng: np.random.Generator, size: int) -> Article:
        """An article of about `size` bytes of UTF-8 body."""
        article = self.article(rng, words=60)
        per_word = len(article.text.encode()) / article.words
        return self.article(rng, words=max(60, round(size / per_word)))

    def some_words(self, rng: np.random.Generator, count: int) -> list[str]:
        return self.words[self.draw(rng, count)].tolist()


class Corpus:
    def __init__(self, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.languages = {name: Language(name, rng) for name in LANGUAGES}

    def articles(self, rng: np.random.Generator, count: int,
                 folded: bool = False) -> list[Article]:
        # Three Arabic articles for two French ones, as on the monitored sites.
        arabic = rng.random(count) < 0.6
        drawn = {name: iter(self.languages[name].articles(rng, int(number), folded=folded))
                 for name, number in (("ar", arabic.sum()), ("fr", count - arabic.sum()))}
        return [next(drawn["ar" if is_arabic else "fr"]) for is_arabic in arabic.tolist()]

    def article(self, rng: np.random.Generator) -> Article:
        return self.articles(rng, 1)[0]


def wire_copy(language: Language, rng: np.random.Generator, title: str,
              text: str) -> tuple[str, str]:
    """What a site makes of an agency dispatch: a dateline in front, one paragraph
    (not the lead) left out, a word changed; a kicker on the headline half the time."""
    paragraphs = text.split("\n")
    at = int(rng.integers(len(paragraphs)))
    words = paragraphs[at].split(" ")
    words[int(rng.integers(len(words)))] = language.some_words(rng, 1)[0]
    paragraphs[at] = " ".join(words)
    if len(paragraphs) >= 3:
        del paragraphs[int(rng.integers(1, len(paragraphs)))]
    name = language.name
    paragraphs[0] = DATELINES[name][int(rng.integers(len(DATELINES[name])))] + paragraphs[0]
    if rng.random() < 0.5:
        title = KICKERS[name][int(rng.integers(len(KICKERS[name])))] + title
    return title, "\n".join(paragraphs)


def follow_up(language: Language, rng: np.random.Generator, title: str,
              text: str) -> tuple[str, str]:
    """A later article on the same matter: a new headline and lead (about the same
    people and places, with a new figure), then the earlier text taken up whole."""
    earlier = [w for w in f"{title} {text.split(chr(10))[0]}".split(" ") if len(w) > 3]
    earlier = earlier or language.some_words(rng, 10)
    count = int(rng.integers(45, 71))
    taken = int(count * 0.35)
    lead = [*rng.choice(earlier, size=taken).tolist(), *language.some_words(rng, count - taken)]
    order = rng.permutation(len(lead))
    lead = [lead[i] for i in order]
    lead.insert(int(rng.integers(len(lead))), str(int(rng.integers(5000, 9000))))
    headline = [*rng.choice(title.split(" "), size=3).tolist(), *language.some_words(rng, 5)]
    return _capitalised(" ".join(headline)), " ".join(lead) + "\n" + text


def _fr_word(rng: np.random.Generator) -> str:
    syllables = int(rng.choice([1, 2, 3, 4], p=[0.1, 0.4, 0.35, 0.15]))
    return "".join(rng.choice(_FR_SYLLABLES, size=syllables).tolist())


def _ar_word(rng: np.random.Generator) -> str:
    core = "".join(rng.choice(_AR_LETTERS, size=int(rng.integers(2, 6))).tolist())
    draw = rng.random()
    if draw < 0.3:
        core = "ال" + core
    elif draw < 0.4:
        core = "أ" + core  # a hamza carrier that folding undoes
    if rng.random() < 0.15:
        core += "ة"
    return core


def _capitalised(title: str) -> str:
    return title[:1].upper() + title[1:]
