"""Watched words match whole words and phrases, whatever their case, width or script."""

from forum.moderation.watched import (
    Verdict,
    WatchedAction,
    WatchedWord,
    block_message,
    check_text,
    normalise_phrase,
)

BLOCK, HOLD, FLAG = WatchedAction.BLOCK, WatchedAction.HOLD, WatchedAction.FLAG


def matched(phrase: str, text: str) -> bool:
    return check_text([WatchedWord(phrase, FLAG)], text).matches == (phrase,)


def test_an_empty_list_matches_nothing():
    assert check_text([], "anything at all", "and a body") == Verdict(None, ())


def test_text_without_watched_words_gives_no_action():
    assert check_text([WatchedWord("spam", BLOCK)], "A quiet story", "About my week.") == Verdict(
        None, ()
    )


def test_matching_ignores_case():
    for text in ("spam", "Spam", "SPAM", "sPaM"):
        assert matched("spam", text), text
    assert matched("SPAM", "some spam here")


def test_fullwidth_letters_match_their_plain_form():
    assert matched("spam", "ＳＰＡＭ")
    assert matched("ＳＰＡＭ", "spam")


def test_sharp_s_matches_double_s_in_either_direction():
    assert matched("STRASSE", "die straße")
    assert matched("straße", "DIE STRASSE")


def test_a_word_inside_a_longer_word_does_not_match():
    for text in ("class", "passion", "bass", "assess", "ass_hat", "ass1"):
        assert not matched("ass", text), text


def test_a_word_next_to_punctuation_matches():
    for text in ("ass!", "(ass)", '"ass"', "ass, then", "what an ass.", "ass-hat", "¿ass?"):
        assert matched("ass", text), text


def test_a_word_at_the_very_start_or_end_of_the_text_matches():
    assert matched("spam", "spam is what this is")
    assert matched("spam", "this is spam")
    assert matched("spam", "spam")


def test_a_phrase_matches_across_any_run_of_whitespace():
    for text in ("buy now", "BUY   now", "buy\tnow", "buy\nnow", "buy\u00a0now", "buy now!"):
        assert matched("buy now", text), repr(text)


def test_a_phrase_whose_last_word_continues_does_not_match():
    assert not matched("buy now", "buy nowhere")
    assert not matched("buy now", "rebuy now")
    assert not matched("buy now", "buynow")


def test_a_phrase_written_with_extra_spaces_still_matches():
    assert matched("  buy    now ", "buy now")


def test_regex_metacharacters_in_a_phrase_are_literal():
    assert matched("c++", "I write c++ at work")
    assert not matched("c++", "I write c at work")
    assert matched("a.b", "see a.b here")
    assert not matched("a.b", "see axb here")
    assert matched("(why)", "ask (why) twice")
    assert not matched("[x]", "just x")


def test_a_cyrillic_word_matches_in_a_different_case():
    assert matched("спам", "Это СПАМ, правда")
    assert matched("СПАМ", "это спам")


def test_a_cyrillic_word_inside_a_longer_cyrillic_word_does_not_match():
    assert not matched("спам", "спамер пишет")
    assert not matched("кот", "котенок спит")


def test_greek_final_sigma_matches_its_capital():
    assert matched("ΟΔΟΣ", "μια οδος εδω")
    assert matched("οδός", "ΟΔΌΣ")


def test_the_strongest_action_wins():
    words = [WatchedWord("meh", FLAG), WatchedWord("wait", HOLD), WatchedWord("no", BLOCK)]
    assert check_text(words, "meh").action is FLAG
    assert check_text(words, "meh, wait").action is HOLD
    assert check_text(words, "meh, wait, no").action is BLOCK
    assert check_text(list(reversed(words)), "no wait meh").action is BLOCK


def test_matches_are_listed_once_in_list_order_as_written():
    words = [WatchedWord("Buy Now", FLAG), WatchedWord("spam", HOLD), WatchedWord("cheap", FLAG)]
    verdict = check_text(words, "SPAM spam cheap", "buy now, spam, buy  now")
    assert verdict.matches == ("Buy Now", "spam", "cheap")


def test_phrases_that_normalise_alike_are_listed_once():
    words = [WatchedWord("spam", FLAG), WatchedWord("SPAM", BLOCK)]
    verdict = check_text(words, "spam")
    assert verdict.matches == ("spam",)
    assert verdict.action is BLOCK


def test_overlapping_phrases_all_match():
    words = [WatchedWord("buy now", FLAG), WatchedWord("now", BLOCK), WatchedWord("buy", HOLD)]
    verdict = check_text(words, "buy now")
    assert verdict.matches == ("buy now", "now", "buy")
    assert verdict.action is BLOCK


def test_the_title_and_the_body_are_both_checked():
    words = [WatchedWord("spam", BLOCK), WatchedWord("eggs", FLAG)]
    assert check_text(words, "spam", "").matches == ("spam",)
    assert check_text(words, "", "eggs").matches == ("eggs",)


def test_a_phrase_does_not_match_across_the_title_and_the_body():
    assert check_text([WatchedWord("buy now", BLOCK)], "I will buy", "now and then").action is None


def test_empty_and_whitespace_only_phrases_are_ignored():
    words = [WatchedWord("", BLOCK), WatchedWord("   ", BLOCK), WatchedWord("\t\n", BLOCK)]
    assert check_text(words, "any text", " ", "") == Verdict(None, ())


def test_an_action_given_as_a_plain_string_still_counts():
    verdict = check_text([WatchedWord("spam", "block")], "spam")  # type: ignore[arg-type]
    assert verdict.action is BLOCK
    assert block_message(verdict).count('"spam"') == 1


def test_normalise_phrase_folds_and_collapses_whitespace():
    assert normalise_phrase("  Buy \t NOW\n") == "buy now"
    assert normalise_phrase("ＳＰＡＭ") == "spam"
    assert normalise_phrase("Straße") == "strasse"
    assert normalise_phrase(" \u3000 ") == ""


def test_block_message_names_only_the_block_phrases():
    words = [
        WatchedWord("meh", FLAG),
        WatchedWord("xyz", BLOCK),
        WatchedWord("wait", HOLD),
        WatchedWord("Abc", BLOCK),
    ]
    message = block_message(check_text(words, "abc meh xyz wait"))
    assert message == (
        'Your post can\'t be published because it contains "xyz", "Abc". '
        "Please reword it; your text is kept below."
    )


def test_block_message_with_a_single_phrase_reads_as_a_sentence():
    message = block_message(check_text([WatchedWord("xyz", BLOCK)], "xyz"))
    assert message == (
        'Your post can\'t be published because it contains "xyz". '
        "Please reword it; your text is kept below."
    )


def test_block_message_without_known_phrases_still_explains():
    message = block_message(Verdict(BLOCK, ("xyz",)))
    assert message.startswith("Your post can't be published because it contains ")
    assert message.endswith("Please reword it; your text is kept below.")


def test_a_long_body_with_many_phrases_finds_only_the_one_at_its_end():
    words = [WatchedWord(f"watch{n} word", FLAG) for n in range(200)]
    words.append(WatchedWord("ass", BLOCK))
    body = "a classy passion for peer support, told at length. " * 1000  # ~51,000 chars
    body += "watch199 word"
    verdict = check_text(words, "title", body)
    assert verdict == Verdict(FLAG, ("watch199 word",))
