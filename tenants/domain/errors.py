class TenantError(Exception):
    """Base of tenant catalogue errors; the message says what to do next."""


class InvalidTenant(TenantError):
    pass


class DuplicateTenant(TenantError):
    pass


class TenantNotFound(TenantError):
    pass


class TenantStateConflict(TenantError):
    pass
