"""repair: garbled English -> the translator's sentence with a few words moved, deleted, inserted or replaced.

The pipeline's stage between the judge and ``suggest``. Where the fluency check
found words out of place, a small beam search looks for the fewest edits of the
translator's own sentence that make it read well: a noisy channel built here,
with no translation model.

- **Candidates** (:func:`edits`), only near the words the LM found out of place,
  a word written twice and the words a garble pattern marks (a preposition before
  a clause's end, an adjective after its noun: :func:`_patterns`, whose own edit
  gets ``PATTERN_PRIOR``): moves of 1-3 word spans a few places either way;
  deletions of a punctuation mark, a function word or a support verb ("let");
  insertions of a function word the word map says renders a source word the
  English leaves unexplained («dall'»: "from"); replacements of a function
  word by another rendering of the source word it is linked to («grazie a»:
  "thanks of" -> "thanks to") or by such an insertion. :func:`search` combines
  up to ``max_edits``, a beam of ``BEAM`` kept between rounds; the pipeline
  asks for ``MAX_EDITS`` (one: see there). The LM runs only the ``SHORTLIST``
  most promising of each round in full (:meth:`OnnxLM.compare`), and every swap
  of an out-of-place word with its neighbour (an adjective left after its noun),
  whose promise the shortlist misjudges.
- **Score**: the LM's log-probability change of the sentence, made fair across
  lengths as SLOR does (the change minus the change in unigram log-probability,
  from wordfreq): deleting a frequent word, whose own cost the LM no longer
  counts, gains only what the rest of the sentence gains, and inserting one is
  not charged for being a word. The channel, p(English | Italian), is the word
  map's: the sum over English words of the log of their best translation
  probability from a source word, whose change is added for the few best
  candidates, and a hard constraint: a repair renders every source content
  word the sentence rendered with an English content word, and leaves no more
  English words unsupported (each with a ``SLACK``: links shift a little when
  a word nearby goes). A doubled word's second copy deleted needs no check.
- **Finding**: the best repair whose score reaches the fluency check's
  ``repair_from`` (set by ``tq bench repair`` on the development half of its
  garbles, so that at most 1 % of clean sentences get one) becomes a major
  fluency finding on the span it changes, with the repaired words as its
  suggestion (``fix_origin`` "lm"), absorbing the fluency findings on that
  span. Its severity is not the judge's: it comes after it, from a threshold
  the benchmark sets.

The edits leave every character outside the changed span as it was: tokens
keep their own leading whitespace, and only a moved, inserted or joined token
gets a normalised one.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .checks.fluency import _UNIT, FluencyCheck, SentenceFluency, expected_surprisal
from .lexicon import EN_FUNCTION
from .types import SEVERITY_RANK, Finding, Pair, Repair

MOVE_DISTANCE = 4      # a span moves at most this many tokens either way
MOVE_LENGTH = 3        # and is 1-3 tokens long
FOCUS = 2              # tokens either side of a word the LM found out of place that edits may touch
# The content words a repair may delete: support verbs, which machine translation leaves dangling from an Italian
# causative or periphrasis («lasciare», «fare»: "deals let, but to provide"). Any other content word is
# information; deleting one because the LM finds it costly is how a repair makes correct English worse (a
# frequency bar, Zipf >= 5.5, let "women", "new", "back" and "music" go on tq bench docs' clean articles).
LIGHT_VERBS = frozenset("let lets get gets got make makes made do does did take takes took give gives gave".split())
# Function words that carry meaning a sentence's grammar does not restore, so that deleting or swapping one changes
# what it says: polarity, degree, time, quantity, who is meant (pronouns, demonstratives), the particle of a
# phrasal verb ("give up"), and tense and modality (auxiliaries: "summed" -> "has summed" is another tense).
MEANINGFUL = frozenset("""not no never nor neither none nothing nobody without less least more most only also too even
still already yet again ever always almost hardly barely nearly just very so quite rather then now here
all both each every either any some many much few several
i me my mine he him his she her hers it its we us our ours they them their theirs you your yours
this that these those up down out off back away over
be is am are was were been being has have had will would shall should can could may might must""".split())
ANCHORS = 3            # out-of-place words per sentence the search starts from
ANCHOR_FROM = 2.0      # nats of fluency evidence from which a word is one
# Edits combined in one repair. Two (a beam of 3) cost twice the LM time of one and, on tq bench repair's
# development half (120 garbles, threshold 9.35), repaired 52 and restored 31 against one edit's 48 and 34: the
# second edit mended a second garble less often than it added a gratuitous one ("opened" -> "has opened"). Tried
# again with a further round only after a first edit gaining 5 nats, and a further edit only when it adds 4 of its
# own: the docs' development halves then allowed 10.16, and the bench's development half at it fell from 61 % detected
# and 39 % restored to 55 % and 33 %.
MAX_EDITS = 1
BEAM = 3               # partial repairs kept between rounds
SHORTLIST = 12         # candidates per round the LM runs in full (the rest pruned on their first new token)
WINDOW = 4             # tokens after an edit whose likelihood it may change
RENDERINGS = 3         # translations per unexplained source word offered for insertion or replacement
RENDERING_FROM = 0.1   # p(en | it) from which a translation is offered
UNEXPLAINED = 0.5      # link probability below which a source word is unexplained (wordalign.RENDERED_PROBABILITY)
SLACK = 0.15          # how far below UNEXPLAINED a link must fall for a repair to have lost it
LINKED = 0.2           # link probability from which an English function word renders a source word it may be swapped for
VERIFIED = 3           # best candidates checked against the word map
TRIGGER_FROM = 2.5     # fluency evidence (nats) from which a sentence is searched
SURPRISE_FROM = 5.0    # or a word's surprise alone (nats)
# Garbles the LM's surprise misses, because a frequent word costs it little wherever it stands, so that its evidence
# neither triggers a search nor makes the word an anchor: a preposition or article left before a clause's end ("the
# talks of, but", "mandate with."), and an adjective after its noun, as Italian places it ("effects different",
# "context geopolitical,"). A pattern only says where to search; the LM must still find a repair worth
# ``repair_from``. On tq bench docs' development halves the two mark 37 of 2,713 clean sentences.
DANGLING = frozenset("of to the a an with for by from into at".split())
ARTICLES = frozenset("the a an".split())
_CLAUSE_END = set(",.;:")
# where only an article dangles: a question strands its preposition ("what is it for?"), and so does a headline,
# which has no final stop ("What device to reach for")
_QUESTION_END = set("?!")
# Nats added to the score of the very edit a pattern calls for (its preposition deleted, its adjective swapped with
# the noun): the pattern's evidence that the sentence is garbled, which the LM's likelihood ratio leaves out, as the
# log of its Bayes factor on the development halves: how much more often it marks a garble of its kind (tq bench
# repair: 17 of 25 dangling words, 14 of 25 adjectives after their noun) than a clean sentence (tq bench docs:
# 12 and 25 of 2,713 sentences): ln((17/25) / (12/2713)) = 5.0, ln((14/25) / (25/2713)) = 4.1.
PATTERN_PRIOR = {"delete": 5.0, "swap": 4.1}
# Nats a second edit must add to a sure first one (a pattern's own edit, a doubled word's second copy deleted) to
# join it, as a garbled sentence often has two garbles (None: never). On tq bench repair's development half at 9.08,
# 4 restored 80 garbles against 76 with none (two garbles together: 5 against 1); 2 (tried before a second edit
# earned its pattern's prior) made more second edits, but gratuitous ones ("by the the magnitude 7.5 quake" -> "by
# the 7.5 magnitude quake") undid as many restorations. Neither moved the docs' development threshold.
FOLLOW_UP_FROM: float | None = 4.0

_CLOSING = set(",.;:!?)]}”’»%")
_OPENING = set("([{“‘«")
# Quote marks and brackets come in pairs whose other half is usually beyond the stretch the LM weighs: a repair
# neither deletes nor moves one («"Hans" Geiger»).
_PAIRED = set("\"'`«»“”‘’()[]{}")
_FINAL = set(".!?")


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark of the sentence being repaired, with the whitespace before it.
    ``origin`` is its index in the translator's sentence (-1: inserted)."""

    text: str
    gap: str
    origin: int

    @property
    def word(self) -> bool:
        return self.text[:1].isalnum()


