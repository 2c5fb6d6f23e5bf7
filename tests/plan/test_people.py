"""People: who a story names, and their full name at first hearing, in the article's words."""
from briefing.plan.people import find_people, name_in_full

ARTICLE = [
    "The Trade and Industry Secretary Patricia Hewitt has announced a rise in maternity pay.",
    "Ms Hewitt said the change would help families.",
    "Critics of the Millennium Dome said the Dome had cost too much.",
    "Novelist Ian McEwan, 56, was among those who signed a letter to the Dome's owners.",
    "McEwan said the letter was sent on Monday.",
    "US literary critic Harold Bloom will receive the prize.",
    "Bloom is to be presented with the award in the spring.",
    "The tree stands in London's Tate Britain gallery.",
    "Across Britain, galleries hold such events, and she says they are popular.",
]


def test_people_are_found_with_their_full_name_and_role():
    people = find_people(ARTICLE)
    assert people["Hewitt"].full_name == "Patricia Hewitt"
    assert people["Hewitt"].introduction == "the Trade and Industry Secretary Patricia Hewitt"
    assert people["McEwan"].introduction == "Ian McEwan"
    assert people["Bloom"].full_name == "Harold Bloom"


def test_places_are_not_people():
    people = find_people(ARTICLE)
    assert "Dome" not in people
    assert "Britain" not in people


def test_a_surname_with_two_full_names_is_left_alone():
    people = find_people(["Gordon Brown met the press.", "Dan Brown wrote a novel.", "Mr Brown said no."])
    assert "Brown" not in people


def test_first_short_mention_is_given_in_full_once_across_the_episode():
    people = find_people(ARTICLE)
    heard = name_in_full([
        ("Ms Hewitt said the change would help families.", people),
        ("Ms Hewitt said so again.", people),
        ("McEwan said the letter was sent on Monday, and McEwan signed it.", people),
    ])
    assert heard == [
        "The Trade and Industry Secretary Patricia Hewitt said the change would help families.",
        "Ms Hewitt said so again.",
        "Ian McEwan said the letter was sent on Monday, and McEwan signed it.",
    ]


def test_someone_heard_in_full_first_is_left_as_written():
    people = find_people(ARTICLE)
    passages = [("Harold Bloom will receive the prize.", people), ("Bloom is to be presented with it.", people)]
    assert name_in_full(passages) == [text for text, _ in passages]


def test_words_inside_quotes_are_never_changed():
    people = find_people(ARTICLE)
    text = '"Hewitt has done nothing," said the union, and Ms Hewitt replied.'
    assert name_in_full([(text, people)]) == [
        '"Hewitt has done nothing," said the union, and the Trade and Industry Secretary Patricia Hewitt replied.'
    ]


def test_a_role_said_again_in_the_same_story_is_said_as_the_surname():
    story = find_people(["Russian President Vladimir Putin will visit India.", "Putin said he would go."])
    later = dict(story)  # another story that names him too
    heard = name_in_full([
        ("During the visit, Russian President Vladimir Putin will meet Mr Modi.", story),
        ('Russian President Vladimir Putin has said "Russian President Vladimir Putin" is his title.', story),
        ("Russian President Vladimir Putin spoke on Tuesday.", later),
        ("Russian President Vladimir Putin also spoke on Wednesday.", later),
    ])
    assert heard == [
        "During the visit, Russian President Vladimir Putin will meet Mr Modi.",
        'Putin has said "Russian President Vladimir Putin" is his title.',
        "Russian President Vladimir Putin spoke on Tuesday.",
        "Putin also spoke on Wednesday.",
    ]


def test_a_role_with_the_is_cut_at_the_start_of_a_sentence_too():
    people = find_people(ARTICLE)
    heard = name_in_full([
        ("Ms Hewitt said the change would help families.", people),
        ("The Trade and Industry Secretary Patricia Hewitt will report in May.", people),
    ])
    assert heard == [
        "The Trade and Industry Secretary Patricia Hewitt said the change would help families.",
        "Hewitt will report in May.",
    ]
