"""The embedded bus: a durable, ordered log in the platform's own database.

It is what the run command uses instead of Kafka, and it keeps Kafka's contract: a publish returns once
the messages are stored; each topic is one ordered log; a consumer group commits its own position and
resumes there; dead letters are just another topic. Only the relay (one leader) appends, so positions
are assigned without gaps or races.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import RowMapping, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from services.events.adapters.orm import bus_log, bus_offsets
from services.events.service_layer.ports import InboundMessage, OutboundMessage, PublishFailed
from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import Database


class SqlLogPublisher:
    def __init__(self, database: Database, clock: Clock = SYSTEM_CLOCK) -> None:
        self.database = database
        self.clock = clock

    def publish(self, messages: Sequence[OutboundMessage]) -> None:
        if not messages:
            return
        now = self.clock.now()
        try:
            with self.database.transaction(None) as session:
                for topic in dict.fromkeys(m.topic for m in messages):
                    last = session.scalar(select(func.max(bus_log.c.position)).where(bus_log.c.topic == topic))
                    rows = [m for m in messages if m.topic == topic]
                    session.execute(
                        insert(bus_log),
                        [
                            {
                                "topic": topic,
                                "position": (last or 0) + n,
                                "message_key": m.key,
                                "payload": m.value,
                                "headers": {k: v.decode() for k, v in m.headers},
                                "appended_at": now,
                            }
                            for n, m in enumerate(rows, start=1)
                        ],
                    )
        except IntegrityError as error:
            raise PublishFailed(f"another writer appended to the log concurrently: {error}") from error

    def close(self) -> None:
        return None


class SqlLogSubscription:
    def __init__(self, database: Database, group: str, topics: Sequence[str]) -> None:
        self.database = database
        self.group = group
        self.topics = list(topics)

    def poll(self, timeout_s: float, max_records: int) -> list[InboundMessage]:
        messages: list[InboundMessage] = []
        with self.database.session(None) as session:
            for topic in self.topics:
                query = (
                    select(bus_log)
                    .where(bus_log.c.topic == topic, bus_log.c.position > self._position(topic))
                    .order_by(bus_log.c.position)
                    .limit(max_records - len(messages))
                )
                messages += [_inbound(row) for row in session.execute(query).mappings()]
                if len(messages) >= max_records:
                    break
        return messages

    def commit(self, messages: Sequence[InboundMessage]) -> None:
        last: dict[str, int] = {}
        for message in messages:
            last[message.topic] = max(message.offset, last.get(message.topic, message.offset))
        if not last:
            return
        with self.database.transaction(None) as session:
            for topic, position in last.items():
                changed = session.execute(
                    update(bus_offsets)
                    .where(bus_offsets.c.consumer_group == self.group, bus_offsets.c.topic == topic)
                    .values(position=position)
                ).rowcount  # type: ignore[attr-defined]
                if not changed:
                    session.execute(
                        insert(bus_offsets).values(consumer_group=self.group, topic=topic, position=position)
                    )

    def seek_to_beginning(self) -> None:
        with self.database.transaction(None) as session:
            session.execute(update(bus_offsets).where(bus_offsets.c.consumer_group == self.group).values(position=0))

    def lag(self) -> int:
        total = 0
        with self.database.session(None) as session:
            for topic in self.topics:
                end = session.scalar(select(func.max(bus_log.c.position)).where(bus_log.c.topic == topic)) or 0
                total += max(0, end - self._position(topic))
        return total

    def close(self) -> None:
        return None

    def _position(self, topic: str) -> int:
        with self.database.session(None) as session:
            position = session.scalar(
                select(bus_offsets.c.position).where(
                    bus_offsets.c.consumer_group == self.group, bus_offsets.c.topic == topic
                )
            )
        return int(position or 0)


def _inbound(row: RowMapping) -> InboundMessage:
    return InboundMessage(
        topic=row["topic"],
        partition=0,
        offset=int(row["position"]),
        key=row["message_key"],
        value=bytes(row["payload"]),
        headers=tuple((k, str(v).encode()) for k, v in dict(row["headers"]).items()),
    )
