"""The command line: ask (text, JSON, stdin), timeline, check, console."""
import io
import json
import shutil

import pytest

from bot.cli import main
from tests.conftest import CORPUS

QUOTE_KEYS = {"rank", "text", "source_id", "source_title", "attribution", "section", "date", "score", "passage_id"}


def run(argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    old = __import__("sys").stdin
    __import__("sys").stdin = io.StringIO(stdin)
    try:
        code = main(argv, out, err)
    finally:
        __import__("sys").stdin = old
    return code, out.getvalue(), err.getvalue()


def test_ask_json_has_the_documented_shape():
    code, out, _ = run(["ask", "Who was John Rabe?", "--json"])
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 1
    answer = json.loads(lines[0])
    assert {"question", "answered", "quotes", "notes"} <= answer.keys()
    assert answer["answered"] is True
    for q in answer["quotes"]:
        assert QUOTE_KEYS <= q.keys()
        assert isinstance(q["rank"], int) and isinstance(q["score"], float)
    top = answer["quotes"][0]
    assert "Rabe" in top["text"] and top["source_id"] == "documentary-nanking"
    assert "**" not in top["text"] and not top["text"].startswith("—")


def test_ask_json_timeline_quote_has_date():
    _, out, _ = run(["ask", "when did japan attack shanghai", "--json"])
    top = json.loads(out)["quotes"][0]
    assert top["date"] == "1937-08-13" and top["text"] == "Japanese attack Shanghai"


def test_ask_reads_questions_from_stdin_one_json_per_line():
    stdin = "Who was John Rabe?\n\nwhat is the recipe for dumplings\n"
    code, out, _ = run(["ask", "-", "--json", "-k", "1"], stdin=stdin)
    answers = [json.loads(line) for line in out.strip().splitlines()]
    assert [a["answered"] for a in answers] == [True, False]
    assert len(answers[0]["quotes"]) == 1


def test_ask_text_output_quotes_and_attributes():
    code, out, _ = run(["ask", "Who was John Rabe?"])
    assert code == 0
    assert "“" in out and "— " in out and "John Rabe" in out


def test_plain_text_carries_no_markup_and_colour_bolds_with_ansi(index):
    from bot.answering.answers import build_answer
    from bot.render.console import BOLD, render_answer

    _, out, _ = run(["ask", "Who was John Rabe?"])   # not a terminal: plain text
    assert "*" not in out and "\033" not in out
    coloured = render_answer(build_answer(index, "Who was John Rabe?"), color=True)
    assert f"{BOLD}John Rabe" in coloured and "*" not in coloured


def test_ask_rejects_bad_k():
    code, _, err = run(["ask", "x", "-k", "0"])
    assert code == 2 and "-k" in err


def test_timeline_json():
    code, out, _ = run(["timeline", "Aug 1946 - Feb 1947", "--json"])
    data = json.loads(out)
    assert data["query"] == "Aug 1946 - Feb 1947"
    assert any(e["text"] == "Nanking War Trials" for e in data["entries"])
    for e in data["entries"]:
        assert {"date", "date_text", "year_inferred", "text", "source_id"} <= e.keys()


def test_timeline_text_and_unknown_date():
    _, out, _ = run(["timeline", "Dec 13"])
    assert "December 13th" in out
    _, out, _ = run(["timeline", "Feb 30"])
    assert "not a valid date" in out


def test_a_timeline_query_matching_nothing_is_named_with_what_to_try_instead():
    """As the Discord reply does: the query quoted, the nearest dates, and what a query can be."""
    _, out, _ = run(["timeline", "1999"])
    assert "No timeline entry matches “1999”." in out and "Nearest dates:" in out
    assert "Try a date such as" in out and "safety zone" in out
    _, out, _ = run(["timeline", "asdfgh"])
    assert "No timeline entry matches “asdfgh”." in out and "Try a date such as" in out


def test_check_counts():
    from index.corpus.loader import load_corpus
    from index.passages import build_passages

    code, out, _ = run(["check"])
    assert code == 0 and "3 sources" in out and "timeline entries" in out
    assert f" {len(build_passages(load_corpus(CORPUS)))} passages," in out   # counted without making them


def test_check_reports_errors_with_file_and_line(tmp_path):
    broken = tmp_path / "corpus"
    shutil.copytree(CORPUS, broken)
    timeline = broken / "timeline.yaml"
    timeline.write_text(timeline.read_text() + "\n- id: x\n  source: nowhere\n", encoding="utf-8")
    code, _, err = run(["check", "--corpus", str(broken)])
    assert code == 1
    assert "timeline.yaml:" in err and "error" in err


def test_empty_corpus_fails(tmp_path):
    code, _, err = run(["check", "--corpus", str(tmp_path)])
    assert code == 1 and "no sources" in err


@pytest.fixture(autouse=True)
def private_index_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_INDEX_DIR", str(tmp_path / "index-cache"))
    return tmp_path / "index-cache"


def test_build_writes_then_reuses_the_index(private_index_dir):
    code, out, _ = run(["build"])
    assert code == 0 and "built in" in out
    assert list(private_index_dir.glob("*/versions/*/manifest.json"))
    code, out, _ = run(["build"])
    assert code == 0 and "up to date" in out


def test_console_answers_and_commands():
    stdin = "Who was John Rabe?\n/timeline 1946\n/sources\n/help\n/nonsense\n/quit\n"
    code, out, _ = run(["console"], stdin=stdin)
    assert code == 0
    assert "John Rabe" in out and "Tokyo Trials" in out and "City of Life and Death" in out
    assert "/timeline" in out and "Unknown command" in out


@pytest.mark.parametrize("word", ["quit", "exit", "Quit.", " EXIT "])
def test_the_console_leaves_on_quit_or_exit_typed_without_the_slash(word):
    """Not searched ("they never mention “quit”"): the whole line is the word people type to leave."""
    code, out, _ = run(["console"], stdin=f"{word}\nWho was John Rabe?\n")
    assert code == 0 and "never mention" not in out and "John Rabe" not in out


def test_the_console_is_one_conversation_that_keeps_its_topic():
    """Like a DM: a follow-up's pronoun is read as the person asked about before, and the reply
    says so."""
    code, out, _ = run(["console"], stdin="Who was Minnie Vautrin?\nwhat did she do in the safety zone?\n/quit\n")
    assert code == 0
    about = "About Minnie Vautrin (from earlier in this conversation)."
    assert out.count(about) == 1
    assert "Vautrin" in out.split(about, 1)[1].split("\n\n")[0]   # the follow-up's first quote


def test_run_without_token_opens_console(monkeypatch):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    code, out, err = run(["run"], stdin="Who was John Rabe?\n")
    assert code == 0
    assert "DISCORD_TOKEN is not set" in err and "John Rabe" in out


def test_sync_guild_without_a_guild_is_refused_before_connecting(monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", "x")
    monkeypatch.delenv("BOT_DEV_GUILD_ID", raising=False)
    code, _, err = run(["run", "--sync", "guild"])
    assert code == 2 and "dev_guild_id" in err


def test_help_lists_every_command_with_its_help():
    from bot.cli import build_parser

    parser = build_parser()
    text = parser.format_help()
    commands = parser._subparsers._group_actions[0]  # argparse keeps no public list of them
    assert set(commands.choices) >= {"ask", "timeline", "check", "console", "run", "build", "eval"}
    for action in commands._choices_actions:
        assert action.help and action.dest in text, action.dest
    for name, sub in commands.choices.items():
        for option in sub._actions:
            assert option.help, f"{name} {option.dest} has no help"
    assert "bench" not in commands.choices   # make bench runs the benchmark, not the product CLI


def test_console_exits_cleanly_on_ctrl_c():
    from bot.console import run_console

    class CtrlC(io.StringIO):
        def readline(self, *args):
            raise KeyboardInterrupt

    out = io.StringIO()
    try:
        code = run_console(CORPUS, CtrlC(), out)
    except KeyboardInterrupt:  # escaping, it would stop the whole test session
        pytest.fail("Ctrl-C escaped the console")
    assert code == 0
    assert out.getvalue().rstrip().endswith("Goodbye.")


def test_console_reload_reports_counts_in_words(tmp_path):
    from bot.console import handle_line, open_live

    live = open_live(CORPUS, None, io.StringIO())
    reply = handle_line(live, "/reload")
    assert reply.startswith("Reloaded in") and "{" not in reply
    assert "Before: 3 sources, " in reply and " timeline entries" in reply


def test_console_reload_broken_then_fixed(tmp_path):
    from bot.console import handle_line, open_live

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    live = open_live(corpus, None, io.StringIO())
    good = (corpus / "timeline.yaml").read_text(encoding="utf-8")
    (corpus / "timeline.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    reply = handle_line(live, "/reload")
    assert "timeline.yaml:1:" in reply and "still serving the previous corpus" in reply
    assert "John Rabe" in handle_line(live, "Who was John Rabe?")
    (corpus / "timeline.yaml").write_text(good, encoding="utf-8")
    assert handle_line(live, "/reload").startswith("Reloaded in")
    assert handle_line(live, "/quit") is None


def test_check_keeps_each_issue_on_one_line_whatever_the_file_name(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "sources" / "bad\nname\u202e.md").write_text("---\nid: x\n---\ntext\n", encoding="utf-8")
    code, _, err = run(["check", "--corpus", str(corpus)])
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[-1].endswith("error(s) in the corpus.")
    assert all(line.startswith("corpus/") for line in lines[:-1]), lines
    assert any(line.startswith("corpus/sources/bad\\x0aname\\u202e.md:") for line in lines), lines


def test_check_refuses_a_file_over_max_source_bytes(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    monkeypatch.setenv("BOT_MAX_SOURCE_BYTES", "6000")
    code, _, err = run(["check", "--corpus", str(corpus)])
    assert code == 1
    assert "corpus/sources/blog-truth-about-nanking.md:0: is 0.00617 MB, over the limit of 0.006 MB" in err


def _files(folder):
    return sorted((str(p), p.stat().st_mtime_ns) for p in folder.rglob("*"))


def test_ask_and_timeline_use_the_persisted_index_and_never_write_it(private_index_dir, tmp_path, monkeypatch):
    from index.engine import Index

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    assert run(["build", "--corpus", str(corpus)])[0] == 0
    before = _files(private_index_dir)
    seen = []
    real_init = Index.__init__

    def spy(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        seen.append(self.loaded_from_cache)

    monkeypatch.setattr(Index, "__init__", spy)
    assert run(["ask", "Who was John Rabe?", "--corpus", str(corpus)])[0] == 0
    assert run(["timeline", "1946", "--corpus", str(corpus)])[0] == 0
    assert seen == [True, True]
    doc = corpus / "sources" / "film-city-of-life-and-death.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\nA closing paragraph about zeppelins.\n", encoding="utf-8")
    code, out, _ = run(["ask", "zeppelins", "--corpus", str(corpus), "--json"])
    assert code == 0 and "zeppelins" in out     # the changed corpus is answered, from memory
    assert seen[-1] is False
    assert _files(private_index_dir) == before  # and the index folder was not touched


def test_ask_says_when_it_must_build_a_large_index_in_memory(private_index_dir, tmp_path, monkeypatch):
    import bot.cli_index

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    monkeypatch.setattr(bot.cli_index, "NOTE_BUILD_CHARS", 1000)   # the seed corpus counts as large
    code, out, err = run(["ask", "Who was John Rabe?", "--corpus", str(corpus)])
    assert code == 0 and "Rabe" in out
    assert "building it in memory for this command" in err and "python -m bot build" in err
    assert run(["build", "--corpus", str(corpus)])[0] == 0
    code, out, err = run(["ask", "Who was John Rabe?", "--corpus", str(corpus)])
    assert code == 0 and "Rabe" in out and "in memory" not in err
    monkeypatch.setattr(bot.cli_index, "NOTE_BUILD_CHARS", 10**9)   # a small corpus: built at once, no note
    doc = corpus / "sources" / "film-city-of-life-and-death.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    code, out, err = run(["ask", "Who was John Rabe?", "--corpus", str(corpus)])
    assert code == 0 and "in memory" not in err


def test_the_console_prompt_does_not_wait_for_the_word_lists(monkeypatch):
    import threading

    import bot.console

    loading, release, where = threading.Event(), threading.Event(), []

    def slow_warm_up():
        where.append(threading.current_thread() is threading.main_thread())
        loading.set()
        release.wait(10)

    monkeypatch.setattr(bot.console, "warm_up", slow_warm_up)
    live = bot.console.open_live(CORPUS, None, io.StringIO())   # returns while the lists still load
    assert loading.wait(10) and where == [False]
    assert "John Rabe" in bot.console.handle_line(live, "Who was John Rabe?")   # answers meanwhile
    release.set()


def test_the_console_and_run_keep_the_snapshot_and_the_word_lists_out_of_the_collectors_passes(monkeypatch):
    """``open_live`` is the serving process's: its snapshot is frozen (``LiveIndex(freeze=True)``),
    and so are the word lists its warm-up loads, once loaded."""
    import gc
    import threading

    import bot.console

    tables, done = [], threading.Event()

    def warm_up():
        tables.append({"a table": ["loaded at start"]})
        done.set()

    monkeypatch.setattr(bot.console, "warm_up", warm_up)
    live = bot.console.open_live(CORPUS, None, io.StringIO())
    assert done.wait(10)
    for _ in range(100):   # the thread freezes right after the warm-up returns
        if not any(o is tables[0] for o in gc.get_objects()):
            break
        threading.Event().wait(0.05)
    tracked = gc.get_objects()
    assert not any(o is tables[0] for o in tracked) and not any(o is live.current.corpus.sources for o in tracked)


@pytest.fixture
def unverified_model(monkeypatch):
    """The shipped model's vectors file is not the one its SHA-256 records (a partial copy)."""
    from bot.answering import answers, decision

    def refuse(path=decision.MODEL_FILE):
        raise ValueError(f"{decision.neighbours_file(path)} does not match the SHA-256 the decision model records")

    monkeypatch.setattr(answers, "load_deciders", refuse)


@pytest.mark.parametrize("argv", [["ask", "Who was John Rabe?"], ["console"], ["run"]])
def test_a_model_that_does_not_verify_stops_the_start_with_a_message(unverified_model, argv, monkeypatch):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)   # run: the console
    code, out, err = run(argv, stdin="Who was John Rabe?\n")
    assert code == 1
    assert "answer model cannot be loaded" in out + err and "SHA-256" in out + err and "Traceback" not in out + err


def test_a_model_that_does_not_verify_stops_run_before_discord(unverified_model, monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", "not-a-token")
    code, out, err = run(["run"])
    assert code == 1 and "answer model" in err and "Traceback" not in err
