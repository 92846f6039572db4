import stat

from portal.accounts.providers.mockvneid.keys import signing_key_pem


def test_a_configured_key_is_used_as_it_is(tmp_path):
    assert signing_key_pem(configured="-----BEGIN PRIVATE KEY-----x", path=tmp_path / "k.pem").endswith("x")
    assert not (tmp_path / "k.pem").exists()


def test_a_key_is_generated_once_outside_the_repository_and_kept(tmp_path):
    path = tmp_path / "mockvneid" / "oidc.pem"
    first = signing_key_pem(configured="", path=path)
    assert first.startswith("-----BEGIN PRIVATE KEY-----")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing_key_pem(configured=" ", path=path) == first


def test_an_unwritable_place_gives_no_key_rather_than_a_failed_start(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    assert signing_key_pem(configured="", path=blocker / "mockvneid" / "oidc.pem") == ""
