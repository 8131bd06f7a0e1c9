"""Read CK / aldolase values and myositis-antibody results written next to a lab name.

The spaCy component finds the lab-name *anchor* ("CK", "creatine kinase",
"aldolase", "anti-HMGCR" ...) with rule files and hands the text around it to
the pure functions here:

* :func:`parse_lab_result` reads CK or aldolase values, units, reference ranges,
  "x ULN" folds, qualitative words ("markedly elevated", "WNL"), table flags
  ("(H)", "| H |") and pending statements.
* :func:`parse_antibody_result` reads the polarity of an antibody result
  ("positive", "neg", "(-)", "pending"), with a numeric value and cut-off
  when stated.

Both take ``after`` (the text right after the anchor up to the end of the
sentence or line) and ``before`` (the text of the sentence before the anchor).
Offsets in the results are offsets into ``after``. Reading stops at ``;``, a
newline, or the next lab name ("CK 8500, aldolase 71.8" gives CK only 8500).

Conventions:

* Values are reported in U/L. ``U/L``, ``IU/L``, ``units/L`` are the same unit;
  ``µkat/L`` is converted with 1 µkat/L = 60 U/L (:data:`UKAT_TO_U`).
* When a note gives no reference range, :data:`CONVENTIONAL_ULN` is used as the
  upper limit of normal. CK reference upper limits vary between roughly
  170 and 300 U/L by laboratory, sex and ancestry (e.g. women ~170-190 U/L,
  men ~200-310 U/L); 200 U/L is a common conventional value. Aldolase adult
  upper limits are ~7.7-8.1 U/L; 7.7 U/L is used.
* Because the conventional limit is only an approximation, a note that calls a
  value "normal" (or "low") without stating a range is believed for values up to
  1.5 x the conventional limit ("CK 250, normal" is not called elevated).
* Numbers that are dates, times, phone numbers, MRC grades ("4/5"), years
  ("in 2019"), reference-range bounds, fold multiples ("35x ULN"), counts
  ("day 3", "x2") or quantities in other units ("80 mg", "3 days") are not
  values.
* Assertion (negation, history, family, hypotheticals) is not decided here;
  ConText does that on the anchor.

Nothing here logs, and nothing imports spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CONVENTIONAL_ULN",
    "UKAT_TO_U",
    "AntibodyResult",
    "LabResult",
    "LabValue",
    "parse_antibody_result",
    "parse_lab_result",
]

CONVENTIONAL_ULN: dict[str, float] = {"ck": 200.0, "aldolase": 7.7}
"""Upper limit of normal in U/L used when a note states no reference range."""

UKAT_TO_U = 60.0
"""U/L per µkat/L (1 µkat/L = 60 U/L)."""

_CONVENTIONAL_SLACK = 1.5
_BEFORE_TAIL_CHARS = 160
_QUALITY_RANK = {"normal": 1, "low": 2, "elevated": 3, "markedly_elevated": 4}
_ELEVATED_WORDS = frozenset({"elevated", "markedly_elevated"})
_NOT_ELEVATED_WORDS = frozenset({"normal", "low"})

_I = re.IGNORECASE

# --------------------------------------------------------------------------- #
# Pattern fragments. All repetition is bounded so that no pattern backtracks
# catastrophically on long runs of digits, commas or spaces.
# --------------------------------------------------------------------------- #

_NUM = (
    r"(?<![\w.,])"
    r"(?:[0-9]{1,3}(?:,[0-9]{3}){1,4}"  # 12,450   1,234,567
    r"|[0-9]{1,3}(?:[ \u00a0\u2009\u202f][0-9]{3}){1,2}"  # 12 450 (space / no-break / thin)
    r"|[0-9]{1,9})"
    r"(?![0-9])"
    r"(?:(?:\.[0-9]{1,6}|,[0-9]{1,2})(?![0-9]))?"  # 8,500.0   35,2 (decimal comma)
)
_UNIT_BODY = (
    r"(?:[µμu]|mc|micro)\s?kat\s?/\s?(?:liter|litre|l)\b"
    r"|(?:units?|iu|i\.u\.|u)\s?/\s?(?:liter|litre|l)\b"
    r"|(?:cu|au|eu|ru|iu|u)\s?/\s?ml\b"
    r"|i\.?u\.?(?![\w/])|units?\b|cu\b|au\b|u\b"
)
_UNIT = r"(?P<unit>" + _UNIT_BODY + r")"
_PER_LITRE_UNIT = (
    r"(?P<unit>(?:[µμu]|mc|micro)\s?kat\s?/\s?(?:liter|litre|l)\b"
    r"|(?:units?|iu|i\.u\.|u)\s?/\s?(?:liter|litre|l)\b)"
)
_OPT_UNIT = r"(?:\s{0,2}" + _UNIT + r")?"
_OPT_CLOSE = r"(?:\s{0,2}[)\]])?"
_RANGE_SEP = r"\s{0,2}(?:-|–|—|to\b)\s{0,2}"
_TEN_TO = r"\s{0,2}10\s{0,2}(?:\^|\*\*)\s{0,2}"
_TIMES_TEN_TO = r"\s{0,2}[x×*]" + _TEN_TO  # 3.4 x 10^3
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_CK_NAME = r"(?:total\s{1,3})?(?:CK|CPK|creat(?:in)?ine\s{1,3}(?:phospho)?kinase)"
_LAB_NAME = (
    r"\b(?:aldolase|ALD|AST|SGOT|ALT|SGPT|ALP|alk\.?\s{0,2}phos|GGT|LDH|LD"
    r"|lactate\s{1,3}dehydrogenase|creatinine(?!\s{1,3}(?:phospho)?kinase)|Cr|BUN|eGFR"
    r"|TSH|free\s{1,3}T4|T4|ESR|sed\s{1,3}rate|CRP|troponins?|trop|hs-?Tn[IT]|Tn[IT]"
    r"|myoglobin|CK-?MB|" + _CK_NAME + r"|HMG-?CoA\s{0,3}reductase|HMGCR|SRP(?:-?54)?"
    r"|Jo-?1|PL-?7|PL-?12|EJ|OJ|Mi-?2|MDA-?5|TIF-?1(?:-?(?:γ|g|gamma))?|NXP-?2|SAE|Ku"
    r"|PM-?Scl|Ro-?52|Ro-?60|SSA|SSB|ANA|RNP|dsDNA|potassium|sodium|Hgb|hemoglobin"
    r"|WBC|platelets?|plt|glucose|HbA1c|A1c|LFTs?|lipase|amylase|ferritin|B12"
    r"|vitamin\s{1,3}D|EMG|MRI|biopsy|urinalysis|UA)\b"
)

# --------------------------------------------------------------------------- #
# Window: where reading starts and stops.
# --------------------------------------------------------------------------- #

_STOP = re.compile(r"(?P<punct>[;\n\r])|(?P<lab>" + _LAB_NAME + r")", _I)
_LEADING_ALIAS: dict[str, re.Pattern[str]] = {
    "ck": re.compile(r"\s{0,3}[(/\[]\s{0,3}" + _CK_NAME + r"\s{0,3}[)\]]?", _I),
    "aldolase": re.compile(r"\s{0,3}[(/\[]\s{0,3}aldolase\s{0,3}[)\]]?", _I),
}
_CK_MB = re.compile(r"\s{0,2}-?\s{0,2}MB\b", _I)
_ANTIBODY_NAME_TAIL = re.compile(r"-?[0-9]{1,3}[a-z]?(?![0-9.,])", _I)
_CONNECTOR = re.compile(r"[\s,/&+()-]{0,6}(?:(?:and|or|&)[\s,/&+()-]{0,6})?", _I)
_LAB_LIST = re.compile(
    r"(?:" + _LAB_NAME + r"(?:\s{0,3}(?:antibod(?:y|ies)|Abs?))?"
    r"[\s,/&()+-]{0,4}(?:(?:and|or|&)\s{1,3})?){1,8}",
    _I,
)

# --------------------------------------------------------------------------- #
# Numbers that are not lab values.
# --------------------------------------------------------------------------- #

_DATE = re.compile(
    r"(?<![\w/.-])(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"|[0-9]{1,2}/[0-9]{1,2}(?:/[0-9]{2,4})?"
    r"|[0-9]{1,2}/[0-9]{4}"
    r"|[0-9]{1,2}-[0-9]{1,2}-[0-9]{2,4}"
    r"|[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{2,4})(?![\w/])"
    r"|\b" + _MONTH + r"\s{0,3}[0-9]{1,2}(?:st|nd|rd|th)?(?![0-9]|,[0-9])(?:,?\s{1,3}[0-9]{4}\b)?"
    r"|\b[0-9]{1,2}(?:st|nd|rd|th)?\s{1,3}" + _MONTH + r"(?:,?\s{1,3}[0-9]{4}\b)?"
    r"|\b" + _MONTH + r",?\s{1,3}[0-9]{4}\b",
    _I,
)
_TIME = re.compile(
    r"(?<![\w:.])[0-9]{1,2}:[0-5][0-9](?::[0-5][0-9])?(?:\s{0,2}[ap]\.?m\.?)?(?![\w:])"
    r"|(?<![\w.])[0-9]{1,2}\s{0,2}[ap]\.?m\.?(?!\w)",
    _I,
)
_PHONE = re.compile(
    r"(?<![\w-])(?:\([0-9]{3}\)\s?|[0-9]{3}[-.])[0-9]{3}[-.][0-9]{4}(?![\w-])"
    r"|\b(?:call|phone|tel|pager|page|fax|ext)\.?:?\s{0,3}#?\s{0,2}[0-9][0-9-]{2,11}[0-9]",
    _I,
)
_MRC_GRADE = re.compile(r"(?<![\w.])[0-5]\s?[+-]?\s?/\s?5(?![0-9])")
_TITRE = re.compile(r"(?<![\w.])1\s{0,2}:\s{0,2}(?P<titre>[0-9]{1,6})(?![0-9])")
_YEAR = re.compile(
    r"(?:\b(?:in|since|during|until|till|by|circa|early|late|mid|spring|summer|fall|autumn"
    r"|winter|year|back\s{1,3}in)[\s-]{1,3}(?:19|20)[0-9]{2}"
    r"|\(\s{0,2}(?:19|20)[0-9]{2}\s{0,2}\))"
    r"(?![0-9]|[.,][0-9])(?![\s|]{0,3}(?:" + _UNIT_BODY + r"))",
    _I,
)
_COUNTED = re.compile(
    r"(?:\b(?:day|POD|HD|hospital\s{1,3}day|bed|room|rm|page|pg|grade|stage|cycle|doses?"
    r"|age|aged|score|step|weeks?|wks?|months?|years?|yrs?|MRC|strength|power|visit"
    r"|number|no\.|lot|MRN|ID|floor|ward|x|times|session|infusion)\s{0,2}[#:]?\s{0,2}"
    r"|#\s{0,2})" + _NUM + r"(?!\s{0,2}(?:\^|\*\*))",
    _I,
)
_OTHER_QUANTITY = re.compile(
    _NUM + r"\s{0,2}(?:mg|mcg|[µμu]g|ng|pg|g/dl|g(?![\w/])|mmol|[µμu]mol|meq|%|percent"
    r"|ml\b|kg|lbs?\b|cm\b|mm(?:hg)?\b|bpm\b|mins?\b|minutes?\b|secs?\b|seconds?\b"
    r"|(?-i:h)\b|hrs?\b|hours?\b|days?\b|(?-i:d)\b|wks?\b|weeks?\b|mos?\b|months?\b"
    r"|yrs?\b|years?\b|y/?o\b|y\.o\.|year-old|x(?!" + _TEN_TO + r")\b|times\b|/10\b"
    r"|points?\b|°|cells?\b|copies\b|ratio\b)",
    _I,
)

# --------------------------------------------------------------------------- #
# Reference ranges, folds, flags, words.
# --------------------------------------------------------------------------- #

_REF_PREFIX = (
    r"(?:\b(?:ref(?:erence|\.)?(?:\s{1,3}(?:range|interval|values?))?"
    r"|normal(?:\s{1,3}(?:range|values?))?|nl|nml|RR|NR|range|cut-?off|threshold)"
    r"|(?-i:\bN\b))\.?[\s:=]{0,3}(?:(?:is|of)\s{1,3})?"
)
# "30-200 U/L": a low and a high bound, as in every written reference range.
_RANGE_BODY = r"(?P<lo>" + _NUM + r")" + _RANGE_SEP + r"(?P<hi>" + _NUM + r")" + _OPT_UNIT
_REF_PREFIXED_RANGE = re.compile(_REF_PREFIX + _RANGE_BODY + _OPT_CLOSE, _I)
_REF_PREFIXED_MAX = re.compile(
    _REF_PREFIX + r"(?P<below>[<≤]=?|(?:less\s{1,3}than|under|below|up\s{1,3}to)\s)\s{0,2}"
    r"(?P<hi>" + _NUM + r")" + _OPT_UNIT + _OPT_CLOSE,
    _I,
)
_REF_ULN = re.compile(
    r"\b(?:ULN|upper\s{1,3}limit(?:\s{1,3}of\s{1,3}normal)?|upper\s{1,3}normal)"
    r"[\s:=]{0,3}(?:(?:is|of)\s{1,3})?(?P<hi>" + _NUM + r")" + _OPT_UNIT + _OPT_CLOSE,
    _I,
)
_REF_BRACKETED_RANGE = re.compile(r"[(\[]\s{0,2}" + _RANGE_BODY + r"\s{0,2}[)\]]", _I)
_REF_BRACKETED_MAX = re.compile(
    r"[(\[]\s{0,2}(?:(?:neg(?:ative)?|normal|nl|ref(?:erence)?(?:\s{1,3}range)?)"
    r"\s{0,2}[:=]?\s{0,2})?(?P<below>[<≤]=?)\s{0,2}(?P<hi>"
    + _NUM
    + r")"
    + _OPT_UNIT
    + r"(?:\s{0,2}[)\]])?",
    _I,
)
_REF_TABLE_RANGE = re.compile(
    r"(?<=[|\t])[ ]{0,3}(?P<lo>"
    + _NUM
    + r")"
    + _RANGE_SEP
    + r"(?P<hi>"
    + _NUM
    + r")"
    + _OPT_UNIT
    + r"[ ]{0,3}(?=[|\t]|$)",
    _I,
)
_REFERENCE_PATTERNS: tuple[re.Pattern[str], ...] = (
    _REF_PREFIXED_RANGE,
    _REF_PREFIXED_MAX,
    _REF_ULN,
    _REF_BRACKETED_RANGE,
    _REF_BRACKETED_MAX,
    _REF_TABLE_RANGE,
)

_FOLD = re.compile(
    r"(?:(?:~|≈|>=?|≥|\b(?:approx(?:imately|\.)?|about|around|nearly|almost|over"
    r"|more\s{1,3}than|greater\s{1,3}than|up\s{1,3}to)\s{1,3}"
    r"|(?P<below><=?|≤|\b(?:less\s{1,3}than|under|below)\s{1,3}))\s{0,2})?"
    r"(?P<fold>" + _NUM + r")\s{0,2}"
    r"(?:(?:x|×|times)\s{0,3}(?:the\s{1,3})?"
    r"(?:ULN|upper\s{1,3}limits?(?:\s{1,3}of\s{1,3}(?:the\s{1,3})?normal)?"
    r"|upper\s{1,3}(?:range\s{1,3}of\s{1,3})?normal|normal|nl|N)\b"
    r"|-?\s{0,2}fold\b)",
    _I,
)

_PAREN_FLAG = re.compile(
    r"[(\[]\s{0,2}(?:(?P<high>(?-i:HH|H)\*?|high|critical|crit|abnormal\s{1,3}high)"
    r"|(?P<low>(?-i:LL|L)\*?|low))\s{0,2}[)\]]",
    _I,
)
_CELL_FLAG = re.compile(
    r"(?<=[|\t])[ ]{0,3}(?:(?P<high>(?-i:HH|H)|critical|crit)|(?P<low>(?-i:LL|L)))\*?"
    r"[ ]{0,3}(?=[|\t]|$)",
    _I,
)

_ELEVATION_WORD = r"(?:elevated|high|raised|increased)"
_MARKED_ADVERB = (
    r"(?:markedly|severely|massively|very|significantly|extremely|grossly|dramatically"
    r"|strikingly|profoundly|hugely|highly|astronomically|substantially|exceedingly)"
)
_QUALITATIVE = re.compile(
    r"\b(?:"
    r"(?P<hedged>(?:near(?:ly)?|almost|close\s{1,3}to|approaching)[\s-]{1,3}normal)"
    r"|(?P<normal_range>(?:high|upper|low|lower)[\s-]{1,3}(?:end\s{1,3}of\s{1,3})?normal)"
    r"|(?P<negated>(?:not|no\s{1,3}longer|never|without)\s{1,3}"
    r"(?:(?:been|be|significantly|markedly|very|too|particularly|substantially|really)"
    r"\s{1,3}){0,2}" + _ELEVATION_WORD + r"|no\s{1,3}(?:significant\s{1,3})?elevation)"
    r"|(?P<marked>"
    + _MARKED_ADVERB
    + r"\s{1,3}"
    + _ELEVATION_WORD
    + r"|(?:marked|massive|severe|significant|dramatic|extreme)\s{1,3}elevation)"
    r"|(?P<low_phrase>below\s{1,3}(?:the\s{1,3})?(?:normal|reference)"
    r"(?:\s{1,3}(?:range|limits?))?|subnormal)"
    r"|(?P<normal>within\s{1,3}(?:the\s{1,3})?(?:normal|reference)\s{1,3}(?:limits|range)"
    r"|WNL|normal(?:ized|ised|izing|ising)?|returned\s{1,3}to\s{1,3}normal|nl|nml"
    r"|unremarkable)"
    r"|(?P<elevated>elevated|elevation|raised|abnormally\s{1,3}(?:high|elevated)"
    r"|critical(?:ly\s{1,3}high)?"
    r"|high(?![\w-])(?!\s{1,3}(?:dose|intensity|potency|risk|suspicion|index|likelihood"
    r"|probability|yield))"
    r"|(?:increased|(?<!follow\s)(?<!follow-)(?<!f/)up)(?![\w-])(?!\s{1,3}(?:to|from)\b))"
    r"|(?P<low>low(?![\w-]))"
    r")\b",
    _I,
)
_QUALITY_OF_GROUP = {
    "normal_range": "normal",
    "negated": "normal",
    "marked": "markedly_elevated",
    "low_phrase": "low",
    "normal": "normal",
    "elevated": "elevated",
    "low": "low",
}

_PENDING_WORDS = (
    r"\b(?:pending|ordered|sent(?:\s{1,3}out)?|send-?out|in\s{1,3}process(?:ing)?"
    r"|to\s{1,3}follow|await(?:ing|ed)?|requested"
    r"|not\s{1,3}(?:yet\s{1,3})?(?:resulted|back|available|drawn)"
    # a test planned for later: "CK at next visit", "repeat CK in 4 weeks"
    r"|(?:at\s{1,3}(?:the\s{1,3})?)?next\s{1,3}(?:visit|appointment|review|clinic)"
    r"|at\s{1,3}follow-?\s?up|tomorrow)\b"
)
_PENDING = re.compile(_PENDING_WORDS, _I)
# "repeat CK in 4 weeks": read before the numbers, which "4 weeks" would otherwise be.
_LATER = re.compile(
    r"\bin\s{1,3}(?:\d{1,2}|one|two|three|four|six)\s{1,3}(?:days?|weeks?|wks?|months?|mos?)\b"
    r"(?!\s{1,3}ago)",
    _I,
)

_VALUE = re.compile(
    r"(?P<cmp>(?:(?<![-=<>])(?:>=|<=|≥|≤|>|<)"
    r"|\b(?:greater|more|higher|less|lower)\s{1,3}than|\bover|\babove|\bbelow|\bunder)\s{0,2})?"
    r"(?P<num>" + _NUM + r")"
    r"(?:(?P<k>\s?k(?![a-z/]))|(?P<sci>" + _TIMES_TEN_TO + r"(?P<exp>[0-9])))?"
    r"(?:[ \t|:]{0,6}" + _UNIT + r")?"
    # A bare flag ("12,450 H") is looked at but not consumed, so that a table cell
    # flag claimed earlier ("| 8500 | H |") never hides the value.
    r"(?:(?=[ \t|*]{0,4}(?P<flag>(?-i:HH|LL|H|L))\*?(?![\w/])))?",
    _I,
)
_BARE_RANGE_JOINT = re.compile(r"\s{0,2}[-–]\s{0,2}")
_UNIT_ALONE = re.compile(r"(?<![\w/])" + _PER_LITRE_UNIT, _I)

_LAB_FILLER = r"(?:serum|total|plasma|blood|the|a|an|his|her|their|repeat|peak|initial)"
_LAB_LIST_BEFORE = r"(?:" + _LAB_NAME + r"\s{0,2}(?:,|/|&|and\b|or\b)\s{0,3}){0,6}"
_BEFORE_QUALITATIVE = re.compile(
    r"\b(?:(?P<marked>"
    + _MARKED_ADVERB
    + r"\s{1,3}"
    + _ELEVATION_WORD
    + r"|(?:marked|massive|severe|significant|dramatic)\s{1,3}(?:elevation|rise)"
    r"\s{1,3}(?:in|of))"
    r"|(?P<elevated>(?:(?:mildly|moderately|persistently|still|abnormally)\s{1,3})?"
    + _ELEVATION_WORD
    + r"|(?:elevation|rise|increase)\s{1,3}(?:in|of))"
    r"|(?P<normal>normal)|(?P<low>low))"
    r"\s{1,3}(?:the\s{1,3})?" + _LAB_LIST_BEFORE + r"(?:" + _LAB_FILLER + r"\s{1,3}){0,2}$",
    _I,
)
_BEFORE_PENDING = re.compile(
    r"\b(?:check|re-?check|will\s{1,3}(?:check|obtain|send|order|repeat|draw|get|trend)"
    r"|order|send|obtain|draw|repeat|trend|monitor|follow|f/u|pending|await(?:ing)?"
    r"|daily|weekly|twice\s{1,3}weekly|serial|fortnightly|monthly)\b"
    r"(?:\s{1,3}(?:" + _LAB_FILLER + r"|labs?|including|incl\.?|with|for|on|and|up"
    r"|" + _LAB_NAME + r"[,/]?)){0,4}\s{0,3}$",
    _I,
)

_POLARITY = re.compile(
    r"(?P<negative>\bnot\s{1,3}(?:been\s{1,3})?(?:detected|present|found|seen|identified"
    r"|positive|elevated|reactive)\b|\bnon-?reactive\b|\bnegative\b|\bneg\b\.?|-ve\b"
    r"|\(\s{0,2}[-−–]\s{0,2}\)|\bundetect(?:able|ed)\b|\babsent\b|\bnone\s{1,3}detected\b"
    r"|(?<![\w-])[-−](?![\w-])(?=\s{0,2}(?:[,)]|$)))"
    r"|(?P<indeterminate>\b(?:equivocal|borderline|indeterminate|inconclusive)\b)"
    r"|(?P<positive>\b(?:(?:strongly|weakly|weak|low|high|moderately|very)[\s-]{1,3})?"
    r"positive\b|\bpos\b\.?|\+ve\b|\(\s{0,2}\+{1,3}\s{0,2}\)|(?<!\+)\+{1,3}(?![\w+])"
    r"|\b(?:detected|present|reactive|elevated|high(?:\s{1,3}tit(?:er|re))?)\b)"
    r"|(?P<pending>" + _PENDING_WORDS + r")",
    _I,
)
_AB_FILLER = (
    r"(?:serum|an?|the|myositis|panel|antibod(?:y|ies)|Abs?|including|incl\.?|specific"
    r"|evidence\s{1,3}of|circulating)"
)
_AB_BEFORE_NEGATION = re.compile(
    r"\b(?:no|without|absent|absence\s{1,3}of|lack\s{1,3}of)\s{1,3}(?:"
    + _AB_FILLER
    + r"\s{1,3}){0,3}(?:anti-?\s?)?$",
    _I,
)
_AB_BEFORE = re.compile(
    r"(?:(?P<negative>\b(?:negative|neg)\b\.?)"
    r"|(?P<indeterminate>\b(?:equivocal|borderline|indeterminate)\b)"
    r"|(?P<positive>\b(?:(?:strongly|weakly|weak|low|high)[\s-]{1,3})?(?:positive|pos)\b\.?"
    r"|(?<!\+)\+)"
    r"|(?P<pending>\b(?:check|re-?check|will\s{1,3}(?:check|obtain|send|order|draw|get)"
    r"|order(?:ed)?|send|sent|obtain|draw|pending|await(?:ing)?|f/u|request(?:ed)?"
    r"|follow\s{1,3}up\s{1,3}on)\b))"
    r"\s{0,3}(?:(?:for|of|on)\s{1,3})?[(:]?\s{0,3}"
    r"(?:[A-Za-z][\w-]{0,12}\s{0,2}(?:,|/|\band\b|\bor\b)\s{0,3}){0,8}"
    r"(?:" + _AB_FILLER + r"\s{1,3}){0,3}(?:anti-?\s?)?$",
    _I,
)


# --------------------------------------------------------------------------- #
# Results
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class LabValue:
    """One numeric lab value as written in the note.

    Attributes:
        value: The value in U/L ("12.4k" -> 12400, "35.2 µkat/L" -> 2112).
        text: The number as written, with its comparator and "k" ("12,450", ">22k").
        start: Offset of ``text`` in the ``after`` window.
        end: End offset of ``text`` in the ``after`` window.
        comparator: ``">"``, ``">="``, ``"<"``, ``"<="`` or ``None``.
        unit: ``"U/L"`` or ``"µkat/L"`` as written (normalised), ``None`` if none.
    """

    value: float
    text: str
    start: int
    end: int
    comparator: str | None
    unit: str | None


@dataclass(frozen=True)
class LabResult:
    """What a note says about one CK or aldolase measurement.

    Attributes:
        analyte: ``"ck"`` or ``"aldolase"``.
        values: Values in order of appearance (a trend "9,299 -> 4,100" gives two).
        ref_low: Lower bound of the stated reference range in U/L, if any.
        ref_high: Upper bound of the stated reference range in U/L, if any.
        stated_fold_uln: Fold over the upper limit as written ("35x ULN" -> 35).
        qualitative: ``"markedly_elevated"``, ``"elevated"``, ``"normal"``, ``"low"``
            or ``None``; the most abnormal word or flag when several are present.
        pending: True when the result is pending / ordered and no value is given.
        end: Offset in ``after`` where the result text ends (0 if nothing was read
            after the anchor).
    """

    analyte: str
    values: tuple[LabValue, ...]
    ref_low: float | None
    ref_high: float | None
    stated_fold_uln: float | None
    qualitative: str | None
    pending: bool
    end: int

    @property
    def max_value(self) -> float | None:
        """The largest value in U/L, or None without values."""
        return max((v.value for v in self.values), default=None)

    @property
    def upper_limit(self) -> float:
        """The stated reference upper limit, else the conventional one (U/L)."""
        if self.ref_high is not None and self.ref_high > 0:
            return self.ref_high
        return CONVENTIONAL_ULN[self.analyte]

    @property
    def max_fold_uln(self) -> float | None:
        """The larger of the stated fold and max_value / upper_limit, or None."""
        folds = [self.stated_fold_uln] if self.stated_fold_uln is not None else []
        if self.max_value is not None:
            folds.append(self.max_value / self.upper_limit)
        return max(folds, default=None)

    @property
    def elevated(self) -> bool | None:
        """Whether the result is above the upper limit of normal.

        True if a value exceeds the upper limit, a stated fold exceeds 1, or the
        note calls it (markedly) elevated; False if all values are within the
        limit or the note calls it normal / low; None when unknown (pending, or
        only values that cannot be compared such as "<500").

        A value above only the *conventional* limit but within 1.5x of it does not
        override the note's own "normal" / "low".
        """
        limit = self.upper_limit
        said_not_elevated = self.qualitative in _NOT_ELEVATED_WORDS
        trust_words = (
            said_not_elevated
            and self.ref_high is None
            and (self.max_value or 0.0) <= limit * _CONVENTIONAL_SLACK
        )
        if any(_known_above(v, limit) for v in self.values) and not trust_words:
            return True
        if self.stated_fold_uln is not None and self.stated_fold_uln > 1:
            return True
        if self.qualitative in _ELEVATED_WORDS:
            return True
        if said_not_elevated:
            return False
        if self.values and all(_known_not_above(v, limit) for v in self.values):
            return False
        return None


@dataclass(frozen=True)
class AntibodyResult:
    """What a note says about one antibody test.

    Attributes:
        polarity: ``"positive"``, ``"negative"``, ``"pending"`` or ``"indeterminate"``.
            A value without a cut-off or a word is ``"indeterminate"``.
        value: Numeric titre / units when stated ("HMGCR Ab 103 (nl <20)" -> 103).
        ref_high: The cut-off when stated (20).
        end: Offset in ``after`` where the result text ends (0 if nothing was read
            after the anchor).
    """

    polarity: str
    value: float | None
    ref_high: float | None
    end: int


# --------------------------------------------------------------------------- #
# Public functions
# --------------------------------------------------------------------------- #


def parse_lab_result(after: str, before: str = "", analyte: str = "ck") -> LabResult | None:
    """Read a CK or aldolase result written around a lab-name anchor.

    Args:
        after: Text right after the anchor, up to the end of the sentence / line.
        before: Text of the sentence before the anchor.
        analyte: ``"ck"`` or ``"aldolase"``.

    Returns:
        The result, or None when no value, fold, qualitative word or pending
        statement is found.

    Raises:
        ValueError: if ``analyte`` is not a key of :data:`CONVENTIONAL_ULN`.
    """
    if analyte not in CONVENTIONAL_ULN:
        raise ValueError(
            f"Unknown analyte {analyte!r}; expected one of: {', '.join(CONVENTIONAL_ULN)}."
        )
    if analyte == "ck" and _CK_MB.match(after):
        return None
    scan = _scan_lab_window(after, analyte)
    values = _lab_values(scan.value_matches, scan.header_unit)
    ref_low, ref_high = _reference_in_u_per_l(scan.reference, values, scan.header_unit)
    quality = _most_abnormal([*scan.qualities, _before_quality(before)])
    pending = scan.pending and not values
    if not (values or quality or pending or scan.folds):
        pending = _BEFORE_PENDING.search(before[-_BEFORE_TAIL_CHARS:]) is not None
    if not (values or quality or pending or scan.folds):
        return None
    return LabResult(
        analyte=analyte,
        values=values,
        ref_low=ref_low,
        ref_high=ref_high,
        stated_fold_uln=_stated_fold(scan.folds),
        qualitative=quality,
        pending=pending,
        end=scan.end,
    )


def parse_antibody_result(after: str, before: str = "") -> AntibodyResult | None:
    """Read a myositis-antibody result written around an antibody anchor.

    Words decide first ("positive", "neg", "(-)", "not detected", "equivocal",
    "pending"; "weakly positive" is positive); then a value compared with a
    stated cut-off ("103 (nl <20)" is positive, "8 (ref <20)" negative); then a
    table flag; then words before the anchor ("positive for", "negative",
    "+HMGCR", "check" / "will obtain" = pending). "no" / "without" right before
    the anchor makes the result negative. A value with neither a cut-off nor a
    word is ``"indeterminate"``.

    Args:
        after: Text right after the anchor, up to the end of the sentence / line.
        before: Text of the sentence before the anchor.

    Returns:
        The result, or None when the text states no result ("anti-HMGCR myopathy").
    """
    tail = before[-_BEFORE_TAIL_CHARS:]
    window = _Window.open(after, _ANTIBODY_NAME_TAIL)
    titres = window.claim(_TITRE)
    _claim_non_values(window)
    reference = _claim_reference(window)
    _claim_excluded_numbers(window)
    flags = window.claim(_PAREN_FLAG) + window.claim(_CELL_FLAG)
    words = window.claim(_POLARITY)
    value_matches = window.claim(_VALUE)
    if not (flags or words or titres or value_matches):
        shared = window.shared_predicate()
        if shared is not None:
            words = shared.claim(_POLARITY)
            window.read_end = max(window.read_end, shared.read_end)

    value, comparator = _first_antibody_value(value_matches, titres)
    cutoff = reference.high if reference is not None and reference.high > 0 else None
    polarity = (
        ("negative" if _AB_BEFORE_NEGATION.search(tail) else None)
        or _polarity_of_words(words)
        or _polarity_from_cutoff(value, comparator, reference)
        or _polarity_of_flags(flags, value_matches)
        or _before_polarity(tail)
        or ("indeterminate" if value is not None else None)
    )
    if polarity is None:
        return None
    return AntibodyResult(polarity=polarity, value=value, ref_high=cutoff, end=window.read_end)


# --------------------------------------------------------------------------- #
# Window scanning
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class _LabScan:
    """Everything read in the ``after`` window of a CK / aldolase anchor."""

    value_matches: list[re.Match[str]]
    reference: _Reference | None
    folds: list[re.Match[str]]
    qualities: list[str | None]
    pending: bool
    header_unit: str | None
    end: int


def _scan_lab_window(after: str, analyte: str) -> _LabScan:
    """Claim, in priority order, what the ``after`` window of a lab anchor says.

    Args:
        after: Text right after the anchor.
        analyte: ``"ck"`` or ``"aldolase"``.

    Returns:
        The raw matches, not yet converted to U/L.
    """
    window = _Window.open(after, _LEADING_ALIAS[analyte])
    _claim_non_values(window)
    folds = window.claim(_FOLD)
    reference = _claim_reference(window)
    later = window.claim(_LATER)
    _claim_excluded_numbers(window)
    qualities = [_flag_quality(m) for m in window.claim(_PAREN_FLAG) + window.claim(_CELL_FLAG)]
    qualities += [_word_quality(m) for m in window.claim(_QUALITATIVE)]
    pending_words = window.claim(_PENDING) + later
    value_matches = window.claim(_VALUE)
    qualities += [_value_flag_quality(m) for m in value_matches]
    window.read_end = max([window.read_end] + [m.end("flag") for m in value_matches])
    units = [_normalise_unit(m.group("unit")) for m in window.claim(_UNIT_ALONE)]
    if not (folds or qualities or pending_words or value_matches):
        shared = window.shared_predicate()
        if shared is not None:
            qualities += [_word_quality(m) for m in shared.claim(_QUALITATIVE)]
            pending_words = shared.claim(_PENDING)
            window.read_end = max(window.read_end, shared.read_end)
    if reference is None:
        value_matches, reference = _split_bare_reference(value_matches)
    return _LabScan(
        value_matches=value_matches,
        reference=reference,
        folds=folds,
        qualities=qualities,
        pending=bool(pending_words),
        header_unit=next((u for u in units if u is not None), None),
        end=window.read_end,
    )


class _Window:
    """A slice of ``after`` whose characters are claimed by one pattern at a time.

    Patterns are applied in priority order; a match is kept only where no
    earlier match claimed any of its characters, so a date, a reference range or
    a fold can never be read again as a value.
    """

    def __init__(self, text: str, start: int, stop: int, stopped_at_lab: bool) -> None:
        self.text = text
        self.start = start
        self.stop = stop
        self.stopped_at_lab = stopped_at_lab
        self.read_end = 0
        self._taken = bytearray(len(text))

    @classmethod
    def open(cls, text: str, leading: re.Pattern[str] | None) -> _Window:
        """Open the window after an optional leading alias ("CPK (CK) 8500").

        Args:
            text: The ``after`` text.
            leading: Pattern for text glued to the anchor that is part of its name.

        Returns:
            The window from after the alias to the first stop.
        """
        lead = leading.match(text) if leading is not None else None
        start = lead.end() if lead is not None else 0
        stop, at_lab = _find_stop(text, start)
        return cls(text, start, stop, at_lab)

    def claim(self, pattern: re.Pattern[str], *, meaningful: bool = True) -> list[re.Match[str]]:
        """Claim the non-overlapping matches of ``pattern`` in the window.

        Args:
            pattern: The compiled pattern.
            meaningful: Whether matches are part of the result (move ``read_end``).

        Returns:
            The matches kept, in order.
        """
        found: list[re.Match[str]] = []
        pos = self.start
        while pos <= self.stop:
            match = pattern.search(self.text, pos, self.stop)
            if match is None:
                break
            begin, end = match.span()
            if end == begin or self._taken.find(1, begin, end) != -1:
                pos = begin + 1
                continue
            self._taken[begin:end] = b"\x01" * (end - begin)
            if meaningful:
                self.read_end = max(self.read_end, end)
            found.append(match)
            pos = end
        return found

    def shared_predicate(self) -> _Window | None:
        """The window of a predicate shared by a list of labs ("CK and aldolase were high").

        Returns:
            A window over the text after the list when the anchor is followed only
            by a connector and more lab names, else None.
        """
        if not self.stopped_at_lab or not _CONNECTOR.fullmatch(self.text, self.start, self.stop):
            return None
        names = _LAB_LIST.match(self.text, self.stop)
        if names is None:
            return None
        stop, at_lab = _find_stop(self.text, names.end())
        return _Window(self.text, names.end(), stop, at_lab)


def _find_stop(text: str, start: int) -> tuple[int, bool]:
    """Find where reading stops: ``;``, a newline, or the next lab name.

    Args:
        text: The ``after`` text.
        start: Where to start looking.

    Returns:
        The stop offset and whether it is a lab name.
    """
    match = _STOP.search(text, start)
    if match is None:
        return len(text), False
    return match.start(), match.group("lab") is not None


def _claim_non_values(window: _Window) -> None:
    """Claim dates, times, phone numbers and MRC grades first."""
    for pattern in (_DATE, _PHONE, _MRC_GRADE, _TIME):
        window.claim(pattern, meaningful=False)


def _claim_excluded_numbers(window: _Window) -> None:
    """Claim years, counts and quantities in other units."""
    for pattern in (_YEAR, _COUNTED, _OTHER_QUANTITY):
        window.claim(pattern, meaningful=False)


# --------------------------------------------------------------------------- #
# Numbers and units
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class _Reference:
    """A reference range as written (not yet converted to U/L)."""

    low: float | None
    high: float
    unit: str | None
    below: bool  # written as "<20": a value equal to the bound is outside it


def _claim_reference(window: _Window) -> _Reference | None:
    """Claim every reference range in the window and return the first one."""
    found: list[re.Match[str]] = []
    for pattern in _REFERENCE_PATTERNS:
        found += window.claim(pattern)
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    groups = first.groupdict()
    return _Reference(
        low=_to_float(groups["lo"]) if groups.get("lo") else None,
        high=_to_float(groups["hi"]),
        unit=_normalise_unit(groups.get("unit")),
        below=bool(groups.get("below")),
    )


def _split_bare_reference(
    matches: list[re.Match[str]],
) -> tuple[list[re.Match[str]], _Reference | None]:
    """Read an unbracketed "30-200" written after a value as its reference range.

    "CK 8500 U/L 30-200 H": the pair after the first value, joined by a hyphen
    and rising, is the range. A leading pair ("CK 4000-8000") stays two values.

    Args:
        matches: ``_VALUE`` matches in order.

    Returns:
        The value matches without the range, and the range (or None).
    """
    for i in range(1, len(matches) - 1):
        low, high = matches[i], matches[i + 1]
        joint = low.string[low.end() : high.start()]
        if (
            _BARE_RANGE_JOINT.fullmatch(joint)
            and not (low.group("cmp") or low.group("k") or low.group("unit"))
            and not (high.group("cmp") or high.group("k"))
            and _to_float(low.group("num")) < _to_float(high.group("num"))
        ):
            reference = _Reference(
                low=_to_float(low.group("num")),
                high=_to_float(high.group("num")),
                unit=_normalise_unit(high.group("unit")),
                below=False,
            )
            return matches[:i] + matches[i + 2 :], reference
    return matches, None


def _to_float(number: str) -> float:
    """Convert a number as written ("12,450", "12 450", "8,500.0", "35,2") to float."""
    number = number.strip()
    integer, comma, decimals = number.rpartition(",")
    if comma and len(decimals) <= 2 and decimals.isdigit() and integer.isdigit():
        return float(f"{integer}.{decimals}")
    return float(re.sub(r"[,\s]", "", number))


def _normalise_unit(unit: str | None) -> str | None:
    """Map a unit as written to ``"U/L"`` / ``"µkat/L"``; per-mL units map to None."""
    if not unit:
        return None
    lowered = unit.lower()
    if "kat" in lowered:
        return "µkat/L"
    if "ml" in lowered.replace(" ", ""):
        return None
    return "U/L"


def _normalise_comparator(raw: str | None) -> str | None:
    """Map ``">"``, ``"≥"``, ``"over"``, ``"less than"`` ... to one of > >= < <=."""
    if not raw:
        return None
    word = " ".join(raw.lower().split())
    symbols = {"≥": ">=", "≤": "<=", ">=": ">=", "<=": "<=", ">": ">", "<": "<"}
    if word in symbols:
        return symbols[word]
    return "<" if word.split()[0] in {"less", "lower", "below", "under"} else ">"


def _factor(unit: str | None) -> float:
    """The factor that converts ``unit`` to U/L."""
    return UKAT_TO_U if unit == "µkat/L" else 1.0


def _lab_values(matches: list[re.Match[str]], header_unit: str | None) -> tuple[LabValue, ...]:
    """Build LabValues; a value without a unit takes the next stated one, else the header's."""
    resolved: list[str | None] = []
    later = header_unit
    for match in reversed(matches):
        later = _normalise_unit(match.group("unit")) or later
        resolved.append(later)
    resolved.reverse()
    return tuple(_lab_value(m, unit) for m, unit in zip(matches, resolved, strict=True))


