from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

import portal.clock as clock


def test_outside_demo_mode_the_clock_is_real_time_whatever_the_cache_says(settings):
    settings.DEMO_MODE = False
    clock.advance(timedelta(days=3))
    assert clock.is_real_time()
    assert abs(clock.now() - timezone.now()) < timedelta(seconds=5)


def test_in_demo_mode_the_clock_moves_forward_only_and_resets(settings):
    settings.DEMO_MODE = True
    clock.advance(timedelta(hours=5))
    clock.advance(timedelta(hours=1))
    assert clock.offset() == timedelta(hours=6)
    assert abs(clock.now() - timezone.now() - timedelta(hours=6)) < timedelta(seconds=5)
    with pytest.raises(ValueError):
        clock.advance(timedelta(hours=-1))
    clock.restore(timedelta(hours=2))
    assert clock.offset() == timedelta(hours=2)
    clock.reset()
    assert clock.is_real_time()


def test_a_pinned_moment_holds_in_its_block_only():
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with clock.pinned(moment):
        assert clock.now() == moment
        assert clock.localdate().isoformat() == "2026-03-02"
    assert clock.now() != moment
