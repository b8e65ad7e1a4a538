-- 0021: the meeting (issue 10, item 6): an agenda's running order and time
-- slots, and where a meeting is held.
--
-- discussions.position (0002) was always 0: the agenda was ordered by the
-- workflow rule (core/workflow.c, agenda_order).  Moving an item up or down
-- now numbers every item of the meeting from 1; items with position 0
-- (added after the order was set) follow the numbered ones, in the rule's
-- order.  slot_minutes is the time given to the item (NULL: the default for
-- its kind, core/agenda_time.c); slot times run from the meeting's start.
-- meetings.location is where this meeting is held when it is not the
-- team's usual place ('' : the team's location).  Portable as written
-- (PostgreSQL: ADD COLUMN ... INTEGER / TEXT, the same defaults).
ALTER TABLE discussions ADD COLUMN slot_minutes INTEGER CHECK (slot_minutes IS NULL OR slot_minutes BETWEEN 1 AND 240);
ALTER TABLE meetings ADD COLUMN location TEXT NOT NULL DEFAULT '';