def _lab_value(match: re.Match[str], unit: str | None) -> LabValue:
    """Build one LabValue from a ``_VALUE`` match."""
    number = _to_float(match.group("num"))
    end = match.end("num")
    if match.group("k") and number < 1000:
        number *= 1000
        end = match.end("k")
    elif match.group("sci"):
        number *= 10.0 ** int(match.group("exp"))
        end = match.end("sci")
    start = match.start()
    return LabValue(
        value=number * _factor(unit),
        text=match.string[start:end],
        start=start,
        end=end,
        comparator=_normalise_comparator(match.group("cmp")),
        unit=unit,
    )


def _reference_in_u_per_l(
    reference: _Reference | None, values: tuple[LabValue, ...], header_unit: str | None
) -> tuple[float | None, float | None]:
    """Convert a reference range to U/L, taking the values' unit when it has none."""
    if reference is None:
        return None, None
    unit = reference.unit or next((v.unit for v in values if v.unit), None) or header_unit
    factor = _factor(unit)
    low = reference.low * factor if reference.low is not None else None
    return low, reference.high * factor


def _stated_fold(folds: list[re.Match[str]]) -> float | None:
    """The largest fold written as at least / about ("35x ULN"), ignoring "<2x ULN"."""
    stated = [_to_float(m.group("fold")) for m in folds if not m.group("below")]
    return max(stated, default=None)


