"""A few hundred varied queries drawn from a fact base: every answer kind, typos, not-found.

The same function makes the queries for the shipped corpus and for each synthetic one, so the
real actors, topics and phrasings repeat across sizes; synthetic corpora add a few stand-ins.
Deterministic: the same fact base gives the same queries in the same order.
"""

from __future__ import annotations

import random

from bot.core.knowledge import Knowledge

TOPICS = (
    "csto",
    "indivisible security",
    "defense alliance",
    "border clashes between kyrgyzstan and tajikistan",
    "water disputes",
    "afghanistan",
    "war in ukraine",
    "china military cooperation",
    "sco summit",
    "collective security treaty",
    "victory day parade",
    "january 2022 unrest",
    "eurasian security architecture",
    "c5 summit",
    "military exercises",
    "turkmenistan neutrality",
    "catalog of security risks",
    "russian military bases",
    "arms purchases",
    "regional integration",
    "defence union without russia",
    "terrorism and extremism",
    "trade and investment",
    "peacekeeping force",
    "kazakhstan foreign policy",
)
QUESTIONS = (
    "why is a central asian alliance premature?",
    "how many died in the january 2022 unrest?",
    "when did uzbekistan leave the csto",
    "what is the catalog of security risks?",
    "who intervened in kazakhstan in jan 2022",
    "why do central asian states depend on russia?",
    "what role does china play in regional security?",
    "how did russia react to the proposal?",
    "what are the obstacles to a defense union?",
    "is the region ready for a military bloc?",
    "when was the csto created",
    "what happened at the border in 2022?",
    "timeline of the kyrgyz tajik conflict",
    "what did the analysts say about the alliance?",
    "which countries are members of the csto?",
)
NOT_FOUND = (
    "how big is mongolia's army?",
    "bitcoin mining in iceland",
    "recipe for plov",
    "qwzx vbnm plok",
    "what did elon musk say about mars",
    "who won the world cup in 2018",
    "nuclear submarines in the baltic",
    "price of cotton futures",
    "/actor zzyzx",
    "/quote the moon is made of cheese",
)
FIXED = ("/sources", "help", "brief me", "/timeline", "?", "/brief", "/actor", "")
ACTORS = 40
STAND_INS = 20
SPEAKERS = 15


def queries(kb: Knowledge, seed: int = 0) -> list[str]:
    """About 300 queries in a fixed order that mixes kinds, as real traffic would."""
    rng = random.Random(seed)
    out = [*FIXED, *QUESTIONS, *NOT_FOUND]
    out += [f"/brief {t}" for t in TOPICS] + list(TOPICS)
    out += [_typo(t, rng) for t in TOPICS]
    real = [a for a in kb.fb.actors if not a.id.startswith("syn_")]
    mentioned = sorted(real, key=lambda a: (-sum(kb.stats[a.id].mentions.values()), a.id))
    stand_ins = [a for a in kb.fb.actors if a.id.startswith("syn_")][:STAND_INS]
    for actor in [*mentioned[:ACTORS], *stand_ins]:
        surname = actor.name.split()[-1]
        out += [f"/actor {actor.name}", f"who is {surname}?", f"/actor {_typo(surname, rng)}"]
        out.append(f"/timeline {surname}")
    speakers = [a for a in [*mentioned, *stand_ins] if _speaks(kb, a.id)][:SPEAKERS]
    for actor in speakers:
        surname = actor.name.split()[-1]
        out.append(f"what did {surname} say about {rng.choice(TOPICS)}?")
        out.append(f"/quote {surname}")
    for quote in [q for q in kb.fb.quotes if q.speech][:20]:
        out.append("/quote " + " ".join(quote.text.split()[:4]))
    rng.shuffle(out)
    return out


def _speaks(kb: Knowledge, actor: str) -> bool:
    return any(kb.fb.quotes[q].speech for q in kb.stats[actor].quotes)


def _typo(text: str, rng: random.Random) -> str:
    """Swap two neighbouring letters inside the longest word: 'tokayev' -> 'tokyaev'."""
    words = text.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) < 5:
        return text
    i = rng.randrange(1, len(word) - 2)
    words[longest] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return " ".join(words)
