"""Building blocks of the ledger's request and response bodies."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from gateway.inputs.fields import Integer, Page
from gateway.inputs.limits import BIGINT_MAX

MAX_PAGE_SIZE = 200


class Strict(Schema):
    """Refuses unknown fields, so a client can never set a server-owned one such as tenant_id."""

    class Meta:
        unknown = RAISE


class PageQuery(Strict):
    page = Page(load_default=1)
    page_size = Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


class PageSchema(Schema):
    page = Page(required=True)
    page_size = Integer(required=True)
    total = Integer(required=True, metadata={"description": "items matching the filter, on every page"})


class Quantity(fields.Field):  # type: ignore[type-arg]
    """A JSON number, handed to the ledger as sent: zero, negative and fractional values fail its check LDG-011
    with a message that says what to do, instead of a generic schema error."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {
            "type": "integer",
            "minimum": 1,
            "maximum": BIGINT_MAX,
            "description": "a whole number of units, 1 or more (LDG-011)",
        }
        super().__init__(required=True, metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError("Send a number of units.")
        if value > BIGINT_MAX:
            raise ValidationError(f"Send at most {BIGINT_MAX} units.")
        return value


PARTY = fields.String(validate=validate.Regexp(r"^[A-Z]{3}$"), metadata={"description": "ISO 3166-1 alpha-3"})
APPROACH_ID = fields.String(validate=validate.Regexp(r"^CA\d{4}$"), metadata={"description": "CARP id CANNNN"})


def enum_field(enum: Any, **kwargs: Any) -> fields.String:
    return fields.String(validate=validate.OneOf([member.value for member in enum]), **kwargs)


def page_body(page: Any) -> dict[str, Any]:
    return {"items": page.items, "page": page.page, "page_size": page.page_size, "total": page.total}


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """The response schema of a list: one page of `item` with its position."""
    schema: type[Schema] = type(name, (PageSchema,), {"items": fields.List(fields.Nested(item), required=True)})
    return schema
