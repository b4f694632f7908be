"""The API and the console translate a unit action's request data into its command in one place."""

from gateway.ledger import action_commands
from gateway.web.console.action_specs import UNIT_ACTIONS


def test_each_console_action_builds_its_command_with_the_translation_the_api_uses() -> None:
    built_by = {action.slug: action.build for action in UNIT_ACTIONS}

    assert built_by == action_commands.COMMANDS
    assert len(built_by) == 11
