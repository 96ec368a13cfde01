"""A dict kept as a base file and a small delta: what is saved is what is loaded, and a few new
entries do not rewrite the base."""
from generator.cache.packs import Pack


def test_saved_entries_load_again_and_a_few_new_ones_go_to_the_delta(tmp_path):
    path = tmp_path / "pack.pickle"
    first = {f"k{i}": i for i in range(100)}
    pack = Pack(path, "1")
    assert pack.load() == {}
    pack.save(first)
    base = path.stat().st_mtime_ns, path.read_bytes()
    again = Pack(path, "1")
    assert again.load() == first
    second = {**{k: v for k, v in first.items() if k != "k0"}, "new": -1}
    again.save(second)
    assert (path.stat().st_mtime_ns, path.read_bytes()) == base  # the base was not rewritten
    assert path.with_name("pack.pickle.delta").exists()
    third = Pack(path, "1")
    loaded = third.load()
    assert loaded.items() >= second.items()  # k0 may stay: an unused entry is harmless
    assert Pack(path, "2").load() == {}  # another version shares nothing


def test_many_new_entries_rewrite_the_base(tmp_path):
    path = tmp_path / "pack.pickle"
    pack = Pack(path, "1")
    pack.load()
    pack.save({f"k{i}": i for i in range(80)})
    pack = Pack(path, "1")
    pack.load()
    fresh = {f"n{i}": i for i in range(80)}  # nothing in common: the base would double
    pack.save(fresh)
    assert not path.with_name("pack.pickle.delta").exists()
    assert Pack(path, "1").load() == fresh


def test_an_unreadable_pack_is_empty(tmp_path):
    path = tmp_path / "pack.pickle"
    path.write_bytes(b"garbage")
    assert Pack(path, "1").load() == {}
