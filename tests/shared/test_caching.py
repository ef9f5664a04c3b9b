from service_kit.caching import RecentAnswers


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_answer_is_used_until_its_time_is_up() -> None:
    clock = Clock()
    answers: RecentAnswers[str, int] = RecentAnswers(ttl_seconds=5, clock=clock)
    answers.put("a", 1)

    clock.now = 4.9
    assert answers.get("a") == 1
    clock.now = 5.0
    assert answers.get("a") is None


def test_when_full_the_answer_put_longest_ago_makes_room() -> None:
    answers: RecentAnswers[str, int] = RecentAnswers(ttl_seconds=5, max_entries=2)
    answers.put("a", 1)
    answers.put("b", 2)
    answers.put("a", 3)  # put again: now the newest

    answers.put("c", 4)

    assert (answers.get("a"), answers.get("b"), answers.get("c")) == (3, None, 4)


def test_nothing_is_kept_without_a_time_to_keep_it() -> None:
    answers: RecentAnswers[str, int] = RecentAnswers(ttl_seconds=0)
    answers.put("a", 1)

    assert answers.get("a") is None
