from collections.abc import Callable

from django.core.exceptions import ValidationError

from portal.errors import ServiceError


def clean_field(normalize: Callable[[str], str], value: str, *, field: str) -> str:
    """Run a validators.normalize_* function, turning its error into a ServiceError naming the field."""
    try:
        return normalize(value)
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], field=field, code=exc.code) from exc
