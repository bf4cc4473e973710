"""The personnel-change parser on its own (extract/changes.py): each form with its examples, and
generated sentences of every length that must come back whole, in order, with the right post
and kind (hypothesis). Names and sentences are invented."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dprk_records.pipeline.extract.changes import find_changes, kind_of, rank_of
from dprk_records.pipeline.extract.extractor import extract
from dprk_records.pipeline.extract.facts import DocumentFacts
from dprk_records.pipeline.extract.person_names import NameMatch, find_names
from dprk_records.pipeline.extract.titles import make_singular
from dprk_records.pipeline.prepare import prepare
from dprk_records.pipeline.read import SourceDocument

from .test_namelist import _join, names  # generated invented names, joined as KCNA lists


def changes_of(sentence: str) -> list[tuple[str, str, str]]:
    return [(c.name.name, c.change, c.post) for c in find_changes(sentence, find_names(sentence))]


EXAMPLES = [
    # passive, names before the verb, a plural post made singular for each
    (
        "Thak Myong Sik and Chae Yong Dok were elected secretaries of the Party Central Committee.",
        [
            ("Thak Myong Sik", "elected", "secretary of the Party Central Committee"),
            ("Chae Yong Dok", "elected", "secretary of the Party Central Committee"),
        ],
    ),
    # an appositive between the subject and the verb; the post ends at the authority
    (
        "Deputy Ryo Chang Sik, chairman of a trade union, was by-elected chairman of the SPA "
        "upon authorization of the WPK Central Committee.",
        [("Ryo Chang Sik", "by_elected", "chairman of the SPA")],
    ),
    # relieved of two posts: two changes; the reason is no post
    (
        "Choe Hak Rim was relieved of his posts as alternate member of the Political Bureau and "
        "director of a department of the Party Central Committee owing to his health.",
        [
            ("Choe Hak Rim", "released", "alternate member of the Political Bureau"),
            ("Choe Hak Rim", "released", "director of a department of the Party Central Committee"),
        ],
    ),
    # a paired decree: removed and named, the elliptical second clause keeps its kind
    (
        "Pak Un Hyok was removed from the premiership of the Cabinet and Sok Chol Ung appointed "
        "as new premier.",
        [
            ("Pak Un Hyok", "dismissed", "premiership of the Cabinet"),
            ("Sok Chol Ung", "appointed", "premier"),
        ],
    ),
    # "appointed to it": the post of the clause before
    (
        "Hong Bom Hwan was relieved of his post as minister of Coal Industry and Ryu Pyong Sol "
        "was appointed to it.",
        [
            ("Hong Bom Hwan", "released", "minister of Coal Industry"),
            ("Ryu Pyong Sol", "appointed", "minister of Coal Industry"),
        ],
    ),
    # the body elects; "its" is dropped, not resolved
    (
        "The session elected Deputy Kang Pom Su as chairman of the Budget Committee and Deputies "
        "Tong Hyon Mi and Hwang Jin Sok as its vice-chairpersons.",
        [
            ("Kang Pom Su", "elected", "chairman of the Budget Committee"),
            ("Tong Hyon Mi", "elected", "vice-chairperson"),
            ("Hwang Jin Sok", "elected", "vice-chairperson"),
        ],
    ),
    # an honour before the verb, the recipients after, a gapped second honour
    (
        "The title of Merited Teacher went to Jang Un Sop and that of Merited Doctor to Ri Tong "
        "Hwa.",
        [
            ("Jang Un Sop", "awarded", "Merited Teacher"),
            ("Ri Tong Hwa", "awarded", "Merited Doctor"),
        ],
    ),
    # companions in a relative clause; "former" posts stay appositives
    (
        "The title of Labour Hero was awarded to Tong Hyon Mi, former shift leader of the No. 4 "
        "pit of the Sangnong Mine, who was also given a gold medal.",
        [
            ("Tong Hyon Mi", "awarded", "Labour Hero"),
            ("Tong Hyon Mi", "awarded", "gold medal"),
        ],
    ),
    # a rank conferred is a promotion
    (
        "A joint decree raised Sin Kwang Bom, a veteran commander, to Vice Marshal of the KPA.",
        [("Sin Kwang Bom", "promoted", "Vice Marshal of the KPA")],
    ),
    (
        "The meeting conferred the military rank of general on Sa Kwang Jin.",
        [("Sa Kwang Jin", "promoted", "general")],
    ),
    # a retirement a body approved
    (
        "The meeting approved the retirement of Om Tae Sik from his post as chairman of the "
        "Kaesong City People's Committee on account of his age.",
        [("Om Tae Sik", "retired", "chairman of the Kaesong City People's Committee")],
    ),
    # a lower-case plural post before the next names ends the first post
    (
        "At the session Deputy Kang Chol Su was elected chairman and deputies Ri Ok Nam and Pak "
        "Son Hui were elected vice-chairpersons.",
        [
            ("Kang Chol Su", "elected", "chairman"),
            ("Ri Ok Nam", "elected", "vice-chairperson"),
            ("Pak Son Hui", "elected", "vice-chairperson"),
        ],
    ),
    # the post first, the names after "were"
    (
        "Elected as members of the Political Bureau were Kang Chol Su and Ri Ok Nam.",
        [
            ("Kang Chol Su", "elected", "member of the Political Bureau"),
            ("Ri Ok Nam", "elected", "member of the Political Bureau"),
        ],
    ),
    # relieved and appointed by one body, the second verb ends the first post
    (
        "The meeting relieved Kim Tu Il of his duties as department director of the C.C., WPK and "
        "appointed Ri Il Hwan to the post.",
        [
            ("Kim Tu Il", "released", "department director of the C.C., WPK"),
            ("Ri Il Hwan", "appointed", "department director of the C.C., WPK"),
        ],
    ),
    # "including" names a sample of a counted group
    (
        "The Order of Labour was conferred on fifty-three builders, including Kim Sun Dok and Pae "
        "Yong Chang, for their feats.",
        [
            ("Kim Sun Dok", "awarded", "Order of Labour"),
            ("Pae Yong Chang", "awarded", "Order of Labour"),
        ],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), EXAMPLES, ids=[e[0][:40] for e in EXAMPLES])
def test_each_form_gives_its_changes(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert changes_of(sentence) == expected


NOT_CHANGES = [
    "Kim Jong Un, who was elected general secretary in 2021, visited the farm.",
    "The years since the Congress elected Kim Jong Un general secretary were a time of change.",
    "The decree recalled that Paek Sung Ho was awarded the title of DPRK Hero in 1998.",
    "A presidium of the session was formed with members of the Political Bureau.",
    "The session elected Deputy Mun Il Bong chairman of the Credentials Committee.",
    "Kim Jong Un, chairman of the State Affairs Commission, removed the premier of the Cabinet "
    "from his office and named a new premier.",
    "The plenary meeting recalled and by-elected some members of the Central Committee.",
    "The title of Hero was conferred on the patrol boat No. 214 of a Navy flotilla.",
    "At the recommendation of Premier Ko Chang Ryol, the meeting discussed the plan.",
]


@pytest.mark.parametrize("sentence", NOT_CHANGES, ids=[s[:40] for s in NOT_CHANGES])
def test_look_alikes_give_no_change(sentence: str) -> None:
    assert changes_of(sentence) == []


def test_verbs_and_ranks_of_the_vocabulary() -> None:
    verbs = ("by-elected", "by elected", "re-elected", "named", "relieved", "honored")
    assert [kind_of(v) for v in verbs] == [
        "by_elected",
        "by_elected",
        "elected",
        "appointed",
        "released",
        "awarded",
    ]
    assert rank_of("lieutenant generals of the Air Force") == "lieutenant generals of the Air Force"
    assert rank_of("the military rank of general") == "general"
    assert rank_of("chief of the General Staff") is None
    with pytest.raises(ValueError, match="not a change verb"):
        kind_of("visited")


# -- generated sentences ------------------------------------------------------------------------

POSTS = [
    (
        "member of the Political Bureau of the C.C., WPK",
        "members of the Political Bureau of the C.C., WPK",
    ),
    ("alternate member of the Political Bureau", "alternate members of the Political Bureau"),
    (
        "secretary of the Central Committee of the WPK",
        "secretaries of the Central Committee of the WPK",
    ),
    (
        "vice-chairman of the Central Military Commission",
        "vice-chairmen of the Central Military Commission",
    ),
]
RANKS = [
    ("colonel general", "colonel generals"),
    ("lieutenant general", "lieutenant generals"),
    ("rear admiral of the Navy", "rear admirals of the Navy"),
]
HONOURS = ["the Order of Labour", "the title of Labour Hero", "the Kim Jong Il Prize"]


def _groups(draw_names: list[str], sizes: list[int]) -> list[list[str]]:
    groups, at = [], 0
    for size in sizes:
        groups.append(draw_names[at : at + size])
        at += size
    return [g for g in groups if g]


def _check(sentence: str, expected: list[tuple[str, str, str, int | None]]) -> None:
    found = find_changes(sentence, find_names(sentence))
    orders: dict[str, list[int]] = {}
    for clause in found:
        orders.setdefault(clause.change, [])
        if clause.name.start not in orders[clause.change]:
            orders[clause.change].append(clause.name.start)
    got = [
        (
            c.name.name,
            c.change,
            c.post,
            orders[c.change].index(c.name.start) + 1 if len(orders[c.change]) > 1 else None,
        )
        for c in found
    ]
    assert got == expected, sentence
    for clause in found:  # every span says the person and the post
        said = sentence[clause.start : clause.end]
        assert clause.name.name in said


@given(
    st.lists(names, min_size=1, max_size=12, unique=True),
    st.lists(st.integers(1, 3), min_size=1, max_size=5),
    st.lists(st.sampled_from(POSTS), min_size=5, max_size=5),
    st.booleans(),
)
def test_gapped_elections_come_back_whole(
    people: list[str], sizes: list[int], posts: list[tuple[str, str]], vacancies: bool
) -> None:
    """ "A was elected X, B and C Ys, and D Z[, to fill vacancies]." -- the verb governs every
    group, a group's post is singular or plural by its size, the order runs straight through."""
    groups = _groups(people, sizes)
    clauses = []
    for index, group in enumerate(groups):
        singular, plural = posts[index]
        post = plural if len(group) > 1 else f"a {singular}"
        verb = (" were elected " if len(group) > 1 else " was elected ") if index == 0 else " "
        clauses.append(_join(group) + verb + post)
    body = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + ", and " + clauses[-1]
    sentence = body + (", to fill vacancies." if vacancies else ".")
    everyone = [p for g in groups for p in g]
    kind = "by_elected" if vacancies else "elected"
    expected = [
        (person, kind, posts[index][0], everyone.index(person) + 1 if len(everyone) > 1 else None)
        for index, group in enumerate(groups)
        for person in group
    ]
    _check(sentence, expected)


