class IdentityError(Exception):
    """Base of identity errors; the message says what to do next."""


class InvalidCredentials(IdentityError):
    """Wrong username, password or one-time code, or a locked account: the message never says which."""

    def __init__(self) -> None:
        super().__init__("the username, password or one-time code is wrong")


class InvalidUser(IdentityError):
    pass


class DuplicateUser(IdentityError):
    pass


class UserNotFound(IdentityError):
    pass


class AdministratorExists(IdentityError):
    pass


class InvalidClient(IdentityError):
    pass


class InvalidIdentityProvider(IdentityError):
    pass


class MfaError(IdentityError):
    pass
