-- The user's own number, given to one trusted person (issue 11): their "Kontakt meg" alert
-- then has call and text buttons. Set by the user only, per relationship; NULL: not given.
ALTER TABLE checkin_relations ADD COLUMN user_phone TEXT;
