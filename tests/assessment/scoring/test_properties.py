"""Properties of the engine that must hold for every instrument and every set of answers."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sipko.assessment.scoring import (
    Instrument,
    Result,
    dump_instrument_yaml,
    instrument_to_dict,
    load_instrument_yaml,
    parse_answer,
    parse_instrument,
    score,
)

from .strategies import answer_sets, best_text, instruments, valid_texts

PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
factors = st.sampled_from([Decimal("0.01"), Decimal("0.5"), Decimal(2), Decimal(3), Decimal(7)])


def exact_outcome(result: Result) -> tuple[object, ...]:
    """Everything a result says except the weights as written."""
    return (
        result.index,
        result.index_shown,
        result.predicate,
        tuple((d.score, d.weight_in_index) for d in result.dimensions),
        tuple(
            (line.status, line.raw, line.normalised, line.weight_in_dimension,
             line.weight_in_index, line.contribution)
            for line in result.lines
        ),
    )  # fmt: skip


@PROPERTY
@given(data=st.data(), instrument=instruments)
def test_index_and_scores_stay_within_0_and_100(
    data: st.DataObject, instrument: Instrument
) -> None:
    result = score(instrument, data.draw(answer_sets(instrument)))
    for value in [result.index, *(d.score for d in result.dimensions)]:
        assert value is None or 0 <= value <= 100
    for line in result.lines:
        assert line.normalised is None or 0 <= line.normalised <= 100
    assert (result.index is None) == (result.predicate is None) == (result.index_shown is None)


@PROPERTY
@given(data=st.data(), instrument=instruments)
def test_contributions_add_up_to_the_index_exactly(
    data: st.DataObject, instrument: Instrument
) -> None:
    result = score(instrument, data.draw(answer_sets(instrument)))
    if result.index is None:
        assert all(line.contribution == 0 for line in result.lines)
        return
    assert sum(line.contribution for line in result.lines) == result.index
    assert sum(line.weight_in_index for line in result.lines) == 1
    assert sum(d.weight_in_index for d in result.dimensions) == 1
    for dimension in result.dimensions:
        lines = [line for line in result.lines if line.dimension == dimension.code]
        if dimension.score is not None:
            assert sum(line.weight_in_dimension for line in lines) == 1
            assert sum(line.weight_in_dimension * (line.normalised or 0) for line in lines) == (
                dimension.score
            )


@PROPERTY
@given(data=st.data(), instrument=instruments)
def test_the_shown_index_and_predicate_follow_the_exact_index(
    data: st.DataObject, instrument: Instrument
) -> None:
    result = score(instrument, data.draw(answer_sets(instrument)))
    if result.index is None:
        return
    assert abs(Fraction(result.index_shown) - result.index) <= Fraction(
        1, 2 * 10**instrument.decimals
    )
    assert result.predicate is not None and result.predicate.matches(result.index_shown)
    higher = instrument.predicates[: instrument.predicates.index(result.predicate)]
    assert not any(band.matches(result.index_shown) for band in higher)


@PROPERTY
@given(data=st.data(), instrument=instruments, factor=factors)
def test_scaling_the_weights_of_one_dimension_changes_nothing(
    data: st.DataObject, instrument: Instrument, factor: Decimal
) -> None:
    answers = data.draw(answer_sets(instrument))
    position = data.draw(st.integers(0, len(instrument.dimensions) - 1))
    dimension = instrument.dimensions[position]
    scaled_dimension = dataclasses.replace(
        dimension,
        indicators=tuple(
            dataclasses.replace(ind, weight=ind.weight * factor) for ind in dimension.indicators
        ),
    )
    dimensions = list(instrument.dimensions)
    dimensions[position] = scaled_dimension
    scaled = dataclasses.replace(instrument, dimensions=tuple(dimensions))
    assert exact_outcome(score(scaled, answers)) == exact_outcome(score(instrument, answers))


@PROPERTY
@given(data=st.data(), instrument=instruments, factor=factors)
def test_scaling_all_dimension_weights_changes_nothing(
    data: st.DataObject, instrument: Instrument, factor: Decimal
) -> None:
    answers = data.draw(answer_sets(instrument))
    scaled = dataclasses.replace(
        instrument,
        dimensions=tuple(
            dataclasses.replace(d, weight=d.weight * factor) for d in instrument.dimensions
        ),
    )
    assert exact_outcome(score(scaled, answers)) == exact_outcome(score(instrument, answers))


@PROPERTY
@given(data=st.data(), instrument=instruments)
def test_not_applicable_never_beats_the_best_answer(
    data: st.DataObject, instrument: Instrument
) -> None:
    optional = [ind for ind in instrument.indicators if ind.allow_na]
    if not optional:
        return
    indicator = data.draw(st.sampled_from(optional))
    answers = data.draw(answer_sets(instrument))
    with_na = score(instrument, {**answers, indicator.code: parse_answer(indicator, "NA")})
    with_best = score(
        instrument, {**answers, indicator.code: parse_answer(indicator, best_text(indicator))}
    )
    assert with_best.index is not None
    assert with_na.index is None or with_na.index <= with_best.index
    own = instrument.dimension_of(indicator.code).code
    na_score, best_score = with_na.dimension(own).score, with_best.dimension(own).score
    assert best_score is not None
    assert na_score is None or na_score <= best_score


@PROPERTY
@given(data=st.data(), instrument=instruments)
def test_raising_one_answer_never_lowers_the_index(
    data: st.DataObject, instrument: Instrument
) -> None:
    answers = data.draw(answer_sets(instrument))
    indicator = data.draw(st.sampled_from(instrument.indicators))
    first, second = (parse_answer(indicator, data.draw(valid_texts(indicator))) for _ in range(2))
    results = [
        score(instrument, {**answers, indicator.code: answer})
        for answer in (None, first, second)  # None: unanswered, the lowest of all
    ]
    ranked = sorted(results, key=lambda r: r.line(indicator.code).normalised)
    indexes = [result.index for result in ranked]
    assert indexes == sorted(indexes)
    # The shown index and thus the predicate never go down either.
    shown = [result.index_shown for result in ranked]
    assert shown == sorted(shown)


@PROPERTY
@given(data=st.data(), instrument=instruments)
def test_the_order_of_answers_never_matters(data: st.DataObject, instrument: Instrument) -> None:
    answers = data.draw(answer_sets(instrument))
    shuffled = dict(data.draw(st.permutations(list(answers.items()))))
    assert score(instrument, shuffled) == score(instrument, answers)


@PROPERTY
@given(data=st.data(), instrument=instruments)
def test_to_dict_is_json(data: st.DataObject, instrument: Instrument) -> None:
    result = score(instrument, data.draw(answer_sets(instrument)))
    loaded = json.loads(json.dumps(result.to_dict()))
    if result.index is not None:
        digits = loaded["index"].partition(".")[2]
        assert len(digits) == instrument.decimals
        assert Decimal(loaded["index"]) == result.index_shown


@PROPERTY
@given(instrument=instruments)
def test_instrument_round_trips(instrument: Instrument) -> None:
    data = instrument_to_dict(instrument)
    assert parse_instrument(data) == instrument
    assert parse_instrument(json.loads(json.dumps(data))) == instrument
    assert load_instrument_yaml(dump_instrument_yaml(instrument)) == instrument
    assert load_instrument_yaml(dump_instrument_yaml(instrument).encode()) == instrument
