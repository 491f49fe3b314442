"""Word lists the tokenizer and the question readers share: stopwords, the words a question starts
with, nationality adjectives with the country each names, and the words of chat."""
from __future__ import annotations

# Nationality adjectives fold to the country, so "Japanese" matches "Japan"; German and Spanish
# ones too (folded: "alemán" is "aleman"), so "der deutsche Geschäftsmann" names Germany as
# "the German businessman" does. None of them is an English word of another meaning.
ENGLISH_DEMONYMS = {
    "japanese": "japan", "chinese": "china", "american": "america", "americans": "america",
    "german": "germany", "germans": "germany", "european": "europe", "europeans": "europe",
    "asian": "asia", "asians": "asia", "british": "britain", "russian": "russia",
}
DEMONYMS = {
    **ENGLISH_DEMONYMS,
    **dict.fromkeys(("deutsch", "deutsche", "deutschen", "deutscher", "deutsches", "aleman", "alemana",
                     "alemanes", "alemanas"), "germany"),
    **dict.fromkeys(("japanisch", "japanische", "japanischen", "japanischer", "japanisches", "japaner",
                     "japanerin", "japanern", "japones", "japonesa", "japoneses", "japonesas"), "japan"),
    **dict.fromkeys(("chinesisch", "chinesische", "chinesischen", "chinesischer", "chinesisches", "chinesen",
                     "chinesin", "chino", "chinos", "chinas"), "china"),
    **dict.fromkeys(("amerikanisch", "amerikanische", "amerikanischen", "amerikanischer", "amerikaner",
                     "amerikanerin", "estadounidense", "estadounidenses", "norteamericano", "norteamericana",
                     "norteamericanos"), "america"),
}

# The words a question starts with (stopwords all: they frame a question, they are not searched).
INTERROGATIVES = frozenset("when what whats who whom whose which where why how".split())

STOPWORDS = frozenset("""
a about above after again against all also am an and any are aren as at be because been before
being below between both but by can cannot could couldn did didn do does doesn doing don down
during each even ever few for from further get gets got had hadn has hasn have haven having he
her here hers herself him himself his how i if in into is isn it its itself just let like me
more most much my myself no nor not now of off on once only or other ought our ours ourselves
out over own please same shall shan she should shouldn so some such tell than that the their
theirs them themselves then there these they this those tho though through to too under until
up upon us very was wasn we were weren what whats when where which while who whom whose why
will with won would wouldn yes yet you your yours yourself yourselves
""".split())


# Words that greet, thank or address the bot: how people write to a bot, never what they ask.
CHAT_WORDS = frozenset("""
hi hey hello hiya howdy yo sup greetings thanks thank thx ty cheers pls plz ok okay bot chatbot
wonder wondering wondered curious
hallo servus moin danke dankeschön dank hola oye buenas gracias
你好 您好 谢谢 謝謝 多谢 请问 請問 求 科普 こんにちは こんばんは ありがとう ありがとうございます
""".split())   # the greetings and thanks of the other languages the glossary reads, too
