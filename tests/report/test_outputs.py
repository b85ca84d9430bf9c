"""Where a session's reports go."""


def test_two_live_sessions_started_in_the_same_second_get_their_own_folders(tmp_path) -> None:
    """Two browser tabs, or a quick restart: the second session never writes into the first's folder."""
    from formcheck.report.outputs import live_session_folder

    first = live_session_folder(tmp_path, create=True)
    second = live_session_folder(tmp_path, create=True)
    assert first != second and first.is_dir() and second.is_dir()
    third = live_session_folder(tmp_path)  # chosen, not made (the CLI makes it when it writes)
    assert not third.exists() and third not in (first, second)
    assert {p.name.split("-")[0] for p in (first, second, third)} == {first.name.split("-")[0]}
