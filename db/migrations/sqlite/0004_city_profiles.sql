-- What a city's coordinators write about their learning city, shown on its overview page.
ALTER TABLE cities ADD COLUMN description_en TEXT NOT NULL DEFAULT '';
ALTER TABLE cities ADD COLUMN description_it TEXT NOT NULL DEFAULT '';
ALTER TABLE cities ADD COLUMN website TEXT;