@given(
    st.lists(names, min_size=1, max_size=10, unique=True),
    st.lists(st.integers(1, 4), min_size=1, max_size=3),
    st.lists(st.sampled_from(RANKS), min_size=3, max_size=3, unique=True),
    st.integers(0, 60),
)
def test_rank_groups_of_an_order_come_back_whole(
    people: list[str], sizes: list[int], ranks: list[tuple[str, str]], others: int
) -> None:
    """ "the military ranks of A and B have been promoted to colonel generals and those of C and
    27 others to lieutenant generals": the counted others are no one."""
    groups = _groups(people, sizes)
    parts = []
    for index, group in enumerate(groups):
        last = index == len(groups) - 1
        who = _join(group) + (f" and {others} others" if last and others else "")
        many = len(group) > 1 or (last and others)
        rank = ranks[index][1] if many else ranks[index][0]
        if index == 0:
            verb = "have been" if many else "has been"
            lead = "ranks" if many else "rank"
            parts.append(f"the military {lead} of {who} {verb} promoted to {rank}")
        else:
            parts.append(f"{'those' if many else 'that'} of {who} to {rank}")
    sentence = (
        "According to the order, "
        + (parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1])
        + "."
    )
    everyone = [p for g in groups for p in g]
    expected = [
        (
            person,
            "promoted",
            make_singular(ranks[index][0]),
            everyone.index(person) + 1 if len(everyone) > 1 else None,
        )
        for index, group in enumerate(groups)
        for person in group
    ]
    _check(sentence, expected)


