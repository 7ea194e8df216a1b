"""Cheap rules for what is not ours to answer: noise, abuse, "are you a bot?", other countries.

The classifier decides most of it (nlu/data/<lang>/scope.yml); these rules cover what a
classifier reads badly or what is plainly a pattern: a message with no letters or a keyboard
mash, the final question of a long story, a foreign country named beside one of our subjects
("camera rules in the Netherlands"), a question to the bot about itself. The text given to
every function is already normalised (lower case, no accents: `nlu.emergency.normalise`).
"""

from __future__ import annotations

import re
from typing import Final

# Interjections that carry no question in any of our languages.
INTERJECTIONS: Final = frozenset(
    {"lol", "mdr", "ptdr", "xd", "xptdr", "lmao", "rofl", "haha", "hahaha", "hihi", "hehe",
     "hmm", "hm", "hmmm", "pff", "lmfao", "ahm", "ahem", "aehm", "ahh", "pfff", "bof", "euh",
     "uh", "uhm", "ehm", "bah", "meh", "jaja", "zz", "z",
     "nee nee", "tss", "zzz", "brr", "grr", "argh", "ah", "oh", "oh la la", "ooh", "aah"}
)  # fmt: skip
# One letter doubled that means something in a chat: "cc" (coucou), "kk" (ok).
SHORTHANDS: Final = frozenset({"cc", "kk", "k"})
# Runs of adjacent keys on qwerty, azerty and qwertz keyboards ("asdf", "qsdf", "hjkl").
_KEY_ROWS: Final = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn",
                    "qwertzuiop", "yxcvbnm", "poiuytreza", "lkjhgfdsq", "mlkjhgfdsa")  # fmt: skip
_VOWELS: Final = frozenset("aeiouy")
_LETTERS_RE: Final = re.compile(r"[^\W\d_]+")
_DIGITS_RE: Final = re.compile(r"\d+")
_HELD_RE: Final = re.compile(r"(.)\1+")
# 100, 101, 112 (the emergency numbers) and a four-digit number (a postcode): not noise.
_MEANINGFUL_NUMBER_RE: Final = re.compile(r"1(?:00|01|12)|[1-9]\d{3}")

# Sentences of a long message; a question ends with "?" or starts with a question word.
_SENTENCE_RE: Final = re.compile(r"[^.!?\n;]+[.!?\n;]*")
_QUESTION_START_RE: Final = re.compile(
    r"^(?:how|what|when|where|why|which|who|can|could|should|do|does|is|are|may|must|"
    r"comment|quand|ou|pourquoi|quel\w*|qui|que|qu.est|est.ce|puis|dois|peut|faut|combien|"
    r"hoe|wat|wanneer|waar|waarom|welke?|wie|kan|kun|mag|moet|is|zijn|hebben|"
    r"wie|was|wann|wo|warum|welche\w*|wer|kann|darf|muss|soll|gibt|ist|sind)\b"
)
# A story is long enough to hide its question when it has this many words.
LONG_MESSAGE_WORDS: Final = 30
# A question this short ("what should I do?") needs the story to be understood.
GENERIC_QUESTION_WORDS: Final = 6

