"""The store's index and incremental loading (loaders.index, loaders.store): the same data as
reading every file, new and changed files seen, ingests at once storing each report once, and a
crash leaving the store as it was."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import time

import numpy as np
import pandas as pd
import pytest

from loaders import index, store as store_module
from loaders.index import FOLDER, read_index
from loaders.access import User
from loaders.store import LiveStore, _current_after, current_rows, ingest, load_store
from loaders.submit import check, submit
from test_workbook import COL, FIRST, filled

OFFICER = User("can.bo@thachkhoi.vn", "officer", frozenset({"11002"}))  # Thạch Khôi's


def same(a, b, kinds=None) -> None:
    assert [f.path for f in a.files] == [f.path for f in b.files]
    def rows(data, part, kind):  # by file name (a load's files as categories may come in another order), then key
        frame = getattr(data, part)[kind]
        frame = frame.assign(snapshot=frame["snapshot"].astype(str))
        return frame.sort_values(["snapshot", *data.history[kind].columns[:3].tolist()]).reset_index(drop=True)

    for kind in kinds or a.history:
        for part in ("history", "current"):
            x, y = rows(a, part, kind), rows(b, part, kind)
            pd.testing.assert_frame_equal(x, y[x.columns], check_dtype=False)


def a_store(tmp_path, write_snapshot, biz_frame, act_frame):
    store = tmp_path / "store"
    write_snapshot(biz_frame, "b.parquet", tmp_path / "in")
    write_snapshot(act_frame, "a.parquet", tmp_path / "in")
    assert ingest([tmp_path / "in"], store).ok
    return store


def test_loading_through_the_index_gives_what_reading_every_file_gives(tmp_path, write_snapshot, biz_frame, act_frame):
    store = a_store(tmp_path, write_snapshot, biz_frame, act_frame)
    assert read_index(store).stamps  # ingest wrote it
    time.sleep(2.1)  # past the racy window, so that the index is trusted
    with_index = load_store(store)
    shutil.rmtree(store / FOLDER)
    same(with_index, load_store(store))


def test_each_ingest_adds_a_segment_and_every_few_they_are_merged(tmp_path, write_snapshot, biz_frame, monkeypatch):
    monkeypatch.setattr(index, "COMPACT_AFTER", 3)
    store = tmp_path / "store"
    for i, code in enumerate(["11002", "10615", "10570", "10633"]):
        write_snapshot(biz_frame.assign(unit_code=code), f"{code}.parquet", tmp_path / f"in{i}")
        assert ingest([tmp_path / f"in{i}"], store).ok
        assert len(read_index(store, rows=False).segments) == [1, 2, 3, 1][i]  # the 4th ingest merged them
    first = next(store.glob("ingest-*"))
    shutil.rmtree(first)  # a report removed by hand: dropped from the index at the next merge
    for i, code in enumerate(["11948", "10507", "10525"]):
        write_snapshot(biz_frame.assign(unit_code=code), f"{code}.parquet", tmp_path / f"more{i}")
        assert ingest([tmp_path / f"more{i}"], store).ok
    merged = read_index(store)
    assert len(merged.segments) == 1 and len(merged.stamps) == 6
    assert not any(p.startswith(first.name) for p in merged.stamps)
    assert len(list((store / FOLDER).glob("s-*"))) <= 1 + index.KEEP + 1  # older segments removed
    time.sleep(2.1)
    with_index = load_store(store)
    shutil.rmtree(store / FOLDER)
    same(with_index, load_store(store))


def test_a_merge_leaves_a_segment_much_larger_than_those_after_it_as_it_is_until_they_add_up(tmp_path, write_snapshot, biz_frame, monkeypatch):
    monkeypatch.setattr(index, "COMPACT_AFTER", 3)
    store = tmp_path / "store"
    codes = ["11002", "10615", "10570", "10633", "11948", "10507", "10525", "10606"]
    for code in codes:
        write_snapshot(biz_frame.assign(unit_code=code), f"{code}.parquet", tmp_path / "big")
    assert ingest([tmp_path / "big"], store).ok  # a store's first 8 files, in one segment
    big = read_index(store, rows=False).segments[0]
    sizes = []
    for i, code in enumerate(["10532", "10537", "10543", "10546", "10549"]):
        write_snapshot(biz_frame.assign(unit_code=code, businesses=[7 + i, 8]), f"{code}.parquet", tmp_path / f"in{i}")
        assert ingest([tmp_path / f"in{i}"], store).ok
        segments = read_index(store, rows=False).segments
        sizes.append([len(index._segment(store / FOLDER / name).stamps) for name in segments])
        assert (segments[0] == big) == (i < 4)
    # 8 files: more than twice the 3 after them, kept as they are at the 3rd ingest; merged at the 5th,
    # with 5 after them
    assert sizes == [[8, 1], [8, 1, 1], [8, 3], [8, 3, 1], [13]]
    time.sleep(2.1)
    with_index = load_store(store)
    assert len(with_index.files) == 13
    shutil.rmtree(store / FOLDER)
    same(with_index, load_store(store))


def test_a_file_dropped_in_by_hand_is_seen_and_a_rewritten_one_read_again(tmp_path, write_snapshot, biz_frame, act_frame):
    store = a_store(tmp_path, write_snapshot, biz_frame, act_frame)
    first = load_store(store)
    other = biz_frame.assign(unit_code="10615")
    write_snapshot(other, "hand/x.parquet", store)
    second = load_store(store, first)
    assert second is not first and "hand/x.parquet" in [f.path for f in second.files]
    assert set(second.current["businesses"]["unit_code"]) == {"11002", "10615"}
    # the same size and time, other bytes: within the racy window it is read again
    path = store / "hand" / "x.parquet"
    stamp = path.stat()
    write_snapshot(other.assign(businesses=[99, 8], digital_any=[6, 4]), "hand/x.parquet", store)
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    third = load_store(store, second)
    assert 99 in third.current["businesses"]["businesses"].tolist()


def test_nothing_changed_gives_the_same_object(tmp_path, write_snapshot, biz_frame, act_frame):
    store = a_store(tmp_path, write_snapshot, biz_frame, act_frame)
    time.sleep(2.1)
    live = LiveStore(store)
    first = live.get()
    assert live.get() is first and live.get().version == first.version
    write_snapshot(biz_frame.assign(unit_code="10615"), "y.parquet", store)
    assert live.get() is not first and live.get().version != first.version


def test_loading_never_writes_into_the_store(tmp_path, write_snapshot, biz_frame, tree_state):
    write_snapshot(biz_frame, "b.parquet", tmp_path / "s")
    before = tree_state(tmp_path / "s")
    load_store(tmp_path / "s")
    assert tree_state(tmp_path / "s") == before


def _ingest(args):
    src, store = args
    return ingest([src], store).added


@pytest.mark.parametrize("repeat", range(20))
def test_two_ingests_of_the_same_files_at_once_store_them_once(tmp_path, write_snapshot, biz_frame, repeat):
    src = write_snapshot(biz_frame, "b.parquet", tmp_path / "in")
    with multiprocessing.get_context("fork").Pool(2) as pool:
        added = pool.map(_ingest, [(src, tmp_path / "store")] * 2)
    assert sorted(len(a) for a in added) == [0, 1]
    assert len(list((tmp_path / "store").glob("ingest-*/*.parquet"))) == 1


def test_two_different_reports_at_once_are_both_stored(tmp_path, write_snapshot, biz_frame):
    one = write_snapshot(biz_frame, "one.parquet", tmp_path / "in1")
    two = write_snapshot(biz_frame.assign(unit_code="10615"), "two.parquet", tmp_path / "in2")
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_ingest, [(one, tmp_path / "store"), (two, tmp_path / "store")])
    data = load_store(tmp_path / "store")
    assert set(data.current["businesses"]["unit_code"]) == {"11002", "10615"}
    assert set(read_index(tmp_path / "store").stamps) == {f.path for f in data.files}


def _crash(args):
    src, store = args
    import loaders.store as s

    def die(*a, **k):
        os._exit(1)  # killed midway: after staging the batch, before renaming it into place
    s.os.rename = die
    ingest([src], store)


def test_a_crash_midway_leaves_the_store_as_it_was_and_the_next_ingest_cleans_up(tmp_path, write_snapshot, biz_frame,
                                                                                  act_frame, tree_state):
    store = a_store(tmp_path, write_snapshot, biz_frame, act_frame)
    reports = lambda: {k: v for k, v in tree_state(store).items() if not k.startswith(".")}  # noqa: E731
    before = reports()
    src = write_snapshot(biz_frame.assign(unit_code="10615"), "c.parquet", tmp_path / "in3")
    child = multiprocessing.get_context("fork").Process(target=_crash, args=((src, store),))
    child.start()
    child.join()
    assert child.exitcode == 1 and reports() == before and list(store.glob(".staging-*"))
    assert load_store(store).current["businesses"]["unit_code"].unique().tolist() == ["11002"]
    assert ingest([src], store).ok and not list(store.glob(".staging-*"))
    assert "10615" in set(load_store(store).current["businesses"]["unit_code"])


def _chosen_by_hand(history: pd.DataFrame) -> set[tuple]:
    """The current rows by the contract's words: per (period, unit), the rows of the file with the
    latest submitted_at, the later path on a tie."""
    best = {}
    for row in history.itertuples():
        key, rank = (row.period, row.unit_code), (row.submitted_at, row.snapshot)
        best[key] = max(best.get(key, rank), rank)
    return {(r.snapshot, r.period, r.unit_code, r.sector) for r in history.itertuples()
            if (r.submitted_at, r.snapshot) == best[(r.period, r.unit_code)]}


@pytest.mark.parametrize("seed", range(6))
def test_current_rows_chosen_again_for_new_files_only_are_those_of_the_whole_history(seed):
    rng = np.random.default_rng(seed)
    files = []
    for i in range(40):  # reports of 3 units × 2 periods, some whole, some partial, times that tie
        period, unit = rng.choice(["2025-H2", "2026-H1"]), rng.choice(["11002", "10615", "10633"])
        sectors = rng.choice(["ocop", "khac", "thuc_pham"], size=rng.integers(1, 4), replace=False)
        at = pd.Timestamp("2026-06-01", tz="Asia/Ho_Chi_Minh") + pd.Timedelta(hours=int(rng.integers(0, 5)))
        files.append(pd.DataFrame({"period": period, "unit_code": unit, "sector": sectors, "submitted_at": at,
                                   "snapshot": f"f{rng.integers(0, 99):02d}-{i}.parquet"}))
    history = pd.concat(files, ignore_index=True)
    as_set = lambda frame: {(r.snapshot, r.period, r.unit_code, r.sector) for r in frame.itertuples()}  # noqa: E731
    whole = current_rows(history, "businesses")
    assert as_set(whole) == _chosen_by_hand(history) and len(whole) == len(as_set(whole))
    cut = int(rng.integers(1, 39))
    before = history[history["snapshot"].isin({f["snapshot"].iloc[0] for f in files[:cut]})]
    after = _current_after(current_rows(before, "businesses"), history.drop(before.index), "businesses")
    assert as_set(after) == as_set(whole) and len(after) == len(whole)


def _aged(store) -> None:
    """Every folder of the store dated a minute back, as a store some while after its last ingest."""
    past = time.time_ns() - 60 * 10**9
    for folder in [store, *[p for p in store.rglob("*") if p.is_dir()]]:
        os.utime(folder, ns=(past, past))


def test_a_look_lists_only_the_folders_that_changed_and_stats_every_file_when_due(tmp_path, write_snapshot, biz_frame, act_frame):
    store = a_store(tmp_path, write_snapshot, biz_frame, act_frame)
    _aged(store)
    first = index.look(store)
    assert set(first.stamps) == {f.relative_to(store).as_posix() for f in store.rglob("*.parquet")}
    assert index.look(store, first, full_after=60) is first  # nothing changed: the folders' times say so
    write_snapshot(biz_frame.assign(unit_code="10615"), "hand/x.parquet", store)
    second = index.look(store, first, full_after=60)
    assert "hand/x.parquet" in second.stamps and set(first.stamps) < set(second.stamps)
    (store / "hand" / "x.parquet").unlink()
    assert set(index.look(store, second, full_after=60).stamps) == set(first.stamps)
    # a file rewritten in place leaves its folder's time: seen when every file is stat'ed again
    _aged(store)
    settled = index.look(store, index.look(store), full_after=60)
    some = next(iter(settled.stamps))
    write_snapshot(biz_frame.assign(businesses=[99, 8], digital_any=[6, 4]), some, store)
    os.utime(store / some.rpartition("/")[0], ns=(settled.folders[some.rpartition("/")[0] + "/"][0],) * 2)
    assert index.look(store, settled, full_after=60).stamps[some] == settled.stamps[some]
    assert index.look(store, settled, full_after=0).stamps[some] != settled.stamps[some]


def test_a_look_gives_the_files_in_the_order_of_their_paths_whole_or_in_part(tmp_path, write_snapshot, biz_frame):
    """Files beside folders at several depths ("a-b/…" < "a.parquet" < "a/…": "-" < "." < "/"), as a
    whole look sees them and after one folder was listed again (the load keeps the files in that order)."""
    for name in ["a.parquet", "a/x.parquet", "a-b/y.parquet", "b.parquet", "a/z/q.parquet", "a/z.parquet",
                 "a/zz.parquet", "c/d/e/f.parquet", "c.parquet"]:
        write_snapshot(biz_frame, name, tmp_path / "s")
    _aged(tmp_path / "s")
    first = index.look(tmp_path / "s")
    assert list(first.stamps) == ["a-b/y.parquet", "a.parquet", "a/x.parquet", "a/z.parquet", "a/z/q.parquet",
                                  "a/zz.parquet", "b.parquet", "c.parquet", "c/d/e/f.parquet"]
    write_snapshot(biz_frame, "a/z/p.parquet", tmp_path / "s")
    again = index.look(tmp_path / "s", first, full_after=60)  # only a/z/ listed again
    assert list(again.stamps) == sorted(again.stamps) and "a/z/p.parquet" in again.stamps
    assert again.stamps == index.look(tmp_path / "s").stamps


def test_an_ingest_merges_the_index_manifests_once_per_list_of_segments(tmp_path, write_snapshot, biz_frame, act_frame):
    store = a_store(tmp_path, write_snapshot, biz_frame, act_frame)
    first = read_index(store, rows=False)
    assert read_index(store, rows=False).stamps is first.stamps  # the same list: merged once
    write_snapshot(act_frame.iloc[:1].assign(unit_code="10615"), "in2/a.parquet", tmp_path)
    assert ingest([tmp_path / "in2"], store).ok
    after = read_index(store, rows=False)
    assert after.stamps is not first.stamps and set(first.stamps) < set(after.stamps)
    assert read_index(store).stamps == after.stamps and len(read_index(store).rows["activities"]) == len(act_frame) + 1


def test_a_server_sees_a_submission_on_the_next_rerun_without_statting_every_file(tmp_path, write_snapshot, biz_frame,
                                                                                    act_frame, monkeypatch):
    store = a_store(tmp_path, write_snapshot, biz_frame, act_frame)
    _aged(store)
    live = LiveStore(store)
    first = live.get()
    batch = next(store.glob("ingest-*")).name
    listed = []
    real_scandir = os.scandir
    def scandir(path):  # the folders the looks list (ingest reads the store's first file to see it is not the sample)
        if sys._getframe(1).f_code.co_filename == index.__file__:
            listed.append(str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert live.get() is first and not listed  # a rerun with nothing new lists no folder
    write_snapshot(act_frame.iloc[:1].assign(unit_code="10615"), "in2/a.parquet", tmp_path)
    assert ingest([tmp_path / "in2"], store).ok
    second = live.get()
    assert "10615" in set(second.current["activities"]["unit_code"])
    assert listed and not any(p.endswith(batch) for p in listed)  # the earlier batch's folder was not listed again


def test_a_submission_is_read_once_and_a_servers_next_load_takes_it_from_the_ingest(tmp_path, monkeypatch):
    """The workbook checked on the page is not read again by the ingest; the files the ingest reads
    back for the index are handed to the next load of the same store in this server (not read a
    third time), while they keep the stamps they were read with; the rows are what a fresh read gives."""
    store = tmp_path / "store"
    assert submit(store, check(filled(), "first.xlsx", "11002", "2026-H1"), OFFICER).added
    live = LiveStore(store)
    live.get()
    checked = check(filled({f"{COL['businesses']}{FIRST}": 11}), "second.xlsx", "11002", "2026-H1")
    reads = []
    real = store_module.read_snapshots
    monkeypatch.setattr(store_module, "read_workbook", lambda *a, **k: pytest.fail("the checked workbook read again"))
    def read_snapshots(paths, names=None, checked=False):  # the files read from their bytes (none: a check of no Parquet input)
        if paths:
            reads.append((list(names), checked))
        return real(paths, names, checked=checked)

    monkeypatch.setattr(store_module, "read_snapshots", read_snapshots)
    at = pd.Timestamp.now(tz="Asia/Ho_Chi_Minh")  # later than the first report: current
    added = [p for p in submit(store, checked, OFFICER, at=at).added if p.endswith(".parquet")]
    assert reads == [(added, True)]  # by the ingest, for the index, its values not checked again
    after = live.get()
    assert reads == [(added, True)]  # not again by the load
    stored = after.report("11002", "2026-H1")[0]
    assert len(stored) and (stored["submitted_at"] == at).all()
    same(after, load_store(store), kinds=["businesses", "activities"])  # (the kinds it has rows of)
    assert store.absolute() not in store_module._HANDOVER  # taken, not kept


def test_handed_over_files_are_read_again_when_their_stamp_changed_and_only_a_server_keeps_them(tmp_path, write_snapshot,
                                                                                                   biz_frame, act_frame):
    store = a_store(tmp_path, write_snapshot, biz_frame, act_frame)
    write_snapshot(act_frame.iloc[:1].assign(unit_code="10615"), "in2/a.parquet", tmp_path)
    assert ingest([tmp_path / "in2"], store).ok
    assert store.absolute() not in store_module._HANDOVER  # no LiveStore of this store in the process: a command line keeps nothing
    live = LiveStore(store)
    live.get()
    write_snapshot(act_frame.iloc[:1].assign(unit_code="10633"), "in3/a.parquet", tmp_path)
    added = ingest([tmp_path / "in3"], store).added
    [(stamp, _)] = store_module._HANDOVER[store.absolute()].values()
    assert store_module._handed(store, {added[0]: (stamp[0], stamp[1] + 1)}) == {}  # rewritten since: read again
    write_snapshot(act_frame.iloc[:1].assign(unit_code="10507"), "in4/a.parquet", tmp_path)
    assert ingest([tmp_path / "in4"], store).ok
    write_snapshot(act_frame.iloc[:1].assign(unit_code="11914"), "hand/b.parquet", store)  # by hand, just now
    assert ingest([tmp_path / "in3"], store).already_there  # an ingest that reads the hand's file for the index
    assert "hand/b.parquet" not in store_module._HANDOVER.get(store.absolute(), {})  # too new to be trusted by its stamp


def test_a_submission_stamped_later_than_now_is_checked_again_and_refused(tmp_path):
    store = tmp_path / "store"
    assert submit(store, check(filled(), "first.xlsx", "11002", "2026-H1"), OFFICER).added
    later = pd.Timestamp.now(tz="Asia/Ho_Chi_Minh") + pd.Timedelta(days=1)
    result = submit(store, check(filled(), "second.xlsx", "11002", "2026-H1"), OFFICER, at=later)
    assert not result.added and {p.rule for p in result.problems} == {"submitted_future"}


def _full_comparison(store):
    """What an ingest's comparison of the store with its index finds with no earlier one to start from."""
    saved = store_module._COMPARED.pop(store.absolute(), None)
    try:
        return store_module._compare(store, read_index(store, rows=False), store_module.look_now(store))
    finally:
        if saved is not None:
            store_module._COMPARED[store.absolute()] = saved


