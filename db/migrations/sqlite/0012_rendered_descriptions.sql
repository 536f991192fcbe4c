-- A meeting's description as its pages and feeds show it (sanitised HTML, plain text), rendered
-- from its Markdown when the meeting is saved rather than at every view. NULL until rendered
-- (meetings saved before this, demo and seed data): the server renders those at start.
ALTER TABLE meetings ADD COLUMN description_html TEXT;
ALTER TABLE meetings ADD COLUMN description_text TEXT;