# Countries and big foreign cities; Luxembourg only as the country (it is a Belgian province).
_FOREIGN: Final = (
    r"france|frankrijk|frankreich|pays.bas|hollande|nederland|niederlande|holland|netherlands|"
    r"allemagne|duitsland|deutschland|germany|angleterre|engeland|england|royaume.uni|"
    r"verenigd koninkrijk|vereinigte\w* konigreich|united kingdom|great britain|grande.bretagne|"
    r"groot.brittannie|grossbritannien|britain|uk|u\.k\.|scotland|ecosse|schotland|schottland|"
    r"ireland|irlande|ierland|irland|espagne|spanje|spanien|spain|italie|italy|italien|"
    r"suisse|zwitserland|schweiz|switzerland|portugal|pologne|polen|poland|autriche|oostenrijk|"
    r"osterreich|austria|etats.unis|usa|verenigde staten|vereinigte\w* staaten|united states|"
    r"america|amerique|amerika|canada|kanada|maroc|marokko|morocco|turquie|turkije|turkei|"
    r"turkey|grand.duche|groothertogdom|grossherzogtum|grand duchy|au luxembourg|"
    r"luxembourg city|ville de luxembourg|paris|lille|amsterdam|rotterdam|maastricht|london|"
    r"londres|londen|berlin|berlijn|koln|cologne|keulen|aachen|aken|aix.la.chapelle|"
    r"dusseldorf|madrid|barcelona|barcelone|rome|rom|the us|the usa|the states|de vs|les usa|"
    r"nrw|nordrhein.westfalen|bayern|bavaria|baviere|beieren|munchen|munich|lisbon|lisbonne|"
    r"lissabon|lisboa|geneve|geneva|genf|zurich|utrecht|den haag|the hague|la haye|hamburg|"
    r"frankfurt|francfort|manchester|new york|marseille|lyon|nice|luxemburg stadt|niederlanden|"
    r"koeln|oesterreich|quebec"
)
_COUNTRY_RE: Final = re.compile(
    rf"\b(?:in|en|au|aux|a|dans|im|uit|from|de|du|des|naar|nach|to|voor|fur|pour|across|over)\b"
    rf"(?: (?:the|la|le|les|het|de|den|der|die|das))? (?:{_FOREIGN})\b|"
    rf"\b(?:{_FOREIGN})(?:'s)? (?:law|laws|rules|police|regulations?|insurers?|insurance|cops)\b"
)
# A law, rules or the police of another country, named by its adjective.
_FOREIGN_LAW_RE: Final = re.compile(
    r"\b(?:french|dutch|german|british|english|spanish|luxembourg\w*|swiss|american)\s"
    r"(?:law|laws|rules|police|regulations?|legislation)\b|"
    r"\b(?:loi|lois|regles?|police|reglementation|legislation|droit)\s(?:francaise?s?|"
    r"neerlandaise?s?|hollandaise?s?|allemande?s?|britannique?s?|anglaise?s?|espagnole?s?|"
    r"luxembourgeoise?s?|suisses?|americaine?s?)\b|"
    r"\b(?:franse|nederlandse|hollandse|duitse|britse|engelse|spaanse|luxemburgse|zwitserse|"
    r"amerikaanse)\s(?:wet|wetten|regels?|politie|wetgeving|regelgeving)\b|"
    r"\b(?:franzosisch|niederlandisch|hollandisch|deutsch|britisch|englisch|spanisch|"
    r"luxemburgisch|schweizer|amerikanisch)\w*\s(?:recht|gesetz\w*|regeln|polizei|vorschrift\w*)"
)
# Travelling there is our subject: the home left behind in Belgium (burglary.holiday_absence).
# (The person travels: "holiday checks" by a foreign police is not a trip.)
_TRAVEL_RE: Final = re.compile(
    r"\b(?:on (?:holiday|vacation)|(?:our|my|the) (?:holiday|vacation)s?|"
    r"holidays? (?:in|to|abroad)|"
    r"trip|travel\w*|going to|leave for|leaving for|flying to|away (?:on|for)|off to|heading to|"
    r"on part|je pars|nous partons|"
    r"en vacances|(?:nos|mes|les) vacances|vacances (?:en|a|au|aux)|voyage\w*|partir|pars|partons|"
    r"part en|je vais en|on va en|sejour|"
    r"op vakantie|(?:onze|mijn|de) vakantie|vakantie (?:in|naar)|reis|reizen|vertrek\w*|"
    r"op reis|ga naar|gaan naar|"
    r"in den urlaub|im urlaub|(?:unser|mein)\w* urlaub|urlaub (?:in|nach)|reise\w*|fahre\w*|"
    r"fliege\w*|verreis\w*|weg)\b"
)
# Living, working or moving there: the place is home, not a holiday destination.
_RESIDENT_RE: Final = re.compile(
    r"\b(?:j.habite|je vis|je bosse|je travaille|je demenage|on demenage|i live|we live|"
    r"i work|moving to|we.re moving|i.m moving|ik woon|wij wonen|we wonen|ik werk|ik verhuis|"
    r"we verhuizen|ich wohne|wir wohnen|ich arbeite|ich ziehe|wir ziehen|(?:vit|habite|woont|"
    r"wohnt|lives) (?:a|in|en|au)|la.bas|over there|daarginds|ginder|dort druben)\b"
)
# Belgium named as such: "in Belgium, and what about France?" stays with the classifier.
_BELGIUM_RE: Final = re.compile(
    r"\b(?:belgi\w*|belgique|belge|belgisch\w*|wallonie|flandre|"
    r"vlaanderen|bruxelles|brussel|brussels|ostbelgien)\b"
)