@given(
    st.lists(names, min_size=1, max_size=10, unique=True),
    st.lists(st.integers(1, 4), min_size=1, max_size=3),
    st.lists(st.sampled_from(HONOURS), min_size=3, max_size=3, unique=True),
)
def test_honours_and_their_gapped_recipients_come_back_whole(
    people: list[str], sizes: list[int], honours: list[str]
) -> None:
    """ "The Order of Labour was conferred on A and B, the title of Labour Hero on C and the Kim
    Jong Il Prize on D": every honour to its own names, the leader's name inside a prize none."""
    groups = _groups(people, sizes)
    head = honours[0][0].upper() + honours[0][1:]
    parts = [f"{head} was conferred on {_join(groups[0])}"]
    parts += [f"{honours[i]} on {_join(g)}" for i, g in enumerate(groups[1:], start=1)]
    sentence = (parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]) + "."
    names_found = find_names(sentence)
    everyone = [p for g in groups for p in g]
    cleaned = [h.removeprefix("the ").removeprefix("title of ") for h in honours]
    expected = [
        (
            person,
            "awarded",
            cleaned[index],
            everyone.index(person) + 1 if len(everyone) > 1 else None,
        )
        for index, group in enumerate(groups)
        for person in group
    ]
    honour_names = [n for n in names_found if n.name == "Kim Jong Il"]
    found = find_changes(sentence, [n for n in names_found if n not in honour_names])
    assert [(c.name.name, c.change, c.post) for c in found] == [e[:3] for e in expected]


