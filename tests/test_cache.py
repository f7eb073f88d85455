from newsprism.cache import ResultCache, cache_key


def test_cache_key_depends_on_content_not_identity():
    assert cache_key("v1", "model.a", ["x", "y"]) == cache_key("v1", "model.a", ["x", "y"])
    assert cache_key("v1", "model.a", ["x", "y"]) != cache_key("v1", "model.b", ["x", "y"])
    assert cache_key("v1", "model.a", ["x", "y"]) != cache_key("v2", "model.a", ["x", "y"])


def test_map_computes_only_misses_in_one_batch(tmp_path):
    cache = ResultCache(tmp_path)
    calls = []

    def compute(positions):
        calls.append(positions)
        return [{"n": i * 10} for i in positions]

    values, stats = cache.map("ns", ["a", "b"], compute)
    assert values == [{"n": 0}, {"n": 10}] and (stats.computed, stats.cached) == (2, 0)
    values, stats = cache.map("ns", ["a", "c", "b"], compute)
    assert values == [{"n": 0}, {"n": 10}, {"n": 10}] and (stats.computed, stats.cached) == (1, 2)
    assert calls == [[0, 1], [1]]
    assert cache.map("ns", ["a"], compute)[1].computed == 0 and calls == [[0, 1], [1]]


def test_disabled_cache_always_computes():
    cache = ResultCache(None)
    values, stats = cache.map("ns", ["a"], lambda positions: [[1] for _ in positions])
    assert values == [[1]] and stats.computed == 1
    assert cache.map("ns", ["a"], lambda positions: [[2] for _ in positions])[0] == [[2]]