# A question to the bot about itself, or a wish to talk to a person.
_BOT_IDENTITY_RE: Final = re.compile(
    r"\b(?:are|r) (?:you|u) (?:a |an |really |even )*(?:human|person|real|robot|bot|machine|"
    r"computer|ai|program|chatbot)\b|"
    r"\b(?:talk|speak|chat)\w* (?:to|with) (?:a |an |real |actual )*(?:human|person|agent|"
    r"someone real|real person|operator|robot|bot|machine)\b|"
    r"\b(?:es.tu|etes.vous|t.es|vous etes|tu es) (?:un |une |vraiment |bien )*(?:humain|"
    r"humaine|personne|robot|bot|machine|ordinateur|vrai|vraie|ia|programme|chatbot)\b|"
    r"\bparle\w* (?:a|avec) (?:un |une |quelqu.un|vrai |vraie )*(?:humain|personne|agent|"
    r"conseiller|operateur|robot|bot|machine|de reel|vrai)\w*|"
    r"\b(?:is|are) (?:a |an |there a |there an |some )?(?:human|person|real person|people|"
    r"someone) (?:reading|answering|behind|on the other side)\b|"
    r"\b(?:ben|bent) (?:je|jij|u) (?:een |echte |echt |wel )*(?:mens|robot|bot|machine|computer|"
    r"chatbot|echt|echte persoon|programma)\b|"
    r"\b(?:spreken|praten|spreek|praat) (?:ik )?met (?:een |echte |echt )*(?:mens|persoon|"
    r"medewerker|robot|bot|machine)\b|"
    r"\b(?:bist du|sind sie) (?:ein |eine |wirklich |echt )*(?:mensch|roboter|bot|maschine|"
    r"computer|echt|ki|programm|chatbot)\b|"
    r"\b(?:c.est|c est|is this|is it|is dit|ist das|bist du|es.tu|ben je) "
    r"(?:une? |an? |een |eine? )?"
    r"(?:ia|ai|ki|bot|robot|chatbot|automat\w*)\b|"
    r"\b(?:quelqu.un|qqn|quelqu un|someone|somebody|a person|a human|iemand|een mens|jemand|"
    r"ein mensch) (?:derriere|behind|achter|hinter)\b|"
    r"\b(?:who|which company|what company) (?:made|built|created|developed|programmed|runs|"
    r"is behind) (?:you|this|the bot|this bot|this chatbot)\b|"
    r"\bqui (?:a|t.a|vous a) (?:cree|developpe|fait|programme|concu)\b|"
    r"\bwie heeft (?:je|jou|u|deze bot|dit) (?:gemaakt|ontwikkeld|geprogrammeerd|gebouwd)\b|"
    r"\bwer hat (?:dich|sie|diesen bot|das) (?:gemacht|entwickelt|programmiert|gebaut)\b|"
    r"\b(?:discute|discuter|parle|parler|ecris|chatte) (?:avec|a) la police\b|"
    r"\b(?:talking|speaking|chatting|writing) (?:to|with) the police\b|"
    r"\b(?:praat|chat|spreek|schrijf) ik (?:nu )?met de politie\b|"
    r"\b(?:schreibe|chatte|spreche|rede) ich (?:gerade )?mit der polizei\b|"
    r"\b(?:mit|zu) (?:einem |einer )*(?:echten |richtigen )?(?:menschen|person|mitarbeiter\w*)"
    r" (?:sprechen|reden)\b|\b(?:spreche|rede|chatte) ich mit (?:einem |einer )*(?:echten )?"
    r"(?:menschen|person|roboter|bot|maschine)\b"
)
# Insults aimed at the bot (a short message made of one of these is abuse).
INSULTS: Final = frozenset(
    {"stupid", "idiot", "idiots", "dumb", "moron", "useless", "crap", "shit", "fuck", "fucking",
     "bitch", "asshole", "suck", "sucks", "rubbish", "garbage", "trash", "loser", "shut up",
     "thick", "pathetic", "la ferme", "tais toi", "hou je mond", "hou je bek", "kop dicht",
     "halt den mund", "halts maul", "klappe",
     "con", "conne", "connard", "connasse", "debile", "nul", "nulle", "merde", "abruti",
     "cretin", "imbecile", "putain", "bouffon", "naze", "pourri", "ta gueule", "tg",
     "dom", "stom", "stomme", "dwaas", "idioot", "klootzak", "kut", "waardeloos", "achterlijk",
     "sukkel", "debiel", "rot op", "zak", "lul", "stommerik",
     "dumm", "dummer", "dumme", "blod", "bloder", "blode", "doof", "doofer", "scheisse",
     "scheiss", "arschloch", "depp", "trottel", "vollidiot", "nutzlos", "mist", "halt die klappe"}
)  # fmt: skip
_INSULT_RE: Final = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, INSULTS), key=len, reverse=True)) + r")\b"
)
# Words that may sit beside an insult in a message that is only an insult ("you are so stupid").
_FILLER: Final = frozenset(
    {"you", "are", "re", "u", "r", "so", "such", "a", "an", "the", "bot", "robot", "really",
     "very", "what", "this", "is", "it", "piece", "of", "totally", "shut", "up", "go", "to",
     "t", "es", "tu", "vous", "etes", "un", "une", "vraiment", "trop", "bien", "quel", "quelle",
     "espece", "de", "ce", "c", "est", "sale", "gros", "grosse", "ferme", "la",
     "je", "jij", "bent", "ben", "een", "echt", "zo", "wat", "het", "rot", "op",
     "zeg", "jou", "jouw", "du", "bist", "sie", "sind", "ein", "eine", "wirklich",
     "total", "was", "fur", "fuer", "halt", "die", "klappe", "oh", "my", "god", "mon", "dieu"}
)  # fmt: skip
SHORT_INSULT_WORDS: Final = 8