def test_a_pronoun_subject_is_marked_for_the_document_pass() -> None:
    found = find_changes("He was also honored with the Order of Labour.", [])
    assert [(c.name, c.post) for c in found] == [(NameMatch(0, 2, ""), "Order of Labour")]


# -- lists of changes over several lines (document level) -----------------------------------------


def document_facts(body: str) -> tuple[str, DocumentFacts]:
    """The text of a one-document report whose body is ``body``, and its extracted facts."""
    text = "Decisions Announced\n\nPyongyang, March 3 (KCNA) -- " + body + "\n"
    source = SourceDocument("d", "d.txt", text, hashlib.sha256(text.encode()).hexdigest(), None)
    return text, extract(prepare(source))


def document_changes(body: str) -> list[tuple[str, str, str, int | None]]:
    text, facts = document_facts(body)
    for change in facts.changes:  # every span runs from the post to the name: it says both
        said = text[change.span.start : change.span.end]
        assert change.person.split()[0] in said and said.strip()
    return [(c.person, c.change, c.post, c.list_order) for c in facts.changes]


def test_a_list_opened_with_its_post_gives_that_post_to_every_line() -> None:
    body = (
        "The session closed.\n\nThe following were elected members of the State Affairs "
        "Commission:\n\nKang Chol Su\n\nRi Ok Nam\n\nThe session closed."
    )
    assert document_changes(body) == [
        ("Kang Chol Su", "elected", "member of the State Affairs Commission", 1),
        ("Ri Ok Nam", "elected", "member of the State Affairs Commission", 2),
    ]


def test_decree_lines_give_each_person_the_post_before_their_name() -> None:
    body = (
        "The following were appointed:\n\nMinister of Coal Industry Kang Chol Su\n\nMinister of "
        "Commerce Ri Ok Nam\n\nThe decree was issued on Monday."
    )
    assert document_changes(body) == [
        ("Kang Chol Su", "appointed", "Minister of Coal Industry", 1),
        ("Ri Ok Nam", "appointed", "Minister of Commerce", 2),
    ]


def test_rank_lines_after_as_follows_run_on_in_one_order() -> None:
    body = (
        "The order promoted the military ranks of commanding officers as follows:\n"
        "To Vice Admiral: Chu Yong Nam\nTo Rear Admiral: Ok Kwang Bom, Kong Chol Jin\n\n"
        "The order was issued on Monday."
    )
    assert document_changes(body) == [
        ("Chu Yong Nam", "promoted", "Vice Admiral", 1),
        ("Ok Kwang Bom", "promoted", "Rear Admiral", 2),
        ("Kong Chol Jin", "promoted", "Rear Admiral", 3),
    ]


def test_a_list_in_one_sentence_after_its_post_and_colon() -> None:
    body = "The following were appointed vice-premiers of the Cabinet: Kang Chol Su and Ri Ok Nam."
    assert document_changes(body) == [
        ("Kang Chol Su", "appointed", "vice-premier of the Cabinet", 1),
        ("Ri Ok Nam", "appointed", "vice-premier of the Cabinet", 2),
    ]