def tokenize(text: str) -> tuple[list[Token], str]:
    """The sentence's tokens (the fluency check's units) and its trailing whitespace; rendering gives it back."""
    tokens, cursor = [], 0
    for index, match in enumerate(_UNIT.finditer(text)):
        tokens.append(Token(match.group(), text[cursor:match.start()], index))
        cursor = match.end()
    return tokens, text[cursor:]


def render(tokens: Sequence[Token], tail: str = "") -> str:
    return "".join(t.gap + t.text for t in tokens) + tail


def _gap(previous: Token | None, token: Token) -> str:
    """The usual whitespace before ``token`` after ``previous`` (none after an opening quote, before a closing mark)."""
    if previous is None or token.text in _CLOSING or previous.text in _OPENING or "'" in token.text[:1] or token.text[:1] == "’":
        return ""
    return " "


def respace(tokens: list[Token], touched: set[int]) -> list[Token]:
    """``tokens`` with the whitespace of the tokens at ``touched`` positions normalised."""
    out = list(tokens)
    for k in sorted(touched):
        if 0 <= k < len(out):
            out[k] = Token(out[k].text, "" if k == 0 else _gap(out[k - 1], out[k]), out[k].origin)
    return out


def _deletable(token: Token) -> bool:
    """A punctuation mark other than a quote or bracket, a function word or a support verb ("let"; the word map
    keeps what it renders), but none that carries meaning of its own (``MEANINGFUL``: "not", "still", "her")."""
    word = token.text.lower()
    if word in MEANINGFUL or token.text in _PAIRED:
        return False
    return not token.word or word in EN_FUNCTION or word in LIGHT_VERBS