def test_an_ingest_compares_again_only_what_changed_and_finds_what_comparing_every_file_finds(
        tmp_path, write_snapshot, biz_frame, monkeypatch):
    store = tmp_path / "store"
    for i, code in enumerate(["11002", "10615", "10570", "10633", "10573", "10603"]):
        write_snapshot(biz_frame.assign(unit_code=code), f"in/{i}.parquet", tmp_path)
    assert ingest([tmp_path / "in"], store).ok
    _aged(store)
    compared = []
    real = store_module.holds
    monkeypatch.setattr(store_module, "holds", lambda *a: compared.append(a[1]) or real(*a))
    hand = write_snapshot(biz_frame.assign(unit_code="10606"), "hand/x.parquet", store)  # placed by hand: not in the index
    os.utime(hand, ns=(time.time_ns() - 60 * 10**9,) * 2)  # a minute ago
    write_snapshot(biz_frame.iloc[:1].assign(unit_code="10615"), "in2/a.parquet", tmp_path)
    assert ingest([tmp_path / "in2"], store).ok
    first = store_module._COMPARED[store.absolute()]
    assert first.unsure == ["hand/x.parquet"]  # then read into the index, with the batch
    compared.clear()
    write_snapshot(biz_frame.iloc[:1].assign(unit_code="10570"), "in3/a.parquet", tmp_path)
    assert ingest([tmp_path / "in3"], store).ok
    # the second ingest compared the files of the folders listed again and of the segment added, not all
    assert 0 < len(set(compared)) < len(store_module.look_now(store).stamps) - 1
    for seen in (store_module._COMPARED[store.absolute()], _full_comparison(store)):
        assert seen.unsure == [] and seen.named("x.parquet") and not seen.named("0" * 16)
    # a file rewritten by hand in place, seen by the next whole look, is compared again and indexed anew
    some = next(p for p in store_module.look_now(store).stamps if p.startswith("ingest-"))
    write_snapshot(biz_frame.assign(unit_code="10633", businesses=[99, 8], digital_any=[6, 4]), some, store)
    monkeypatch.setitem(store_module.settings()["data"], "full_look_seconds", 0)
    write_snapshot(biz_frame.iloc[:1].assign(unit_code="10573"), "in4/a.parquet", tmp_path)
    assert ingest([tmp_path / "in4"], store).ok
    assert store_module._COMPARED[store.absolute()].unsure == _full_comparison(store).unsure == [some]
    assert read_index(store, rows=False).stamps[some] == store_module.look_now(store).stamps[some]


