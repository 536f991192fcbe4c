-- Where an in-person or hybrid meeting takes place, for the city's map of learning places:
-- both or neither, in WGS 84 decimal degrees.
ALTER TABLE meetings ADD COLUMN latitude REAL CHECK (latitude BETWEEN -90 AND 90);
ALTER TABLE meetings ADD COLUMN longitude REAL CHECK (longitude BETWEEN -180 AND 180);