def between_words(tokens: Sequence[Token], at: int) -> bool:
    """Whether a word may go before ``tokens[at]`` (or at the end): not inside a compound such as "Héma-Québec"."""
    if at >= len(tokens):
        return True
    return (bool(tokens[at].gap) or not tokens[at].word) and tokens[at].text != "-" and (at == 0 or tokens[at - 1].text != "-")


def _fixed(token: Token, first: bool) -> bool:
    """A token no edit moves or deletes: the first (style), a name or number (information), a final stop, a quote
    mark or bracket (its partner is out of sight)."""
    return (first or token.text[:1].isdigit() or (token.text[:1].isupper() and token.origin != 0) or token.text in _FINAL
            or token.text in _PAIRED)


def edits(tokens: list[Token], focus: set[int], insertions: Sequence[str] = (),
          replacements: dict[int, list[str]] | None = None) -> list[tuple[list[Token], str]]:
    """Every single edit of ``tokens`` that touches a token whose origin is in ``focus`` (or an inserted one):
    ``insertions`` are words that may be inserted or replace a function word, ``replacements`` other words
    for the function word of a given origin."""
    out: list[tuple[list[Token], str]] = []
    near = [k for k, t in enumerate(tokens) if t.origin in focus or t.origin < 0]
    for k in near:
        doubled = k > 0 and tokens[k].word and tokens[k].text.lower() == tokens[k - 1].text.lower()
        if doubled:  # "We We are": the second copy goes, name or not
            out.append((respace(tokens[:k] + tokens[k + 1:], {k}), f"delete “{tokens[k].text}”"))
        if _fixed(tokens[k], k == 0):
            continue
        if not doubled and _deletable(tokens[k]):
            out.append((respace(tokens[:k] + tokens[k + 1:], {k}), f"delete “{tokens[k].text}”"))
        for length in range(1, MOVE_LENGTH + 1):
            span = tokens[k:k + length]
            if len(span) < length or any(_fixed(t, False) for t in span[1:]):
                continue
            rest = tokens[:k] + tokens[k + length:]
            for to in range(max(1, k - MOVE_DISTANCE), min(len(rest), k + MOVE_DISTANCE) + 1):
                if to == k or (to == len(rest) and rest and rest[-1].text in _FINAL) or not between_words(rest, to):
                    continue
                if any(t.text in _PAIRED for t in rest[min(k, to):max(k, to)]):  # into or out of a quotation
                    continue
                moved = rest[:to] + span + rest[to:]
                out.append((respace(moved, {k, to, to + length}), f"move “{render(span).strip()}”"))
        if tokens[k].text.lower() in EN_FUNCTION - MEANINGFUL:  # a function word for another: a content word is the word map's call
            for word in dict.fromkeys([*(replacements or {}).get(tokens[k].origin, ()), *insertions]):
                if word in EN_FUNCTION and word not in MEANINGFUL and word != tokens[k].text.lower():
                    replaced = tokens[:k] + [Token(word, tokens[k].gap, -1)] + tokens[k + 1:]
                    out.append((replaced, f"replace “{tokens[k].text}” by “{word}”"))
    for k in sorted({p for n in near for p in (n, n + 1)}):
        if 0 < k < len(tokens) + (0 if tokens and tokens[-1].text in _FINAL else 1) and between_words(tokens, k):
            for word in (w for w in insertions if w not in MEANINGFUL):
                inserted = tokens[:k] + [Token(word, "", -1)] + tokens[k:]
                out.append((respace(inserted, {k, k + 1}), f"insert “{word}”"))
    return out


