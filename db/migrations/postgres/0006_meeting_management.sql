-- Coordinators cancel whole meetings (a series' master then carries STATUS:CANCELLED) and
-- edit schedules. An occurrence that an edited rule no longer yields but that people had
-- registered for is kept, cancelled, for them; `in_rule` marks it so that feeds stop
-- publishing it as an exception of a date the rule does not have.
ALTER TABLE meetings ADD COLUMN cancelled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE occurrences ADD COLUMN in_rule BOOLEAN NOT NULL DEFAULT TRUE;
-- The coordinator's list of their meetings, newest first, by owner.
CREATE INDEX meetings_updated ON meetings (updated_at);
CREATE INDEX occurrences_meeting ON occurrences (meeting_id, starts_at);