def test_bytes_the_store_holds_under_another_name_are_not_stored_again_unless_that_file_changed(
        tmp_path, write_snapshot, biz_frame, act_frame, monkeypatch):
    store = a_store(tmp_path, write_snapshot, biz_frame, act_frame)
    copy = write_snapshot(biz_frame.assign(unit_code="10615"), "hand/copy.parquet", store)  # placed by hand
    os.utime(copy, ns=(time.time_ns() - 60 * 10**9,) * 2)
    write_snapshot(biz_frame.assign(unit_code="10615"), "in2/same.parquet", tmp_path)
    first = ingest([tmp_path / "in2"], store)  # the copy is new to the index: hashed, and so found
    assert first.ok and not first.added and first.already_there == [str(tmp_path / "in2" / "same.parquet")]
    assert "hand/copy.parquet" in read_index(store, rows=False).stamps
    second = ingest([tmp_path / "in2"], store)  # its entry in the index now says which bytes it holds
    assert second.ok and not second.added and not store_module._COMPARED[store.absolute()].unsure
    write_snapshot(biz_frame.assign(unit_code="10615", businesses=[99, 8], digital_any=[6, 4]), "hand/copy.parquet", store)
    os.utime(copy, ns=(time.time_ns() - 60 * 10**9,) * 2)
    monkeypatch.setitem(store_module.settings()["data"], "full_look_seconds", 0)  # the next look stats every file
    third = ingest([tmp_path / "in2"], store)  # those bytes are in no file now
    assert third.ok and len(third.added) == 1


