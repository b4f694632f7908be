from dataclasses import dataclass, field

from services.shared.messages import Event


@dataclass(kw_only=True)
class Aggregate:
    """An object loaded and saved as a whole; it records the events of its changes."""

    events: list[Event] = field(default_factory=list, compare=False, repr=False)

    def record(self, event: Event) -> None:
        self.events.append(event)
