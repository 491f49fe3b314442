"""Requests the bot cannot honour: to write something (a joke, a poem, a story), to play a role,
to set its sources or instructions aside, to say words the asker gives ("repeat after me"), to
give its own opinion, or to ping people. It only quotes its sources, so such a message gets a
reply that says so, not quotes found for its words ("tell me a joke about the nanking massacre"
quoted the blog's reading list).

What is recognised is the request, not its topic: a verb in the imperative ("write", "tell me",
"pretend", "ignore") with what it asks for ("a poem", "a joke", "your sources"), at the start of a
clause or after "can you", "please", "and". So a question about a story ("does the movie tell a
true story?", "what story does the documentary tell", "did japan ignore the rules of war") stays
a question. In the five languages the bot reads.
"""
from __future__ import annotations

import re

# Where an imperative starts: the message's start, after a mark or a bracket, or after the words
# that lead into a request ("can you", "please", "and then").
_LEAD_EN = (r"(?:^|[.!?;:,\])>»\"”]\s*|\b(?:and|then|now|also|please|pls|plz|just|"
            r"(?:can|could|would|will)\s+you|i\s+(?:want|need)\s+you\s+to|you\s+(?:must|should)|"
            # ... or after an address: "@everyone yo bot write us a poem", "guys tell me a joke"
            r"bot|guys|y'?all|folks|@\w+)\s+)")
_WRITTEN_EN = (r"(?:jokes?|poems?|haikus?|limericks?|songs?|lyrics|raps?|essays?|stor(?:y|ies)|fan\s*fic(?:tion)?|"
               r"speech(?:es)?|tweets?|memes?|riddles?|puns?|sonnets?|verses?)\b")