def test_a_submissions_history_is_joined_when_first_read_and_is_that_of_a_whole_load(tmp_path, write_snapshot,
                                                                                      biz_frame, act_frame):
    store = a_store(tmp_path, write_snapshot, biz_frame, act_frame)
    _aged(store)
    live = LiveStore(store)
    live.get()
    write_snapshot(biz_frame.iloc[:1].assign(unit_code="10615"), "in2/b.parquet", tmp_path)
    assert ingest([tmp_path / "in2"], store).ok
    second = live.get()
    assert len(second.history.parts("businesses")) == 2 and len(second.history.parts("activities")) == 1
    write_snapshot(biz_frame.iloc[:1].assign(unit_code="10570"), "in3/b.parquet", tmp_path)
    assert ingest([tmp_path / "in3"], store).ok
    third = live.get()
    assert len(third.history.parts("businesses")) == 3  # still apart: nobody read the second's
    assert len(third.history["businesses"]) == len(biz_frame) + 2 and len(third.history.parts("businesses")) == 1
    same(third, load_store(store), kinds=["businesses", "activities"])


def test_stacking_frames_by_their_category_codes_gives_what_concat_gives():
    paths = pd.CategoricalDtype(["a.parquet", "b.parquet", "c.parquet"])
    one = pd.DataFrame({"n": [1, 2], "snapshot": pd.Categorical(["b.parquet", "a.parquet"], dtype=paths),
                        "text": ["x", None], "at": pd.to_datetime(["2026-01-01", "2026-02-01"]).tz_localize("UTC")})
    two = pd.DataFrame({"n": [3], "snapshot": pd.Categorical(["c.parquet"], dtype=paths), "text": ["y"],
                        "at": pd.to_datetime(["2026-03-01"]).tz_localize("UTC")}, index=[7])
    other = two.assign(snapshot=pd.Categorical(["c.parquet"], categories=["c.parquet"]))  # other categories: concat's way
    legacy = two.assign(estimated=[True])  # an optional column (a converted report's) that the first lacks
    for frames in ([one, two], [one, other], [one, legacy], [legacy, one.drop(columns="text")]):
        pd.testing.assert_frame_equal(store_module._stack(frames), pd.concat(frames, ignore_index=True))
        keep = np.array([False, True] if len(frames[0]) == 2 else [True])
        pd.testing.assert_frame_equal(store_module._stack(frames, keep=keep),
                                      pd.concat([frames[0][keep], *frames[1:]], ignore_index=True))