def test_his_post_is_the_title_the_text_gave_the_person() -> None:
    body = (
        "Kim Pyong Ho, minister of Railways, was relieved of his post.\n\n"
        "Ri Chol, member of the Political Bureau and chairman of the Planning Commission, was "
        "relieved of his posts.\n\n"
        "Colonel General Tak Chun Sop, commander of the Air Force of the KPA, was demoted to "
        "lieutenant general for his mistakes, and dismissed from his post."
    )
    assert document_changes(body) == [
        ("Kim Pyong Ho", "released", "minister of Railways", None),
        ("Ri Chol", "released", "member of the Political Bureau", None),
        ("Ri Chol", "released", "chairman of the Planning Commission", None),
        ("Tak Chun Sop", "demoted", "lieutenant general", None),
        # a rank is no post: "his post" is the command the sentence gave him
        ("Tak Chun Sop", "dismissed", "commander of the Air Force of the KPA", None),
    ]


def test_his_post_without_a_title_before_it_is_no_change() -> None:
    assert document_changes("The meeting dismissed Kim Pyong Ho from his post.") == []


def test_a_change_keeps_the_rank_its_sentence_gives_the_person() -> None:
    _, facts = document_facts(
        "Colonel General Sa Kwang Jin, commander of the Ninth Corps, was appointed chief of the "
        "General Staff of the KPA. Ri Chol was promoted to lieutenant general."
    )
    assert [(c.person, c.change, c.rank) for c in facts.changes] == [
        ("Sa Kwang Jin", "appointed", "Colonel General"),  # the rank held at the appointment
        ("Ri Chol", "promoted", "lieutenant general"),  # the rank conferred
    ]


@pytest.mark.parametrize(
    "opening",
    [
        "According to the order, the following were promoted:",
        "The order promoted the military ranks of the following commanding officers.",
    ],
)
def test_rank_lines_after_the_following(opening: str) -> None:
    body = (
        f"{opening}\n\nTo Lieutenant General: Kang Chol Su, Ri Ok Nam\n\nMajor General: Pak Son "
        "Hui\n\nThe order was issued on Monday."
    )
    assert document_changes(body) == [
        ("Kang Chol Su", "promoted", "Lieutenant General", 1),
        ("Ri Ok Nam", "promoted", "Lieutenant General", 2),
        ("Pak Son Hui", "promoted", "Major General", 3),
    ]


def test_the_post_left_by_a_transfer_and_other_ways_to_say_a_post() -> None:
    body = (
        "Pak Tong Sik, minister of Land Transport, was transferred to another post, and Ri Kyong "
        "Nam, vice-chairman of a city committee, was appointed to it.\n\n"
        "Choe Thae Gun, vice-premier of the Cabinet, was also appointed concurrently as minister "
        "of External Economic Relations.\n\n"
        "The decree named Song Chol Nam, first vice-minister of Foreign Affairs, DPRK ambassador "
        "to Laos.\n\n"
        "Ju Yong Hak retired from his post as DPRK ambassador to Iran on account of his age.\n\n"
        "Cha Kum Song, DPRK ambassador to Kuwait, was released from his post as he was "
        "transferred to another post."
    )
    assert document_changes(body) == [
        ("Pak Tong Sik", "transferred", "another post", None),
        ("Ri Kyong Nam", "appointed", "minister of Land Transport", None),
        ("Choe Thae Gun", "appointed", "minister of External Economic Relations", None),
        ("Song Chol Nam", "appointed", "DPRK ambassador to Laos", None),
        ("Ju Yong Hak", "retired", "DPRK ambassador to Iran", None),
        ("Cha Kum Song", "released", "DPRK ambassador to Kuwait", None),
        ("Cha Kum Song", "transferred", "another post", None),
    ]


def test_an_opening_phrase_is_no_honour() -> None:
    sentence = (
        "According to the order, the title of Vice Marshal of the KPA was conferred on General "
        "Jin Kwang Hyok, chief of the General Staff."
    )
    assert changes_of(sentence) == [("Jin Kwang Hyok", "promoted", "Vice Marshal of the KPA")]