def changed_span(original: str, repaired: str) -> tuple[int, int, str]:
    """(start, end, replacement): the smallest stretch of whole tokens of ``original`` that ``repaired`` changes."""
    prefix = 0
    while prefix < min(len(original), len(repaired)) and original[prefix] == repaired[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(original), len(repaired)) - prefix and original[-1 - suffix] == repaired[-1 - suffix]:
        suffix += 1
    # widen to token edges, so that the suggestion replaces whole words
    while prefix > 0 and original[prefix - 1].isalnum():
        prefix -= 1
    while suffix > 0 and original[len(original) - suffix].isalnum():
        suffix -= 1
    return prefix, len(original) - suffix, repaired[prefix: len(repaired) - suffix]


def _doubles_deleted(original: Sequence[Token], edited: Sequence[Token]) -> list[str]:
    """The second copies of doubled words ("the damage damage") that ``edited`` no longer has."""
    kept = {t.origin for t in edited}
    return [t.text for k, t in enumerate(original)
            if k and t.text.lower() == original[k - 1].text.lower() and (t.origin in kept) != (original[k - 1].origin in kept)]


def _deleted(current: Sequence[Token], edited: Sequence[Token]) -> set[int] | None:
    """The origins of the tokens ``edited`` lacks, if it is ``current`` with tokens deleted and nothing else moved or
    inserted; None otherwise."""
    origins = [t.origin for t in edited]
    if min(origins, default=0) < 0 or origins != sorted(origins):
        return None
    return {t.origin for t in current} - set(origins)


def _swapped_at(current: Sequence[Token], edited: Sequence[Token]) -> int | None:
    """The position k if ``edited`` is ``current`` with the tokens at k and k + 1 exchanged and nothing else; None
    otherwise."""
    if len(current) != len(edited):
        return None
    moved = [k for k, (a, b) in enumerate(zip(current, edited)) if a.origin != b.origin]
    if len(moved) == 2 and moved[1] == moved[0] + 1 and edited[moved[0]].origin == current[moved[1]].origin:
        return moved[0]
    return None


def _copies_deleted_only(original: Sequence[Token], edited: Sequence[Token], doubles: Sequence[str]) -> bool:
    """Whether ``edited`` is ``original`` less the second copies of doubled words ``doubles`` (:func:`_doubles_deleted`)
    and nothing else: the first copy still renders what both did, so the word map has nothing to check (its links
    flicker when a copy goes: "took took the stand" -> "took the stand" may leave "stand" a little less supported)."""
    gone = _deleted(original, edited) if doubles else None
    return gone is not None and len(gone) == len(doubles)


def _neighbours_swapped(current: Sequence[Token], edited: Sequence[Token], anchors: set[int]) -> bool:
    """Whether ``edited`` is ``current`` with an out-of-place word (its origin in ``anchors``) and a neighbour
    exchanged: an adjective left after its noun, as Italian has it ("effects different")."""
    k = _swapped_at(current, edited)
    return (k is not None and current[k].word and current[k + 1].word
            and bool({current[k].origin, current[k + 1].origin} & anchors))


def _unigram(tokens: Sequence[Token]) -> float:
    """The tokens' total unigram log-probability (nats), by the fluency check's frequency model."""
    return -sum(expected_surprisal(t.text) for t in tokens)


# Italian causative and permissive verbs, which make one predicate with the infinitive after them («lasciarsi
# sedurre», «far sapere»): English often renders the pair by the second verb alone ("must not be seduced"), and
# machine translation leaves the first dangling ("deals let, but to provide").
CAUSATIVES = frozenset({"lasciare", "fare"})


def _causatives(source: Sequence[str]) -> dict[int, int]:
    """The source words that are a causative verb directly followed by an infinitive, each with the infinitive's
    index: a repair may drop the causative's rendering while the infinitive stays rendered."""
    from .morphology import italian_word

    out = {}
    for i in range(len(source) - 1):
        verb, following = italian_word(source[i]), italian_word(source[i + 1])
        lemma = verb.lemma if verb else source[i].lower() + "e"  # «far sapere», «lasciar perdere»: the infinitive cut short
        if lemma in CAUSATIVES and following and following.mood == "infinitive":
            out[i] = i + 1
    return out


