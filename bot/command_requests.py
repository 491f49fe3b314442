"""Messages that ask for what a command shows, answered as the command would.

The timeline itself ("show me the timeline", "timeline of the safety zone", "Zeig mir die
Zeitleiste", "muéstrame la cronología", "给我看时间线", "年表を見せて"): as /timeline, with what
follows "of" or "for" as its query. Searched as a question, it quoted three timeline lines that
hold the word "timeline"'s meaning. The bot's sources ("what are your sources?", "welche Quellen
nutzt du?", "¿cuáles son tus fuentes?", "你的来源是什么？"): as /sources. Searched, it said
"Not in my sources: they never mention “sources”".

Recognised is the request: an optional lead-in ("can I see", "show me", "what's"), the word for
the timeline or the sources, and at most what the timeline is of. A question that asks something
of them ("what does the timeline say about Rabe?", "what sources does the blog cite?") has other
words and stays a question.
"""
from __future__ import annotations

import re

from bot.answering.language import cjk_run

_OPENING = r"^(?:(?:hey|hi|hello|ok|okay|so|and|please|pls|bot|@\S+)[\s,!:]+)*"
_ENGLISH = re.compile(
    _OPENING + r"(?:(?:can|could|would|will)\s+(?:you|i|we)\s+)?(?:please\s+)?"
    r"(?:(?:show|give|send|get|display|list|print|bring\s+up|pull\s+up)\s+(?:me\s+|us\s+)?"
    r"|(?:see|have|get|view)\s+|what(?:'s|’s|\s+is)\s+|i(?:'d|’d|\s+would)\s+like\s+(?:to\s+see\s+)?"
    r"|i\s+(?:want|need)\s+(?:to\s+see\s+)?)?"
    r"(?:the\s+|a\s+|your\s+)?(?:(?:whole|full|complete|entire)\s+)?(?:timeline|chronology)"
    r"(?:\s+(?:of|for|about|from|in|on)\s+(?P<query>.+?))?(?:[\s,]+(?:please|pls))?[\s?.!]*$",
    re.IGNORECASE)
_GERMAN = re.compile(
    r"^(?:(?:hallo|ok|okay|bitte)[\s,!:]+)*(?:(?:kannst|könntest)\s+du\s+)?(?:zeig(?:e)?\s+|gib\s+)?"
    r"(?:mir\s+|uns\s+)?(?:bitte\s+)?(?:die\s+|eine\s+|den\s+)?(?:(?:ganze|komplette|vollständige)\s+)?"
    r"(?:zeitleiste|zeittafel|chronologie|zeitstrahl)(?:\s+(?:von|für|zu|über|zum|zur|des|der)\s+(?P<query>.+?))?"
    r"(?:\s+zeigen)?(?:[\s,]+bitte)?[\s?.!]*$",
    re.IGNORECASE)
_SPANISH = re.compile(
    r"^[¿¡\s]*(?:(?:hola|ok|vale|por\s+favor)[\s,!:]+)*(?:(?:me\s+)?(?:puedes|podrías|podrias)\s+)?"
    r"(?:muéstrame|muestrame|mostrarme|mostrar|dame|darme|dar|enséñame|enseñame|ensename|quiero\s+ver\s+)?\s*"
    r"(?:la\s+|una\s+)?(?:cronología|cronologia|l[íi]nea\s+de\s+tiempo)(?:\s+(?:completa|entera))?"
    r"(?:\s+(?:de|del|sobre)\s+(?P<query>.+?))?(?:[\s,]+por\s+favor)?[\s?.!]*$",
    re.IGNORECASE)
_CJK = re.compile(
    r"^(?:请|請)?(?:给我看|給我看|给我|給我|显示|顯示|看看|看一下)?(?:一下)?(?:完整的|全部的)?"
    r"(?:时间线|時間線|时间表|時間表|时间轴|時間軸|大事记|大事記|年表|タイムライン|時系列)"
    r"(?:吧|を見せて|を表示して|を教えて|見せて|教えて)?(?:ください|下さい)?$")
_SOURCES = re.compile(
    _OPENING + r"(?:(?:what|which)\s+(?:are|r)\s+(?:your|ur|the|all\s+your)\s+sources"
    r"|(?:what|which)\s+sources\s+(?:do|did|can)\s+(?:you|u)\s+(?:use|have|quote|cite|know|rely\s+on)"
    r"|(?:what|which)\s+(?:sources|documents)\s+(?:are\s+(?:you\s+using|there)|do\s+you\s+have)"
    r"|(?:(?:can|could)\s+you\s+)?(?:please\s+)?(?:show|list|give|tell)\s+(?:me\s+|us\s+)?(?:your|the|all)?\s*sources"
    r"|(?:your\s+|the\s+)?sources|where\s+(?:does|do)\s+(?:your|ur)\s+(?:info|information|answers?|quotes?)"
    r"\s+come\s+from"
    # German and Spanish
    r"|(?:was|welche)\s+sind\s+(?:deine|ihre)\s+quellen|welche\s+quellen\s+(?:hast|nutzt|benutzt|verwendest)\s+du"
    r"|(?:zeig|zeige|nenn|nenne)\s+(?:mir\s+)?(?:deine|die)\s+quellen|(?:deine\s+)?quellen"
    r"|[¿¡]?\s*(?:cu[áa]les|qu[ée])\s+son\s+tus\s+fuentes|[¿¡]?\s*qu[ée]\s+fuentes\s+(?:usas|tienes|utilizas|citas)"
    r"|(?:mu[ée]strame|dime)\s+tus\s+fuentes|(?:tus\s+)?fuentes)"
    r"(?:[\s,]+(?:please|pls|bitte|por\s+favor))?[\s?.!]*$",
    re.IGNORECASE)
_CJK_SOURCES = re.compile(
    r"^(?:你的|您的)?(?:来源|來源|资料来源|資料來源|信息来源|資訊來源)(?:是什么|是什麼|有哪些|是哪些)?(?:呢|吗|嗎)?$"
    r"|^你(?:用|引用|使用)(?:了)?(?:哪些|什么|什麼)(?:来源|來源|资料|資料)(?:呢)?$"
    r"|^(?:あなたの)?(?:情報源|ソース|出典)(?:は|を)?(?:何|なに|何ですか|教えて|教えてください)?(?:か)?$")


def timeline_asked(message: str) -> str | None:
    """The timeline query a request for the timeline asks ("" for the whole of it), or None when
    ``message`` is not such a request."""
    text = " ".join(message.split())
    if not text:
        return None
    if (run := cjk_run(text)) is not None:
        return "" if _CJK.match(run) else None
    for pattern in (_ENGLISH, _GERMAN, _SPANISH):
        m = pattern.match(text)
        if m:
            return (m.group("query") or "").strip()
    return None


def sources_asked(message: str) -> bool:
    """Whether ``message`` asks only for the bot's sources (what /sources lists)."""
    text = " ".join(message.split())
    if (run := cjk_run(text)) is not None:
        return _CJK_SOURCES.match(run) is not None
    return bool(text) and _SOURCES.match(text) is not None