def _known_above(value: LabValue, limit: float) -> bool:
    """Whether ``value`` is surely above ``limit`` (">200" is, "<500" is not)."""
    if value.comparator in ("<", "<="):
        return False
    if value.comparator in (">", ">="):
        return value.value >= limit
    return value.value > limit


def _known_not_above(value: LabValue, limit: float) -> bool:
    """Whether ``value`` is surely within ``limit`` ("<150" is, ">150" is not)."""
    return value.value <= limit and value.comparator not in (">", ">=")


# --------------------------------------------------------------------------- #
# Words
# --------------------------------------------------------------------------- #


def _word_quality(match: re.Match[str]) -> str | None:
    """The qualitative value of a ``_QUALITATIVE`` match (None for "near normal")."""
    return _QUALITY_OF_GROUP.get(match.lastgroup or "")


def _flag_quality(match: re.Match[str]) -> str:
    """The qualitative value of a table flag ("(H)" -> elevated, "(L)" -> low)."""
    return "elevated" if match.group("high") else "low"


def _value_flag_quality(match: re.Match[str]) -> str | None:
    """The qualitative value of a bare flag after a value ("12,450 H")."""
    flag = match.group("flag")
    if not flag:
        return None
    return "elevated" if flag.startswith("H") else "low"


def _before_quality(before: str) -> str | None:
    """Qualitative words right before the anchor ("markedly elevated CK")."""
    match = _BEFORE_QUALITATIVE.search(before[-_BEFORE_TAIL_CHARS:])
    if match is None:
        return None
    return {"marked": "markedly_elevated"}.get(match.lastgroup or "", match.lastgroup)