class Channel:
    """The word map's view of one sentence pair: which source words the English renders, and how well."""

    def __init__(self, source: str, encoder) -> None:
        from .lexicon import IT_FUNCTION
        from .text import alignment_tokens
        from .wordalign import surface_key

        self.source = [t.text for t in alignment_tokens(source, "it")]
        self.encoder = encoder
        # the source words whose rendering a repair must keep: content words (a function word's link flickers with
        # the words around it: «il» may link to "the" in one order and to nothing in the next)
        self._content = np.array([any(c.isalnum() for c in w) and surface_key(w) not in IT_FUNCTION for w in self.source], dtype=bool)
        self._wordlike = np.array([any(c.isalnum() for c in w) for w in self.source], dtype=bool)
        self._causative_of = _causatives(self.source)
        self._aligned: dict[str, object] = {}

    def _links(self, english: str):
        """The word map of the source and ``english``, computed once per text (the original sentence is asked for
        its insertions and, later, for the coverage every candidate is compared with)."""
        if english not in self._aligned:
            from .text import alignment_tokens
            from .wordalign import link_probabilities

            self._aligned[english] = link_probabilities(self.source, [t.text for t in alignment_tokens(english, "en")], self.encoder)
        return self._aligned[english]

    def evidence(self, english: str) -> tuple[np.ndarray, np.ndarray, float]:
        """(each source word's best link probability to an English content word, each English content word's best
        link probability, the channel: the log probability of each English word given its best source word)."""
        from .text import alignment_tokens

        target = [t.text for t in alignment_tokens(english, "en")]
        links = self._links(english)
        if not links.probability.size:
            return np.zeros(len(self.source)), np.zeros(0), 0.0
        support = links.probability.max(axis=0)
        content = np.array([w[:1].isalpha() and w.lower() not in EN_FUNCTION for w in target], dtype=bool)
        content_support = support[content]
        english_words = np.array([w[:1].isalnum() for w in target], dtype=bool)
        # p(English | Italian), as IBM model 1 with each English word's best source word. The other direction
        # (each source word's best English word) made no difference on `tq bench repair` (held-out detected 57 %
        # against 55 %, restored 25 % against 27 %, clean repaired 4 % both, at 100 garbles a half).
        channel = float(np.log(np.maximum(links.forward.max(axis=0)[english_words], 1e-4)).sum())
        # a source word is rendered by a content word: a link to a function word is no rendering a repair must
        # keep ("He of called" links «fatto» to "of"; deleting "of" loses nothing the sentence said)
        rendered = links.probability[:, content].max(axis=1) if content.any() else np.zeros(len(self.source))
        return rendered, content_support, channel

    def keeps(self, before: tuple[np.ndarray, np.ndarray, float], after: tuple[np.ndarray, np.ndarray, float]) -> bool:
        """Whether an edit keeps the word map's coverage: every source content word it rendered still rendered, and
        no more English content words unsupported. Function words are the channel's to weigh: their links flicker
        with the words around them, and a stray one («fino a»: "until on") is what a repair deletes."""
        lost = (before[0] >= UNEXPLAINED) & (after[0] < UNEXPLAINED - SLACK) & self._content
        for causative, infinitive in self._causative_of.items():  # «lasciarsi sedurre»: "be seduced" renders both
            lost[causative] &= after[0][infinitive] < UNEXPLAINED - SLACK
        return not lost.any() and int((after[1] < UNEXPLAINED - SLACK).sum()) <= int((before[1] < UNEXPLAINED).sum())

    def _renderings(self, i: int) -> dict[str, float]:
        """The table's likely English words for source word ``i``: lower-case words, with their probability."""
        from .wordalign import likely_renderings

        return likely_renderings(self.source[i], RENDERINGS, RENDERING_FROM)

    def words_to_try(self, english: str) -> tuple[list[str], dict[int, list[str]]]:
        """What the word map offers a repair of ``english``: renderings of the source words it leaves unexplained
        (to insert), and for each English function word (by its character offset) the other renderings of the
        source word it is linked to («grazie a»: "thanks of" -> "to")."""
        from .text import alignment_tokens

        tokens = alignment_tokens(english, "en")
        links = self._links(english)
        unexplained: dict[str, float] = {}
        for i in range(len(self.source)):
            if self._wordlike[i] and not (links.probability.size and links.probability[i].max() >= UNEXPLAINED):
                for word, p in self._renderings(i).items():
                    # a content word inserted is information the translator did not write, and so is a word that
                    # carries meaning ("very", "he": "that talked" must not become "that you talked")
                    if word in EN_FUNCTION and word not in MEANINGFUL:
                        unexplained[word] = max(unexplained.get(word, 0.0), p)
        swaps: dict[int, list[str]] = {}
        for j, token in enumerate(tokens):
            if token.text.lower() in EN_FUNCTION and links.probability.size and links.probability[:, j].max() >= LINKED:
                others = self._renderings(int(links.probability[:, j].argmax()))
                swaps[token.start] = [w for w in sorted(others, key=lambda w: -others[w])
                                      if w in EN_FUNCTION and w not in MEANINGFUL and w != token.text.lower()]
        return sorted(unexplained, key=lambda w: -unexplained[w])[:2 * RENDERINGS], swaps


