"""The words and phrases of the emergency rules (`nlu/emergency.py`), per signal, normalised.

Each tuple holds regular expressions on normalised text (lower case, no accents); each word set
is matched with one or two typos tolerated. Kept apart from the rules so that adding a phrasing
never touches the logic.
"""

from __future__ import annotations

from typing import Final


def words(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string."""
    return frozenset(text.split())


# Single words, normalised (lower case, no accents), matched with typos tolerated.
INTRUDERS: Final = words(
    "burglar burglars thief thieves robber robbers intruder intruders prowler stranger "
    "cambrioleur cambrioleurs voleur voleurs intrus agresseur agresseurs rodeur rodeurs inconnu "
    "inbreker inbrekers dief dieven indringer indringers insluiper vreemde vreemdeling "
    "einbrecher dieb diebe eindringling eindringlinge fremder"
)
BREAK_INS: Final = words("burglary break-in cambriolage effraction inbraak einbruch")
# Break-ins in the plural are talked about, not reported ("viel mit Einbrüchen zu tun").
PLURAL_BREAK_INS: Final = words(
    "burglaries break-ins cambriolages effractions inbraken einbruche einbruchen einbrueche "
    "einbruechen"
)
# "help" that asks for nothing now: "could help with", "aide aux victimes", "Hilfe bei".
NOT_A_CRY: Final = (
    r"\b(?:can|could|would|will|to|may|might|which|that|it) help\b|"
    r"\bhelp (?:with|you|us|me (?:to|with|choose|find|understand|decide))\b",
    r"\baide (?:aux|au|a la|pour|financiere|a domicile)\b|"
    r"\b(?<!a )(?:une|l.|d.|des|les|cette) aides?\b",
    r"\bhulp (?:bij|voor|aan)\b|\b(?:de|een|om) hulp\b",
    r"\bhilfe (?:fur|bei|zur|beim)\b|\b(?:eine|die|der|keine) hilfe\b",
)
CRIES: Final = words(
    "help hepl helpp secours aide aidez aidezmoi hulp hilfe urgent urgence dringend "
    "noodgeval notfall emergency vite snel schnell quick hurry sofort"
)
# Acts written in a hurry ("forcng", "breakin"): matched with typos tolerated, like intruders.
ACT_WORDS: Final = words(
    "breaking forcing smashing kicking climbing forceert inslaan aufbrechen einschlagen "
    "defoncent fracturent"
)
NOW_WORDS: Final = words(
    "now rn currently maintenant actuellement instant nu momenteel bezig gerade grad jetzt sofort"
)
# Phrases (regular expressions on normalised text).
ACTS: Final = (
    # en
    r"\b(?:breaking|forcing|smashing|kicking|climbing|robbing|stealing|sneaking|"
    r"prowling|prying|jimmying|walking around|wandering around)\b",
    r"\bbreak(?:s|ing)? in(?:to)?\b",
    r"\bbeing (?:kicked|forced|broken|smashed)\b",
    r"\btr(?:y|ies|ying) to (?:open|get in|break|force|enter|come in|climb)|"
    r"\btr(?:y|ies|ying) to get (?:\w+ ){1,3}open\b",
    r"\b(?:going|rummaging) through\b",
    r"\b(?:getting|got) (?:in|into)\b|\bcoming into (?:my|our)\b",
    # tools and disguises
    r"\b(?:crowbar|balaclava|flash ?lights?|torch(?:es| ?lights?)?|pied.de.biche|cagoule|"
    r"lampe (?:torche|de poche)|"
    r"breekijzer|bivakmuts|zaklamp|brecheisen|sturmhaube|taschenlampe|stemmeisen)\b",
    # fr
    r"\ben train d(?:e |.)(?:forcer|casser|fracturer|defoncer|voler|cambrioler|fouiller|escalader|"
    r"grimper|entrer|rentrer|ouvrir|crocheter|percer|scier|couper|arracher)",
    r"\b(?:force|forcent|casse|cassent|brise|brisent|grimpe|grimpent|escalade|escaladent|"
    r"fouillent|fouiller|rode|rodent|defonce|defoncent|fracturent)\b",
    # "essaie d'entrer", also written "essaye dentrer" in a hurry
    r"\bessa(?:i|y)(?:e|es|ent)? (?:d.?|de )(?:ouvrir|entrer|forcer|rentrer|casser|grimper)",
    r"\b(?:entre|rentre|est entre) chez (?:moi|nous)\b",
    r"\b(?:entrent|rentrent|sont entres) (?:chez|dans) (?:les |le |la |l.)?"
    r"(?:voisins?|voisine|lui|elle|eux|maison|immeuble)",
    r"\bcambriolent\b",
    # nl
    r"\b(?:forceert|forceren|breekt|breken|inslaan|klimt|klimmen|sluipt|sluipen|rommelen|"
    r"rommelt|wrikken|wrikt|prutsen|leegroven|binnengedrongen|binnengebroken|inbreken|"
    r"binnenkomen|binnendringen|rondloopt)\b|\bloopt .{0,15}rond\b",
    r"\bword(?:t)? (?:nu |op dit moment |hier )?ingebroken\b",
    r"\bprob(?:eer|eert|eren) .{0,30}"
    r"(?:open te (?:breken|krijgen|maken|doen)|binnen te (?:komen|dringen)|"
    r"in te (?:breken|slaan)|klink)",
    r"\baan (?:de|het|mijn|m.?n|ons|onze|alle|elke|iedere|zijn|haar) .{0,25}"
    r"te (?:draaien|trekken|duwen|rukken|morrelen|proberen)\b",
    # de
    r"\b(?:bricht|brechen|aufbrechen|aufzubrechen|einschlagen|einzuschlagen|hebelt|hebeln|"
    r"klettert|klettern|schleicht|schleichen|wuhlt|wuhlen|eingedrungen|einzubrechen|"
    r"reinkommt|reinkommen|eindringt|einsteigt|aufzumachen|aufzukriegen)\b|"
    r"\blauft .{0,15}herum\b|\bversuch\w* .{0,30}zu offnen\b",
    # trying doors one after the other: "probiert alle Autotüren aus"
    r"\bprobier\w* (?:\w+ ){0,6}?\w*(?:tur|turen|tor|tore|fenster|klinke|klinken|schlosser)\b",
    r"\baan (?:alle|elke|iedere|de|onze) (?:\w+ )?\w*(?:deur|klink|klinken|raam|ramen|poort|"
    r"poorten|slot|sloten|deuren)\w* (?:voelt|voelen|trekt|trekken|morrelt|rammelt|draait)\b",
    r"\b(?:trekt|trekken|rukt|rukken|duwt|duwen|morrelt|morrelen|draait|probeert|proberen|"
    r"voelt|voelen) "
    r"(?:\w+ ){0,2}aan (?:de|het|mijn|m.?n|ons|onze|alle|elke|iedere|zijn|haar) (?:\w+ )?"
    r"\w*(?:deur|deuren|klink|klinken|raam|ramen|poort|poorten|slot)\b",
    r"\bmach(?:t|en) sich .{0,30}zu schaffen\b",
    r"\braumen .{0,40}aus\b",
    # a door handle, lock or window being tried at this moment
    r"\b(?:rattl|jiggl|pull|tugg|yank|tr(?:y|ie)|test|turn|push)\w* (?:at |on |with |down )?"
    r"(?:the|my|our|a|her|his|their|every|each|all(?: the)?) (?:\w+ )?(?:handles?|doors?|locks?|"
    r"windows?)\b",
    r"\b(?:essa[iy]\w*|test\w*|tente\w*|ouvre\w*) (?:toutes les|chaque|les) (?:\w+ )?"
    r"(?:portieres|portes|poignees|voitures|fenetres)\b",
    r"\b(?:tripot|secou|tourn|actionn|bricol)\w* (?:a |sur )?(?:la|ma|notre|les) (?:\w+ )?"
    r"(?:poignee|clenche|serrure)",
    r"\b(?:morrel|rammel)\w*|\b(?:draait|trekt|duwt) .{0,25}(?:klink|slot)\b",
    r"\brutt?e?l(?:t|n)\b|\b(?:druckt|zieht|dreht) .{0,30}(?:klinke|griff)\b",
)
INSIDE: Final = (
    r"\b(?:in|inside|into) (?:my|the|our) (?:house|home|flat|apartment|kitchen|living|"
    r"garage|garden|basement|cellar|attic|room|bedroom|bathroom|shop)\b",
    r"\b(?:downstairs|upstairs|still in|in here|on .{0,20}roof|in the attic)\b",
    r"\b(?:chez (?:moi|nous)|dans (?:ma|la|mon|le|notre|l.) ?(?:maison|cuisine|salon|garage|"
    r"jardin|cave|chambre|grenier|appartement|kot)|en bas|a l.etage|encore dans|"
    r"(?:il|elle|quelqu.un|qqn) est (?:encore |toujours )?la|ils sont (?:encore |toujours )?la|"
    r"sur (?:le|mon|notre) toit|au grenier)\b",
    r"\b(?:in (?:mijn|ons|de|het) (?:huis|keuken|living|garage|tuin|kelder|zolder|kamer|"
    r"woning|appartement|kot)|beneden|nog binnen|in huis|op (?:het|ons|mijn) dak|op zolder)\b",
    r"\b(?:im (?:haus|garten|keller|wohnzimmer|zimmer)|in (?:meinem|meiner|unserem|unserer|"
    r"der|dem) (?:haus|kuche|wohnzimmer|garage|garten|keller|dachboden|wohnung|zimmer)|"
    r"unten|noch im|auf dem (?:dach|dachboden))\b",
)
NOW_PHRASES: Final = (
    r"\b(?:right now|rite now|ryt now|right nw|just now|at the moment|in progress|this minute|"
    r"middle of the night|"
    r"as we speak|this very moment|at this moment|as i (?:type|write))\b",
    r"\b(?:en ce moment|en cours|a l.instant|la maintenant|en pleine nuit)\b|\bla\W*$|"
    r"\ben train d|"
    r"\bau moment ou je (?:vous )?(?:parle|ecris)",
    r"\b(?:op dit moment|midden in de nacht|terwijl ik (?:dit |nu )?(?:typ|schrijf))",
    r"\b(?:in diesem moment|mitten in der nacht|wahrend ich (?:das |dies )?schreibe)\b",
    r"!!",
)
SENSES: Final = (
    r"\b(?:i hear|i can hear|i heard|i see|i can see|j.entends|je vois|j.ai entendu|vois je|"
    r"ik hoor|ik zie|hoor ik|zie ik|ich hore|ich sehe|hore ich|sehe ich)\b",
    r"\ben train de (?:les |le |la )?(?:voir|regarder|entendre)\b|\bje (?:les|le|la) vois\b",
)
STRONG: Final = (
    r"\bthere (?:is|are) (?:a |an |some )?(?:burglar|thief|thieves|intruder|robber)s? "
    r"(?:in|at|here)\b",
    r"\b(?:il y a|y a) (?:un|des|qqn|quelqu.un) ?(?:voleurs?|cambrioleurs?|intrus)? ?"
    r"(?:chez|dans)\b",
    r"\bau secour",
    r"\b(?:someone|somebody) (?:is )?(?:in|inside) (?:my|the|our) "
    r"(?:house|home|flat|apartment|living room|kitchen|bedroom)\b",
    # passive present: it is happening to me now
    r"\bbeing (?:kicked|forced|broken|smashed)\b",
    r"\ben train d.etre (?:fractur|forc|cass|cambriol)",
    r"\bword(?:t)? (?:nu |op dit moment |hier |net )?ingebroken\b",
    r"\bwird (?:gerade |grad |jetzt |in diesem moment |hier )?eingebrochen\b",
    r"(?:eingebrochen|eingedrungen) .{0,20}noch|(?:ingebroken|binnengedrongen) .{0,20}nog|"
    r"\bbroke in .{0,20}still|\best entre .{0,20}encore",
    r"\b(?:versucht|versuchen|probeert|proberen|trying|tries|essa[iy]e|essa[iy]ent) .{0,30}"
    r"(?:aufzubrechen|einzuschlagen|einzubrechen|reinzukommen|in te slaan|in te breken|"
    r"open te breken|to break in|to force|de forcer|d.?entrer)",
    r"\b(?:quelqu.un|qqn) (?:est )?(?:dans (?:ma|la|notre) maison|chez moi)\b",
    r"\biemand (?:is )?(?:in|binnen in) (?:mijn|ons|het) (?:huis|appartement|woning)\b",
    r"\bjemand (?:ist )?(?:in|im) (?:meinem|unserem|dem)? ?(?:haus|wohnung)\b",
    # a forced door and a light or someone inside: they are still there
    r"\b(?:tur|tuer|deur|porte|door)\w* .{0,30}(?:aufgebrochen|eingetreten|opengebroken|"
    r"ingetrapt|forcee|fracturee|defoncee|forced|kicked in|broken open).{0,60}"
    r"(?:licht|light|lumiere|lamp|jemand|iemand|quelqu|someone|drinnen|binnen|inside|dedans)",
    r"\bglass? (?:is )?break|\bverre se bris|\bglas (?:zer)?brech|\bglas breken\b",
)
# "What should I do if I ever hear a burglar?": a question about a situation, not the situation.
HYPOTHETICALS: Final = (
    r"\b(?:if (?:i|we|you|someone|somebody|a burglar|a thief) (?:ever|one day|some day)|"
    r"what (?:should|do|must) (?:i|we) do (?:if|when)|si un jour|si jamais|"
    r"(?:que|quoi) (?:dois.je|doit.on|faut.il|faire) (?:faire )?(?:si|quand|lorsque)|"
    r"als (?:ik|we|je|er|iemand) (?:ooit|op een dag)|wat (?:moet|doe|moeten) (?:ik|je|we) "
    r"(?:doen )?(?:als|wanneer|indien)|wenn (?:ich|wir|man|jemand) (?:irgendwann|jemals|mal|"
    r"eines tages)|was (?:soll|muss|sollte) (?:ich|man|wir) (?:tun|machen),? wenn)",
)
# A day or a time gone by: whatever happened then is not happening now.
PAST_TIMES: Final = (
    r"\b(?:yesterday|last night|last week|hier soir|la nuit derniere|gisteren|vannacht|gestern|"
    r"letzte nacht|vorige week)\b",
    r"\blast (?:year|winter|summer|spring|autumn|month|weekend|time)\b|"
    r"\b(?:l.an|l.annee|l.ete|l.hiver|le mois|la semaine|le week.end) "
    r"(?:dernier|derniere|passee?)\b|"
    r"\bvorig(?:e)? (?:jaar|maand|winter|zomer|keer|weekend)\b|\bneulich\b|"
    r"\bletzte[nsm]? (?:jahr|winter|sommer|monat|woche|wochenende|mal)\b|"
    r"\b(?:en|in|im jahr|in het jaar|depuis) (?:19|20)\d\d\b|"
    r"\b(?:hatte|hatten) (?:mal|einmal|schon)\b|"
    r"\b(?:once had|had once)\b|\b(?:a|ont|avait|avaient) eu (?:un|une|des)\b|\bheeft ooit\b|"
    r"\bhat (?:mir |uns )?(?:erzahlt|erzaehlt)\b|\b(?:versucht hat|hat versucht|haben versucht)\b|"
    r"\bm.a raconte\b|\bheeft (?:me |mij |ons )?verteld\b|"
    r"\bvergangene[nsm]? (?:jahr|winter|sommer|monat|woche)\b",
    r"\b(?:years?|months?|weeks?) ago\b|\bil y a (?:\w+ )?(?:ans?|mois|semaines?)\b|"
    r"\b(?:jaar|maanden|maand|weken|week) geleden\b|\bvor (?:\w+ )?(?:jahren|monaten|wochen)\b",
)
# A break-in in the past, or a general question about burglars: not an emergency.
PAST_OR_GENERAL: Final = (
    *HYPOTHETICALS,
    r"\b(?:after|since|depuis|sinds|seit|seitdem)\b",
    # a habit: "he comes in when I'm not there"
    r"\bquand je (?:ne )?suis pas (?:la|chez moi)\b|\bwhen i.m not (?:there|home|in)\b|"
    r"\bals ik (?:er )?niet (?:thuis )?ben\b|\bwenn ich nicht (?:da|zu hause|daheim) bin\b",
    r"\bapres (?:un |le |mon |notre )?(?:cambriolage|vol|effraction)\b",
    r"\bna (?:een |de |onze |mijn )?(?:inbraak|diefstal)\b",
    r"\bnach (?:einem |dem |unserem )?(?:einbruch|diebstahl)\b",
    r"\b(?:ai|a|avons|ont|as) ete\b|\b(?:was|were|have been|has been|got) (?:burgled|robbed)|"
    r"\bgeweest\b|\bvertrokken\b|\bwurden?\b|\bgewesen\b|\bpartis\b",
    # prevention questions and hypotheticals
    r"\b(?:against|contre|tegen|gegen)\b",
    r"\b(?:how to|prevent|avoid|eviter|empecher|vermijd|voorkom|verhinder|vermeide|schutzen|"
    r"se faire cambriol|all day|toute la journee|de hele dag|den ganzen tag)",
    r"\bont (?:tout|vole|pris|casse|force)\b",
    r"\b(?:usually|mostly|typically|what time|quelle heure|le plus|meestal|vooral|welk uur|"
    r"eher|meistens|uhrzeit|am meisten|most often|le plus souvent|het vaakst|am haufigsten|"
    r"time of day|moment de la journee|tijdstip|tageszeit)\b",
    # a yes/no question about burglars in general ("do burglars ...", "komen inbrekers ...")
    r"^(?:do|does|can|will|would|are) (?:burglars|thieves|robbers)\b",
    # Dutch and German put the verb first in a question: "klimmen inbrekers echt ...?"
    # (a verb, not a word that counts or points at them: "twee inbrekers", "ein Einbrecher")
    r"^(?!(?:een|de|het|die|deze|twee|drie|vier|veel|er|help|hulp|snel|nu|alarm)\b)[a-z]+ "
    r"(?:inbrekers|dieven)\b",
    r"^(?!(?:ein|eine|der|die|das|den|dem|zwei|drei|vier|viele|mehrere|da|hilfe|help|schnell|"
    r"jetzt|gerade|achtung|alarm)\b)[a-z]+ (?:einbrecher|diebe)\b",
    r"\b(?:si je|if i|if someone|if there|als ik|als er|wenn ich|wenn jemand|au cas ou|"
    r"in case|falls)\b",
    r"\b(?:kunnen|konnen|peuvent|can) (?:inbrekers|dieven|einbrecher|diebe|voleurs|"
    r"cambrioleurs|burglars|thieves)\b",
    *PAST_TIMES,
    r"\b(?:how (?:fast|quickly|long|many|much)|hoe snel|hoe lang|wie schnell|wie lange|"
    r"combien de temps|en combien)\b",
    r"\b(?:resist|resister|weerstaan|standhalten|give up|abandonne|geeft .{0,30}op\b|"
    r"gibt .{0,30}auf\b)",
    r"\b(?:psycholog|traumati|angst nach|peur apres|bang na)|\bcomment on\b",
    # "how do burglars get in?", "hoe breken inbrekers in?": a question about burglars at large
    r"^(?:how|what|when|where|why|which|comment|quand|ou|par ou|d.ou|pourquoi|que|hoe|wat|"
    r"wanneer|waar|langs waar|"
    r"waarom|welke|wie|was|wann|wo|warum|welche) (?:(?!i |je |ik |ich |we |on )[a-z]+ )?"
    r"(?:the |les |des |de |die )?(?:burglars|thieves|robbers|cambrioleurs|voleurs|inbrekers|"
    r"dieven|einbrecher|diebe)\b|"
    r"^(?:how|comment|hoe|wie) \w+ (?:a|an|un|une|een|ein|eine) (?:burglar|thief|cambrioleur|"
    r"voleur|inbreker|dief|einbrecher|dieb)\b",
    r"\b(?:when (?:i|we) (?:come|get) (?:back|home)|quand (?:je|on) rentre|"
    r"wanneer (?:ik|we) thuiskom|lorsque je rentre)",
    # habits and hypotheticals: "noises every night", "when a burglar is in the house"
    r"\b(?:every (?:night|evening|day|time|week)|chaque (?:nuit|soir|fois|jour|semaine)|"
    r"toutes les nuits|tous les soirs|(?:elke|iedere) (?:nacht|avond|keer|dag|week)|"
    r"jede[nrs]? (?:nacht|abend|mal|tag|woche))\b",
    r"\b(?:when|quand|lorsqu.?|wanneer|wenn) (?:a|an|un|une|een|ein|eine|someone|somebody|"
    r"quelqu.un|iemand|jemand) ",
)