def _most_abnormal(qualities: list[str | None]) -> str | None:
    """The most abnormal of several qualitative values (elevated beats normal)."""
    present = [q for q in qualities if q is not None]
    return max(present, key=_QUALITY_RANK.__getitem__, default=None)


def _first_antibody_value(
    values: list[re.Match[str]], titres: list[re.Match[str]]
) -> tuple[float | None, str | None]:
    """The first numeric antibody value (or titre denominator) and its comparator."""
    candidates = [(m.start(), _to_float(m.group("num")), m.group("cmp")) for m in values]
    candidates += [(m.start(), float(m.group("titre")), None) for m in titres]
    if not candidates:
        return None, None
    _, value, comparator = min(candidates)
    return value, _normalise_comparator(comparator)


def _polarity_of_words(words: list[re.Match[str]]) -> str | None:
    """The polarity named by the first result word after the anchor."""
    return words[0].lastgroup if words else None


def _polarity_from_cutoff(
    value: float | None, comparator: str | None, reference: _Reference | None
) -> str | None:
    """Compare a value with a stated cut-off ("103 (nl <20)" -> positive)."""
    if value is None or reference is None or reference.high <= 0:
        return None
    cutoff = reference.high
    if comparator in ("<", "<="):
        return "negative" if value <= cutoff else None
    above = value >= cutoff if reference.below or comparator in (">", ">=") else value > cutoff
    return "positive" if above else "negative"


def _polarity_of_flags(flags: list[re.Match[str]], values: list[re.Match[str]]) -> str | None:
    """Polarity from table flags: "(H)" / "H" positive, "(L)" / "L" negative."""
    for match in flags:
        return "positive" if match.group("high") else "negative"
    for match in values:
        flag = match.group("flag")
        if flag:
            return "positive" if flag.startswith("H") else "negative"
    return None


def _before_polarity(before: str) -> str | None:
    """Polarity stated before the anchor ("positive for anti-", "+", "check")."""
    match = _AB_BEFORE.search(before)
    return match.lastgroup if match is not None else None