def search(lm, sentence: str, anchors: Sequence[int], channel: Channel | None, max_edits: int = MAX_EDITS,
           marked: dict[int, str] | None = None) -> Repair | None:
    """The best repair of ``sentence`` around the tokens at ``anchors`` (None when no edit reads better), of up to
    ``max_edits`` edits, a beam of ``BEAM`` carried from round to round; the edit a garble pattern calls for
    (``marked``: :func:`_patterns`) gets ``PATTERN_PRIOR``. Where the best is such an edit or a doubled word's
    second copy deleted, one more edit may follow it (``FOLLOW_UP_FROM``). Whether the repair is proposed is the
    caller's call (``FluencyCheck.repair_from``)."""
    tokens, tail = tokenize(sentence)
    focus = {k + d for k in anchors for d in range(-FOCUS, FOCUS + 1)}
    out_of_place = set(anchors)
    insertions, swaps = channel.words_to_try(sentence) if channel else ([], {})
    offsets = {m.start(): k for k, m in enumerate(_UNIT.finditer(sentence))}  # the tokens' origins by offset
    replacements = {offsets[start]: words for start, words in swaps.items() if start in offsets}
    unigram = _unigram(tokens)
    seen = {sentence}
    scored: list[tuple[float, str, tuple[str, ...], bool]] = []
    candidates: dict[str, tuple[list[Token], tuple[str, ...], float, bool]] = {}  # text -> (tokens, edits, prior, sure)

    def one_round(beam: list[tuple[list[Token], tuple[str, ...], float]]) -> list[tuple[float, str, tuple[str, ...], bool]]:
        """Every new edit of the beam's partial repairs, scored, with the priors of the pattern edits among its edits."""
        proposals: dict[str, tuple[list[Token], tuple[str, ...], float]] = {}
        run_all: set[str] = set()
        for current, done, inherited in beam:
            for edited, what in edits(current, focus, insertions, replacements):
                text = render(edited, tail)
                if text not in seen:
                    seen.add(text)
                    edit = pattern_edit(current, edited, marked) if marked else None
                    proposals[text] = (edited, (*done, what), inherited + (PATTERN_PRIOR[edit] if edit else 0.0))
                    if edit or _neighbours_swapped(current, edited, out_of_place):
                        run_all.add(text)
        # a pattern's own edit and neighbours swapped are all run: the shortlist ranks a variant by its first new
        # token, and theirs promise little of what they mend ("a variety of different" for "of effects different";
        # "committee." for "committee with.")
        texts = [t for t in proposals if t in run_all] + [t for t in proposals if t not in run_all]
        gains = (lm.compare(sentence, texts[:len(run_all)], WINDOW)
                 + lm.compare(sentence, texts[len(run_all):], WINDOW, SHORTLIST)) if texts else []
        out = []
        for text, gain in zip(texts, gains):
            if gain is None:
                continue
            edited, done, prior = proposals[text]
            # SLOR: the LM's gain beyond what word frequency explains; a word's second copy tells nothing
            doubles = _doubles_deleted(tokens, edited)
            copies_only = _copies_deleted_only(tokens, edited, doubles)
            score = gain - (_unigram(edited) - unigram) + sum(expected_surprisal(w) for w in doubles) + prior
            candidates[text] = (edited, done, prior, prior > 0 or copies_only)
            out.append((score, text, done, copies_only))
        return sorted(out, key=lambda x: -x[0])

    beam: list[tuple[list[Token], tuple[str, ...], float]] = [(tokens, (), 0.0)]
    for _ in range(max_edits):
        round_scores = one_round(beam)
        if not round_scores:
            break
        scored += round_scores
        beam = [candidates[text][:3] for _, text, _, _ in round_scores[:BEAM]]
    if scored and FOLLOW_UP_FROM is not None:
        best_score, best_text, _, _ = max(scored, key=lambda x: x[0])
        edited, done, prior, sure = candidates[best_text]
        if sure and len(done) == max_edits:  # a sure first edit: the garble it mends may not be the sentence's only one
            scored += [c for c in one_round([(edited, done, prior)]) if c[0] >= best_score + FOLLOW_UP_FROM]
    return _verified(sentence, sorted(scored, key=lambda x: -x[0]), channel)


