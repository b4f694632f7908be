"""Integer field types of the API's schemas: each holds what PostgreSQL's bigint can store and what the
registry's domain allows, so an integer out of bounds is a 422 naming the field, never a database error."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from gateway.inputs.limits import BIGINT_MAX, BIGINT_MIN, PAGE_MAX, YEAR_MAX, YEAR_MIN


class Integer(fields.Integer):
    """An integer within bigint; subclasses narrow the bounds to the domain."""

    minimum = BIGINT_MIN
    maximum = BIGINT_MAX

    def __init__(self, **kwargs: Any) -> None:
        given = kwargs.pop("validate", None)
        extra = [given] if callable(given) else list(given or [])
        super().__init__(validate=[validate.Range(min=self.minimum, max=self.maximum), *extra], **kwargs)


class Year(Integer):
    minimum = YEAR_MIN
    maximum = YEAR_MAX


class Page(Integer):
    minimum = 1
    maximum = PAGE_MAX


class Serial(Integer):
    """A unit serial number: 1 up to the last value bigint can hold."""

    minimum = 1


class Count(Integer):
    """A number of things, such as units of an issuance: 1 or more."""

    minimum = 1