def test_rows_left_out_in_runs_give_what_a_boolean_mask_gives_copied_run_by_run_or_by_the_mask(monkeypatch):
    paths = pd.CategoricalDtype([f"{i}.parquet" for i in range(4)])
    big = pd.DataFrame({"n": np.arange(12, dtype=np.int64), "snapshot": pd.Categorical.from_codes(np.arange(12) % 4, dtype=paths),
                        "share": np.linspace(0, 1, 12)})
    new = big.head(2).assign(n=[100, 101])
    # kept: the first and last rows alone, runs in the middle, all but the first, all but the last
    for left_out in ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0, 3, 4, 8, 11], [0], [11], []):
        keep = np.ones(12, dtype=bool)
        keep[left_out] = False
        expected = pd.concat([big[keep], new], ignore_index=True)
        for many in (256, 1):  # copied a run at a time; more runs than MANY_RUNS: by the boolean mask
            monkeypatch.setattr(store_module, "MANY_RUNS", many)
            pd.testing.assert_frame_equal(store_module._stack([big, new], keep=keep), expected)


def test_a_few_rows_take_their_category_codes_from_their_own_values_and_one_outside_stays_text():
    paths = pd.CategoricalDtype([f"ingest-1/{i:04d}.parquet" for i in range(50)])
    rows = pd.DataFrame({"snapshot": ["ingest-1/0042.parquet", "ingest-1/0007.parquet", "ingest-1/0042.parquet"]})
    out = store_module.as_categories(rows, paths)
    assert out["snapshot"].dtype is paths and out["snapshot"].cat.codes.tolist() == [42, 7, 42]
    stray = store_module.as_categories(rows.assign(snapshot=["ingest-1/0042.parquet", "elsewhere.parquet", None]), paths)
    assert not isinstance(stray["snapshot"].dtype, pd.CategoricalDtype)