def _verified(sentence: str, ranked: list[tuple[float, str, tuple[str, ...], bool]], channel: Channel | None) -> Repair | None:
    """The best of the first ``VERIFIED`` candidates that keep the word map's coverage (a doubled word's second copy
    deleted needs no check), by their score with the channel's change added."""
    before = channel.evidence(sentence) if channel and ranked else None
    best: Repair | None = None
    for score, text, done, copies_only in ranked[:VERIFIED]:
        if score <= 0:
            break
        if channel and before:
            after = channel.evidence(text)
            if not copies_only and not channel.keeps(before, after):
                continue
            score += after[2] - before[2]
        if best is None or score > best.score:
            start, end, replacement = changed_span(sentence, text)
            best = Repair(start, end, replacement, text, round(score, 2), done)
    return best if best is not None and best.score > 0 else None


def _anchors(fluency: SentenceFluency) -> list[int]:
    """Token indices of the words the LM found most out of place (the fluency check's units are the tokens), and
    of a word written twice: an LM expects a word it has just read, so "the damage damage" surprises it little."""
    index = {(u.start, u.end): k for k, u in enumerate(fluency.units)}
    # a word is out of place by its own surprise, or by how much better what follows reads without it: "closed of
    # the snow" needs "of" replaced, and deleting it helps nothing
    strongest = sorted((u for u, evidence in fluency.evidence if max(evidence, u.surprise) >= ANCHOR_FROM),
                       key=lambda u: -max(dict(fluency.evidence)[u], u.surprise))[:ANCHORS]
    if fluency.garbled:
        strongest += fluency.garbled[1]
    found = {index[(u.start, u.end)] for u in strongest if (u.start, u.end) in index}
    return sorted(found | set(_doubled(fluency)) | set(_patterns(fluency)))


def _patterns(fluency: SentenceFluency) -> dict[int, str]:
    """The words a garble pattern marks, by token index, each with the edit it calls for: "delete" a preposition or
    article (``DANGLING``) before a clause's end, not in an abbreviation ("a.m."), and an article before a question
    mark or at the end of a headline; "swap" a word that can only be an adjective after one that can only be a noun,
    with no noun after it ("a prosecutor special to", but not "a government official said")."""
    from .morphology import english_parts

    units = fluency.units
    out: dict[int, str] = {}
    for k in range(1, len(units)):
        word, following = units[k].text, units[k + 1] if k + 1 < len(units) else None
        after = following.text if following else ""
        abbreviation = (following is not None and k + 2 < len(units) and units[k + 2].start == following.end
                        and units[k + 2].text[:1].isalnum())
        if ((word in DANGLING and after in _CLAUSE_END or word in ARTICLES and (following is None or after in _QUESTION_END))
                and not abbreviation):
            out[k] = "delete"
            continue
        noun = units[k - 1].text
        if (word.islower() and noun.islower() and noun not in EN_FUNCTION and english_parts(word) == {"ADJ"}
                and "NOUN" in english_parts(noun) and "ADJ" not in english_parts(noun) and "NOUN" not in english_parts(after)):
            out[k] = "swap"
    return out