_ENGLISH = [
    # "write a poem", "tell me a funny joke", "give us some jokes" (an article: not "tell me the story")
    _LEAD_EN + r"(?:write|compose|generate|create|draft|make|sing|tell|give)\s+(?:me\s+|us\s+)?"
               r"(?:a|an|some|another|one|a\s+few)\s+(?:[\w-]+\s+){0,2}?" + _WRITTEN_EN,
    _LEAD_EN + r"(?:ignore|disregard|forget|bypass|override)\s+(?:all\s+(?:of\s+)?)?(?:your|previous|prior|above|"
               r"earlier|the\s+(?:above|previous|prior|sources?|rules|instructions))\b",
    _LEAD_EN + r"(?:pretend|roleplay|role-play|act\s+(?:as|like)|imagine\s+you(?:'re|’re|\s+are))\b",
    _LEAD_EN + r"(?:make\s+(?:\w+\s+){0,3}?up|invent\s+(?:a|an|some)|fabricate)\b",
    r"\byou\s+are\s+now\b|\bsystem\s+(?:override|prompt)\b|\bdeveloper\s+mode\b|\bjailbreak|\bnew\s+rules?\s*:",
    # the bot's own opinion: it has none, only its sources' ("give me your honest opinion")
    r"\byour\s+(?:own\s+|honest\s+|personal\s+|real\s+|true\s+)*(?:opinion|view|take|thoughts)\b",
    # to ping people: the bot never does ("ping everyone", "start your answer with @everyone")
    _LEAD_EN + r"(?:ping|tag|mention|notify|alert)\s+(?:@?everyone|@?here|all|every\s*one|the\s+(?:whole\s+)?server)\b",
    r"\b(?:start|begin|open)\s+(?:your\s+)?(?:answer|reply|message|response)\s+with\s+@",
    # to say the asker's words ("repeat after me: ...", "say exactly this", 'say: "..."')
    _LEAD_EN + r"(?:repeat|say|type|echo|write)(?:\s+(?:(?:\w+\s+){0,2}?after\s+me"
               r"|exactly\s*(?::|this\b|the\s+following\b|what\s+i\b)"
               r"|(?:this|these\s+words|the\s+following|what\s+i\s+(?:say|write|type))\s*:)|\s*:\s*[\"“'‘])",
]
_LEAD_DE = r"(?:^|[.!?;:,\])]\s*|\b(?:und|dann|jetzt|bitte|(?:kannst|könntest|koenntest)\s+du)\s+)"
_WRITTEN_DE = r"(?:witz\w*|gedicht\w*|geschichte\w*|lied\w*|song|aufsatz|essay|rap|märchen|reim\w*)"
_GERMAN = [
    _LEAD_DE + r"(?:schreib|schreibe|erzähl|erzähle|dichte|erfinde|mach|mache|sing|singe)\s+(?:mir\s+|uns\s+)?"
               r"(?:bitte\s+)?(?:ein|eine|einen|noch\s+ein\w*)\s+(?:\w+\s+){0,2}?" + _WRITTEN_DE + r"\b",
    r"\b(?:ein|eine|einen)\s+(?:\w+\s+){0,4}?" + _WRITTEN_DE + r"\s+(?:\w+\s+){0,4}?"
    r"(?:erzählen|schreiben|dichten|erfinden|singen)\b",   # "kannst du ein Gedicht über Rabe schreiben"
    _LEAD_DE + r"(?:ignorier\w*|vergiss|vergesse)\s+(?:alle\s+)?(?:deine|ihre|vorherigen|bisherigen|die\s+quellen|"
               r"die\s+anweisungen|anweisungen)\b",
    r"\btu\s+so,?\s+als\b|\bstell\s+dir\s+vor,?\s+du\s+(?:bist|wärst)\b|\bdu\s+bist\s+jetzt\b|\brollenspiel",
    r"\b(?:deine|eure)\s+(?:eigene\s+|ehrliche\s+|persönliche\s+)?(?:meinung|ansicht|einschätzung)\b",
    _LEAD_DE + r"(?:sprich|sag|sage|wiederhole|wiederhol)\s+(?:\w+\s+){0,2}?(?:mir\s+nach|nach\s+mir|genau)\b",
]
_LEAD_ES = r"(?:^|[.!?;:,¿¡\])]\s*|\b(?:y|luego|ahora|por\s+favor|puedes|podrías|podrias)\s+)"
_SPANISH = [
    _LEAD_ES + r"(?:escribe|escríbeme|escribeme|escribir(?:me|nos)?|cuéntame|cuentame|cuenta|contar(?:me|nos)?|"
               r"dime|inventa|invéntate|inventate|inventar|compón|componme|componer|haz|hazme|hacer(?:me)?|canta)\s+"
               r"(?:me\s+)?(?:un|una|unos|unas|otro|otra|algún|algun|alguna)\s+(?:\w+\s+){0,2}?"
               r"(?:chistes?|poemas?|historias?|cuentos?|canci(?:ón|on|ones)|ensayos?|raps?|bromas?|versos?|poes(?:ía|ia))\b",
    _LEAD_ES + r"(?:ignora\w*|olvida\w*)\s+(?:todas?\s+)?(?:tus|las|sus)\s+(?:instrucciones|fuentes|reglas|órdenes)\b",
    r"\bfinge\s+(?:que|ser)\b|\bhaz\s+como\s+si\b|\bact[úu]a\s+como\b|\bimagina\s+que\s+eres\b|\bahora\s+eres\b",
    r"\btu\s+(?:propia\s+|honesta\s+|sincera\s+|verdadera\s+)?opini[óo]n\b|\bqu[ée]\s+opinas\b",
    _LEAD_ES + r"(?:repite|repíteme|di|dime)\s+(?:\w+\s+){0,2}?(?:despu[ée]s\s+de\s+m[íi]|conmigo|exactamente)\b",
]
_CHINESE = [   # a verb and a measure word: "讲个笑话", "写一首诗"; not "电影讲了一个什么故事"
    r"(?:讲|講|说|說|写|寫|编|編|来|來|作|唱)\s*(?:一个|一個|个|個|一首|首|一篇|篇|一段|段|几个|幾個)\s*\S{0,8}?"
    r"(?:笑话|笑話|段子|诗|詩|歌|文章|作文|故事|小说|小說|顺口溜|順口溜)",
    r"(?:忽略|无视|無視|忘记|忘記|忘掉)(?:你的|所有|之前|以上|前面|上面)",
    r"假装你是|假裝你是|假装自己是|假裝自己是|角色扮演|你现在是|你現在是",
    r"你(?:个人|個人)?(?:的)?(?:看法|观点|觀點|意见|意見)|你(?:个人|個人)?怎(?:么|麼)看",
    r"跟(?:我|着我|著我)(?:说|說|念|读|讀|重复|重複)|(?:重复|重複)(?:这句话|這句話|以下|下面)|照着说|照著說",
]
_JAPANESE = [
    r"(?:ジョーク|冗談|笑い話|ギャグ|詩|ポエム|俳句|短歌|歌詞|作文|エッセイ|小説|物語)を?(?:一つ|ひとつ|1つ)?"
    r"(?:書いて|言って|作って|考えて|聞かせて|詠んで|披露して)",
    r"(?:指示|命令|ソース|出典|ルール|情報源|設定)を?(?:すべて|全て|全部)?(?:無視|忘れ)",
    r"(?:あなた|君|きみ|お前)の(?:意見|考え|見解|感想)",
    r"(?:ふり|フリ)をして|なりきって|ロールプレイ",
    r"(?:私の)?後に続いて(?:言って|繰り返して)|復唱して|(?:次の|この)(?:文|言葉|文章)を?(?:そのまま)?(?:繰り返して|言って)",
]
_REQUEST = re.compile("|".join(f"(?:{p})" for p in _ENGLISH + _GERMAN + _SPANISH + _CHINESE + _JAPANESE),
                      re.IGNORECASE)


def asks_beyond_quoting(message: str) -> bool:
    """Whether ``message`` asks the bot to write something, play a role or set its sources aside."""
    return _REQUEST.search(" ".join(message.split())) is not None