def is_noise(plain: str) -> bool:
    """No letters at all (emoji, punctuation), or only keyboard mash and interjections."""
    words = _LETTERS_RE.findall(plain)
    if not words:
        # Digits alone are noise, but an emergency number or a postcode means something.
        digits = _DIGITS_RE.findall(plain)
        return not digits or (len(digits) == 1 and not _MEANINGFUL_NUMBER_RE.fullmatch(digits[0]))
    if all(len(set(word)) == 1 for word in words) and " ".join(words) not in SHORTHANDS:
        return True  # "jjjjjj", "kk": one key held down
    # "lmaooo", "hmmmm", "ahhh": letters held down (normalised text keeps two of a run)
    held = " ".join(_HELD_RE.sub(r"\1", word) for word in words)
    if " ".join(words) in INTERJECTIONS or held in INTERJECTIONS:
        return True
    # "jkl" is mash beside "qsdfqsdf", a word ("tnx", "thx") alone.
    mashed = [_is_mash(word) for word in words]
    return (
        len(words) <= 3
        and any(mashed)
        and all(
            mash or word in INTERJECTIONS or not _VOWELS & set(word)
            for word, mash in zip(words, mashed, strict=True)
        )
    )


def _is_mash(word: str) -> bool:
    if len(word) < 4:
        return False
    if not _VOWELS.intersection(word):
        return True
    if any(_on_key_row(word[i : i + 4]) for i in range(len(word) - 3)):
        return True
    # A letter or a pair repeated ("aaaaa" is folded to "aa" already, "jajajaja", "dfdfdf").
    return len(set(word)) <= 2 and len(word) >= 6


def _on_key_row(chunk: str) -> bool:
    return any(chunk in row or chunk[::-1] in row for row in _KEY_ROWS)


def actual_question(text: str) -> str | None:
    """The question a long story ends with ("... so which bank has the best savings rate?").

    None for a short message (it is its own question) or a story without a question.
    """
    if len(text.split()) < LONG_MESSAGE_WORDS:
        return None
    sentences: list[str] = [str(s).strip() for s in _SENTENCE_RE.findall(text) if s.strip()]
    for sentence in reversed(sentences):
        first = sentence.lstrip("-–—*•\"' ").casefold()
        if sentence.rstrip().endswith("?") or _QUESTION_START_RE.match(first):
            return sentence
    return None


def is_generic(question: str) -> bool:
    """A question too short to stand alone ("what should I do?", "wat nu?")."""
    return len(question.split()) <= GENERIC_QUESTION_WORDS


def names_other_country(plain: str) -> bool:
    """Another country (or its law or police) is named, not as a travel destination."""
    if not (_COUNTRY_RE.search(plain) or _FOREIGN_LAW_RE.search(plain)):
        return False
    travelling = _TRAVEL_RE.search(plain) and not _RESIDENT_RE.search(plain)
    return not travelling and not _BELGIUM_RE.search(plain)


def asks_about_the_bot(plain: str) -> bool:
    """ "Are you a person?", "can I talk to a human?", in any of our languages."""
    return bool(_BOT_IDENTITY_RE.search(plain))


def is_insult(plain: str) -> bool:
    """A short message that is an insult and nothing else ("you stupid bot", "t'es nul")."""
    words = _LETTERS_RE.findall(plain)
    if not words or len(words) > SHORT_INSULT_WORDS or not _INSULT_RE.search(plain):
        return False
    rest = _INSULT_RE.sub(" ", plain)
    return all(word in _FILLER for word in _LETTERS_RE.findall(rest))