def pattern_edit(original: Sequence[Token], edited: Sequence[Token], marked: dict[int, str]) -> str | None:
    """The edit a garble pattern calls for (:func:`_patterns`, by origin), "delete" or "swap", if ``edited`` is
    ``original`` with it and nothing else: its marked preposition deleted, or its marked adjective swapped with the
    noun before it."""
    gone = _deleted(original, edited)
    if gone is not None and len(gone) == 1:
        return "delete" if marked.get(gone.pop()) == "delete" else None
    k = _swapped_at(original, edited)
    return "swap" if k is not None and marked.get(original[k + 1].origin) == "swap" else None


def _doubled(fluency: SentenceFluency) -> list[int]:
    units = fluency.units
    return [k for k in range(1, len(units)) if units[k].text[:1].isalpha() and units[k].text.lower() == units[k - 1].text.lower()]


def triggered(fluency: SentenceFluency) -> bool:
    """Whether a sentence is searched: a word the LM found out of place, a garbled passage, a word written twice or
    a garble pattern."""
    surprise = max((u.surprise for u, _ in fluency.evidence), default=0.0)
    return (fluency.disfluency >= TRIGGER_FROM or surprise >= SURPRISE_FROM or fluency.garbled is not None
            or bool(_doubled(fluency)) or bool(_patterns(fluency)))


def searched(fluency: SentenceFluency) -> bool:
    """Whether :func:`repair_pairs` searches a sentence: it is triggered and has words to start from. The pipeline
    has the fluency check's LM keep its run of such a sentence, the first thing a search needs."""
    return triggered(fluency) and bool(_anchors(fluency))


def repair_pairs(pairs: Sequence[Pair], analyses: dict[int, tuple[int, SentenceFluency]], lm, encoder,
                 propose_from: float = FluencyCheck.repair_from) -> None:
    """Search the pairs the fluency check found out-of-place words in (``Pair.repair``: the best repair), and turn
    each repair that reaches ``propose_from`` into a finding."""
    from concurrent.futures import ThreadPoolExecutor

    by_index = {p.index: p for p in pairs}
    todo = [(by_index[i], offset, fluency) for i, (offset, fluency) in sorted(analyses.items()) if i in by_index and searched(fluency)]

    def one(item: tuple[Pair, int, SentenceFluency]) -> Repair | None:
        pair, offset, fluency = item
        channel = Channel(pair.source, encoder) if pair.source.strip() and encoder is not None else None
        return search(lm, pair.target[offset:], _anchors(fluency), channel, marked=_patterns(fluency))

    threads = max(1, getattr(lm, "threads", 1))
    with ThreadPoolExecutor(threads) as pool:
        repairs = list(pool.map(one, todo))
    for (pair, offset, _), repair in zip(todo, repairs):
        if repair is not None:  # from the scored sentence to the pair's whole target
            repair = replace(repair, start=repair.start + offset, end=repair.end + offset, text=pair.target[:offset] + repair.text)
        pair.repair = repair
        if repair is not None and repair.score >= propose_from:
            _attach(pair, repair, propose_from)


def confidence(score: float, propose_from: float = FluencyCheck.repair_from) -> float:
    """0.5 at ``propose_from``, rising 0.05 a nat (the fluency check's scale) to 0.99."""
    return round(min(0.99, 0.5 + (score - propose_from) * 0.05), 2)


def _attach(pair: Pair, repair: Repair, propose_from: float) -> None:
    """The repair as one major fluency finding, absorbing the fluency findings on the span it changes: the finding
    spans them all (a garbled passage the repair mends only part of), its suggestion the repaired words over it."""
    start, end = repair.start, repair.end
    absorbed = [f for f in pair.findings if f.check == "fluency" and f.start < max(end, start + 1) and start < f.end]
    others = {c for f in absorbed for c in f.also}
    pair.findings = [f for f in pair.findings if f not in absorbed]
    first, last = min([start, *(f.start for f in absorbed)]), max([end, *(f.end for f in absorbed)])
    suggestion = pair.target[first:start] + repair.replacement + pair.target[end:last]
    before = pair.target[first:last].strip() or "(nothing)"
    severity = max(("major", *(f.severity for f in absorbed)), key=SEVERITY_RANK.__getitem__)  # a garbled passage may be critical
    pair.findings.append(Finding(
        "fluency/grammar", severity, first, last,
        f"garbled English: the language model reads “{before}” much better as “{suggestion.strip()}” "
        f"({'; '.join(repair.edits)}: +{repair.score:.1f} nats)",
        "fluency", confidence(repair.score, propose_from), suggestion, also=tuple(sorted(others - {"fluency"})), fix_origin="lm"))
