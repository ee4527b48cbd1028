import time

from forum.accounts.passwords import (
    burn_password_check,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)

STRONG = "lantern orchard velvet migrate"


def test_a_short_password_names_the_minimum():
    assert password_problem("tulip9") == "Please use at least 10 characters for your password."


def test_a_very_long_password_names_the_maximum():
    assert password_problem("x" * 257) == "Please keep your password to 256 characters or fewer."


def test_a_long_password_is_judged_quickly():
    started = time.perf_counter()
    password_problem("correct horse " * 18)  # 252 characters
    assert time.perf_counter() - started < 2


def test_common_passwords_are_refused_with_advice():
    for password in ["password123", "qwertyuiop", "iloveyou123"]:
        message = password_problem(password)
        assert message is not None and message.startswith("That password would be easy to guess.")
    assert "common password" in password_problem("password123")


def test_the_handle_plus_digits_is_refused():
    message = password_problem("meadowlark2024", handle="meadowlark")
    assert message is not None and "handle" in message
    assert password_problem("Paul.Smith99!", handle="paul.smith") is not None


def test_a_word_a_year_and_the_forum_name_are_refused():
    assert password_problem("Job2024forum!") is not None
    assert password_problem("Support1999forum") is not None


def test_a_strong_passphrase_is_accepted():
    assert password_problem(STRONG, handle="paul") is None
    assert password_problem("tuesday-kettle-biscuit") is None


def test_a_hash_is_argon2id_and_round_trips():
    stored = hash_password(STRONG)
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, STRONG)
    assert not needs_rehash(stored)


def test_the_same_password_typed_in_fullwidth_still_matches():
    assert verify_password(hash_password("Kettle2biscuit"), "Ｋｅｔｔｌｅ２ｂｉｓｃｕｉｔ")


def test_a_wrong_password_fails():
    assert not verify_password(hash_password(STRONG), STRONG.upper())


def test_a_garbage_hash_fails_without_raising():
    assert not verify_password("not-a-hash", STRONG)
    assert not verify_password("", STRONG)
    assert not verify_password("$argon2id$v=19$m=65536,t=3,p=2$broken", STRONG)
    assert needs_rehash("not-a-hash")


def test_an_unknown_handle_costs_as_much_as_a_real_check():
    stored = hash_password(STRONG)

    def timed(check) -> float:
        started = time.perf_counter()
        for _ in range(3):
            check()
        return time.perf_counter() - started

    real = timed(lambda: verify_password(stored, "wrong guess"))
    burned = timed(lambda: burn_password_check("wrong guess"))
    assert 0.5 < burned / real < 2