def test_an_ingest_checks_again_a_copied_file_and_one_placed_by_hand_but_not_a_workbooks_checked_snapshots(
        tmp_path, write_snapshot, biz_frame, act_frame, monkeypatch):
    store = a_store(tmp_path, write_snapshot, biz_frame, act_frame)
    bad = write_snapshot(biz_frame.assign(unit_code="10615", businesses=[-1, 8]), "hand/bad.parquet", store)
    os.utime(bad, ns=(time.time_ns() - 60 * 10**9,) * 2)
    checked = []
    real = store_module.read_snapshots
    monkeypatch.setattr(store_module, "read_snapshots", lambda paths, names=None, **kw: checked.append(
        (tuple(names or paths), kw.get("checked", False))) or real(paths, names, **kw))
    # a Parquet file rewritten with a bad value after check_inputs read it, before the ingest copies it
    write_snapshot(act_frame.iloc[:1].assign(unit_code="10570"), "in2/a.parquet", tmp_path)
    real_write = store_module._write_batch
    def rewritten_meanwhile(*args):
        write_snapshot(act_frame.iloc[:1].assign(unit_code="10570", trainees=[-3]), "in2/a.parquet", tmp_path)
        return real_write(*args)

    monkeypatch.setattr(store_module, "_write_batch", rewritten_meanwhile)
    copied = ingest([tmp_path / "in2"], store)
    assert copied.ok and (("hand/bad.parquet", *copied.added), False) in checked
    assert not any(again for names, again in checked if names)  # nothing read unchecked
    assert read_index(store, rows=False).files["hand/bad.parquet"]["problems"]  # refused in the index too
    loaded = load_store(store)
    assert {"hand/bad.parquet", *copied.added} <= {f.path for f in loaded.invalid}
    assert "10570" not in set(loaded.current["activities"]["unit_code"])
    monkeypatch.setattr(store_module, "_write_batch", real_write)
    checked.clear()
    added = [p for p in submit(store, check(filled(), "b.xlsx", "11002", "2026-H1"), OFFICER).added if p.endswith(".parquet")]
    assert [c for c in checked if c[0]] == [(tuple(added), True)]  # a workbook's snapshots, from the frames checked: not again
