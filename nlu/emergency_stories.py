"""Crimes in progress told as a story, for the emergency rules (`nlu/emergency.py`).

People rarely say "a crime is happening". They say: "my mother just called, two men from the
water company are in her kitchen right now"; "I just came home, the door is forced and I hear
noise upstairs"; "the alarm is going off and I hear something in the garage"; "someone is
trying my door handle and I'm alone". Each pattern here is one element of such a story; a story
is an emergency when its elements say that someone is there, now. The text is already
normalised (lower case, no accents) and free of past or general markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Signals:
    """What the single-signal rules already found in the message."""

    intruder: bool  # "burglar", "voleur", "inbreker"...
    actor: bool  # an intruder or "someone", "two men", "ils"...
    act: bool  # breaking, forcing, rattling a handle...
    inside: bool  # "in my kitchen", "beneden", "im Keller"...
    now: bool
    cry: bool  # "help", "au secours", hiding
    senses: bool  # "I hear", "je vois"...


# Someone claiming to be from a utility, the police, a bank... (with an actor or "fake").
_OFFICIALS: Final = (
    r"polic\w*|cops?|politie\w*|polizei\w*|polizist\w*|agents?|agenten|water\w*|eaux|de l.eau|"
    r"wasser\w*|gas|gaz|energ\w*|electri\w*|elektri\w*|strom\w*|technic\w*|technie\w*|"
    r"techniker|engineers?|plumbers?|plombiers?|loodgieters?|klempner|meter\w*|\w*meteropnemer|"
    r"compteurs?|zahler\w*|\w*ableser|releveurs?|controleurs?|kontrolleur\w*|inspectors?|"
    r"council|workers|workmen|ouvriers|werklui|werkmannen|handwerker|monteurs?|installateurs?|"
    r"bank|banque|sibelga|fluvius|ores|vivaqua|engie|nurses?|infirmier\w*|verpleeg\w*|"
    r"krankenschwester"
)
_OFFICIAL_RE: Final = re.compile(rf"\b(?:{_OFFICIALS})\b")
_FAKE_RE: Final = re.compile(
    r"\b(?:fake|false|bogus|so.called|pretend\w*|claim\w*|says? (?:he|she|they)|who say|saying|"
    r"faux|fausses?|soi.disant|pretendu\w*|se (?:disent|disant|font passer|faisant passer)|"
    r"vals|valse|nep\w*|zogezegd\w*|zogenaamd\w*|zeggen dat|zegt dat|beweert|beweren|"
    r"falsch\w*|angeblich|geben sich|gibt sich|sagen|sagt)\b|"
    # "two 'police officers'": counted or quoted, they are people, not an institution
    rf"\b(?:two|three|deux|trois|twee|drie|zwei|drei|[2-9]) (?:\S+ )?[\"“”«»„]?(?:{_OFFICIALS})\b|"
    r"[\"“”«»„](?:the |la |le |les |de |het |die |der )?"
    rf"(?:{_OFFICIALS})"
)
# What such visitors do once inside: search, ask for the savings, refuse to leave.
_DOING_RE: Final = re.compile(
    r"\b(?:search\w*|going through|rummag\w*|looking (?:for|through)|asking (?:for|where)|"
    r"check\w* (?:her|his|their|my) (?:cash|money|jewel\w*|savings|valuables|bank)|"
    r"(?:won.t|will not|refuses? to) leave|fouill\w*|demand\w*|cherch\w*|ne veulent? pas partir|"
    r"refusent? de partir|doorzo\w*|rommel\w*|zoeken|zoekt|vragen|vraagt|willen niet weg\w*|"
    r"wil niet weg\w*|durchs\w*|durchwuhl\w*|wuhl\w*|such\w*|verlang\w*|fragen|fragt|"
    r"(?:wollen|will) nicht gehen|photograph\w*|fotograf\w*|prend\w* des photos|"
    r"(?:maakt|maken|macht|machen) (?:\w+ )?foto\w*|fotos? (?:macht|machen)|"
    r"foto.?s? (?:maakt|maken|neemt|nemen))\b"
)
# Someone telling what happens to a relative, on the phone, as it happens.
_NARRATED_RE: Final = re.compile(
    r"\b(?:on the (?:phone|line)|just called|is calling me|calls me|rang me|phoned me|au phone|"
    r"au (?:telephone|tel|bout du fil)|vient de m.?appeler|m.?appelle|aan de (?:lijn|telefoon)|"
    r"belde (?:me )?(?:net|zonet|juist|daarnet|daarjuist)|belt me|belt|am (?:telefon|apparat)|"
    r"ruft (?:mich )?(?:gerade )?an|hat (?:mich )?(?:gerade|eben|grad) angerufen)\b"
)
_STILL_RE: Final = re.compile(
    r"\b(?:still (?:inside|in|there|here|at|upstairs|downstairs)|(?:encore|toujours) (?:dedans|"
    r"la|a l.interieur|chez|dans|en bas|a l.etage|en haut)|nog (?:altijd |steeds )?(?:binnen|"
    r"daar|in|boven|beneden)|(?:immer )?noch (?:drin|drinnen|da|im|in|oben|unten))\b|"
    # "nog bij de politie melden" is not "still at her place": only at someone's
    r"\bnog (?:altijd |steeds )?bij (?:haar|hem|hen|mijn|m.?n|ons|onze|oma|opa|mama|papa)\b|"
    r"\bnoch bei (?:ihr|ihm|ihnen|meiner|meinem|unserer|unserem|oma|opa|mama|papa)\b"
)
# A relative's or neighbour's home, seen from the person telling it.
# A relative's or neighbour's home, seen from the person telling it (not at the door).
_THEIR_HOME_RE: Final = re.compile(
    r"\b(?:bij (?:haar|hem|hen) (?:in|op) (?:de|het|haar|zijn|hun) |"
    r"(?:in|inside|at) (?:her|his|their|my [a-z]+'?s)\b|chez (?:elle|lui|eux|ma|mon|mes|sa|"
    r"son|ses|leur)\b|dans (?:sa|son|ses|leur) |bij (?:haar|hem|hen|mijn|m.?n|ons) .{0,20}"
    r"(?:binnen|thuis|in huis)|binnen (?:bij|in)\b|(?:zijn|is|staan|staat|zitten|zit) "
    r"(?:\w+ ){0,3}binnen\b|in (?:haar|zijn|hun) |bei (?:ihr|ihm|ihnen|meiner|meinem|unserer|"
    r"unserem)\b|in (?:ihrer|ihrem|seiner|seinem) |drin\b|drinnen\b)"
    r"(?!(?: \S+){0,2} (?:door|doorstep|gate|porte|deur|poort|tur|haustur)\b)"
)
# "is in", "sont chez", "zijn bij", "sind bei": there, in the present tense.
_PRESENT_RE: Final = re.compile(
    r"\b(?:is|are|s|re|est|sont|zijn|staan|staat|zit|zitten|ist|sind)(?: still| encore| toujours|"
    r"| nog| noch| now| nu| jetzt| maintenant)? (?:in|inside|at|chez|dans|bij|bei|im)\b"
)
_HOME_COMING_RE: Final = re.compile(
    r"\b(?:(?:came|come|got|get|arrived?|coming) (?:back )?home|back home|came back|got back|"
    r"je (?:viens de )?(?:rentre|rentrer)|en rentrant|(?:je |j)?suis rentree?|de retour|"
    r"ik kom (?:net )?thuis|thuisgekomen|kom net binnen|(?:komme|kam) (?:gerade |grad )?"
    r"nach hause|heimgekommen|nach hause gekommen|zuruckgekommen|(?:bin|komme) (?:gerade |grad )?"
    r"(?:heim|zuruck))\b"
)
_OPENED_RE: Final = re.compile(
    r"\b[a-z]*(?:door|window|lock|porte|fenetre|serrure|deur|raam|slot|poort|tur|fenster|"
    r"schloss|tor)[a-z]* (?:\w+ ){0,3}?(?:open|opened|ouverte?|forcee?|fracturee?|cassee?|"
    r"defoncee?|petee?|broken|forced|smashed|geforceerd|opengebroken|ingeslagen|kapot|stuk|offen|aufgebrochen|"
    r"eingeschlagen|aufgehebelt|kaputt)\b"
)
# Signs that someone is there (not "pas", which is "not" as well as "footsteps").
_PRESENCE_RE: Final = re.compile(
    r"\b(?:noises?|sounds?|footsteps|voices|lights?|bruits?|des pas|voix|lumiere|lawaai|"
    r"geluiden?|gestommel|voetstappen|stemmen|licht|gerausche?|larm|poltert|gepolter|schritte|"
    r"stimmen|banging|knocking)\b"
)
_ALARM_NOW_RE: Final = re.compile(
    r"\balarm\w*(?: \S+){0,3}? (?:is |has |just |now )*(?:going off|gone off|went off|goes off|"
    r"ringing|sounding|beeping|screaming|blaring|howling|triggered|sonne|hurle|retentit|"
    r"se declenche|s.est declenchee?|vient de se declencher|s.est mise? a sonner|se met a sonner|"
    r"gaat af|"
    r"ging (?:net )?af|is (?:net |zonet )?afgegaan|loeit|slaat aan|sloeg (?:net )?aan|geht los|"
    r"ging (?:gerade )?los|ist (?:gerade )?losgegangen|heult|schlagt an|schrillt)"
)
# A handle that moves by itself, told by someone alone or now.
_HANDLE_MOVES_RE: Final = re.compile(
    r"\b(?:handle|poignee|clenche|klink|klinke|turklinke|turgriff)\w* (?:\S+ ){0,4}?"
    r"(?:mov|turn|bouge|tourne|s.abaisse|beweeg|bewoog|draait|gaat (?:naar )?beneden|beweg|"
    r"dreht|geht (?:nach unten|runter))"
)
_ALONE_RE: Final = re.compile(
    r"\b(?:i.?m alone|i am alone|home alone|alone at home|i live alone|je suis seule?|"
    r"toute? seule?|je vis seule?|j.habite seule?|ik ben alleen|alleen thuis|ik woon alleen|"
    r"ich bin allein|ich wohne allein|ich lebe allein|allein (?:zu ?hause|daheim))\b|\bjust\b"
)


# Just outside the rooms: a balcony, a garden, a window ("a man on her balcony").
_AT_THE_HOME_RE: Final = re.compile(
    r"\b(?:on|in|at) (?:the|my|her|his|our|their) (?:balcony|garden|terrace|window|roof|shed)|"
    r"\bsur (?:le|mon|son|notre|leur) (?:balcon|toit|terrasse)|"
    r"\b(?:dans|devant) (?:le|mon|son|notre|leur|la|ma|sa) (?:jardin|fenetre|abri)|"
    r"\bop (?:het|haar|zijn|mijn|ons|hun) (?:balkon|dak|terras)|"
    r"\bin (?:de|haar|zijn|mijn|onze|hun) (?:tuin|schuur)|\baan (?:het|haar|zijn|mijn) raam|"
    r"\bauf (?:dem|ihrem|seinem|meinem|unserem) (?:balkon|dach|terrasse)|"
    r"\bin (?:ihrem|seinem|meinem|unserem) garten|\bim garten|\bam fenster"
)
# The home should be empty: "nobody else should be home".
_NOBODY_RE: Final = re.compile(
    r"\b(?:nobody|no one|no.one) (?:else )?(?:should be|is|lives)|personne (?:d.autre )?"
    r"(?:ne|n.)|niemand (?:anders )?(?:hoort|zou|is|woont)|niemand (?:sonst|anderes)? ?"
    r"(?:sollte|ist|wohnt)"
)


# Things being carried out of a home as it is told: "two men are carrying her TV out".
_CARRYING_OUT_RE: Final = re.compile(
    r"\b(?:carry\w*|tak\w*|load\w*|bring\w*) .{0,30}\bout\b|\b(?:sortent|emportent|emmenent|"
    r"chargent|embarquent)\b|\b(?:dragen|sjouwen|halen|laden) .{0,30}(?:naar buiten|weg|buiten)\b|"
    r"\b(?:naar buiten|weg) (?:dragen|sjouwen|halen|brengen)\b|"
    r"\b(?:raustragen|heraustragen|wegtragen|schleppen|tragen .{0,30}raus|laden .{0,30}ein)\b"
)
# Goods going into a vehicle as it is told: "two guys are loading a TV into a van".
_INTO_VEHICLE_RE: Final = re.compile(
    r"\b(?:load\w*|carry\w*|putt\w*|throw\w*) .{0,70}\b(?:into|in) (?:a|the|their|his|an) "
    r"(?:\w+ )?(?:van|car|truck|lorry|trailer|pick.?up)\b|"
    r"\b(?:chargent|mettent|portent|jettent) .{0,70}\bdans (?:une|la|leur|un|le) "
    r"(?:\w+ )?(?:camionnette|voiture|camion|remorque|fourgon\w*)\b|"
    r"\b(?:laden|zetten|dragen|gooien|sjouwen) .{0,70}\bin (?:een|de|hun|zijn) "
    r"(?:\w+ )?(?:bestelwagen|busje|camionette|auto|wagen|aanhangwagen|camion)\b|"
    r"\b(?:laden|tragen|werfen|schleppen) .{0,70}\bin (?:einen|den|ihren|seinen|ein|das) "
    r"(?:\w+ )?(?:transporter|lieferwagen|kastenwagen|auto|wagen|anhanger|bus)\b"
)
# The neighbours' home, as the place things are taken from.
_NEIGHBOURS_RE: Final = re.compile(
    r"\b(?:next door|neighbou?rs?.?s?|voisins?|buren|buurman|buurvrouw|nachbarn?|nachbarin)\b"
)
# Woken by something in the home: "woke up from a noise, the kitchen light is on".
_WOKEN_RE: Final = re.compile(
    r"\b(?:woke up|woken (?:up )?by|woke to|reveillee?|me suis reveillee?|wakker (?:geworden|"
    r"gemaakt|geschrokken)|werd wakker|ben wakker|aufgewacht|wach geworden|geweckt)\b"
)
# Someone telling what they are being told, by phone or by message ("my mum says...").
_REPORTED_RE: Final = re.compile(
    r"\b(?:says?|saying|texted|texting|texts|messaged|writes|on the phone with|au phone|"
    r"(?:me )?dit|m.?ecrit|au tel avec|zegt|stuurt|sms.?t|schrijft|appt|sagt|schreibt|"
    r"simst|telefonier\w* mit)\b"
)


def is_story_of_crime_now(plain: str, signals: Signals) -> bool:
    """True when the story says someone is there now: visitors, intruders, an alarm, a handle."""
    still = bool(_STILL_RE.search(plain))
    there = still or signals.inside or bool(_THEIR_HOME_RE.search(plain))
    if _visitors_or_intruders(plain, signals, still, there):
        return True
    # "My sister texts me that two men are carrying her TV out right now."
    if signals.actor and signals.now and _CARRYING_OUT_RE.search(plain):
        return True
    # "Two guys are loading a TV into a van from next door."
    if (
        signals.actor
        and _INTO_VEHICLE_RE.search(plain)
        and (signals.now or there or _NEIGHBOURS_RE.search(plain))
    ):
        return True
    # "Mum says there is a man in her house right now", "au phone, un mec fouille sa chambre".
    reported = bool(_REPORTED_RE.search(plain) or _NARRATED_RE.search(plain))
    if signals.actor and signals.now and reported and (there or _DOING_RE.search(plain)):
        return True
    presence = still or bool(_PRESENCE_RE.search(plain)) or (signals.senses and signals.actor)
    # "Voices in the basement and nobody else should be home."
    if presence and there and (_NOBODY_RE.search(plain) or _ALONE_RE.search(plain)):
        return True
    # "Woke up from a noise, the kitchen light is on and I live alone."
    if (
        _WOKEN_RE.search(plain)
        and presence
        and (signals.inside or signals.now or _ALONE_RE.search(plain))
    ):
        return True
    # "I just came home, the door is forced and I hear noise upstairs."
    if presence and (_HOME_COMING_RE.search(plain) or _OPENED_RE.search(plain)):
        return True
    # "The alarm is going off and I hear something in the garage."
    if _ALARM_NOW_RE.search(plain) and (
        presence
        or signals.senses
        or signals.actor
        or signals.act
        or signals.cry
        or "!!" in plain
        or bool(_OPENED_RE.search(plain))
    ):
        return True
    # "My daughter texts that a man is on her balcony, she is home alone."
    if (
        signals.actor
        and _AT_THE_HOME_RE.search(plain)
        and (_ALONE_RE.search(plain) or _NOBODY_RE.search(plain))
    ):
        return True
    # "The door handle just moved and I'm alone."
    return bool(_HANDLE_MOVES_RE.search(plain)) and (
        signals.now or signals.cry or bool(_ALONE_RE.search(plain))
    )


def _visitors_or_intruders(plain: str, signals: Signals, still: bool, there: bool) -> bool:
    # "Two men from the water company are still at my mother's", told on the phone.
    # An official told of by a relative ("my sister writes that a technician is at hers")
    # counts like one who claims to be one.
    vouched = signals.actor or bool(_FAKE_RE.search(plain) or _REPORTED_RE.search(plain))
    official = bool(_OFFICIAL_RE.search(plain)) and vouched
    if not (official or signals.intruder):
        return False
    current = signals.now or still or bool(_NARRATED_RE.search(plain) or _PRESENT_RE.search(plain))
    doing = bool(_DOING_RE.search(plain))
    return (there and (current or doing)) or (official and current and doing)
